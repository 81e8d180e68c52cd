import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.directory import tally
from tests.conftest import World
from tests.factories import CheckItemFactory, EntityFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login() -> None:
    response = Client().get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


def test_home_counts_active_entities_by_risk_class(world: World) -> None:
    for risk in ("A", "C", "C", ""):
        EntityFactory(risk_class=risk)
    EntityFactory(risk_class="D", status="注销")
    client = Client()
    client.force_login(world.coordinator)

    response = client.get(reverse("home"))

    assert response.context["risk_counts"] == [
        ("A 低风险", 1),
        ("B 一般风险", 1),
        ("C 较高风险", 2),
        ("D 高风险", 0),
        ("未分类", 1),
    ]
    assert response.context["entity_count"] == 5


def test_home_counts_only_what_the_department_admin_may_see(world: World) -> None:
    CheckItemFactory(department=world.education)
    CheckItemFactory(department=world.police)
    client = Client()
    client.force_login(world.education_admin)

    response = client.get(reverse("home"))

    assert (response.context["inspector_count"], response.context["check_item_count"]) == (1, 1)
    assert response.context["can_use_admin"] is True


def test_login_page_is_chinese_and_rejects_a_wrong_password(world: World) -> None:
    response = Client().post(reverse("login"), {"username": "wangmin", "password": "wrong"})

    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_home_counts_from_the_tally_when_current_and_from_the_directory_when_not(
    world: World,
) -> None:
    for risk in ("A", "C", "C", ""):
        EntityFactory(risk_class=risk)
    EntityFactory(risk_class="D", status="注销")
    tally.rebuild()
    client = Client()
    client.force_login(world.coordinator)

    current = client.get(reverse("home")).context["risk_counts"]
    EntityFactory(risk_class="D")  # the tally is stale until the worker rebuilds it
    stale = client.get(reverse("home")).context["risk_counts"]

    assert dict(current) == {
        "A 低风险": 1,
        "B 一般风险": 1,
        "C 较高风险": 2,
        "D 高风险": 0,
        "未分类": 1,
    }
    assert dict(stale) == {**dict(current), "D 高风险": 1}
    assert not tally.is_current()


def test_an_inspector_is_not_shown_directory_counts_it_may_not_read(world: World) -> None:
    client = Client()
    client.force_login(world.inspector_user)

    page = client.get(reverse("home")).content.decode()

    assert 'id="entity-count"' not in page
    assert 'id="inspector-count"' in page
