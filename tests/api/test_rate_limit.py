"""Rate limits: per token, per address without one, counted in the database; 429 with
Retry-After past the limit."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from shuangsuiji.api import throttle
from shuangsuiji.api.models import RateWindow
from shuangsuiji.api.services import create_token
from tests.api.conftest import bearer
from tests.conftest import World

pytestmark = pytest.mark.django_db

STILL = 1_800_000_000 + 1  # a moment one second into a window


@pytest.fixture(autouse=True)
def _clock_inside_one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counts live in one-minute windows: on a busy machine a test's requests could
    straddle a window's end and start counting again, so the clock stands still."""
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: float(STILL)))


def test_token_past_its_limit_gets_429_with_retry_after(world: World, settings: Any) -> None:
    settings.API_RATE_LIMIT = 3
    _, raw = create_token(world.coordinator, name="批量")
    _, other = create_token(world.police_admin, name="另一个系统")

    statuses = [Client().get("/api/v1/plans", **bearer(raw)).status_code for _ in range(4)]
    refused = Client().get("/api/v1/plans", **bearer(raw))
    fresh = Client().get("/api/v1/plans", **bearer(other))

    assert statuses == [200, 200, 200, 429]
    assert (refused.status_code, refused.json()) == (429, {"detail": "请求过于频繁，请稍后再试"})
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert fresh.status_code == 200  # each token has its own count


def test_anonymous_limit_counts_per_address(world: World, settings: Any) -> None:
    settings.API_ANON_RATE_LIMIT = 2
    first = Client(REMOTE_ADDR="10.0.0.1")
    second = Client(REMOTE_ADDR="10.0.0.2")

    statuses = [first.get("/api/v1/results").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert second.get("/api/v1/results").status_code == 200


def test_counts_live_in_the_database_one_row_per_caller_and_window(
    world: World, settings: Any
) -> None:
    settings.API_RATE_LIMIT = 100
    token, raw = create_token(world.coordinator, name="批量")

    for _ in range(5):
        Client().get("/api/v1/plans", **bearer(raw))

    assert list(RateWindow.objects.values_list("key", "count")) == [(f"token:{token.pk}", 5)]


def test_zero_turns_the_limit_off(world: World, settings: Any) -> None:
    settings.API_RATE_LIMIT = 0
    _, raw = create_token(world.coordinator, name="批量")

    statuses = {Client().get("/api/v1/plans", **bearer(raw)).status_code for _ in range(5)}

    assert (statuses, RateWindow.objects.count()) == ({200}, 0)
