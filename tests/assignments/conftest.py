from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from shuangsuiji.accounts.models import User
from shuangsuiji.demo.build import DemoSummary
from tests.demo_data import module_demo

PER_DISTRICT = 600


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """Both seed plans imported, drawn and assigned (the `make demo` data, smaller), once per
    module; a module using it does not use `drawn`."""
    with module_demo(django_db_blocker, entities_per_district=PER_DISTRICT) as summary:
        yield summary


@pytest.fixture(scope="module")
def drawn(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """Both seed plans imported and drawn; the second random not yet done. Once per module."""
    options = {"entities_per_district": PER_DISTRICT, "assign": False}
    with module_demo(django_db_blocker, **options) as summary:
        yield summary


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def first(items: Any) -> Any:
    return next(iter(items))
