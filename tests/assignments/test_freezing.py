"""The second random before it is made: its inputs from the draws, the preview, the freeze."""

import pytest

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Assignment
from shuangsuiji.assignments.services import (
    AssignStepError,
    complete_assignment,
    effective_selection,
    freeze_assignment,
    gather_inputs,
    preview,
)
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_inputs_take_each_tasks_current_draw_and_the_items_qualifications(
    drawn: DemoSummary,
) -> None:
    plan = Plan.objects.get(region__code="140406")

    inputs = gather_inputs(plan)

    assert len(inputs.tasks) == plan.tasks.filter(draws__state="drawn").distinct().count()
    assert inputs.skipped == []
    assert any(task["qualifications"] for task in inputs.tasks)
    task = inputs.tasks[0]
    draw = plan.tasks.get(pk=inputs.task_ids[task["task"]]).draws.get()
    assert task["selected"] == effective_selection(draw.bundle)
    assert task["draw_seed"] == draw.seed


def test_preview_says_before_and_after_merging_and_no_shortfall(drawn: DemoSummary) -> None:
    result = preview(Plan.objects.get(region__code="140502"))

    assert result["report"]["visits_after"] <= result["report"]["visits_before"]
    assert result["shortfalls"] == []
    assert set(result["caps"]) <= set(result["usable"])


def test_freezing_twice_gives_one_assignment_and_a_redo_needs_a_reason(
    drawn: DemoSummary,
) -> None:
    plan = Plan.objects.get(region__code="140502")

    first = freeze_assignment(plan, actor=SYSTEM)
    again = freeze_assignment(plan, actor=SYSTEM)

    assert first.pk == again.pk
    with pytest.raises(AssignStepError, match="原因"):
        freeze_assignment(plan, actor=SYSTEM, supersedes=first, reason=" ")


def test_a_department_without_usable_inspectors_is_named_before_anything_is_frozen(
    drawn: DemoSummary,
) -> None:
    plan = Plan.objects.get(region__code="140502")
    lead = plan.tasks.exclude(lead_department=None).first().lead_department
    lead.inspectors.update(is_active=False)

    with pytest.raises(AssignStepError, match=lead.name):
        freeze_assignment(plan, actor=SYSTEM)
    assert not Assignment.objects.exists()


def test_a_tasks_own_team_size_and_a_non_joint_task_shape_its_visits(drawn: DemoSummary) -> None:
    plan = Plan.objects.get(region__code="140502")
    joint = plan.tasks.filter(partner_departments__isnull=False, draws__state="drawn").first()
    joint.team_size, joint.joint_inspection = 3, False
    joint.save(update_fields=["team_size", "joint_inspection"])

    task = next(t for t in gather_inputs(plan).tasks if t["name"] == joint.name)
    assignment = complete_assignment(
        freeze_assignment(plan, actor=SYSTEM),
        actor=SYSTEM,
        public_value="5 5 2",
        public_source="联席会议",
    )

    assert (task["team_size"], task["partners"]) == (3, [])
    own = [v for v in assignment.bundle["visits"] if v["tasks"] == [task["task"]]]
    assert own
    assert all(len(v["team"]) >= 3 for v in own)
    assert all(v["departments"] == [joint.lead_department.name] for v in own)
