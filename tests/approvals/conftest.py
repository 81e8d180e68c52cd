"""The demo's 潞城区 (built once per module, rolled back after) and the visits the approval
tests use: one its 区教育局 leads with a 区教育局 inspector on the team (the inspector login is
moved onto it), and one 区教育局 joins but another body leads."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Visit
from shuangsuiji.demo.build import DemoSummary
from tests.demo_data import module_demo

USERS = [
    None,
    "lucheng-coordinator",
    "lucheng-dept-admin",  # 区教育局
    "lucheng-inspector",  # of 区教育局, on the led visit's team
    "lucheng-auditor",
    "chengqu-coordinator",  # another district
    "chengqu-inspector",
]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with module_demo(django_db_blocker, entities_per_district=300) as summary:
        yield summary


@dataclass
class Scene:
    admin: User  # lucheng-dept-admin
    inspector: User  # lucheng-inspector, on `led`'s team
    led: Visit  # led by the admin's body
    joined: Visit  # the admin's body takes part, another leads


def lucheng_visits() -> list[Visit]:
    visits = Visit.objects.filter(assignment__plan__region__code="140406")
    return sorted(visits.select_related("lead_department", "entity"), key=lambda v: v.code)


@pytest.fixture
def scene(demo: DemoSummary) -> Scene:
    admin = User.objects.get(username="lucheng-dept-admin")
    department = admin.department
    visits = lucheng_visits()
    led = next(
        v
        for v in visits
        if v.lead_department_id == department.pk  # type: ignore[union-attr]
        and v.members.filter(department=department).exists()
    )
    member = led.members.filter(department=department).order_by("slot").first()
    assert member is not None
    joined = next(
        v
        for v in visits
        if v.lead_department_id != department.pk  # type: ignore[union-attr]
        and v.departments.filter(pk=department.pk).exists()  # type: ignore[union-attr]
        and not v.members.filter(inspector=member.inspector).exists()
    )
    inspector = User.objects.get(username="lucheng-inspector")
    User.objects.filter(inspector=member.inspector).update(inspector=None)
    inspector.inspector = member.inspector
    inspector.save(update_fields=["inspector"])
    return Scene(admin=admin, inspector=inspector, led=led, joined=joined)


def client_for(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client
