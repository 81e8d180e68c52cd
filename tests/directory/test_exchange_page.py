"""The data-exchange page: upload, a preview of the changes, confirm; the service refuses one
who may not import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shuangsuiji.directory.models import Entity
from tests.conftest import World
from tests.directory.test_registration import NEW_CODE, export_rows, gbk_csv

pytestmark = pytest.mark.django_db


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_coordinator_previews_then_confirms_and_only_then_it_is_written(world: World) -> None:
    rows, _ = export_rows(world)
    client = client_of(world.coordinator)
    upload = SimpleUploadedFile("导出.csv", gbk_csv(rows), content_type="text/csv")

    preview = client.post(
        reverse("directory:exchange"), {"step": "preview", "kind": "registration", "file": upload}
    )
    summary = preview.context["summary"]
    written_before_confirm = Entity.objects.filter(uscc=NEW_CODE).exists()
    confirmed = client.post(
        reverse("directory:exchange"), {"step": "confirm", "fingerprint": summary["fingerprint"]}
    )

    assert (preview.status_code, summary["new"], summary["deregistered"]) == (200, 1, 1)
    assert "确认写入以上变更" in preview.content.decode()
    assert written_before_confirm is False
    assert confirmed.status_code == 302
    assert Entity.objects.filter(uscc=NEW_CODE).exists()


def test_an_inspector_gets_403(world: World) -> None:
    response = client_of(world.inspector_user).get(reverse("directory:exchange"))

    assert response.status_code == 403
