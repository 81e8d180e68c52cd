"""The demo explains itself on the workbench: which years it replays and why everything is
late, and a first-ten-minutes tour per role whose every link opens for that role."""

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from tests.inspections.conftest import demo  # noqa: F401

pytestmark = pytest.mark.django_db

ROLES = ["lucheng-coordinator", "lucheng-dept-admin", "lucheng-inspector", "lucheng-auditor"]


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_the_replayed_years_and_a_tour_that_opens(
    demo: object,  # noqa: F811
    username: str,
    settings: object,
) -> None:
    settings.DEMO = True  # type: ignore[attr-defined]
    client = Client()
    client.force_login(User.objects.get(username=username))

    page = client.get(reverse("home"))

    banner = page.context["demo"]
    assert banner["years"] == [2023]  # 潞城区's plan only: the other district's is not theirs
    assert "2023年度的真实抽查计划" in page.content.decode()
    assert banner["steps"]
    for _, url in banner["steps"]:
        assert client.get(url, follow=True).status_code == 200, url


def test_outside_the_demo_there_is_no_banner(demo: object, settings: object) -> None:  # noqa: F811
    settings.DEMO = False  # type: ignore[attr-defined]
    client = Client()
    client.force_login(User.objects.get(username="lucheng-coordinator"))

    page = client.get(reverse("home"))

    assert page.context["demo"] is None
    assert 'id="demo-banner"' not in page.content.decode()
