"""The demo data set, built once per test module inside a transaction rolled back at the
module's end, and a token for each demo user."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from shuangsuiji.accounts.models import User
from shuangsuiji.api.services import create_token
from tests.demo_data import module_demo
from tests.factories import demo_inspector_with_open_results
from tests.test_permission_matrix import USERS as PAGE_MATRIX_USERS

DEMO_USERS: list[str] = [username for username in PAGE_MATRIX_USERS if username]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """Both seed districts (300 entities each); returns a raw token per demo username.
    Each test still runs in its own savepoint, so what one test writes the next does not see."""
    with module_demo(django_db_blocker, entities_per_district=300):
        demo_inspector_with_open_results()
        tokens = {
            username: create_token(User.objects.get(username=username), name="测试")[1]
            for username in DEMO_USERS
        }
        yield tokens


def bearer(token: str | None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


def api_get(token: str | None, url: str, **params: Any) -> Any:
    return Client().get(url, params, **bearer(token))
