"""The log is as scoped as the records it describes: a coordinator or auditor reads the entries
of its own region and below, and those of the shared reference data."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.audit.access import readable_entries
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.directory.models import Qualification, Region
from shuangsuiji.draws.services import freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in
from tests.factories import (
    DepartmentFactory,
    EntityFactory,
    make_user,
    next_uscc,
    other_district_coordinator,
)

pytestmark = pytest.mark.django_db


def test_an_entry_names_the_region_of_its_record(world: World) -> None:
    task = make_task(world)
    draw = freeze_draw(task, actor=SYSTEM)
    chengqu = other_district_coordinator().department.region
    company = EntityFactory(region=chengqu, uscc=next_uscc("140502"))

    def region(label: str, pk: int) -> int | None:
        entry = AuditEntry.objects.get(model=label, object_id=str(pk), action="create")
        return entry.region_id

    lucheng = task.plan.region_id
    assert region("plans.plan", task.plan_id) == lucheng
    assert region("plans.plantask", task.pk) == lucheng
    assert region("draws.draw", draw.pk) == lucheng
    assert region("directory.inspector", world.police_inspector.pk) == lucheng
    assert region("accounts.user", world.coordinator.pk) == lucheng
    assert region("directory.entity", company.pk) == chengqu.pk
    county = Region.objects.create(
        code="140581", name="高平市", level="county", parent=chengqu.parent
    )
    assert region("directory.region", county.pk) == county.pk
    assert region("directory.scopecategory", task.scope_categories.get().pk) is None  # shared


def test_a_coordinator_of_another_district_reads_none_of_lucheng_s_entries(
    world: World,
) -> None:
    task = make_task(world)
    stranger = other_district_coordinator()
    chengqu = stranger.department.region
    company = EntityFactory(region=chengqu, uscc=next_uscc("140502"))
    Qualification.objects.create(name="食品安全检查")

    theirs = readable_entries(stranger)
    ours = readable_entries(world.coordinator)

    assert not theirs.filter(model="plans.plantask", object_id=str(task.pk)).exists()
    assert theirs.filter(model="directory.entity", object_id=str(company.pk)).exists()
    assert not ours.filter(model="directory.entity", object_id=str(company.pk)).exists()
    for reader in (theirs, ours):  # shared reference data, whoever wrote it
        assert reader.filter(model="directory.qualification").count() == 1
        assert reader.filter(model="directory.scopecategory").count() == 1
    assert set(theirs.values_list("region_id", flat=True)) == {chengqu.pk, None}
    assert ours.filter(model="plans.plantask").count() == 1
    page = logged_in(stranger).get(reverse("audit"))
    assert {e.region_id for e in page.context["page"]} == {chengqu.pk, None}


def test_a_city_coordinator_reads_its_counties_and_a_superuser_reads_everything(
    world: World,
) -> None:
    make_task(world)
    changzhi = world.market.region.parent
    city = DepartmentFactory(
        name="长治市市场监督管理局", short_name="市市场监管局", region=changzhi
    )
    city_coordinator = make_user("changzhi-coord", "协调员", city)
    root = make_user("root", None, None)
    root.is_superuser = True
    root.save()
    with_region_unknown = AuditEntry.objects.filter(region__isnull=True).exclude(
        model__in=[
            "directory.scopecategory",
            "directory.qualification",
            "inspections.resultcategory",
        ]
    )

    assert readable_entries(city_coordinator).filter(model="plans.plantask").count() == 1
    assert readable_entries(root).count() == AuditEntry.objects.count()
    assert (
        not readable_entries(world.coordinator)
        .filter(pk__in=with_region_unknown.values("pk"))
        .exists()
    )


def test_departments_and_inspectors_may_not_read_the_log(world: World) -> None:
    for user in (world.education_admin, world.inspector_user):
        with pytest.raises(PermissionDenied):
            readable_entries(user)
