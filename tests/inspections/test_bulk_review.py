"""Bulk review at a county's volume: approving or returning a few thousand submitted results is
one UPDATE and one chained run of audit entries, with `review`'s rule and `review`'s record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import NotAllowed
from shuangsuiji.audit.chain import first_break
from shuangsuiji.audit.models import AuditEntry, AuditHead
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.inspections.models import FollowUp, Inspection, InspectionState, ResultCategory
from shuangsuiji.inspections.services import InspectionStepError, review, review_many
from tests.assignments.conftest import client_for, demo  # noqa: F401 (fixture)
from tests.factories import approved_results

pytestmark = pytest.mark.django_db

BULK = 2000


def submitted_results(count: int) -> list[int]:
    """`count` more results of 潞城区, submitted and waiting for review (recorded by the
    department admin, so the coordinator may review them)."""
    chosen = approved_results(count)
    Inspection.objects.filter(pk__in=chosen).update(
        state=InspectionState.SUBMITTED,
        submitted_at=timezone.now(),
        reviewed_at=None,
        recorded_by=User.objects.get(username="lucheng-dept-admin"),
    )
    return chosen


def entries_after(sequence: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=sequence).order_by("sequence"))


def test_two_thousand_results_are_approved_in_one_step_each_on_the_audit_chain(
    demo: DemoSummary,  # noqa: F811
) -> None:
    coordinator = User.objects.get(username="lucheng-coordinator")
    chosen = submitted_results(BULK)
    finding = ResultCategory.objects.filter(needs_follow_up=True).order_by("pk").first()
    Inspection.results.through.objects.create(inspection_id=chosen[7], resultcategory=finding)
    head_before = AuditHead.objects.get(pk=1).sequence

    with acting_as(coordinator), CaptureQueriesContext(connection) as queries:
        count = review_many(
            Inspection.objects.filter(pk__in=chosen), actor=coordinator, approve=True
        )

    assert count == BULK
    reviewed = Inspection.objects.filter(pk__in=chosen)
    assert set(reviewed.values_list("state", "reviewed_by")) == {
        (InspectionState.APPROVED, coordinator.pk)
    }
    assert list(reviewed.filter(follow_up=FollowUp.OPEN).values_list("pk", flat=True)) == [
        chosen[7]
    ]
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # the results, then the chain's head
    assert len(queries.captured_queries) < BULK / 40  # not a query per result
    entries = entries_after(head_before)
    assert [int(e.object_id) for e in entries] == sorted(chosen)
    assert {e.username for e in entries} == {"lucheng-coordinator"}
    assert {e.region_id for e in entries} == {coordinator.department.region_id}
    assert {(e.before["state"], e.after["state"]) for e in entries} == {
        (InspectionState.SUBMITTED, InspectionState.APPROVED)
    }
    assert [e.after["follow_up"] for e in entries if e.after["follow_up"]] == [FollowUp.OPEN]
    assert first_break(AuditEntry.objects.order_by("sequence")) is None


def test_returning_many_records_the_reason_on_each(demo: DemoSummary) -> None:  # noqa: F811
    coordinator = User.objects.get(username="lucheng-coordinator")
    chosen = submitted_results(50)

    with acting_as(coordinator):
        review_many(
            Inspection.objects.filter(pk__in=chosen),
            actor=coordinator,
            approve=False,
            reason=" 材料不全 ",
        )

    assert set(Inspection.objects.filter(pk__in=chosen).values_list("state", "return_reason")) == {
        (InspectionState.RETURNED, "材料不全")
    }


def test_a_bulk_review_is_recorded_as_a_single_review_is(demo: DemoSummary) -> None:  # noqa: F811
    coordinator = User.objects.get(username="lucheng-coordinator")
    one, other = submitted_results(2)
    head_before = AuditHead.objects.get(pk=1).sequence

    with acting_as(coordinator):
        review(Inspection.objects.get(pk=one), actor=coordinator, approve=False, reason="补充")
        review_many(
            Inspection.objects.filter(pk=other), actor=coordinator, approve=False, reason="补充"
        )

    single, bulk = entries_after(head_before)
    for entry in (single, bulk):
        entry.after.pop("reviewed_at")
    assert (bulk.action, bulk.model, bulk.region_id, bulk.before, bulk.after) == (
        single.action,
        single.model,
        single.region_id,
        single.before,
        single.after,
    )


def test_one_result_not_waiting_among_thousands_reviews_none(
    demo: DemoSummary,  # noqa: F811
) -> None:
    coordinator = User.objects.get(username="lucheng-coordinator")
    chosen = submitted_results(500)
    Inspection.objects.filter(pk=chosen[250]).update(state=InspectionState.APPROVED)
    head_before = AuditHead.objects.get(pk=1).sequence

    with pytest.raises(InspectionStepError, match="只能审核待审核的结果"):
        review_many(Inspection.objects.filter(pk__in=chosen), actor=coordinator, approve=True)

    assert Inspection.objects.filter(pk__in=chosen, state=InspectionState.SUBMITTED).count() == 499
    assert AuditHead.objects.get(pk=1).sequence == head_before


def test_a_result_the_reviewer_recorded_refuses_the_whole_step(
    demo: DemoSummary,  # noqa: F811
) -> None:
    coordinator = User.objects.get(username="lucheng-coordinator")
    chosen = submitted_results(20)
    Inspection.objects.filter(pk=chosen[3]).update(recorded_by=coordinator)

    with pytest.raises(NotAllowed, match="录入人不能审核自己的结果"):
        review_many(Inspection.objects.filter(pk__in=chosen), actor=coordinator, approve=True)

    assert Inspection.objects.filter(pk__in=chosen, state=InspectionState.SUBMITTED).count() == 20


def test_a_forged_post_with_another_departments_results_is_refused(
    demo: DemoSummary,  # noqa: F811
) -> None:
    admin = User.objects.get(username="lucheng-dept-admin")
    waiting = Inspection.objects.filter(
        region=admin.department.region, state=InspectionState.SUBMITTED
    )
    others = list(
        waiting.exclude(task__lead_department=admin.department).values_list("pk", flat=True)
    )
    own = list(waiting.filter(task__lead_department=admin.department).values_list("pk", flat=True))
    assert others
    client = client_for("lucheng-dept-admin")  # signing in is an audit entry of its own
    head_before = AuditHead.objects.get(pk=1).sequence

    response = client.post(
        reverse("inspections:review"),
        {"action": "approve", "chosen": [*own, others[0]], "query": ""},
    )

    assert response.status_code == 403
    assert set(
        Inspection.objects.filter(pk__in=[*own, others[0]]).values_list("state", flat=True)
    ) == {InspectionState.SUBMITTED}
    assert AuditHead.objects.get(pk=1).sequence == head_before
