"""Attacks on the data exchange (registration export and monthly classes): a coordinator's
file naming another district's companies, through the page and the API, changes none of them;
a department admin, an inspector and an auditor are refused before a byte is stored."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.api.services import create_token
from shuangsuiji.directory.models import Entity
from tests.security.conftest import LUCHENG

pytestmark = pytest.mark.django_db


def class_file(entity: Entity) -> SimpleUploadedFile:
    """A month's class file that makes `entity` class D (a class that forces it into draws)."""
    text = f"统一社会信用代码,信用风险分类,分类日期\n{entity.uscc},D,2099-01-01\n"
    return SimpleUploadedFile("分类.csv", text.encode(), content_type="text/csv")


def target() -> Entity:
    return (
        Entity.objects.filter(region__code=LUCHENG).exclude(risk_class="D").order_by("uscc").first()
    )  # type: ignore[return-value]


def test_another_districts_coordinator_changes_no_class_through_the_page(signed_in: Any) -> None:
    entity = target()
    before = Entity.objects.filter(pk=entity.pk).values().get()
    client = signed_in("chengqu-coordinator")
    url = reverse("directory:exchange")

    preview = client.post(url, {"step": "preview", "kind": "risk", "file": class_file(entity)})
    fingerprint = preview.context["summary"]["fingerprint"]
    client.post(url, {"step": "confirm", "fingerprint": fingerprint})

    assert "该主体不在本辖区，未改动" in preview.content.decode()
    assert Entity.objects.filter(pk=entity.pk).values().get() == before


def test_another_districts_coordinator_changes_no_class_through_the_api(demo: None) -> None:
    entity = target()
    before = Entity.objects.filter(pk=entity.pk).values().get()
    _, raw = create_token(User.objects.get(username="chengqu-coordinator"), name="攻击")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    preview = api.post("/api/v1/entities/risk-classes/preview", {"file": class_file(entity)})
    applied = api.post(
        "/api/v1/entities/risk-classes/apply",
        {"file": class_file(entity), "fingerprint": preview.json()["fingerprint"]},
    )

    assert preview.status_code == 200
    assert applied.json()["changed"] == 0
    assert Entity.objects.filter(pk=entity.pk).values().get() == before


@pytest.mark.parametrize("username", ["lucheng-dept-admin", "lucheng-inspector", "lucheng-auditor"])
def test_roles_that_may_not_import_are_refused_the_exchange_page(
    signed_in: Any, username: str
) -> None:
    entity = target()
    before = Entity.objects.filter(pk=entity.pk).values().get()
    client = signed_in(username)
    url = reverse("directory:exchange")

    statuses = [
        client.get(url).status_code,
        client.post(
            url, {"step": "preview", "kind": "risk", "file": class_file(entity)}
        ).status_code,
        client.post(url, {"step": "confirm", "fingerprint": "x"}).status_code,
    ]

    assert statuses == [403, 403, 403]
    assert Entity.objects.filter(pk=entity.pk).values().get() == before
