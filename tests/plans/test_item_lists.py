"""A plan's items against its region's published lists (54号: no list, no check; 浙江's
三张清单): the plan's page flags an item on none of the lists and one only on the 无事不扰
list; the public 抽查事项清单 names each item's list and code."""

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.directory.enums import ItemList
from shuangsuiji.directory.models import CheckItem
from shuangsuiji.plans.models import PlanTask
from tests.conftest import World
from tests.plans.test_population_filter import hotel_task

pytestmark = pytest.mark.django_db


def listed(world: World, name: str, kind: str = ItemList.RANDOM, code: str = "") -> None:
    CheckItem.objects.create(
        department=world.police,
        name=name,
        code=code,
        list_kind=kind,
        legal_basis="《旅馆业治安管理办法》第四条",
        object_type="旅馆",
    )


def plan_page(world: World, task: PlanTask) -> str:
    client = Client()
    client.force_login(world.coordinator)
    return client.get(reverse("plans:detail", args=[task.plan_id])).content.decode()


def test_items_on_no_list_and_on_the_undisturbed_list_only_are_flagged(world: World) -> None:
    task = hotel_task(world, items=["旅馆业治安管理", "旅馆消防安全", "旅馆明码标价"])
    listed(world, "旅馆业治安管理", code="340610001")
    listed(world, "旅馆明码标价", kind=ItemList.UNDISTURBED)

    page = plan_page(world, task)

    assert "未列入本辖区公布的抽查事项清单：旅馆消防安全" in page
    assert "仅列入无事不扰事项清单，不应随机抽查：旅馆明码标价" in page
    assert page.count('class="finding finding-warning item-flag"') == 2  # nothing on the listed one


def test_a_task_whose_items_are_all_listed_is_not_flagged(world: World) -> None:
    task = hotel_task(world, items=["旅馆业治安管理"])
    listed(world, "旅馆业治安管理", kind=ItemList.KEY)

    assert "item-flag" not in plan_page(world, task)


def test_a_region_with_no_list_yet_flags_nothing(world: World) -> None:
    task = hotel_task(world, items=["旅馆业治安管理"])

    assert "item-flag" not in plan_page(world, task)


def test_the_public_list_names_each_items_list_and_code(world: World) -> None:
    listed(world, "旅馆业治安管理", code="340610001")
    listed(world, "旅馆明码标价", kind=ItemList.UNDISTURBED)

    page = Client().get(reverse("disclosure:items")).content.decode()

    assert "<td>随机抽查事项清单</td><td>340610001</td><td>旅馆业治安管理</td>" in page
    assert "<td>无事不扰事项清单</td><td>—</td><td>旅馆明码标价</td>" in page
