"""The second random in the app: inputs from the draws, freeze, assign, lay out, recuse."""

import pytest
from django.db import DatabaseError, transaction

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Assignment, Recusal, TeamMember, Visit
from shuangsuiji.assignments.services import (
    AssignStepError,
    bundle_with_recusals,
    complete_assignment,
    effective_selection,
    freeze_assignment,
    gather_inputs,
    preview,
    record_recusal,
)
from shuangsuiji.core import assign as rule
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.directory.models import Conflict
from shuangsuiji.plans.models import Plan
from tests.core.assign_checker import check_bundle

pytestmark = pytest.mark.django_db


def test_both_demo_plans_are_assigned_without_breaking_a_composition_or_eligibility_rule(
    demo: DemoSummary,
) -> None:
    assignments = list(Assignment.objects.all())

    assert len(assignments) == 2
    for assignment in assignments:
        bundle = bundle_with_recusals(assignment)
        assert check_bundle(bundle) == []
        assert rule.verify(bundle) == []


def test_merging_cuts_visits_and_every_visit_is_laid_out_with_its_team(demo: DemoSummary) -> None:
    for assignment in Assignment.objects.all():
        report = assignment.bundle["report"]
        visits = assignment.bundle["visits"]

        assert report["visits_after"] == len(visits) == assignment.visits.count()
        assert report["visits_after"] < report["visits_before"]
        assert TeamMember.objects.filter(visit__assignment=assignment).count() == sum(
            len(v["team"]) for v in visits
        )
        row = assignment.visits.get(code=visits[0]["id"])
        assert row.entity.uscc == visits[0]["uscc"]
        assert row.tasks.count() == len(visits[0]["tasks"])
        assert row.members.get(slot=1).role == rule.LEADER


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


def test_a_substituted_entity_is_visited_in_place_of_the_one_it_replaced() -> None:
    bundle = {
        "rounds": [
            {"round": 1, "strata": {"A": {"selected": ["X1", "X2"]}, "B": {"selected": ["X3"]}}}
        ],
        "substitutions": [{"round": 1, "stratum": "A", "replaced": "X2", "replacement": "R1"}],
    }

    assert effective_selection(bundle) == ["X1", "R1", "X3"]


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


def test_the_published_assignment_cannot_be_changed_or_deleted(demo: DemoSummary) -> None:
    assignment = Assignment.objects.first()

    with pytest.raises(DatabaseError), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(seed="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).delete()


def test_completing_twice_is_refused(demo: DemoSummary) -> None:
    assignment = Assignment.objects.first()

    with pytest.raises(AssignStepError, match="已完成"):
        complete_assignment(assignment, actor=SYSTEM, public_value="1 2 3", public_source="")


def test_a_recusal_replaces_exactly_one_member_and_stays_verifiable(demo: DemoSummary) -> None:
    assignment = Assignment.objects.get(plan__region__code="140406")
    visit = assignment.visits.order_by("code").first()
    before = list(visit.members.order_by("slot").values_list("slot", "inspector_id"))
    member = visit.members.get(slot=2)

    recusal = record_recusal(member, actor=SYSTEM, reason="近亲属在该单位任职")

    after = list(visit.members.order_by("slot").values_list("slot", "inspector_id"))
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert changed == [((2, recusal.inspector_id), (2, recusal.replacement_id))]
    assert recusal.replacement_id not in {i for _, i in before}
    assert Conflict.objects.filter(inspector=recusal.inspector, entity=visit.entity).exists()
    bundle = bundle_with_recusals(assignment)
    assert rule.verify(bundle) == []
    assert check_bundle(bundle) == []


def test_a_recusal_needs_a_reason_and_is_never_edited(demo: DemoSummary) -> None:
    member = TeamMember.objects.order_by("pk").first()

    with pytest.raises(AssignStepError, match="事由"):
        record_recusal(member, actor=SYSTEM, reason="  ")
    recusal = record_recusal(member, actor=SYSTEM, reason="曾在该单位任职未满三年")
    with pytest.raises(DatabaseError), transaction.atomic():
        Recusal.objects.filter(pk=recusal.pk).update(reason="改过")


def test_a_redo_is_linked_and_its_own_plans_first_try_is_not_a_last_visit(
    demo: DemoSummary,
) -> None:
    first = Assignment.objects.get(plan__region__code="140502")

    redo = freeze_assignment(
        first.plan, actor=SYSTEM, supersedes=first, reason="补充执法人员后重新分派"
    )
    redo = complete_assignment(redo, actor=SYSTEM, public_value="6 6 1 2", public_source="联席会议")

    assert redo.freeze["history"] == []
    assert redo.bundle["supersedes"] == first.assignment_id
    assert Visit.objects.filter(assignment=first).count() == redo.visits.count()
    assert rule.verify(redo.bundle) == []


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
