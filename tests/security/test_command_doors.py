"""The management commands run as a 潞城区 user (--user) against 城区's records: each stops
with a CommandError (exit code 1) and changes nothing."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from shuangsuiji.analysis.models import RiskProposal
from shuangsuiji.assignments.models import Assignment
from shuangsuiji.core.draw import commitment
from shuangsuiji.inspections.models import Inspection, InspectionState
from shuangsuiji.plans.models import Plan
from tests.security.conftest import CHENGQU, chengqu_frozen_draw

pytestmark = pytest.mark.django_db


def refused(*args: Any) -> bool:
    try:
        call_command(*args)
    except CommandError:
        return True
    return False


def test_a_department_admin_cannot_commit_in_the_other_districts_draw(demo: None) -> None:
    draw = chengqu_frozen_draw()
    value = commitment(draw.draw_id, "城区教科局", "5e" * 16)

    outcome = refused(
        "draw",
        "commit",
        str(draw.pk),
        "--party",
        "城区教科局",
        "--commitment",
        value,
        "--user",
        "lucheng-dept-admin",
    )

    draw.refresh_from_db()
    assert (outcome, draw.commitments) == (True, [])


def test_a_coordinator_cannot_complete_the_other_districts_draw(demo: None) -> None:
    draw = chengqu_frozen_draw()

    outcome = refused(
        "draw",
        "complete",
        str(draw.pk),
        "--public-value",
        "12345",
        "--user",
        "lucheng-coordinator",
    )

    draw.refresh_from_db()
    assert (outcome, draw.state, draw.seed) == (True, "frozen", "")


def test_a_coordinator_cannot_export_the_other_districts_plan(demo: None, tmp_path: Path) -> None:
    plan = Plan.objects.get(region__code=CHENGQU)
    output = tmp_path / "plan.xlsx"

    outcome = refused(
        "plan", "export", str(plan.pk), "-o", str(output), "--user", "lucheng-coordinator"
    )

    assert (outcome, output.exists()) == (True, False)


def test_a_coordinator_cannot_publish_the_other_districts_results(demo: None) -> None:
    plan = Plan.objects.get(region__code=CHENGQU)
    approved = Inspection.objects.filter(task__plan=plan, state=InspectionState.APPROVED)
    before = approved.count()
    chosen = [str(pk) for pk in approved.values_list("pk", flat=True)[:2]]

    outcomes = [
        refused("publish", "--plan", str(plan.pk), "--all-due", "--user", "lucheng-coordinator"),
        refused(
            "publish",
            "--plan",
            str(plan.pk),
            "--inspection",
            *chosen,
            "--user",
            "lucheng-coordinator",
        ),
    ]

    assert (outcomes, approved.count()) == ([True, True], before)


def test_a_coordinator_cannot_assign_or_adjust_risk_for_the_other_districts_plan(
    demo: None,
) -> None:
    plan = Plan.objects.get(region__code=CHENGQU)
    assignments_before = Assignment.objects.filter(plan=plan).count()
    proposals_before = RiskProposal.objects.filter(plan=plan).count()

    outcomes = [
        refused("assign", "freeze", "--plan", str(plan.pk), "--user", "lucheng-coordinator"),
        refused("risk", "propose", "--plan", str(plan.pk), "--user", "lucheng-coordinator"),
        refused("risk", "apply", "--plan", str(plan.pk), "--all", "--user", "lucheng-coordinator"),
    ]

    assert outcomes == [True, True, True]
    assert Assignment.objects.filter(plan=plan).count() == assignments_before
    assert RiskProposal.objects.filter(plan=plan).count() == proposals_before


def test_an_auditor_cannot_publish_in_its_own_district(demo: None) -> None:
    plan = Plan.objects.exclude(region__code=CHENGQU).get()
    approved = Inspection.objects.filter(task__plan=plan, state=InspectionState.APPROVED)
    before = approved.count()

    outcome = refused("publish", "--plan", str(plan.pk), "--all-due", "--user", "lucheng-auditor")

    assert (outcome, approved.count()) == (True, before)
