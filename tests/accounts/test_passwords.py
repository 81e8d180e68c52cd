"""Password rules where a password is chosen (length, kinds of character, not common, not like
the username, not the demo's), and the demo's published password refused at sign-in outside
the demo, on the site and in the back office."""

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.passwords import DEMO_PASSWORDS
from shuangsuiji.demo.build import DEMO_PASSWORD
from tests.conftest import World

pytestmark = pytest.mark.django_db


def refusals(password: str, user: Any = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return sorted(e.code or "" for e in error.error_list)
    return []


def test_the_demo_builders_password_is_the_one_refused() -> None:
    assert DEMO_PASSWORD in DEMO_PASSWORDS


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("Lc-2026-jc", []),  # ten characters, four kinds
        ("lc2026jcQ", ["password_too_short"]),
        ("luchengjc-2026", []),  # three kinds: lower, digits, symbols
        ("luchengjiancha", ["password_too_uniform"]),
        ("Password123", ["password_too_common"]),
        ("20261203199", ["password_entirely_numeric", "password_too_uniform"]),
        ("shuangsuiji-demo", ["demo_password", "password_too_uniform"]),
        ("王敏的密码Lc2026", []),  # Chinese characters count as "other"
        ("协调员王敏的密码2026", ["password_too_uniform"]),  # other and digits: two kinds
    ],
)
def test_rules_where_a_password_is_chosen(password: str, codes: list[str]) -> None:
    assert refusals(password) == codes


def test_a_password_like_the_username_is_refused(world: World) -> None:
    assert refusals("Wangmin-2026", world.coordinator) == ["password_too_similar"]


def sign_in(client: Client, url: str, username: str, password: str) -> Any:
    return client.post(url, {"username": username, "password": password})


def test_outside_the_demo_its_password_does_not_sign_in(world: World, settings: Any) -> None:
    settings.DEMO = False
    world.coordinator.set_password(DEMO_PASSWORD)
    world.coordinator.save()
    client = Client()

    response = sign_in(client, reverse("login"), "wangmin", DEMO_PASSWORD)

    assert (response.status_code, "_auth_user_id" in client.session) == (200, False)
    assert "该账号仍在使用演示环境的公开密码" in response.content.decode()


def test_outside_the_demo_the_back_office_refuses_it_too(world: World, settings: Any) -> None:
    settings.DEMO = False
    world.coordinator.set_password(DEMO_PASSWORD)
    world.coordinator.save()
    client = Client()

    response = sign_in(client, reverse("admin:login"), "wangmin", DEMO_PASSWORD)

    assert (response.status_code, "_auth_user_id" in client.session) == (200, False)
    assert "该账号仍在使用演示环境的公开密码" in response.content.decode()


def test_in_the_demo_its_password_signs_in(world: World, settings: Any) -> None:
    settings.DEMO = True
    world.coordinator.set_password(DEMO_PASSWORD)
    world.coordinator.save()
    client = Client()

    response = sign_in(client, reverse("login"), "wangmin", DEMO_PASSWORD)

    assert (response.status_code, client.session["_auth_user_id"]) == (
        302,
        str(world.coordinator.pk),
    )


def test_outside_the_demo_another_password_signs_in(world: World, settings: Any) -> None:
    settings.DEMO = False
    client = Client()

    response = sign_in(client, reverse("login"), "wangmin", "pw-for-tests-only")

    assert (response.status_code, client.session["_auth_user_id"]) == (
        302,
        str(world.coordinator.pk),
    )
