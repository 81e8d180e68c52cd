"""The registration exchange through the API: preview, then apply with the preview's
fingerprint; a wrong fingerprint is 409 and writes nothing; who may is the service's rule."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shuangsuiji.api.services import create_token
from shuangsuiji.directory.models import Entity
from tests.api.conftest import bearer
from tests.conftest import World
from tests.directory.test_registration import NEW_CODE, export_rows, gbk_csv

pytestmark = pytest.mark.django_db


def post(world: World, url: str, data: bytes, user: str = "coordinator", **form: str) -> object:
    _, raw = create_token(getattr(world, user), name="登记系统同步")
    file = SimpleUploadedFile("导出.csv", data, content_type="text/csv")
    return Client().post(url, {"file": file, **form}, **bearer(raw))


def test_preview_then_apply_with_its_fingerprint(world: World) -> None:
    rows, _ = export_rows(world)
    data = gbk_csv(rows)

    preview = post(world, "/api/v1/entities/registration/preview", data)
    summary = preview.json()  # type: ignore[attr-defined]
    wrong = post(world, "/api/v1/entities/registration/apply", data, fingerprint="0" * 64)
    written_after_wrong = Entity.objects.filter(uscc=NEW_CODE).exists()
    applied = post(
        world, "/api/v1/entities/registration/apply", data, fingerprint=summary["fingerprint"]
    )

    assert preview.status_code == 200  # type: ignore[attr-defined]
    assert (summary["new"], summary["changed"], summary["deregistered"]) == (1, 1, 1)
    assert wrong.status_code == 409  # type: ignore[attr-defined]
    assert written_after_wrong is False
    assert applied.json() == {"created": 1, "changed": 1, "deregistered": 1}  # type: ignore[attr-defined]
    assert Entity.objects.filter(uscc=NEW_CODE).exists()


def test_an_inspector_is_refused_by_the_service(world: World) -> None:
    rows, _ = export_rows(world)

    refused = post(
        world, "/api/v1/entities/registration/preview", gbk_csv(rows), user="inspector_user"
    )

    assert (refused.status_code, refused.json()) == (  # type: ignore[attr-defined]
        403,
        {"detail": "只有协调员可以导入检查对象"},
    )
