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
    record_recusal,
)
from shuangsuiji.core import assign as rule
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.directory.models import Conflict
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


def test_a_substituted_entity_is_visited_in_place_of_the_one_it_replaced() -> None:
    bundle = {
        "rounds": [
            {"round": 1, "strata": {"A": {"selected": ["X1", "X2"]}, "B": {"selected": ["X3"]}}}
        ],
        "substitutions": [{"round": 1, "stratum": "A", "replaced": "X2", "replacement": "R1"}],
    }

    assert effective_selection(bundle) == ["X1", "R1", "X3"]


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
