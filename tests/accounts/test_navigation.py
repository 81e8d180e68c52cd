"""The layout links each role to the pages it may use, and to no others."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def navigation_of(user: object) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    page = client.get(reverse("plans:list")).content.decode()
    return page.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]


def test_the_coordinator_and_the_auditor_find_the_analysis_and_the_audit_log(
    world: World,
) -> None:
    for user in (world.coordinator, world.auditor):
        navigation = navigation_of(user)
        assert f'href="{reverse("analysis:latest")}">统计分析</a>' in navigation
        assert f'href="{reverse("audit")}">审计日志</a>' in navigation


def test_departments_and_inspectors_are_not_sent_to_pages_closed_to_them(world: World) -> None:
    for user in (world.education_admin, world.inspector_user):
        navigation = navigation_of(user)
        assert reverse("audit") not in navigation
        assert reverse("analysis:latest") not in navigation
