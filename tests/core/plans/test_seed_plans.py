"""Both seed plans parse to every task, every field as read by hand (seed_expectations.py)."""

from pathlib import Path
from typing import Any

import pytest

import shuangsuiji.demo
from shuangsuiji.core.plans.model import Plan, PlanTask, Severity
from shuangsuiji.core.plans.parse import parse_plan
from tests.core.plans.seed_expectations import JINCHENG_CHENGQU_2024, LUCHENG_2023, PLAN_META

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
PLANS = {
    "lucheng": ("lucheng-2023-plan.txt", LUCHENG_2023),
    "jincheng": ("jincheng-chengqu-2024-plan.txt", JINCHENG_CHENGQU_2024),
}


def parsed(key: str) -> Plan:
    filename, _ = PLANS[key]
    return parse_plan((SEEDS / filename).read_bytes(), filename)


def as_expected(task: PlanTask) -> dict[str, Any]:
    """The parsed task in the shape of the hand-written expectations."""
    return {
        "seq": task.seq,
        "name": task.name,
        "items": list(task.items),
        "scope": task.scope,
        "ratio_min": pytest.approx(task.ratio_min) if task.ratio_min is not None else None,
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
        "finding_fields": sorted(
            {f.field for f in task.findings if f.severity is not Severity.INFO}
        ),
    }


@pytest.mark.parametrize("key", list(PLANS))
def test_seed_plan_title_locality_and_year(key: str) -> None:
    plan = parsed(key)

    assert (plan.title, plan.locality, plan.year) == (
        PLAN_META[key]["title"],
        PLAN_META[key]["locality"],
        PLAN_META[key]["year"],
    )


@pytest.mark.parametrize("key", list(PLANS))
def test_seed_plan_has_every_task_in_order(key: str) -> None:
    _, expected = PLANS[key]

    assert [task.seq for task in parsed(key).tasks] == [task["seq"] for task in expected]


@pytest.mark.parametrize(
    ("key", "index"),
    [(key, index) for key, (_, tasks) in PLANS.items() for index in range(len(tasks))],
    ids=lambda value: str(value),
)
def test_seed_plan_task_fields_match_the_document(key: str, index: int) -> None:
    _, expected = PLANS[key]

    assert as_expected(parsed(key).tasks[index]) == expected[index]


def test_seed_plan_keeps_original_cell_text() -> None:
    task = parsed("lucheng").tasks[4]

    assert task.source["partners"] == "区市场监管局                        区税务局"
    assert task.source["seq"] == "5"


def test_misplaced_frequency_is_recognised_and_reported() -> None:
    task = parsed("lucheng").tasks[7]

    assert [(f.field, f.severity.value) for f in task.findings] == [
        ("frequency_per_year", "info"),
        ("ratio_min", "error"),
    ]
