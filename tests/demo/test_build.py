"""The demo data set: every task of both seed plans has a population, every role a user."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from shuangsuiji.demo.build import DEMO_PASSWORD
from shuangsuiji.demo.catalog import DISTRICTS
from shuangsuiji.directory.enums import EntityStatus
from shuangsuiji.directory.models import Conflict, Department, Entity, Inspector
from shuangsuiji.draws.models import Draw
from tests.demo_data import module_demo

pytestmark = pytest.mark.django_db

PER_DISTRICT = 600


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[object]:
    with module_demo(django_db_blocker, entities_per_district=PER_DISTRICT) as summary:
        yield summary


def test_demo_builds_the_requested_number_of_entities_per_district(demo: object) -> None:
    per_region = dict(Entity.objects.values_list("region__code").annotate(n=Count("pk")))

    assert per_region == {"140406": PER_DISTRICT, "140502": PER_DISTRICT}


def test_demo_gives_every_task_of_both_plans_an_active_population(demo: object) -> None:
    empty = []
    for district in DISTRICTS:
        for task in district.tasks:
            population = Entity.objects.active().filter(
                region__code=district.county[0], categories__name__in=task.categories
            )
            if task.min_registered_capital:
                population = population.filter(registered_capital__gte=task.min_registered_capital)
            if not population.exists():
                empty.append((district.county[1], task.number))

    assert empty == []


def test_demo_includes_entities_that_cannot_be_drawn(demo: object) -> None:
    inactive = Entity.objects.exclude(status__in=EntityStatus.active())

    assert set(inactive.values_list("status", flat=True)) == {"迁出", "注销", "吊销"}


def test_demo_has_at_least_four_inspectors_per_department_some_expired(demo: object) -> None:
    smallest = Department.objects.annotate(n=Count("inspectors")).order_by("n").first()
    expired = Inspector.objects.filter(certificate_valid_until__lt="2023-01-01")

    assert smallest is not None
    assert smallest.n >= 4
    assert expired.exists()
    assert Conflict.objects.count() > 0


def test_demo_accounts_log_in_with_the_printed_password(demo: object) -> None:
    usernames = [name for name, _, _ in demo.users]  # type: ignore[attr-defined]

    logged_in = [
        name
        for name in usernames
        if Client()
        .post(reverse("login"), {"username": name, "password": DEMO_PASSWORD})
        .status_code
        == 302
    ]

    assert len(usernames) == 8
    assert logged_in == usernames


def test_demo_departments_resolve_every_spelling_of_the_plan(demo: object) -> None:
    unresolved = []
    for district in DISTRICTS:
        region_id = Department.objects.filter(region__code=district.county[0]).first().region_id
        for spec in district.departments:
            for spelling in (spec.short_name, *spec.aliases):
                if Department.objects.resolve(region_id, spelling).name != spec.name:
                    unresolved.append(spelling)

    assert unresolved == []


def test_demo_draws_are_frozen_at_a_fixed_rehearsal_time(demo: object) -> None:
    """From version 2 the freeze time is under the seed: a build at another moment must give
    the same draws, so the demo's data set is the same on every machine and database."""
    times = {
        (draw.task.plan.year, draw.freeze["frozen_at"])
        for draw in Draw.objects.select_related("task__plan")
    }

    assert times == {(2023, "2023-01-15T02:00:00Z"), (2024, "2024-01-15T02:00:00Z")}


def test_demo_leaves_a_company_at_its_cap_out_of_one_draw_and_the_draw_verifies(
    demo: object,
) -> None:
    """The first task's lead body published a cap of two and checked one company twice in
    January: that draw excludes it with the reason (as does a joint task the body joins);
    draws of tasks the body takes no part in do not."""
    from shuangsuiji.checks.models import OtherCheck
    from shuangsuiji.core.draw import read_population_csv, verify

    for check in OtherCheck.objects.filter(checked_on__month=1).select_related("department"):
        draws = Draw.objects.filter(task__plan__year=check.checked_on.year)
        capped = draws.get(task__position=1, task__plan__region=check.department.region)
        joined = draws.filter(
            task__joint_inspection=True, task__partner_departments=check.department
        )
        other_bodies = (
            draws.filter(task__plan__region=check.department.region)
            .exclude(task__lead_department=check.department)
            .exclude(pk__in=joined)
        )
        reason = next(
            e["reason"] for e in capped.bundle["exclusions"] if e["uscc"] == check.entity.uscc
        )

        assert reason.startswith(f"本年度已被{check.department.short_name}检查或安排检查2次")
        assert verify(capped.bundle, read_population_csv(capped.population_csv)) == []
        elsewhere = [
            (d.draw_id, e["reason"])
            for d in other_bodies
            for e in d.bundle["exclusions"]
            if e["uscc"] == check.entity.uscc
        ]
        assert elsewhere == []


def test_demo_white_list_leaves_its_companies_out_of_draws_without_a_key_item(
    demo: object,
) -> None:
    """Three A-class companies per district are on the year's 无事不扰 list: every draw of a
    task checking no 重点监管事项 leaves them out with the list's reason (some did hold them
    in scope); a task checking a key item keeps them."""
    from shuangsuiji.checks.models import UndisturbedListing
    from shuangsuiji.checks.undisturbed import checks_key_items
    from shuangsuiji.core.draw import read_population_csv

    listings = list(UndisturbedListing.objects.select_related("entity"))
    assert len(listings) == 3 * len(DISTRICTS)
    excluded = 0
    for draw in Draw.objects.filter(superseded_by__isnull=True).select_related("task__plan"):
        plan = draw.task.plan
        listed = {
            row.entity.uscc
            for row in listings
            if row.year == plan.year and row.entity.region_id == plan.region_id
        }
        population = read_population_csv(draw.population_csv)
        reasons = {e["uscc"]: e["reason"] for e in draw.bundle["exclusions"]}
        if checks_key_items(draw.task):
            assert not [c for c in listed if "无事不扰" in reasons.get(c, "")]
        else:
            assert not listed & population.keys()
            excluded += sum("无事不扰" in reasons.get(c, "") for c in listed)
    assert excluded > 0
