"""How well the parser reads real plans: its output held against expectations written by hand.

A folder of plans holds each plan file beside `<name>.expected.json` (tests/data/real_plans/
README.md describes the file). Every expected value is one field; a field is right when the
parsed value equals it after the same normalisation on both sides (white space removed from
text, fractions rounded to six places). A wrong field is *flagged* when the parser reported a
warning or error about it (or about the task's row, or refused the file with a reason) and
*silent* otherwise: a silent error is the one a coordinator cannot see, so it is counted apart.

Each expected task is paired with the parsed task that agrees with it on most fields, keeping
the order of both lists (so one task read as two does not shift every later task onto the wrong
partner); a plan read into too many or too few tasks is "counted wrong", and the fields of an
expected task with no parsed partner are all wrong and silent.
"""

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.model import Finding, Plan, PlanTask, Severity
from shuangsuiji.core.plans.parse import parse_plan

PLAN_FIELDS = ("title", "locality", "year")
TASK_FIELDS = (
    "seq",
    "name",
    "items",
    "scope",
    "ratio_min",
    "sample_count",
    "frequency_per_year",
    "sampling_type",
    "risk_kind",
    "risk_class",
    "window",
    "lead",
    "partners",
    "partners_open_ended",
    "mode",
)
# The finding fields that speak for each field kind; "table" (a row the reader mended or
# doubted) speaks for every field of its task.
_FINDING_FIELDS: dict[str, frozenset[str]] = {
    "seq": frozenset({"seq"}),
    "name": frozenset({"name"}),
    "items": frozenset({"items"}),
    "scope": frozenset({"scope"}),
    "ratio_min": frozenset({"ratio_min", "ratio", "class_ratios"}),
    "sample_count": frozenset({"sample_count", "ratio_min"}),
    "frequency_per_year": frozenset({"frequency_per_year"}),
    "sampling_type": frozenset({"sampling_type"}),
    "risk_kind": frozenset({"risk_rule"}),
    "risk_class": frozenset({"risk_rule"}),
    "class_ratios": frozenset({"class_ratios", "ratio_min", "risk_rule"}),
    "window": frozenset({"window"}),
    "lead": frozenset({"lead_department"}),
    "partners": frozenset({"partner_departments"}),
    "partners_open_ended": frozenset({"partner_departments"}),
    "mode": frozenset({"mode"}),
    "title": frozenset({"title"}),
    "locality": frozenset({"locality", "region"}),
    "year": frozenset({"year"}),
}
# Fields the issue asks for that the model may not have yet; expected only where the document
# has them (a per-class table: {"A": 0.03, ...}).
EXTRA_TASK_FIELDS = ("class_ratios",)
_ROW_WIDE = "table"
_FLAGGING = (Severity.WARNING, Severity.ERROR)
_MISSING = object()
EXPECTED_SUFFIX = ".expected.json"


@dataclass(frozen=True)
class Miss:
    """One wrong field: where, what the document says, what was read, and whether it was told."""

    task: int | None  # position from 1; None for a plan field
    kind: str
    expected: Any
    parsed: Any
    flagged: bool


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    flagged: int = 0  # wrong, with a finding
    silent: int = 0  # wrong, without one

    def add(self, other: "Tally") -> None:
        self.right += other.right
        self.total += other.total
        self.flagged += other.flagged
        self.silent += other.silent

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class PlanScore:
    name: str
    expected_tasks: int
    parsed_tasks: int
    refused: str | None = None  # the parser's reason when it would not read the file
    kinds: dict[str, Tally] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)

    @property
    def tasks_right(self) -> bool:
        return self.refused is None and self.expected_tasks == self.parsed_tasks

    @property
    def overall(self) -> Tally:
        total = Tally()
        for tally in self.kinds.values():
            total.add(tally)
        return total


@dataclass
class CorpusScore:
    plans: list[PlanScore]

    @property
    def kinds(self) -> dict[str, Tally]:
        merged: dict[str, Tally] = {}
        for plan in self.plans:
            for kind, tally in plan.kinds.items():
                merged.setdefault(kind, Tally()).add(tally)
        return {kind: merged[kind] for kind in _kind_order(merged)}

    @property
    def overall(self) -> Tally:
        total = Tally()
        for plan in self.plans:
            total.add(plan.overall)
        return total

    @property
    def tasks_right(self) -> int:
        return sum(1 for plan in self.plans if plan.tasks_right)


def _kind_order(kinds: Iterable[str]) -> list[str]:
    known = PLAN_FIELDS + TASK_FIELDS
    present = set(kinds)
    return [k for k in known if k in present] + sorted(present - set(known))


def normalise(value: Any) -> Any:
    """One comparable shape for a parsed or an expected value."""
    if isinstance(value, str):
        return re.sub(r"\s+", "", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, Iterable):
        return [normalise(item) for item in value]
    return value


def task_value(task: PlanTask, kind: str) -> Any:
    """The parsed task's value for a field kind, in the expectations' shape."""
    values: dict[str, Any] = {
        "seq": task.seq,
        "name": task.name,
        "items": list(task.items),
        "scope": task.scope,
        "ratio_min": task.ratio_min,
        "sample_count": task.sample_count,
        "frequency_per_year": task.frequency_per_year,
        "sampling_type": task.sampling_type,
        "risk_kind": task.risk_rule.kind.value,
        "risk_class": task.risk_rule.risk_class,
        "window": [task.window.start, task.window.end],
        "lead": task.lead_department,
        "partners": list(task.partner_departments),
        "partners_open_ended": task.partners_open_ended,
        "mode": task.mode.text if task.mode else None,
    }
    if kind in values:
        return values[kind]
    return getattr(task, kind, _MISSING)  # a field the model may gain (class_ratios)


