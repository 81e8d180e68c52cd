"""A task's population as a saved filter: what it counts is what the draw freezes."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import timezone

from shuangsuiji.directory import tally
from shuangsuiji.directory.models import Region, ScopeCategory
from shuangsuiji.directory.services import ensure_region_chain
from shuangsuiji.draws.services import task_population
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.population import (
    PopulationFilter,
    population_flags,
    risk_counts,
    tallied_counts,
)
from shuangsuiji.plans.suggestions import minimum_capital, suggest_scope
from tests.conftest import World
from tests.factories import EntityFactory, lucheng

pytestmark = pytest.mark.django_db


def hotel_task(world: World, *, region: Region | None = None, **fields: object) -> PlanTask:
    """Task 9 of 潞城区's plan, 旅馆 in scope, ratio 30 %, led by 区公安分局; no entities."""
    hotels, _ = ScopeCategory.objects.get_or_create(name="旅馆", industry_code="H6110")
    plan = Plan.objects.create(
        title="潞城区2023年度计划",
        year=2023,
        region=region or lucheng(),
        published_at=timezone.now(),  # a draft's tasks are not drawn
    )
    values = {
        "plan": plan,
        "position": 9,
        "seq": 9,
        "name": "对旅馆业特种行业的双随机抽查",
        "scope": "本辖区内的旅馆业",
        "ratio_min": Decimal("0.3"),
        "frequency_per_year": 1,
        "risk_kind": "escalate",
        "lead_department": world.police,
        **fields,
    }
    task = PlanTask.objects.create(**values)
    task.scope_categories.set([hotels])
    return task


def hotels(*risk_classes: str, **fields: object) -> None:
    """One 旅馆 per risk class given ("" for unclassified)."""
    category = ScopeCategory.objects.get(name="旅馆")
    for risk_class in risk_classes:
        EntityFactory(risk_class=risk_class, **fields).categories.add(category)


