"""The back-office attacks of issue 15, each replayed as the user who tried it on the demo
data, forged POSTs included: each is refused and nothing changes."""

from collections.abc import Iterator
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.directory.models import (
    Conflict,
    Department,
    Entity,
    Inspector,
    Qualification,
    Region,
    ScopeCategory,
)
from shuangsuiji.draws.models import Draw
from shuangsuiji.inspections.models import ResultCategory
from shuangsuiji.plans.models import Plan, PlanTask
from tests.admin_forms import error_fields, rendered_form
from tests.demo_data import module_demo

pytestmark = pytest.mark.django_db

LUCHENG, CHENGQU = "140406", "140502"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with module_demo(django_db_blocker, entities_per_district=300):
        yield


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def change_url(obj: Any) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def snapshot(user: User) -> tuple[Any, ...]:
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        user.user_permissions.count(),
        user.department_id,
    )


def test_a_coordinator_is_not_offered_superuser_staff_groups_or_permissions(demo: None) -> None:
    me = User.objects.get(username="lucheng-coordinator")

    form = signed_in(me.username).get(change_url(me)).context["adminform"].form

    offered = ["username", "password", "last_name", "first_name", "email", "is_active", "role"]
    assert sorted(form.fields) == sorted([*offered, "department", "inspector"])
    assert [value for value, _ in form.fields["role"].choices] == [
        "协调员",
        "部门管理员",
        "执法人员",
        "审计员",
    ]


def test_a_coordinator_cannot_make_itself_superuser_by_a_forged_post(demo: None) -> None:
    me = User.objects.get(username="lucheng-coordinator")
    client = signed_in(me.username)
    before = snapshot(me)
    form = rendered_form(client, change_url(me))
    every_permission = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    form |= {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [str(g.pk) for g in Group.objects.all()],
        "user_permissions": every_permission,
    }

    response = client.post(change_url(me), form)

    assert response.status_code == 302  # saved: the forged fields are not fields of its form
    assert snapshot(me) == before


def test_a_coordinator_never_sees_a_superuser(demo: None) -> None:
    root = User.objects.create_superuser("root", password="x")
    root.department = Department.objects.get(region__code=LUCHENG, is_coordinator=True)
    root.save()
    client = signed_in("lucheng-coordinator")

    listing = client.get(reverse("admin:accounts_user_changelist"))
    detail = client.get(change_url(root))
    password = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "taken-over-1234", "password2": "taken-over-1234"},
    )

    assert root not in listing.context["cl"].result_list
    assert (detail.status_code, password.status_code) == (404, 404)
    root.refresh_from_db()
    assert root.check_password("x")


def test_a_coordinator_adds_a_user_of_its_region_with_a_role(demo: None) -> None:
    client = signed_in("lucheng-coordinator")
    department = Department.objects.get(region__code=LUCHENG, short_name="区教育局")

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new-admin",
            "usable_password": "true",
            "password1": "a-Long-passw0rd",
            "password2": "a-Long-passw0rd",
            "role": "部门管理员",
            "department": str(department.pk),
            "is_superuser": "on",
            "groups": [str(Group.objects.get(name="协调员").pk)],
        },
    )

    created = User.objects.get(username="new-admin")
    assert response.status_code == 302
    assert snapshot(created) == (False, True, ["部门管理员"], 0, department.pk)


def test_a_coordinator_cannot_add_a_user_in_another_district(demo: None) -> None:
    client = signed_in("lucheng-coordinator")
    foreign = Department.objects.get(region__code=CHENGQU, is_coordinator=True)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "mole",
            "usable_password": "true",
            "password1": "a-Long-passw0rd",
            "password2": "a-Long-passw0rd",
            "role": "协调员",
            "department": str(foreign.pk),
        },
    )

    assert error_fields(response) == ["department"]
    assert not User.objects.filter(username="mole").exists()


