"""Repeated wrong passwords lock a username for the address they came from, for a while; the
real user elsewhere, and other users, are unaffected. X-Forwarded-For counts only when a
trusted proxy wrote it."""

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World

pytestmark = pytest.mark.django_db

RIGHT, WRONG = "pw-for-tests-only", "wrong-password"
ALERT = re.compile(r'<p[^>]*role="alert">(.*?)</p>', re.DOTALL)
STATUS = re.compile(r'<p role="status">(.*?)</p>', re.DOTALL)


def sign_in(client: Client, username: str, password: str, **headers: str) -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, headers=headers
    )


def guess(client: Client, times: int, username: str = "wangmin", **headers: str) -> list[Any]:
    return [sign_in(client, username, WRONG, **headers) for _ in range(times)]


def alert(response: Any, pattern: re.Pattern[str] = ALERT) -> str:
    return re.sub(r"<[^>]+>", "", pattern.search(response.content.decode())[1])


def test_five_wrong_passwords_lock_the_account_from_that_address_even_against_the_right_one(
    world: World, settings: Any
) -> None:
    client = Client(REMOTE_ADDR="10.0.0.1")
    guess(client, settings.AXES_FAILURE_LIMIT)

    locked = sign_in(client, "wangmin", RIGHT)

    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = sign_in(Client(REMOTE_ADDR="10.0.0.1"), "edu-admin", RIGHT)
    assert other.status_code == 302


def test_a_correct_password_before_the_limit_resets_the_count(world: World) -> None:
    client = Client()
    guess(client, 3)
    assert sign_in(client, "wangmin", RIGHT).status_code == 302
    client.post(reverse("logout"))

    guess(client, 3)

    assert sign_in(client, "wangmin", RIGHT).status_code == 302


def test_wrong_passwords_from_one_address_leave_the_user_free_at_another(
    world: World, settings: Any
) -> None:
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    guessed = guess(attacker, settings.AXES_FAILURE_LIMIT + 1)

    real_user = sign_in(Client(REMOTE_ADDR="10.0.0.2"), "wangmin", RIGHT)

    assert [r.status_code for r in guessed] == [200] * 4 + [429] * 2
    assert real_user.status_code == 302


def test_forwarded_for_without_a_trusted_proxy_changes_nothing(world: World, settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    # A new forged address each time does not escape the lock of the connection's address ...
    guessed = [sign_in(attacker, "wangmin", WRONG, X_FORWARDED_FOR=f"10.9.9.{n}") for n in range(6)]
    # ... and naming the real user's address does not lock the real user out.
    guess(Client(REMOTE_ADDR="10.0.0.67"), 5, X_FORWARDED_FOR="10.0.0.2")

    real_user = sign_in(Client(REMOTE_ADDR="10.0.0.2"), "wangmin", RIGHT)

    assert [r.status_code for r in guessed] == [200] * 4 + [429] * 2
    assert real_user.status_code == 302
    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == [
        "10.0.0.66",
        "10.0.0.67",
    ]


def test_behind_a_trusted_proxy_the_address_it_saw_is_counted(world: World, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    # The attacker's own X-Forwarded-For entry is left of the one the proxy appended.
    guessed = guess(proxy, 5, X_FORWARDED_FOR="10.0.0.2, 10.0.0.66")

    real_user = sign_in(proxy, "wangmin", RIGHT, X_FORWARDED_FOR="10.0.0.2")

    assert [r.status_code for r in guessed] == [200] * 4 + [429]
    assert real_user.status_code == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.66"]


def test_wrong_password_says_how_many_attempts_remain(world: World) -> None:
    guessed = guess(Client(REMOTE_ADDR="10.0.0.1"), 4)

    assert [(alert(r), alert(r, STATUS)) for r in guessed] == [
        (
            "用户名或密码错误，请重新输入。",
            f"从本机所在的网络地址还可再试 {left} 次，之后该账号在此地址上锁定 30 分钟。",
        )
        for left in (4, 3, 2, 1)
    ]


def test_locked_out_page_says_when_the_lock_ends_in_local_time(world: World) -> None:
    client = Client(REMOTE_ADDR="10.0.0.1")
    guess(client, 5)

    locked = sign_in(client, "wangmin", RIGHT)

    last = AccessAttempt.objects.get().attempt_time
    ends = timezone.localtime(last + timedelta(minutes=30))  # settings.TIME_ZONE: Asia/Shanghai
    assert str(ends.tzinfo) == "Asia/Shanghai"
    assert alert(locked) == (
        "从本机所在的网络地址连续 5 次输入错误的密码，账号“wangmin”在此地址上已被暂时锁定，"
        f"将于 {ends.year}年{ends.month}月{ends.day}日 {ends:%H:%M} 解除。"
    )
