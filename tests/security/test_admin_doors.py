"""The back office as an attacker from the other district would use it: forged ids in the
add and change forms, the password page, the history page and the autocomplete endpoint.
Each is refused and changes nothing."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.directory.models import Department, Entity, Inspector
from shuangsuiji.plans.models import PlanTask
from tests.admin_forms import error_fields, rendered_form
from tests.security.conftest import CHENGQU, LUCHENG

pytestmark = pytest.mark.django_db


def autocomplete(client: Client, app: str, model: str, field: str, term: str) -> list[str]:
    params = {"app_label": app, "model_name": model, "field_name": field, "term": term}
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_autocomplete_of_a_conflict_entity_finds_own_district_entities_only(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-coordinator")
    theirs = Entity.objects.filter(region__code=CHENGQU).order_by("pk").first()
    ours = Entity.objects.filter(region__code=LUCHENG).order_by("pk").first()

    found = [
        autocomplete(client, "directory", "conflict", "entity", term)
        for term in (theirs.uscc, theirs.name, ours.uscc)
    ]

    assert found == [[], [], [str(ours.pk)]]


def test_autocomplete_of_a_user_inspector_finds_no_inspector_of_the_other_district(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-coordinator")
    theirs = Inspector.objects.filter(department__region__code=CHENGQU).order_by("pk").first()

    found = autocomplete(client, "accounts", "user", "inspector", theirs.certificate_no)

    assert found == []


def test_history_page_of_another_districts_records_is_not_found(signed_in: Any) -> None:
    client = signed_in("lucheng-coordinator")
    user = User.objects.get(username="chengqu-coordinator")
    entity = Entity.objects.filter(region__code=CHENGQU).order_by("pk").first()

    pages = [
        client.get(reverse("admin:accounts_user_history", args=[user.pk])),
        client.get(reverse("admin:directory_entity_history", args=[entity.pk])),
    ]

    assert [page.status_code for page in pages] == [404, 404]
    assert [entity.name in page.content.decode() for page in pages] == [False, False]


def test_password_change_of_another_districts_user_is_not_found_and_changes_nothing(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-coordinator")
    victim = User.objects.get(username="chengqu-coordinator")
    before = victim.password
    url = reverse("admin:auth_user_password_change", args=[victim.pk])

    shown = client.get(url)
    forged = client.post(url, {"password1": "taken-over-2024!", "password2": "taken-over-2024!"})

    victim.refresh_from_db()
    assert (shown.status_code, forged.status_code, victim.password) == (404, 404, before)


def test_an_auditor_may_not_change_a_password_in_its_own_district(signed_in: Any) -> None:
    client = signed_in("lucheng-auditor")
    victim = User.objects.get(username="lucheng-coordinator")
    before = victim.password
    url = reverse("admin:auth_user_password_change", args=[victim.pk])

    forged = client.post(url, {"password1": "taken-over-2024!", "password2": "taken-over-2024!"})

    victim.refresh_from_db()
    assert (forged.status_code, victim.password) == (403, before)


def test_a_coordinator_cannot_add_a_user_under_another_districts_department(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-coordinator")
    theirs = Department.objects.filter(region__code=CHENGQU).order_by("pk").first()
    users_before = User.objects.count()

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "planted",
            "usable_password": "true",
            "password1": "planted-pass-2024!",
            "password2": "planted-pass-2024!",
            "role": "协调员",
            "department": str(theirs.pk),
        },
    )

    assert (response.status_code, error_fields(response)) == (200, ["department"])
    assert User.objects.count() == users_before


def test_a_coordinator_cannot_move_its_user_to_another_districts_department_or_inspector(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-coordinator")
    user = User.objects.get(username="lucheng-inspector")
    before = (user.department_id, user.inspector_id)
    department = Department.objects.filter(region__code=CHENGQU).order_by("pk").first()
    inspector = Inspector.objects.filter(department=department).order_by("pk").first()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = rendered_form(client, url)

    response = client.post(
        url, {**form, "department": str(department.pk), "inspector": str(inspector.pk)}
    )

    user.refresh_from_db()
    assert error_fields(response) == ["department", "inspector"]
    assert (user.department_id, user.inspector_id) == before


def test_a_department_admin_cannot_make_another_districts_department_a_partner(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-dept-admin")
    admin_user = User.objects.get(username="lucheng-dept-admin")
    task = PlanTask.objects.filter(lead_department=admin_user.department_id).order_by("pk")[0]
    before = sorted(task.partner_departments.values_list("pk", flat=True))
    theirs = Department.objects.filter(region__code=CHENGQU).order_by("pk").first()
    url = reverse("admin:plans_plantask_change", args=[task.pk])
    form = rendered_form(client, url)

    response = client.post(url, {**form, "partner_departments": [*map(str, before), theirs.pk]})

    assert error_fields(response) == ["partner_departments"]
    assert sorted(task.partner_departments.values_list("pk", flat=True)) == before


def test_changing_another_districts_entity_by_a_forged_post_is_not_found(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-coordinator")
    entity = Entity.objects.filter(region__code=CHENGQU).order_by("pk").first()
    before = (entity.name, entity.region_id)
    url = reverse("admin:directory_entity_change", args=[entity.pk])

    response = client.post(url, {"uscc": entity.uscc, "name": "改名", "status": entity.status})
    deleted = client.post(
        reverse("admin:directory_entity_delete", args=[entity.pk]), {"post": "yes"}
    )

    entity.refresh_from_db()
    assert (response.status_code, deleted.status_code) == (404, 404)
    assert (entity.name, entity.region_id) == before
