"""How many approved results wait for publication, and how many are late, counted by the
database: a province holds about 100,000 (benchmarks/scale.py), which the home page counted by
loading every row and walking the calendar for each (20 s for 12,000)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.disclosure.services import DueCount, publication_due, publication_due_count
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.assignments.conftest import client_for, demo  # noqa: F401 (fixture)
from tests.factories import approved_results

pytestmark = pytest.mark.django_db


def only_these_approved(ids: list[int]) -> None:
    """The demo's own approved results out of the way, so the counts are these alone."""
    others = Inspection.objects.filter(state=InspectionState.APPROVED).exclude(pk__in=ids)
    others.update(state=InspectionState.SUBMITTED)


def approved_days_ago(ids: list[int], days: list[int]) -> None:
    now = timezone.now()
    for pk, ago in zip(ids, days, strict=True):
        Inspection.objects.filter(pk=pk).update(reviewed_at=now - timedelta(days=ago))


def test_results_approved_long_ago_are_counted_overdue_and_today_s_are_not(
    demo: DemoSummary,  # noqa: F811
) -> None:
    ids = approved_results(6)
    only_these_approved(ids)
    # 20 working days are at most about 40 calendar days, whatever the holidays.
    approved_days_ago(ids, [0, 0, 1, 60, 100, 365])

    counted = publication_due_count(Inspection.objects.all())

    assert counted == DueCount(due=6, overdue=3)


def test_the_count_agrees_with_the_list_on_every_day_around_the_deadline(
    demo: DemoSummary,  # noqa: F811
) -> None:
    ids = approved_results(61)
    only_these_approved(ids)
    approved_days_ago(ids, list(range(61)))
    listed = publication_due(Inspection.objects.all())

    counted = publication_due_count(Inspection.objects.all())

    assert counted == DueCount(due=len(listed), overdue=sum(d.overdue for d in listed))


def test_the_count_reads_no_result_row(demo: DemoSummary) -> None:  # noqa: F811
    approved_results(50)

    with CaptureQueriesContext(connection) as queries:
        publication_due_count(Inspection.objects.all())

    inspection_queries = [q["sql"] for q in queries if "inspections_inspection" in q["sql"]]
    assert len(inspection_queries) == 1
    assert inspection_queries[0].startswith("SELECT COUNT(")


def test_the_home_page_asks_as_many_queries_for_forty_due_results_as_for_two(
    demo: DemoSummary,  # noqa: F811
) -> None:
    client = client_for("lucheng-coordinator")
    ids = approved_results(40)
    waiting = Inspection.objects.filter(pk__in=ids[2:])
    waiting.update(state=InspectionState.SUBMITTED)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    waiting.update(state=InspectionState.APPROVED)

    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("home"))

    assert len(many) == len(few)
    coordinator = User.objects.get(username="lucheng-coordinator")
    expected = Inspection.objects.visible_to(coordinator).filter(state=InspectionState.APPROVED)
    assert response.context["publication"]["due"] == expected.count()
