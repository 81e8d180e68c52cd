"""A sign-in ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after the
password, however busy; the sign-in page then says why."""

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.conftest import World

pytestmark = pytest.mark.django_db


def signed_in(world: World, *, idle_for: float = 0, signed_in_for: float = 0) -> Client:
    """The coordinator's browser, its last request `idle_for` and its password `signed_in_for`
    seconds ago."""
    client = Client()
    client.force_login(world.coordinator)
    session = client.session
    now = time.time()
    session[LAST_SEEN_AT] = now - idle_for
    session[SIGNED_IN_AT] = now - signed_in_for
    session.save()
    return client


def test_defaults_are_thirty_minutes_idle_and_twelve_hours_in_all(settings: Any) -> None:
    assert (settings.SESSION_IDLE_MINUTES, settings.SESSION_MAX_HOURS) == (30, 12)


def test_a_sign_in_idle_for_29_minutes_holds(world: World) -> None:
    client = signed_in(world, idle_for=29 * 60, signed_in_for=5 * 3600)

    response = client.get(reverse("home"))

    assert (response.status_code, client.session["_auth_user_id"]) == (
        200,
        str(world.coordinator.pk),
    )


def test_a_sign_in_idle_for_31_minutes_has_ended_and_the_sign_in_page_says_why(
    world: World,
) -> None:
    client = signed_in(world, idle_for=31 * 60)

    response = client.get(reverse("home"), follow=True)

    assert "_auth_user_id" not in client.session
    assert response.redirect_chain == [(f"{reverse('login')}?next=/", 302)]
    assert "您已超过 30 分钟未操作，为安全起见已自动退出，请重新登录。" in response.content.decode()


def test_a_busy_sign_in_ends_after_twelve_hours(world: World) -> None:
    client = signed_in(world, idle_for=10, signed_in_for=12 * 3600 + 60)

    response = client.get(reverse("home"), follow=True)

    assert "_auth_user_id" not in client.session
    assert "本次登录已满 12 小时，为安全起见已自动退出，请重新登录。" in response.content.decode()


def test_a_request_moves_the_idle_clock_on(world: World) -> None:
    client = signed_in(world, idle_for=25 * 60)

    client.get(reverse("home"))

    assert time.time() - client.session[LAST_SEEN_AT] < 60


def test_the_idle_limit_is_a_setting(world: World, settings: Any) -> None:
    settings.SESSION_IDLE_MINUTES = 5
    client = signed_in(world, idle_for=6 * 60)

    client.get(reverse("home"))

    assert "_auth_user_id" not in client.session
