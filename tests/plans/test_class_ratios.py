"""A plan's per-class ratios and tiered ratios reach the stored task, its page and the draw:
a plan that says A类3% draws class A at 3 %, and one that names a ratio per level keeps every
level beside the one it draws at (issue 18, item 3)."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.draw import read_population_csv, verify
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.directory.models import ScopeCategory
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import DrawStepError, complete_draw, freeze_draw, task_parameters
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.services import import_plan
from tests.conftest import World
from tests.factories import EntityFactory, lucheng

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parents[1] / "data" / "real_plans"
DICE = "3 1 4 1 5 6 2 6 5 3 5 2 6 4 1 3 2 3 4 6"

# 潞城's table with the ratio cells as two real plans write them: a per-class table (重庆市
# 市场监管局 2024 writes "A:3%;") and a ratio per level (无为市 2023, task 1).
TABLE = """潞城区2023年度部门联合双随机抽查工作计划
序号\t抽查任务名称\t抽查事项\t抽查对象范围\t抽查比例\t抽查时间\t发起部门\t配合部门
1\t旅馆业抽查\t治安管理\t本辖区旅馆\tA类10%，B类20%，C类50%，D类100%\t3月-11月\t区市场监管局\t区公安分局
2\t粮食收储企业抽查\t粮食收购活动监督检查\t粮食收储企业\t\
市级抽查市级储备粮比例不低于备查库点的30%，县（区）级抽查县级储备粮比例不低于备查库点的50%\t\
3月-11月\t区市场监管局\t
"""


def imported(world: World, text: str = TABLE, filename: str = "粘贴的表格.txt") -> Plan:
    parsed = parse_plan(text.encode("utf-8"), filename, year=2023)
    plan = import_plan(parsed, filename=filename, region=lucheng(), actor=world.coordinator)
    plan.published_at = timezone.now()
    plan.save(update_fields=["published_at"])
    return plan


def test_a_per_class_table_is_stored_as_the_tasks_class_ratios(world: World) -> None:
    task = imported(world).tasks.get(seq=1)

    assert task.class_ratios == {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"}
    assert task.ratio_min == Decimal("0.1")  # the lowest, for a class the table leaves out


def test_a_real_plans_per_class_cell_reaches_the_draws_parameters(world: World) -> None:
    source = CORPUS / "chongqing-2024-market.txt"
    plan = imported(world, source.read_text(encoding="utf-8"), source.name)
    task = plan.tasks.get(seq=1)  # 食品相关产品生产企业监督抽查: "A:3%;"

    parameters = task_parameters(task)

    assert task.class_ratios == {"A": "0.03"}
    assert parameters.class_ratios == {"A": "0.03"}
    assert parameters.ratio == "0.03"


def test_each_class_is_drawn_at_its_own_ratio(world: World) -> None:
    task = imported(world).tasks.get(seq=1)
    hotels = ScopeCategory.objects.create(name="旅馆", industry_code="H6110")
    task.scope_categories.set([hotels])
    for index in range(40):
        EntityFactory(risk_class="ABCD"[index % 4]).categories.add(hotels)  # ten of each class
    draw = freeze_draw(task, actor=SYSTEM)
    draw = complete_draw(draw, actor=SYSTEM, public_value=DICE, public_source="联席会议")

    strata = draw.bundle["rounds"][0]["strata"]

    assert draw.bundle["parameters"]["class_ratios"] == task.class_ratios
    assert {k: strata[k]["k"] for k in "ABCD"} == {"A": 1, "B": 2, "C": 5, "D": 10}
    assert verify(draw.bundle, read_population_csv(draw.population_csv)) == []


def test_tiers_are_kept_and_a_district_plan_draws_at_the_county_level(world: World) -> None:
    task = imported(world).tasks.get(seq=2)

    assert task.ratio_tiers == [["市级", "0.3"], ["县（区）级", "0.5"]]
    assert task.ratio_min == Decimal("0.5")


def test_the_plan_page_shows_the_class_ratios_and_the_tiers(world: World) -> None:
    plan = imported(world)
    client = Client()
    client.force_login(world.coordinator)

    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()

    assert "按信用风险分类：A类 10%、B类 20%、C类 50%、D类 100%" in page
    assert "分级：市级 30%、县（区）级 50%" in page


def test_a_draft_plans_task_cannot_be_drawn(world: World) -> None:
    plan = imported(world)
    Plan.objects.filter(pk=plan.pk).update(published_at=None)
    task = PlanTask.objects.get(plan=plan, seq=1)

    with pytest.raises(DrawStepError, match="尚未发布"):
        freeze_draw(task, actor=world.coordinator)


def test_a_draft_plans_task_page_says_why_it_offers_no_draw_and_refuses_a_forged_post(
    world: World,
) -> None:
    plan = imported(world)
    Plan.objects.filter(pk=plan.pk).update(published_at=None)
    task = PlanTask.objects.get(plan=plan, seq=1)
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("draws:task", args=[task.pk])

    page = client.get(url).content.decode()
    forged = client.post(url, follow=True)

    assert "本计划尚未发布，不能抽取" in page
    assert "冻结名单，开始抽取" not in page
    assert "尚未发布" in forged.content.decode()
    assert not task.draws.exists()
    assert not task.draw_jobs.exists()


def test_the_command_refuses_to_freeze_a_draft_plan_and_writes_nothing(world: World) -> None:
    plan = imported(world)
    Plan.objects.filter(pk=plan.pk).update(published_at=None)
    errors = StringIO()

    with pytest.raises(CommandError, match="未写入任何抽取"):
        call_command(
            "draw", "freeze", "--plan", plan.pk, "--all", "--user", "wangmin", stderr=errors
        )

    assert "尚未发布" in errors.getvalue()
    assert not Draw.objects.exists()
