"""The demo data of both districts, built once per test module inside a transaction rolled
back at the module's end; each test still runs in its own savepoint."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from shuangsuiji.accounts.models import User
from tests.demo_data import module_demo

LUCHENG, CHENGQU = "140406", "140502"


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with module_demo(django_db_blocker, entities_per_district=300):
        yield


@pytest.fixture
def signed_in(demo: None, db: None) -> Any:
    """A client signed in as a demo user, by username."""

    def sign_in(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return sign_in


def chengqu_frozen_draw() -> Any:
    """A 城区 draw frozen and waiting for its parties' commitments (every demo task is drawn,
    so a new task is added first), made by the system before any attacker tries."""
    from decimal import Decimal

    from shuangsuiji.accounts.permissions import SYSTEM
    from shuangsuiji.draws.services import freeze_draw
    from shuangsuiji.plans.models import Plan, PlanTask

    plan = Plan.objects.get(region__code=CHENGQU)
    drawn = plan.tasks.order_by("position").first()
    task = PlanTask.objects.create(
        plan=plan,
        position=95,
        seq=95,
        name="城区新增任务",
        ratio_min=Decimal("0.1"),
        lead_department=drawn.lead_department,
    )
    task.scope_categories.set(drawn.scope_categories.all())
    return freeze_draw(task, actor=SYSTEM)
