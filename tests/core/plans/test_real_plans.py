"""Real published plans (tests/data/real_plans) scored against expectations written by hand.

The figures in RATCHET are what the parser scored on the corpus when they were last measured
(`shuangsuiji plan score tests/data/real_plans`). They may only go up: when the parser reads
more, raise them to the new measurement; never lower them to let a change through.
"""

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import shuangsuiji.demo
from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.model import Finding, Severity
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.core.plans.score import (
    TASK_FIELDS,
    expectation_files,
    load_expected,
    plan_file,
    score_folder,
    score_plan,
)
from tests.core.plans.seed_expectations import JINCHENG_CHENGQU_2024, LUCHENG_2023, PLAN_META

CORPUS = Path(__file__).parents[2] / "data" / "real_plans"
SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
SEED_PLANS = {
    "lucheng": ("lucheng-2023-plan.txt", LUCHENG_2023),
    "jincheng": ("jincheng-chengqu-2024-plan.txt", JINCHENG_CHENGQU_2024),
}

# Measured on the corpus: (fields right, fields total) per field kind, and the plans whose tasks
# were all found. The right counts may only go up; the totals change only with the corpus.
# Silent misses are printed by the command but not held here: a file the parser refused (every
# field flagged) that it starts to read can show new silent misses on the way to none.
RATCHET: dict[str, tuple[int, int]] = {
    "title": (32, 33),
    "locality": (33, 33),
    "year": (33, 33),
    "seq": (141, 141),
    "name": (140, 141),
    "items": (140, 141),
    "scope": (137, 141),
    "ratio_min": (141, 141),
    "sample_count": (138, 141),
    "frequency_per_year": (136, 141),
    "sampling_type": (141, 141),
    "risk_kind": (141, 141),
    "risk_class": (141, 141),
    "window": (137, 141),
    "lead": (141, 141),
    "partners": (139, 141),
    "partners_open_ended": (141, 141),
    "mode": (141, 141),
    "class_ratios": (1, 1),
}
RATCHET_TASKS_RIGHT = 33


def seed_expected(key: str) -> dict[str, Any]:
    """A seed's hand-written expectations (seed_expectations.py) in the score's shape."""
    _, tasks = SEED_PLANS[key]
    return {
        **PLAN_META[key],
        "tasks": [{k: v for k, v in task.items() if k != "finding_fields"} for task in tasks],
    }


def parsed_seed(key: str) -> Any:
    filename, _ = SEED_PLANS[key]
    return parse_plan((SEEDS / filename).read_bytes(), filename)


@pytest.mark.parametrize("key", list(SEED_PLANS))
def test_seed_plans_score_every_field_right(key: str) -> None:
    score = score_plan(key, parsed_seed(key), seed_expected(key))

    assert (score.misses, score.tasks_right) == ([], True)
    assert score.overall.total == 3 + len(SEED_PLANS[key][1]) * len(TASK_FIELDS)


def test_a_wrong_field_without_a_finding_is_counted_silent() -> None:
    expected = seed_expected("lucheng")
    expected["tasks"][0]["ratio_min"] = 0.5  # the document says 30 %: pretend it said 50 %

    score = score_plan("lucheng", parsed_seed("lucheng"), expected)

    assert [(m.task, m.kind, m.expected, m.parsed, m.flagged) for m in score.misses] == [
        (1, "ratio_min", 0.5, 0.3, False)
    ]
    assert (score.kinds["ratio_min"].right, score.kinds["ratio_min"].silent) == (37, 1)


def test_a_wrong_field_the_parser_reported_is_counted_flagged() -> None:
    expected = seed_expected("lucheng")
    expected["tasks"][7]["ratio_min"] = 0.05  # task 8's ratio is missing, with an error finding

    score = score_plan("lucheng", parsed_seed("lucheng"), expected)

    assert [(m.task, m.kind, m.parsed, m.flagged) for m in score.misses] == [
        (8, "ratio_min", None, True)
    ]


def test_a_plan_finding_about_a_field_flags_that_field_in_every_task() -> None:
    expected = seed_expected("lucheng")
    expected["tasks"][0]["seq"] = 2  # pretend the document numbered its first task 2
    warned = replace(
        parsed_seed("lucheng"), findings=(Finding("seq", Severity.WARNING, "序号不连续，缺少 1"),)
    )

    score = score_plan("lucheng", warned, expected)

    assert [(m.task, m.kind, m.parsed, m.flagged) for m in score.misses] == [(1, "seq", 1, True)]


def test_a_missing_task_counts_its_fields_wrong_and_the_task_count_wrong() -> None:
    expected = seed_expected("lucheng")
    expected["tasks"].append(dict(expected["tasks"][-1], seq=39))

    score = score_plan("lucheng", parsed_seed("lucheng"), expected)

    assert (score.tasks_right, score.overall.right, score.overall.silent) == (
        False,
        3 + 38 * len(TASK_FIELDS),
        len(TASK_FIELDS),
    )


def test_a_task_too_many_does_not_shift_the_later_tasks_onto_wrong_partners() -> None:
    expected = seed_expected("lucheng")
    del expected["tasks"][1]  # the parser's 38 tasks against 37 expected: task 2 is one too many

    score = score_plan("lucheng", parsed_seed("lucheng"), expected)

    assert (score.tasks_right, score.misses, score.overall.total) == (
        False,
        [],
        3 + 37 * len(TASK_FIELDS),
    )


def test_a_refused_file_counts_every_field_wrong_but_reported() -> None:
    error = PlanFileError("未找到计划表格的表头")

    score = score_plan("lucheng", error, seed_expected("lucheng"))

    assert (score.refused, score.overall.right, score.overall.flagged, score.overall.silent) == (
        "未找到计划表格的表头",
        0,
        3 + 38 * len(TASK_FIELDS),
        0,
    )


def test_every_corpus_plan_has_one_plan_file_and_complete_expectations() -> None:
    files = expectation_files(CORPUS)

    for path in files:
        data = load_expected(path)  # raises on a task missing a field or naming an unknown one
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        assert plan_file(path).exists()
        assert sorted(source) == [
            "level",
            "locality",
            "obtained",
            "province",
            "title",
            "url",
            "year",
        ]
        assert data["tasks"]
    assert len(files) == len({p.name for p in CORPUS.iterdir()} - {"README.md"}) // 2


def test_corpus_scores_at_least_the_measured_figures() -> None:
    corpus = score_folder(CORPUS)

    figures = {kind: (tally.right, tally.total) for kind, tally in corpus.kinds.items()}
    totals = {kind: total for kind, (_, total) in figures.items()}
    assert totals == {kind: total for kind, (_, total) in RATCHET.items()}
    lower = {
        k: (right, RATCHET[k][0]) for k, (right, _) in figures.items() if right < RATCHET[k][0]
    }
    assert lower == {}
    assert corpus.overall.right >= sum(right for right, _ in RATCHET.values())
    assert corpus.tasks_right >= RATCHET_TASKS_RIGHT
