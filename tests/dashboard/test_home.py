import pytest
from django.test import Client
from django.urls import reverse

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
