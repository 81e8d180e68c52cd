"""Tokens: only a digest is stored, the token acts as its user, a revoked or unknown one is
refused, the CLI shows it once."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from shuangsuiji.api.models import ApiToken
from shuangsuiji.api.services import create_token, revoke
from tests.api.conftest import bearer
from tests.conftest import World

pytestmark = pytest.mark.django_db


def me(token: str | None) -> tuple[int, dict[str, object]]:
    response = Client().get("/api/v1/me", **bearer(token))
    return response.status_code, response.json()


def test_token_is_stored_only_as_its_sha256(world: World) -> None:
    token, raw = create_token(world.coordinator, name="市级平台对接")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()

    assert stored["digest"] == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(value) for value in stored.values()}


def test_token_acts_as_its_user(world: World) -> None:
    _, raw = create_token(world.inspector_user, name="移动端")

    status, body = me(raw)

    assert (status, body) == (
        200,
        {
            "username": "zhangsan",
            "role": "执法人员",
            "department": "长治市潞城区教育局",
            "inspector": world.education_inspector.certificate_no,
            "token": "移动端",
        },
    )


def test_revoked_token_is_refused(world: World) -> None:
    token, raw = create_token(world.coordinator, name="旧系统")
    revoke(token)

    assert me(raw)[0] == 401


def test_token_of_a_deactivated_user_is_refused(world: World) -> None:
    _, raw = create_token(world.coordinator, name="旧系统")
    world.coordinator.is_active = False
    world.coordinator.save()

    assert me(raw)[0] == 401


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer sjs_wrong", "Basic d2FuZ21pbjpwdw=="])
def test_missing_or_unknown_token_is_refused_with_a_bearer_challenge(
    world: World, header: str
) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = Client().get("/api/v1/plans", **extra)

    assert (response.status_code, response["WWW-Authenticate"], response.json()) == (
        401,
        "Bearer",
        {"detail": "需要有效的接口令牌：Authorization: Bearer <token>"},
    )


def test_session_login_does_not_open_the_api(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)

    assert client.get("/api/v1/plans").status_code == 401


def test_cli_prints_the_token_once_and_stores_its_digest(world: World) -> None:
    out, err = StringIO(), StringIO()

    call_command("api-token", "wangmin", "--name", "数据交换", stdout=out, stderr=err)

    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=world.coordinator)
    assert (token.name, token.digest) == ("数据交换", hashlib.sha256(raw.encode()).hexdigest())
    assert me(raw)[0] == 200
    assert raw not in err.getvalue()


def test_cli_revokes_a_token(world: World) -> None:
    token, raw = create_token(world.coordinator, name="旧系统")

    call_command("api-token", "wangmin", "--revoke", str(token.pk), stdout=StringIO())

    assert me(raw)[0] == 401
