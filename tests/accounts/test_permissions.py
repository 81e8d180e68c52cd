"""Row scope per role, through `restrict` and through the back office (Django admin)."""

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import Role, restrict, role_of
from shuangsuiji.directory.models import Conflict, Entity, Inspector
from shuangsuiji.directory.services import ensure_region_chain
from tests.conftest import World
from tests.factories import (
    CheckItemFactory,
    ConflictFactory,
    DepartmentFactory,
    EntityFactory,
    InspectorFactory,
    make_user,
    next_uscc,
)

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def inspector_change_url(inspector: Inspector) -> str:
    return reverse("admin:directory_inspector_change", args=[inspector.pk])


def test_role_of_each_persona(world: World) -> None:
    users = [world.coordinator, world.education_admin, world.inspector_user, world.auditor]

    assert [role_of(user) for user in users] == [
        Role.COORDINATOR,
        Role.DEPARTMENT_ADMIN,
        Role.INSPECTOR,
        Role.AUDITOR,
    ]


def test_user_without_role_sees_nothing(world: World) -> None:
    stranger = make_user("stranger", None, world.education)

    assert list(restrict(Entity.objects.all(), stranger)) == []


def test_restrict_inspectors_per_role(world: World) -> None:
    everyone = {world.education_inspector, world.police_inspector}
    visible = {
        name: set(restrict(Inspector.objects.all(), user, "view"))
        for name, user in [
            ("coordinator", world.coordinator),
            ("auditor", world.auditor),
            ("education", world.education_admin),
            ("inspector", world.inspector_user),
        ]
    }

    assert visible == {
        "coordinator": everyone,
        "auditor": everyone,
        "education": {world.education_inspector},
        "inspector": {world.education_inspector},
    }


def test_restrict_changes_per_role(world: World) -> None:
    changeable = {
        name: set(restrict(Inspector.objects.all(), user, "change"))
        for name, user in [
            ("coordinator", world.coordinator),
            ("auditor", world.auditor),
            ("education", world.education_admin),
            ("inspector", world.inspector_user),
        ]
    }

    assert changeable == {
        "coordinator": {world.education_inspector, world.police_inspector},
        "auditor": set(),
        "education": {world.education_inspector},
        "inspector": set(),
    }


def test_conflicts_are_scoped_through_the_inspector_department(world: World) -> None:
    own = ConflictFactory(inspector=world.education_inspector, entity=world.company)
    ConflictFactory(inspector=world.police_inspector, entity=world.company)

    assert list(restrict(Conflict.objects.all(), world.education_admin, "change")) == [own]


def test_department_admin_lists_only_its_own_inspectors(world: World) -> None:
    response = client_for(world.education_admin).get(
        reverse("admin:directory_inspector_changelist")
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world.education_inspector]


def test_department_admin_cannot_read_another_department_inspector(world: World) -> None:
    response = client_for(world.education_admin).get(inspector_change_url(world.police_inspector))

    assert response.status_code == 404


def test_department_admin_cannot_change_another_department_inspector(world: World) -> None:
    url = inspector_change_url(world.police_inspector)
    form = {
        "name": "被篡改",
        "department": world.education.pk,
        "certificate_no": "X1",
        "certificate_valid_from": "2021-01-01",
        "certificate_valid_until": "2030-01-01",
        "is_active": "on",
        "conflicts-TOTAL_FORMS": "0",
        "conflicts-INITIAL_FORMS": "0",
    }

    response = client_for(world.education_admin).post(url, form)

    world.police_inspector.refresh_from_db()
    assert response.status_code == 404
    assert (world.police_inspector.name, world.police_inspector.department) == (
        "李四",
        world.police,
    )


def test_department_admin_cannot_delete_another_department_inspector(world: World) -> None:
    url = reverse("admin:directory_inspector_delete", args=[world.police_inspector.pk])

    response = client_for(world.education_admin).post(url, {"post": "yes"})

    assert response.status_code == 404
    assert Inspector.objects.filter(pk=world.police_inspector.pk).exists()


