"""`Inspection.region` copies visit → assignment → plan → region, so row scope filters one
indexed column: every way a result is created sets it from the visit, whatever the caller
passed, and database triggers carry it along if any link of that path is changed."""

import pytest
from django.db import DatabaseError, transaction
from django.db.models import F

from shuangsuiji.assignments.models import Assignment, Visit
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.directory.models import Region
from shuangsuiji.inspections.models import Inspection
from shuangsuiji.inspections.services import inspections_of
from shuangsuiji.plans.models import Plan
from tests.assignments.conftest import demo  # noqa: F401 (fixture)
from tests.factories import approved_results

pytestmark = pytest.mark.django_db


def drifted() -> list[int]:
    """Results whose column disagrees with the relation it copies."""
    true_region = F("visit__assignment__plan__region")
    return list(Inspection.objects.exclude(region=true_region).values_list("pk", flat=True))


def test_every_result_of_the_demo_carries_its_plans_region(
    demo: DemoSummary,  # noqa: F811
) -> None:
    assert Inspection.objects.count() > 40
    assert drifted() == []
    assert set(Inspection.objects.values_list("region__code", flat=True)) == {"140406", "140502"}


def test_each_way_of_creating_a_result_takes_the_region_from_the_visit(
    demo: DemoSummary,  # noqa: F811
) -> None:
    elsewhere = Region.objects.exclude(code="140406").order_by("pk").first()
    visits = Visit.objects.filter(assignment__plan__region__code="140406").order_by("pk")
    visit = visits.exclude(inspections__state="published").first()
    Inspection.objects.filter(visit=visit).delete()  # a published result is never deleted
    task, *others = visit.tasks.order_by("pk")

    created = Inspection.objects.create(visit=visit, task=task, region=elsewhere)
    opened = inspections_of(visit)  # the visit page's path: bulk_create of the missing ones
    bulk = approved_results(3)

    assert created.region.code == "140406"
    assert {i.region.code for i in opened} == {"140406"}
    assert set(Inspection.objects.filter(pk__in=bulk).values_list("region__code", flat=True)) == {
        "140406"
    }
    assert len(opened) == 1 + len(others)
    assert drifted() == []


def test_moving_a_plan_or_a_visit_moves_its_results(demo: DemoSummary) -> None:  # noqa: F811
    plan = Plan.objects.get(region__code="140502", assignments__isnull=False)
    elsewhere = Region.objects.get(code="140406")

    Plan.objects.filter(pk=plan.pk).update(region=elsewhere)  # what the admin's form could do

    assert drifted() == []
    assert not Inspection.objects.filter(region__code="140502").exists()

    Plan.objects.filter(pk=plan.pk).update(region=Region.objects.get(code="140502"))

    assert drifted() == []
    assert Inspection.objects.filter(region__code="140502").exists()


def test_a_result_moved_to_another_visit_takes_that_visits_region(
    demo: DemoSummary,  # noqa: F811
) -> None:
    inspection = Inspection.objects.filter(region__code="140502").exclude(state="published")[0]
    lucheng = Visit.objects.filter(assignment__plan__region__code="140406").order_by("pk")[0]

    Inspection.objects.filter(pk=inspection.pk).update(visit=lucheng)  # no service does this

    assert Inspection.objects.get(pk=inspection.pk).region.code == "140406"
    assert drifted() == []


def test_a_visit_of_an_assigned_assignment_does_not_move(
    demo: DemoSummary,  # noqa: F811
) -> None:
    visit = Visit.objects.filter(assignment__plan__region__code="140502").order_by("pk")[0]
    lucheng = Assignment.objects.filter(plan__region__code="140406").order_by("pk")[0]

    with pytest.raises(DatabaseError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(assignment=lucheng)

    assert drifted() == []
