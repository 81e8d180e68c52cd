"""Repeated wrong passwords lock the username for a while; other users are unaffected."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str) -> object:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    world: World, settings: object
) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):  # type: ignore[attr-defined]
        sign_in(client, "wangmin", "wrong-password")

    locked = sign_in(client, "wangmin", "pw-for-tests-only")

    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = sign_in(Client(), "edu-admin", "pw-for-tests-only")
    assert other.status_code == 302


def test_a_correct_password_before_the_limit_resets_the_count(world: World) -> None:
    client = Client()
    for _ in range(3):
        sign_in(client, "wangmin", "wrong-password")
    assert sign_in(client, "wangmin", "pw-for-tests-only").status_code == 302
    client.post(reverse("logout"))

    for _ in range(3):
        sign_in(client, "wangmin", "wrong-password")

    assert sign_in(client, "wangmin", "pw-for-tests-only").status_code == 302