def test_a_coordinator_cannot_move_its_user_into_another_district(demo: None) -> None:
    client = signed_in("lucheng-coordinator")
    user = User.objects.get(username="lucheng-dept-admin")
    before = snapshot(user)
    form = rendered_form(client, change_url(user))
    form["department"] = str(Department.objects.get(region__code=CHENGQU, is_coordinator=True).pk)

    response = client.post(change_url(user), form)

    assert error_fields(response) == ["department"]
    assert snapshot(user) == before


def test_another_districts_user_is_not_found(demo: None) -> None:
    other = User.objects.get(username="chengqu-coordinator")

    response = signed_in("lucheng-coordinator").get(change_url(other))

    assert response.status_code == 404


def test_a_coordinator_cannot_reparent_another_districts_region(demo: None) -> None:
    chengqu = Region.objects.get(code=CHENGQU)
    lucheng = Region.objects.get(code=LUCHENG)
    client = signed_in("lucheng-coordinator")
    form = {"code": CHENGQU, "name": "城区", "level": chengqu.level, "parent": str(lucheng.pk)}

    response = client.post(change_url(chengqu), form)

    chengqu.refresh_from_db()
    assert response.status_code == 403
    assert chengqu.parent.code == "140500"


@pytest.mark.parametrize(
    ("model", "field"),
    [(Region, "name"), (ScopeCategory, "name"), (Qualification, "name"), (ResultCategory, "name")],
)
def test_shared_reference_data_is_read_only_to_a_coordinator(
    demo: None, model: Any, field: str
) -> None:
    record = model.objects.order_by("pk").first()
    original = getattr(record, field)
    client = signed_in("lucheng-coordinator")
    form = {field: "改名"}

    page = client.get(change_url(record))
    response = client.post(change_url(record), form)

    record.refresh_from_db()
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    assert getattr(record, field) == original


def test_a_coordinator_cannot_move_an_entity_into_another_district(demo: None) -> None:
    entity = Entity.objects.filter(region__code=LUCHENG).order_by("pk").first()
    client = signed_in("lucheng-coordinator")
    form = rendered_form(client, change_url(entity))
    form["region"] = str(Region.objects.get(code=CHENGQU).pk)

    response = client.post(change_url(entity), form)

    entity.refresh_from_db()
    assert error_fields(response) == ["region"]
    assert entity.region.code == LUCHENG


def test_a_coordinator_cannot_move_a_drawn_task_into_another_districts_plan(demo: None) -> None:
    task = PlanTask.objects.filter(plan__region__code=LUCHENG, draws__isnull=False).first()
    foreign_plan = Plan.objects.get(region__code=CHENGQU)
    client = signed_in("lucheng-coordinator")
    form = rendered_form(client, change_url(task))
    form["plan"] = str(foreign_plan.pk)

    client.post(change_url(task), form)

    task.refresh_from_db()
    assert task.plan.region.code == LUCHENG
    assert not Draw.objects.filter(task__plan=foreign_plan, task=task).exists()


def test_a_department_admin_cannot_add_another_districts_department_as_partner(
    demo: None,
) -> None:
    admin_user = User.objects.get(username="lucheng-dept-admin")
    task = PlanTask.objects.filter(lead_department=admin_user.department).order_by("pk").first()
    before = sorted(task.partner_departments.values_list("pk", flat=True))
    foreign = Department.objects.get(region__code=CHENGQU, is_coordinator=True)
    client = signed_in(admin_user.username)
    form = rendered_form(client, change_url(task))
    form["partner_departments"] = [*map(str, before), str(foreign.pk)]

    response = client.post(change_url(task), form)

    assert error_fields(response) == ["partner_departments"]
    assert sorted(task.partner_departments.values_list("pk", flat=True)) == before


def test_a_department_admin_cannot_move_its_task_into_another_plan(demo: None) -> None:
    admin_user = User.objects.get(username="lucheng-dept-admin")
    task = PlanTask.objects.filter(lead_department=admin_user.department).order_by("pk").first()
    foreign_plan = Plan.objects.get(region__code=CHENGQU)
    client = signed_in(admin_user.username)
    form = rendered_form(client, change_url(task))
    form["plan"] = str(foreign_plan.pk)

    client.post(change_url(task), form)

    task.refresh_from_db()
    assert task.plan.region.code == LUCHENG


