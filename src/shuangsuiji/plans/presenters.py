"""One table layout for a plan, whether just parsed (preview) or stored (plan page).

Each finding is placed on the cell it is about, so the coordinator sees the problem where it is.
"""

from dataclasses import dataclass, field
from typing import Any

from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.presenters import ACTIONS, Change
from shuangsuiji.core.plans.columns import COLUMN_LABELS
from shuangsuiji.core.plans.jsonio import task_to_dict
from shuangsuiji.core.plans.model import Plan as ParsedPlan
from shuangsuiji.directory.models import Department, Region, ScopeCategory
from shuangsuiji.plans.models import PlanTask
from shuangsuiji.plans.population import STRATUM_LABELS

COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "序号"),
    ("name", "抽查任务名称"),
    ("items", "抽查事项"),
    ("scope", "抽查对象范围"),
    ("ratio", "抽查比例及频次"),
    ("risk", "信用风险分类要求"),
    ("window", "起止时间"),
    ("lead", "发起部门"),
    ("partners", "配合部门"),
    ("mode", "抽查检查模式"),
)
FIELD_COLUMN = {
    "seq": "seq",
    "name": "name",
    "items": "items",
    "scope": "scope",
    "ratio_min": "ratio",
    "sample_count": "ratio",
    "frequency_per_year": "ratio",
    "risk_rule": "risk",
    "window": "window",
    "lead_department": "lead",
    "partner_departments": "partners",
    "mode": "mode",
}
RISK_LABELS = {
    "escalate": "按信用风险分类递加",
    "none": "无",
    "fixed": "固定等级",
    "other": "其他依据",
}


@dataclass
class Cell:
    key: str
    lines: list[str]
    findings: list[dict[str, str]] = field(default_factory=list)

    @property
    def severity(self) -> str:
        levels = {f["severity"] for f in self.findings}
        return next((level for level in ("error", "warning", "info") if level in levels), "")


@dataclass
class Row:
    cells: list[Cell]
    row_findings: list[dict[str, str]]
    position: int = 0
    task_id: int | None = None
    sources: list[tuple[str, str, str]] = field(default_factory=list)  # key, label, cell text
    population_flags: list[str] = field(default_factory=list)
    capacity_flags: list[str] = field(default_factory=list)
    item_flags: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return any(cell.severity in ("error", "warning") for cell in self.cells)


def rows_from_parsed(plan: ParsedPlan) -> list[Row]:
    """Rows for the preview, each with its original cells so they can be corrected there."""
    keys = [key for key in plan.columns if key in COLUMN_LABELS]
    rows = []
    for position, task in enumerate(plan.tasks, start=1):
        row = _row(task_to_dict(task))
        row.position = position
        row.sources = [(key, COLUMN_LABELS[key], task.source.get(key, "")) for key in keys]
        rows.append(row)
    return rows


def rows_from_stored(tasks: Any) -> list[Row]:
    rows = []
    for task in tasks:
        row = _row(_stored_as_dict(task))
        row.task_id = task.pk
        rows.append(row)
    return rows


def _stored_as_dict(task: Any) -> dict[str, Any]:
    return {
        "seq": task.seq,
        "name": task.name,
        "items": task.items,
        "scope": task.scope,
        "ratio_min": float(task.ratio_min) if task.ratio_min is not None else None,
        "class_ratios": {k: float(v) for k, v in task.class_ratios.items()} or None,
        "ratio_tiers": [[name, float(ratio)] for name, ratio in task.ratio_tiers],
        "sample_count": task.sample_count,
        "frequency_per_year": task.frequency_per_year,
        "risk_rule": {
            "kind": task.risk_kind,
            "text": task.risk_text,
            "risk_class": task.risk_class or None,
        },
        "window": {"start": task.window_start or None, "end": task.window_end or None},
        "lead_department": task.lead_department_text,
        "partner_departments": task.partner_texts,
        "partners_open_ended": task.partners_open_ended,
        "mode": {"text": task.mode_text} if task.mode_text else None,
        "findings": task.findings,
    }


def _row(task: dict[str, Any]) -> Row:
    values = {
        "seq": [str(task["seq"] or "")],
        "name": [task["name"] or "（缺少任务名称）"],
        "items": [f"{n}. {item}" for n, item in enumerate(task["items"], start=1)]
        if len(task["items"]) > 1
        else list(task["items"]),
        "scope": [task["scope"]],
        "ratio": _ratio_lines(task),
        "risk": _risk_lines(task["risk_rule"]),
        "window": [f"{task['window']['start'] or '?'} 至 {task['window']['end'] or '?'}"],
        "lead": [task["lead_department"]],
        "partners": list(task["partner_departments"])
        + (["等"] if task["partners_open_ended"] else []),
        "mode": [task["mode"]["text"]] if task["mode"] else [],
    }
    cells = {key: Cell(key, [line for line in values[key] if line]) for key, _ in COLUMNS}
    row_findings = []
    for finding in task["findings"]:
        column = FIELD_COLUMN.get(finding["field"])
        if column:
            cells[column].findings.append(finding)
        else:
            row_findings.append(finding)
    return Row([cells[key] for key, _ in COLUMNS], row_findings)