def test_department_admin_cannot_file_an_inspector_under_another_department(world: World) -> None:
    form = {
        "name": "王五",
        "department": world.police.pk,
        "certificate_no": "140406099999",
        "certificate_valid_from": "2023-01-01",
        "certificate_valid_until": "2026-12-31",
        "is_active": "on",
        "conflicts-TOTAL_FORMS": "0",
        "conflicts-INITIAL_FORMS": "0",
    }

    response = client_for(world.education_admin).post(
        reverse("admin:directory_inspector_add"), form
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["department"]
    assert not Inspector.objects.filter(name="王五").exists()


def test_department_admin_changes_its_own_inspector(world: World) -> None:
    inspector = world.education_inspector
    form = {
        "name": "张三丰",
        "department": world.education.pk,
        "certificate_no": inspector.certificate_no,
        "certificate_valid_from": "2021-01-01",
        "certificate_valid_until": "2027-12-31",
        "is_active": "on",
        "conflicts-TOTAL_FORMS": "0",
        "conflicts-INITIAL_FORMS": "0",
    }

    response = client_for(world.education_admin).post(inspector_change_url(inspector), form)

    inspector.refresh_from_db()
    assert response.status_code == 302
    assert inspector.name == "张三丰"


def test_department_admin_reads_but_cannot_change_entities(world: World) -> None:
    client = client_for(world.education_admin)
    url = reverse("admin:directory_entity_change", args=[world.company.pk])

    page = client.get(url)
    response = client.post(url, {"uscc": world.company.uscc, "name": "改名公司"})

    world.company.refresh_from_db()
    assert (page.status_code, response.status_code) == (200, 403)
    assert world.company.name == "甲公司"


def test_department_admin_check_items_are_its_own(world: World) -> None:
    own = CheckItemFactory(department=world.education)
    other = CheckItemFactory(department=world.police)
    client = client_for(world.education_admin)

    listing = client.get(reverse("admin:directory_checkitem_changelist"))
    foreign = client.get(reverse("admin:directory_checkitem_change", args=[other.pk]))

    assert list(listing.context["cl"].result_list) == [own]
    assert foreign.status_code == 404


def test_auditor_reads_everything_and_changes_nothing(world: World) -> None:
    client = client_for(world.auditor)
    url = inspector_change_url(world.police_inspector)

    page = client.get(url)
    response = client.post(url, {"name": "被篡改"})

    world.police_inspector.refresh_from_db()
    assert (page.status_code, response.status_code) == (200, 403)
    assert world.police_inspector.name == "李四"


def test_coordinator_changes_any_department_inspector(world: World) -> None:
    inspector = world.police_inspector
    form = {
        "name": "李四光",
        "department": world.police.pk,
        "certificate_no": inspector.certificate_no,
        "certificate_valid_from": "2021-01-01",
        "certificate_valid_until": "2027-12-31",
        "is_active": "on",
        "conflicts-TOTAL_FORMS": "0",
        "conflicts-INITIAL_FORMS": "0",
    }

    response = client_for(world.coordinator).post(inspector_change_url(inspector), form)

    inspector.refresh_from_db()
    assert (response.status_code, inspector.name) == (302, "李四光")


def test_inspector_role_has_no_back_office(world: World) -> None:
    response = client_for(world.inspector_user).get(reverse("admin:directory_inspector_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_coordinator_sees_only_its_own_region(world: World) -> None:
    chengqu = ensure_region_chain(("140000", "山西省"), ("140500", "晋城市"), ("140502", "城区"))
    market = DepartmentFactory(
        name="晋城市城区市场监督管理局",
        short_name="城区市场监管局",
        region=chengqu,
        is_coordinator=True,
    )
    chengqu_coordinator = make_user("cq", "协调员", market)
    chengqu_company = EntityFactory(region=chengqu, uscc=next_uscc("140502"))
    chengqu_inspector = InspectorFactory(department=market)
    client = client_for(chengqu_coordinator)

    foreign = client.get(inspector_change_url(world.police_inspector))

    assert set(restrict(Entity.objects.all(), chengqu_coordinator)) == {chengqu_company}
    assert set(restrict(Inspector.objects.all(), chengqu_coordinator)) == {chengqu_inspector}
    assert list(restrict(Entity.objects.all(), world.coordinator)) == [world.company]
    assert foreign.status_code == 404


def test_city_level_department_sees_its_counties(world: World) -> None:
    city_bureau = DepartmentFactory(
        name="长治市市场监督管理局",
        short_name="市市场监管局",
        region=ensure_region_chain(("140000", "山西省"), ("140400", "长治市")),
    )
    city_auditor = make_user("city-auditor", "审计员", city_bureau)

    assert list(restrict(Entity.objects.all(), city_auditor)) == [world.company]
