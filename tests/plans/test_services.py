"""Storing a parsed plan: departments resolved through aliases, one transaction, no duplicates."""

from pathlib import Path

import pytest

import shuangsuiji.demo
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.directory.models import DepartmentAlias, Region
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.services import PlanImportError, import_plan, resolve_region
from tests.conftest import World

pytestmark = pytest.mark.django_db

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
LUCHENG = "lucheng-2023-plan.txt"


def lucheng_plan():  # type: ignore[no-untyped-def]
    return parse_plan((SEEDS / LUCHENG).read_bytes(), LUCHENG)


def test_import_stores_every_task_with_its_fields(world: World) -> None:
    plan = import_plan(lucheng_plan(), actor=SYSTEM, filename=LUCHENG)

    first = plan.tasks.get(seq=1)
    assert (plan.region.code, plan.year, plan.tasks.count()) == ("140406", 2023, 38)
    assert (first.name, first.items, str(first.ratio_min), first.frequency_per_year) == (
        "对学校食堂食品安全情况的双随机抽查",
        ["学校食堂食品安全情况的检查"],
        "0.300000",
        1,
    )
    assert (first.window_start, first.window_end, first.risk_kind) == (
        "2023-03",
        "2023-11",
        "escalate",
    )


def test_import_links_departments_by_alias_and_reports_unknown_ones(world: World) -> None:
    DepartmentAlias.objects.create(department=world.market, name="区市场监督管理局")

    plan = import_plan(lucheng_plan(), actor=SYSTEM, filename=LUCHENG)

    first = plan.tasks.get(seq=1)
    unknown = [f["message"] for f in first.findings if f["field"] == "partner_departments"]
    assert first.lead_department == world.market
    assert first.partner_texts == ["区教育局", "区卫体局"]
    assert list(first.partner_departments.all()) == [world.education]
    assert unknown == ["未知的部门“区卫体局”：请在“部门”中添加，或把它登记为已有部门的别称"]


def test_import_twice_is_refused_and_nothing_changes(world: World) -> None:
    import_plan(lucheng_plan(), actor=SYSTEM, filename=LUCHENG)

    with pytest.raises(PlanImportError, match="已有同名计划"):
        import_plan(lucheng_plan(), actor=SYSTEM, filename=LUCHENG)

    assert (Plan.objects.count(), PlanTask.objects.count()) == (1, 38)


def test_import_with_replace_swaps_the_plan(world: World) -> None:
    first = import_plan(lucheng_plan(), actor=SYSTEM, filename=LUCHENG)

    second = import_plan(lucheng_plan(), actor=SYSTEM, filename=LUCHENG, replace=True)

    assert list(Plan.objects.all()) == [second]
    assert second.pk != first.pk


def test_resolve_region_prefers_the_most_specific_match() -> None:
    assert resolve_region("晋城市城区").code == "140502"
    assert resolve_region("潞城区").code == "140406"


def test_resolve_region_unknown_locality_names_it() -> None:
    with pytest.raises(PlanImportError, match="“某某县”"):
        resolve_region("某某县")


def test_plan_without_year_is_refused(world: World) -> None:
    parsed = parse_plan(
        "\t序号\n\t抽查任务名称\n\t抽查事项\n\t抽查对象范围\n\n\t1\n\t甲\n\t乙\n\t丙\n".encode(),
        "p.txt",
    )

    with pytest.raises(PlanImportError, match="计划年度未知"):
        import_plan(
            parsed, actor=SYSTEM, filename="p.txt", region=Region.objects.get(code="140406")
        )