def _ratio_lines(task: dict[str, Any]) -> list[str]:
    lines = []
    classes = task.get("class_ratios") or {}
    if classes:
        shown = "、".join(f"{k}类 {v * 100:g}%" for k, v in sorted(classes.items()))
        lines.append(f"按信用风险分类：{shown}")
        if set(classes) != {"A", "B", "C", "D"} and task["ratio_min"] is not None:
            lines.append(f"其他类不低于 {task['ratio_min'] * 100:g}%")
    elif task["ratio_min"] is not None:
        lines.append(f"不低于 {task['ratio_min'] * 100:g}%")
    tiers = task.get("ratio_tiers") or []
    if tiers:
        shown = "、".join(f"{name} {ratio * 100:g}%" for name, ratio in tiers)
        lines.append(f"分级：{shown}")
    if task["sample_count"]:
        lines.append(f"{task['sample_count']} 户")
    if task["frequency_per_year"]:
        lines.append(f"每年 {task['frequency_per_year']} 次")
    return lines


def _risk_lines(rule: dict[str, Any]) -> list[str]:
    label = RISK_LABELS.get(rule["kind"], rule["kind"])
    if rule["kind"] == "fixed" and rule.get("risk_class"):
        label = f"{label}：{rule['risk_class']}类"
    if rule["kind"] == "other":
        return [label, rule["text"]]
    return [label]


@dataclass
class HistoryRow:
    at: Any
    username: str
    action: str
    changes: list[Change]


# Bookkeeping the history need not spell out field by field.
HIDDEN_FIELDS = {"id", "plan_id", "position", "source", "findings", "population_counted_at"}


def history_rows(task: Any) -> list[HistoryRow]:
    """The task's entries on the audit chain, newest first, each as the fields it changed
    (before → after) in words: names for departments, categories and regions, labels for
    choices. A creation is the import; its values are the plan's table."""

    entries = list(
        AuditEntry.objects.filter(model="plans.plantask", object_id=str(task.pk)).order_by(
            "-sequence"
        )
    )
    names = _names(
        [entry.before or {} for entry in entries] + [entry.after or {} for entry in entries]
    )
    rows = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        changes = [
            Change(
                _label(key), _text(key, before.get(key), names), _text(key, after.get(key), names)
            )
            for key in sorted(dict.fromkeys([*before, *after]), key=_field_position)
            if key not in HIDDEN_FIELDS
            and before.get(key) != after.get(key)
            and entry.action == "update"
        ]
        rows.append(
            HistoryRow(
                entry.at, entry.username or "系统", ACTIONS.get(entry.action, entry.action), changes
            )
        )
    return rows


def _field_position(key: str) -> tuple[int, str]:
    """Changes in the order the task's fields are declared (many-to-many last), not the order
    the audit row's JSON returns them: PostgreSQL's jsonb keeps keys in its own order."""
    meta = PlanTask._meta
    order = {f.attname: i for i, f in enumerate(meta.concrete_fields)}
    order |= {f.name: len(order) + i for i, f in enumerate(meta.many_to_many)}
    return order.get(key, len(order) + 100), key


# Audit keys whose values are ids, and the model that names them.
ID_FIELDS = {
    "lead_department_id": "department",
    "partner_departments": "department",
    "scope_categories": "category",
    "scope_regions": "region",
}


def _names(values: list[dict[str, Any]]) -> dict[tuple[str, int], str]:

    wanted: dict[str, set[int]] = {"department": set(), "category": set(), "region": set()}
    for record in values:
        for key, kind in ID_FIELDS.items():
            value = record.get(key)
            ids = value if isinstance(value, list) else [value]
            wanted[kind].update(i for i in ids if isinstance(i, int))
    models = {"department": Department, "category": ScopeCategory, "region": Region}
    names = {}
    for kind, ids in wanted.items():
        for obj in (
            models[kind]
            .objects.filter(pk__in=ids)
            .select_related(*(["parent"] if kind == "region" else []))
        ):
            names[(kind, obj.pk)] = str(obj)
    return names


def _label(key: str) -> str:

    for field_ in PlanTask._meta.get_fields():
        if key in (field_.name, getattr(field_, "attname", None)):
            return str(getattr(field_, "verbose_name", key))
    return key


# What an empty value means where it is not "nothing".
EMPTY_MEANS = {"scope_statuses": "存续、在业", "scope_regions": "计划所属区划全部"}


def _text(key: str, value: Any, names: dict[tuple[str, int], str]) -> str:
    if value is None or value in ("", [], {}):
        return EMPTY_MEANS.get(key, "—")
    if key in ID_FIELDS:
        kind = ID_FIELDS[key]
        ids = value if isinstance(value, list) else [value]
        return "、".join(names.get((kind, i), f"#{i}") for i in ids)
    if key == "ratio_min":
        return f"{float(value) * 100:g}%"
    if key == "risk_kind":
        return RISK_LABELS.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) and "sha256" in value:
        return f"（{value.get('length')} 字符，摘要 {str(value['sha256'])[:12]}…）"
    if isinstance(value, dict):
        return " · ".join(f"{STRATUM_LABELS.get(k, k)} {v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return str(value)