def _flagged(kind: str, findings: Iterable[Finding], plan_findings: Iterable[Finding] = ()) -> bool:
    """Whether a warning or error speaks for this field: the task's own (its row's included) or
    the plan's about the same field (序号不连续 speaks for every task's 序号)."""
    speaking = _FINDING_FIELDS.get(kind, frozenset({kind}))
    if any(f.severity in _FLAGGING and f.field in speaking | {_ROW_WIDE} for f in findings):
        return True
    return any(f.severity in _FLAGGING and f.field in speaking for f in plan_findings)


def score_plan(name: str, parsed: Plan | PlanFileError, expected: Mapping[str, Any]) -> PlanScore:
    """Hold one parse (or the parser's refusal) against one plan's expectations."""
    tasks: list[Mapping[str, Any]] = expected["tasks"]
    if isinstance(parsed, PlanFileError):
        score = PlanScore(name, len(tasks), 0, refused=str(parsed))
        for kind in PLAN_FIELDS:
            if kind in expected:
                _count(score, None, kind, expected[kind], _MISSING, flagged=True)
        for position, wanted in enumerate(tasks, start=1):
            for kind, value in wanted.items():
                _count(score, position, kind, value, _MISSING, flagged=True)
        return score
    score = PlanScore(name, len(tasks), len(parsed.tasks))
    plan_values = {"title": parsed.title, "locality": parsed.locality, "year": parsed.year}
    for kind in PLAN_FIELDS:
        if kind in expected:
            flagged = _flagged(kind, parsed.findings)
            _count(score, None, kind, expected[kind], plan_values[kind], flagged=flagged)
    partners = pair_tasks(tasks, parsed.tasks)
    for position, wanted in enumerate(tasks, start=1):
        task = partners.get(position - 1)
        for kind, value in wanted.items():
            if task is None:
                _count(score, position, kind, value, _MISSING, flagged=False)
            else:
                got = task_value(task, kind)
                flagged = _flagged(kind, task.findings, parsed.findings)
                _count(score, position, kind, value, got, flagged=flagged)
    return score


def _agreement(wanted: Mapping[str, Any], task: PlanTask) -> int:
    return sum(
        1 for kind, value in wanted.items() if normalise(task_value(task, kind)) == normalise(value)
    )


def pair_tasks(
    tasks: Sequence[Mapping[str, Any]], parsed: Sequence[PlanTask]
) -> dict[int, PlanTask]:
    """Expected task index → its parsed partner: the order-keeping pairing with the most fields
    in agreement (an alignment, as diff aligns lines); tasks that agree on nothing stay alone."""
    rows, cols = len(tasks), len(parsed)
    agree = [[_agreement(wanted, task) for task in parsed] for wanted in tasks]
    best = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            paired = agree[i][j] + best[i + 1][j + 1] if agree[i][j] else 0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs: dict[int, PlanTask] = {}
    i = j = 0
    while i < rows and j < cols:
        if agree[i][j] and best[i][j] == agree[i][j] + best[i + 1][j + 1]:
            pairs[i] = parsed[j]
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _count(
    score: PlanScore, position: int | None, kind: str, wanted: Any, got: Any, *, flagged: bool
) -> None:
    tally = score.kinds.setdefault(kind, Tally())
    tally.total += 1
    if got is not _MISSING and normalise(got) == normalise(wanted):
        tally.right += 1
        return
    shown = None if got is _MISSING else got
    score.misses.append(Miss(position, kind, wanted, shown, flagged))
    if flagged:
        tally.flagged += 1
    else:
        tally.silent += 1


def expectation_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{EXPECTED_SUFFIX}"))


def plan_file(expectation: Path) -> Path:
    """The plan beside an expectations file: same name, any other suffix."""
    stem = expectation.name.removesuffix(EXPECTED_SUFFIX)
    candidates = [
        path
        for path in expectation.parent.glob(f"{stem}.*")
        if path.is_file() and not path.name.endswith(EXPECTED_SUFFIX) and path.suffix != ".json"
    ]
    if len(candidates) != 1:
        found = "、".join(p.name for p in candidates) or "无"
        raise FileNotFoundError(f"{expectation.name}：应有且只有一个同名计划文件（找到：{found}）")
    return candidates[0]


def load_expected(path: Path) -> dict[str, Any]:
    """A plan's expectations: `defaults` (values shared by every task, written once) merged
    under each task; keys starting with "_" are the reader's notes, not fields."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    defaults = {k: v for k, v in data.get("defaults", {}).items() if not k.startswith("_")}
    tasks = []
    for position, written in enumerate(data["tasks"], start=1):
        task = {**defaults, **{k: v for k, v in written.items() if not k.startswith("_")}}
        unknown = set(task) - set(TASK_FIELDS) - set(EXTRA_TASK_FIELDS)
        missing = set(TASK_FIELDS) - set(task)
        if unknown or missing:
            raise ValueError(
                f"{path.name} 第{position}项任务："
                f"未知字段 {sorted(unknown)}，缺少字段 {sorted(missing)}"
            )
        tasks.append(task)
    data["tasks"] = tasks
    return data


def score_folder(folder: Path) -> CorpusScore:
    """Parse every plan in the folder that has expectations, and score it."""
    plans = []
    for expectation in expectation_files(folder):
        path = plan_file(expectation)
        expected = load_expected(expectation)
        parsed: Plan | PlanFileError
        try:
            parsed = parse_plan(path.read_bytes(), path.name)
        except PlanFileError as error:
            parsed = error
        plans.append(score_plan(path.name, parsed, expected))
    return CorpusScore(plans)