@pytest.fixture(params=["directory", "tally"], autouse=True)
def count_source(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every count in this file is taken twice: from the directory itself, and from the
    directory tally made just before counting."""
    global COUNT_FROM_TALLY
    COUNT_FROM_TALLY = request.param == "tally"
    yield
    COUNT_FROM_TALLY = False


COUNT_FROM_TALLY = False


def counts_of(task: PlanTask) -> dict[str, int]:
    if COUNT_FROM_TALLY:
        tally.rebuild()
    assert tally.is_current() == COUNT_FROM_TALLY
    return risk_counts(PopulationFilter.of_task(task))


def drawn_listing(task: PlanTask) -> dict[str, int]:
    """The strata task_population would freeze, counted the way risk_counts counts."""
    population, _ = task_population(task)
    return {stratum: Counter(population.values())[stratum] for stratum in "ABCDU"}


def test_counts_per_risk_class_match_a_hand_count(world: World) -> None:
    task = hotel_task(world)
    hotels("A", "A", "A", "B", "B", "C", "", "")
    hotels("A", status="注销")  # in scope, but not drawn
    EntityFactory(risk_class="D")  # 甲公司's neighbour: no category, out of scope

    assert counts_of(task) == {"A": 3, "B": 2, "C": 1, "D": 0, "U": 2}


def test_an_entity_with_two_matching_categories_counts_once(world: World) -> None:
    task = hotel_task(world)
    ktv = ScopeCategory.objects.create(name="KTV", industry_code="R9011")
    task.scope_categories.add(ktv)
    hotels("B")
    ScopeCategory.objects.get(name="旅馆").entities.get().categories.add(ktv)

    assert counts_of(task) == {"A": 0, "B": 1, "C": 0, "D": 0, "U": 0}


def test_an_industry_code_prefix_adds_entities_without_the_category(world: World) -> None:
    task = hotel_task(world, scope_industry_codes=["H61"])
    hotels("A")
    EntityFactory(risk_class="C", industry_code="H6110")  # an untagged hotel
    EntityFactory(risk_class="D", industry_code="H6210")  # a restaurant

    assert counts_of(task) == {"A": 1, "B": 0, "C": 1, "D": 0, "U": 0}


def test_an_entity_both_tagged_and_coded_counts_once(world: World) -> None:
    task = hotel_task(world, scope_industry_codes=["H61"])
    hotels("A", industry_code="H6110")

    assert counts_of(task) == {"A": 1, "B": 0, "C": 0, "D": 0, "U": 0}


def test_a_minimum_capital_leaves_out_smaller_and_unknown_capital(world: World) -> None:
    task = hotel_task(world, scope_min_capital=Decimal("3000"))
    hotels("A", registered_capital=Decimal("3000"))
    hotels("B", registered_capital=Decimal("2999.99"))
    hotels("C")  # capital unknown

    assert counts_of(task) == {"A": 1, "B": 0, "C": 0, "D": 0, "U": 0}


def test_a_minimum_capital_between_round_amounts_counts_exactly(world: World) -> None:
    task = hotel_task(world, scope_min_capital=Decimal("2500"))
    hotels("A", registered_capital=Decimal("2500"))
    hotels("B", registered_capital=Decimal("2499.99"))  # the same band of the tally (2000)
    hotels("C", registered_capital=Decimal("3000"))

    assert counts_of(task) == {"A": 1, "B": 0, "C": 1, "D": 0, "U": 0}


def test_a_task_naming_no_category_or_industry_code_has_nobody(world: World) -> None:
    task = hotel_task(world)
    task.scope_categories.clear()
    hotels("A")

    assert (counts_of(task), task_population(task)) == (dict.fromkeys("ABCDU", 0), ({}, []))


def test_chosen_lower_regions_narrow_a_city_plan(world: World) -> None:
    changzhi = Region.objects.get(code="140400")
    lucheng_region = lucheng()
    shangdang = ensure_region_chain(
        ("140000", "山西省"), ("140400", "长治市"), ("140404", "上党区")
    )
    task = hotel_task(world, region=changzhi)
    hotels("A", region=lucheng_region)
    hotels("B", region=shangdang)
    task.scope_regions.set([shangdang])

    assert counts_of(task) == {"A": 0, "B": 1, "C": 0, "D": 0, "U": 0}


def test_narrowed_statuses_list_the_other_active_ones_as_excluded(world: World) -> None:
    task = hotel_task(world, scope_statuses=["在业"])
    hotels("A", status="在业")
    hotels("B", status="存续")

    population, exclusions = task_population(task)

    assert (list(population.values()), [e["reason"] for e in exclusions]) == (
        ["A"],
        ["登记状态：存续"],
    )


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"scope_industry_codes": ["H61", "R90"]},
        {"scope_min_capital": Decimal("100")},
        {"scope_statuses": ["存续"]},
    ],
    ids=["categories", "industry codes", "capital", "statuses"],
)
def test_the_live_count_and_the_draws_population_agree(world: World, fields: dict) -> None:
    task = hotel_task(world, **fields)
    hotels("A", "B", "", registered_capital=Decimal("500"))
    hotels("C", "D", status="在业")
    hotels("A", status="吊销")
    EntityFactory(risk_class="B", industry_code="R9011", registered_capital=Decimal("50"))
    EntityFactory(risk_class="C", industry_code="H6110", status="在业")
    hotels("D", industry_code="H6110")  # tagged and coded: one entity

    assert counts_of(task) == drawn_listing(task)


def test_an_empty_population_is_flagged(world: World) -> None:
    task = hotel_task(world)

    assert population_flags(task, counts_of(task), names_a_kind=True) == [
        "抽取名单为空：没有符合条件的检查对象"
    ]


def test_a_task_naming_nothing_is_flagged_even_before_counting(world: World) -> None:
    task = hotel_task(world)

    assert population_flags(task, None, names_a_kind=False) == [
        "未设置检查对象类别或行业代码：抽取名单为空"
    ]


def test_fewer_entities_than_the_sample_count_is_flagged(world: World) -> None:
    task = hotel_task(world, ratio_min=None, sample_count=20)
    hotels(*"AB" * 6)

    assert population_flags(task, counts_of(task), names_a_kind=True) == [
        "名单仅 12 户，少于抽查户数 20 户"
    ]


def test_a_population_the_ratio_would_draw_whole_is_flagged(world: World) -> None:
    task = hotel_task(world)
    hotels("A", "B", "C", "D")  # ceil(0.3 × 1) = 1 in each stratum: all four

    assert population_flags(task, counts_of(task), names_a_kind=True) == [
        "名单仅 4 户，按抽查比例应抽 4 户，即全部抽中"
    ]


def test_a_small_population_is_flagged(world: World) -> None:
    task = hotel_task(world)
    hotels(*"B" * 9)

    assert population_flags(task, counts_of(task), names_a_kind=True) == [
        "名单仅 9 户，请核对抽查对象范围"
    ]


def test_an_ample_population_is_not_flagged(world: World) -> None:
    task = hotel_task(world)
    hotels(*"B" * 10)

    assert population_flags(task, counts_of(task), names_a_kind=True) == []


def test_suggestions_name_the_categories_the_scope_text_describes(world: World) -> None:
    for name, code in [("学校食堂", "P8331"), ("中小学校", "P8321"), ("网吧", "R9013")]:
        ScopeCategory.objects.create(name=name, industry_code=code)
    task = hotel_task(world, scope="本辖区内各类学校")
    task.scope_categories.clear()

    suggestions = suggest_scope(task)

    assert [c.name for c in suggestions.categories] == ["中小学校", "学校食堂"]
    assert suggestions.industry_prefixes == ["P8321", "P8331"]
    assert suggestions.reasons[suggestions.categories[0].pk] == "类别名称与范围文字相符"


def test_suggestions_reuse_an_earlier_tasks_categories_for_the_same_scope_text(
    world: World,
) -> None:
    earlier = hotel_task(world, scope="本辖区所有用工单位")
    earlier.scope_categories.set(
        [ScopeCategory.objects.create(name=name) for name in ("建筑施工企业", "餐饮服务单位")]
    )
    plan = Plan.objects.create(title="潞城区2024年度计划", year=2024, region=lucheng())
    task = PlanTask.objects.create(plan=plan, position=4, seq=4, scope="本辖区所有用工单位")

    suggestions = suggest_scope(task)

    assert [(c.name, suggestions.reasons[c.pk]) for c in suggestions.categories] == [
        ("建筑施工企业", "2023年同一范围的任务（第9项）"),
        ("餐饮服务单位", "2023年同一范围的任务（第9项）"),
    ]


@pytest.mark.parametrize(
    ("text", "capital"),
    [
        ("注册资本3000万元以上企业", Decimal("3000")),
        ("注册资本1亿元及以上的企业", Decimal("10000")),
        ("本辖区内的旅馆业", None),
    ],
)
def test_a_minimum_capital_is_read_from_the_scope_text(text: str, capital: Decimal | None) -> None:
    assert minimum_capital(text) == capital


def test_tallied_counts_answer_many_filters_at_once_or_none_when_stale(world: World) -> None:
    task = hotel_task(world, scope_industry_codes=["R90"])
    hotels("A", "B", registered_capital=Decimal("600"))
    EntityFactory(risk_class="C", industry_code="R9011")  # capital unknown
    scope = PopulationFilter.of_task(task)
    filters = {
        1: scope,
        2: replace(scope, min_capital=Decimal("500")),
        3: replace(scope, min_capital=Decimal("550")),  # no band edge: not answered
        4: replace(scope, category_ids=(), industry_prefixes=()),  # names nobody
    }
    stale = tallied_counts(filters)
    tally.rebuild()

    assert (stale, tallied_counts(filters)) == (
        {},
        {
            1: {"A": 1, "B": 1, "C": 1, "D": 0, "U": 0},
            2: {"A": 1, "B": 1, "C": 0, "D": 0, "U": 0},
            4: dict.fromkeys("ABCDU", 0),
        },
    )
