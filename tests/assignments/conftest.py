from typing import Any

import pytest
from django.test import Client

from shuangsuiji.accounts.models import User
from shuangsuiji.demo.build import DemoSummary, build_demo

PER_DISTRICT = 600


@pytest.fixture
def demo(db: None) -> DemoSummary:
    """Both seed plans imported, drawn and assigned (the `make demo` data, smaller)."""
    return build_demo(entities_per_district=PER_DISTRICT)


@pytest.fixture
def drawn(db: None) -> DemoSummary:
    """Both seed plans imported and drawn; the second random not yet done."""
    return build_demo(entities_per_district=PER_DISTRICT, assign=False)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def first(items: Any) -> Any:
    return next(iter(items))
