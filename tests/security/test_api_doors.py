"""The JSON API as an attacker from 潞城区 would use it, with its own token: ids and rows of
城区. Each is refused with a JSON error and changes nothing."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shuangsuiji.accounts.models import User
from shuangsuiji.api.services import create_token
from shuangsuiji.assignments.models import Visit
from shuangsuiji.directory.models import Entity
from shuangsuiji.draws.models import Draw
from shuangsuiji.inspections.models import Inspection
from shuangsuiji.plans.models import Plan
from tests.factories import next_uscc
from tests.security.conftest import CHENGQU

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict[str, str]:
    raw = create_token(User.objects.get(username=username), name="攻击测试")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_reading_the_other_districts_records_by_id_is_not_found(signed_in: Any) -> None:
    auth = bearer("lucheng-coordinator")
    plan = Plan.objects.get(region__code=CHENGQU)
    urls = [
        f"/api/v1/plans/{plan.pk}",
        f"/api/v1/plans/{plan.pk}/tasks",
        f"/api/v1/tasks/{plan.tasks.order_by('pk').first().pk}",
        f"/api/v1/draws/{Draw.objects.filter(task__plan=plan).order_by('pk').first().pk}",
        f"/api/v1/visits/{Visit.objects.filter(assignment__plan=plan).order_by('pk').first().pk}",
    ]

    answers = [Client().get(url, **auth) for url in urls]

    assert [answer.status_code for answer in answers] == [404] * len(urls)
    assert [plan.title in answer.content.decode() for answer in answers] == [False] * len(urls)


def test_recording_the_other_districts_result_is_refused(signed_in: Any) -> None:
    theirs = Inspection.objects.filter(task__plan__region__code=CHENGQU).order_by("pk").first()
    before = (theirs.state, theirs.notes, theirs.inspected_on)
    for username in ("lucheng-coordinator", "lucheng-inspector"):
        response = Client().post(
            f"/api/v1/inspections/{theirs.pk}/result",
            {"results": [], "inspected_on": "2024-05-06", "notes": "伪造", "submit": True},
            content_type="application/json",
            **bearer(username),
        )
        assert (response.status_code, response["Content-Type"]) == (
            404,
            "application/json; charset=utf-8",
        )

    theirs.refresh_from_db()
    assert (theirs.state, theirs.notes, theirs.inspected_on) == before


def test_importing_a_row_of_the_other_districts_region_is_refused(signed_in: Any) -> None:
    rows = f"统一社会信用代码,名称,行政区划代码\n{next_uscc(CHENGQU)},城区冒名五金店,140502\n"
    entities_before = Entity.objects.count()

    response = Client().post(
        "/api/v1/entities/import",
        {"file": _upload("entities.csv", rows.encode())},
        **bearer("lucheng-coordinator"),
    )

    errors = response.json()["errors"]
    assert (response.status_code, [(e["row"], e["column"], e["value"]) for e in errors]) == (
        400,
        [(2, "行政区划代码", "140502")],
    )
    assert Entity.objects.count() == entities_before


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")