def test_a_department_admin_cannot_hand_its_task_to_another_department(demo: None) -> None:
    admin_user = User.objects.get(username="lucheng-dept-admin")
    task = PlanTask.objects.filter(lead_department=admin_user.department).order_by("pk").first()
    other = Department.objects.filter(region__code=LUCHENG).exclude(pk=admin_user.department_id)
    client = signed_in(admin_user.username)
    form = rendered_form(client, change_url(task))
    form["lead_department"] = str(other.first().pk)

    response = client.post(change_url(task), form)

    task.refresh_from_db()
    assert error_fields(response) == ["lead_department"]
    assert task.lead_department_id == admin_user.department_id


def test_a_conflict_cannot_point_at_another_districts_entity(demo: None) -> None:
    admin_user = User.objects.get(username="lucheng-dept-admin")
    inspector = Inspector.objects.filter(department=admin_user.department).order_by("pk").first()
    foreign = Entity.objects.filter(region__code=CHENGQU).order_by("pk").first()
    client = signed_in(admin_user.username)

    response = client.post(
        reverse("admin:directory_conflict_add"),
        {
            "inspector": str(inspector.pk),
            "entity": str(foreign.pk),
            "reason": "近亲属",
            "declared_on": "2026-03-01",
        },
    )

    assert error_fields(response) == ["entity"]
    assert not Conflict.objects.filter(entity=foreign).exists()
    assert foreign.name not in response.content.decode()


def test_a_conflict_inline_cannot_point_at_another_districts_entity(demo: None) -> None:
    admin_user = User.objects.get(username="lucheng-dept-admin")
    inspector = Inspector.objects.filter(department=admin_user.department).order_by("pk").first()
    foreign = Entity.objects.filter(region__code=CHENGQU).order_by("pk").first()
    client = signed_in(admin_user.username)
    form = rendered_form(client, change_url(inspector))
    total = int(form["conflicts-TOTAL_FORMS"])
    form |= {
        "conflicts-TOTAL_FORMS": str(total + 1),
        f"conflicts-{total}-entity": str(foreign.pk),
        f"conflicts-{total}-reason": "近亲属",
        f"conflicts-{total}-declared_on": "2026-03-01",
        f"conflicts-{total}-inspector": str(inspector.pk),
    }

    response = client.post(change_url(inspector), form)

    assert response.status_code == 200  # the form is shown again with the error
    assert not Conflict.objects.filter(entity=foreign).exists()


def test_lockout_records_are_scoped_to_the_region(demo: None) -> None:
    theirs = AccessAttempt.objects.create(
        username="chengqu-coordinator", ip_address="10.0.0.9", failures_since_start=5
    )
    ours = AccessAttempt.objects.create(
        username="lucheng-inspector", ip_address="10.0.0.8", failures_since_start=5
    )
    client = signed_in("lucheng-coordinator")

    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    delete = client.post(
        reverse("admin:axes_accessattempt_delete", args=[theirs.pk]), {"post": "yes"}
    )

    assert list(listing.context["cl"].result_list) == [ours]
    assert delete.status_code == 404
    assert AccessAttempt.objects.filter(pk=theirs.pk).exists()


def test_bulk_delete_removes_only_what_the_user_may_delete(demo: None) -> None:
    theirs = AccessAttempt.objects.create(
        username="chengqu-coordinator", ip_address="10.0.0.9", failures_since_start=5
    )
    client = signed_in("lucheng-coordinator")

    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [str(theirs.pk)], "post": "yes"},
    )

    assert AccessAttempt.objects.filter(pk=theirs.pk).exists()


def test_the_user_list_filter_names_no_department_of_another_district(demo: None) -> None:
    response = signed_in("lucheng-auditor").get(reverse("admin:accounts_user_changelist"))

    offered = {
        name
        for spec in response.context["cl"].filter_specs
        for _, name in getattr(spec, "lookup_choices", [])
    }
    theirs = set(
        Department.objects.filter(region__code=CHENGQU).values_list("short_name", flat=True)
    )
    assert offered & theirs == set()
    assert offered  # its own region's departments are offered
