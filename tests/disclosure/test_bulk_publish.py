"""Publishing at a county's volume: a few thousand approved results in one step, one UPDATE
and one chained run of audit entries, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.audit.chain import first_break
from shuangsuiji.audit.models import AuditEntry, AuditHead
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.disclosure.services import publish
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.assignments.conftest import client_for, demo  # noqa: F401 (fixture)
from tests.factories import approved_results

pytestmark = pytest.mark.django_db

BULK = 2000


def test_two_thousand_results_are_published_in_one_step_each_on_the_audit_chain(
    demo: DemoSummary,  # noqa: F811
) -> None:
    coordinator = User.objects.get(username="lucheng-coordinator")
    chosen = approved_results(BULK)
    head_before = AuditHead.objects.get(pk=1).sequence

    with acting_as(coordinator), CaptureQueriesContext(connection) as queries:
        count = publish(Inspection.objects.filter(pk__in=chosen), actor=coordinator)

    assert count == BULK
    published = Inspection.objects.filter(pk__in=chosen)
    assert set(published.values_list("state", flat=True)) == {InspectionState.PUBLISHED}
    assert set(published.values_list("published_by", flat=True)) == {coordinator.pk}
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # the results, then the chain's head
    # Not a query per result: SQLite's bulk INSERT takes about 80 entries a statement.
    assert len(queries.captured_queries) < BULK / 40
    entries = AuditEntry.objects.filter(sequence__gt=head_before).order_by("sequence")
    assert [int(e.object_id) for e in entries] == sorted(chosen)
    assert {e.username for e in entries} == {"lucheng-coordinator"}
    assert {e.region_id for e in entries} == {coordinator.department.region_id}
    assert {e.before["state"] for e in entries} == {InspectionState.APPROVED}
    assert AuditHead.objects.get(pk=1).sequence == head_before + BULK
    assert first_break(AuditEntry.objects.order_by("sequence")) is None


def test_one_unapproved_result_among_thousands_publishes_none(
    demo: DemoSummary,  # noqa: F811
) -> None:
    coordinator = User.objects.get(username="lucheng-coordinator")
    chosen = approved_results(500)
    Inspection.objects.filter(pk=chosen[250]).update(state=InspectionState.SUBMITTED)
    head_before = AuditHead.objects.get(pk=1).sequence

    with pytest.raises(ValueError, match="有 1 项结果未审核通过"):
        publish(Inspection.objects.filter(pk__in=chosen), actor=coordinator)

    assert not Inspection.objects.filter(pk__in=chosen, state=InspectionState.PUBLISHED).exists()
    assert AuditHead.objects.get(pk=1).sequence == head_before


def test_the_page_publishes_more_due_results_than_a_form_may_name(
    demo: DemoSummary,  # noqa: F811
    settings: object,
) -> None:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS  # type: ignore[attr-defined]
    chosen = approved_results(limit + 200)
    client = client_for("lucheng-coordinator")

    due = Inspection.objects.filter(
        visit__assignment__plan__region__code="140406", state=InspectionState.APPROVED
    ).count()

    page = client.get(reverse("publication"))
    response = client.post(reverse("publication"), {"scope": "all"}, follow=True)

    assert f"全部公示（{due} 项）" in page.content.decode()
    assert len(page.context["due"]) == 500  # the oldest page of them, listed
    assert f"下表列出最早审核通过的 500 项；“全部公示”公示全部 {due} 项" in page.content.decode()
    published = Inspection.objects.filter(pk__in=chosen, state=InspectionState.PUBLISHED)
    assert published.count() == len(chosen)
    assert not Inspection.objects.filter(
        visit__assignment__plan__region__code="140406", state=InspectionState.APPROVED
    ).exists()
    assert "已公示" in response.content.decode()


def test_an_auditor_cannot_publish_everything_either(
    demo: DemoSummary,  # noqa: F811
) -> None:
    chosen = approved_results(5)

    client_for("lucheng-auditor").post(reverse("publication"), {"scope": "all"})

    assert not Inspection.objects.filter(pk__in=chosen, state=InspectionState.PUBLISHED).exists()
