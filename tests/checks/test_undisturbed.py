"""The region's 无事不扰 list: entered by the coordinator from the published list; a draw
leaves its companies out with the reason in the bundle, except for tasks checking a
重点监管事项 and companies rated D at the freeze."""

import pytest

from shuangsuiji.accounts.permissions import SYSTEM, NotAllowed
from shuangsuiji.checks.models import UndisturbedListing
from shuangsuiji.checks.undisturbed import ListingError, list_undisturbed, unlist
from shuangsuiji.core.draw import read_population_csv, verify
from shuangsuiji.directory.enums import ItemList
from shuangsuiji.directory.models import CheckItem, Entity
from shuangsuiji.draws.services import complete_draw, freeze_draw, task_population
from tests.checks.test_ledger import DICE, hotels_of
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import (
    DepartmentFactory,
    EntityFactory,
    lucheng,
    make_user,
    other_district_coordinator,
)

pytestmark = pytest.mark.django_db

NOTICE = "潞城区2023年度无事不扰企业名单（潞政办发〔2023〕5号）"


def pasted(*entities: Entity) -> str:
    """Rows as copied from the published table: 序号, name, code."""
    return "\n".join(f"{n}\t{e.name}\t{e.uscc}" for n, e in enumerate(entities, start=1))


def test_a_listed_company_is_left_out_with_its_reason_and_the_draw_verifies(world: World) -> None:
    task = make_task(world, entities=8)
    listed, other = [e for e in hotels_of(task) if e.risk_class == "A"][:2]
    assert list_undisturbed(pasted(listed), year=2023, source=NOTICE, actor=world.coordinator) == 1

    draw = complete_draw(
        freeze_draw(task, actor=SYSTEM), actor=SYSTEM, public_value=DICE, public_source="联席会议"
    )

    population = read_population_csv(draw.population_csv)
    assert listed.uscc not in population
    assert other.uscc in population
    assert {
        "uscc": listed.uscc,
        "reason": f"列入2023年度无事不扰企业名单（{NOTICE}），本任务不含重点监管事项",
    } in draw.bundle["exclusions"]
    assert verify(draw.bundle, population) == []


def test_a_task_checking_a_key_item_still_draws_listed_companies(world: World) -> None:
    task = make_task(world, entities=4)
    listed = hotels_of(task)[0]
    list_undisturbed(pasted(listed), year=2023, source=NOTICE, actor=world.coordinator)
    CheckItem.objects.create(
        department=world.police,
        name="旅馆业消防安全",
        legal_basis="《中华人民共和国消防法》",
        object_type="旅馆",
        list_kind=ItemList.KEY,
    )
    task.items = ["旅馆业治安管理", "旅馆业消防安全"]
    task.save()

    population, exclusions = task_population(task)

    assert listed.uscc in population
    assert all(e["uscc"] != listed.uscc for e in exclusions)


def test_a_company_rated_d_at_the_freeze_is_drawn_though_listed_and_cannot_be_listed(
    world: World,
) -> None:
    task = make_task(world, entities=4)
    company = next(e for e in hotels_of(task) if e.risk_class == "A")
    list_undisturbed(pasted(company), year=2023, source=NOTICE, actor=world.coordinator)
    Entity.objects.filter(pk=company.pk).update(risk_class="D")  # the monthly update

    population, _ = task_population(task)
    assert population[company.uscc] == "D"

    with pytest.raises(ListingError, match=r"第 1 行：.*信用风险分类为 D"):
        list_undisturbed(company.uscc, year=2024, source=NOTICE, actor=world.coordinator)


def test_another_years_list_does_not_apply(world: World) -> None:
    task = make_task(world, entities=4)
    company = hotels_of(task)[0]
    list_undisturbed(company.uscc, year=2022, source=NOTICE, actor=world.coordinator)

    population, _ = task_population(task)

    assert company.uscc in population


def test_one_bad_line_refuses_the_whole_paste_naming_it(world: World) -> None:
    good, elsewhere = EntityFactory(), EntityFactory()
    foreign = other_district_coordinator()
    Entity.objects.filter(pk=elsewhere.pk).update(region=foreign.department.region)
    text = f"{good.uscc}\n\n{elsewhere.uscc}"

    with pytest.raises(ListingError, match=f"第 3 行：本辖区名录库中没有 {elsewhere.uscc}"):
        list_undisturbed(text, year=2023, source=NOTICE, actor=world.coordinator)
    with pytest.raises(ListingError, match="第 2 行没有统一社会信用代码"):
        list_undisturbed(
            f"{good.uscc}\n某某公司", year=2023, source=NOTICE, actor=world.coordinator
        )
    with pytest.raises(ListingError, match="公布依据"):
        list_undisturbed(good.uscc, year=2023, source=" ", actor=world.coordinator)

    assert not UndisturbedListing.objects.exists()


def test_only_the_coordinator_of_the_companys_region_enters_or_removes_it(world: World) -> None:
    company = EntityFactory()
    foreign = other_district_coordinator()
    for stranger in (world.police_admin, world.auditor, world.inspector_user):
        with pytest.raises(NotAllowed):
            list_undisturbed(company.uscc, year=2023, source=NOTICE, actor=stranger)
    with pytest.raises(ListingError, match="本辖区名录库中没有"):
        list_undisturbed(company.uscc, year=2023, source=NOTICE, actor=foreign)

    list_undisturbed(company.uscc, year=2023, source=NOTICE, actor=world.coordinator)
    listing = UndisturbedListing.objects.get()
    for stranger in (world.police_admin, foreign):
        with pytest.raises(NotAllowed):
            unlist(listing, actor=stranger)
    unlist(listing, actor=world.coordinator)
    assert not UndisturbedListing.objects.exists()


def test_listing_twice_adds_nothing(world: World) -> None:
    company = EntityFactory()
    list_undisturbed(company.uscc, year=2023, source=NOTICE, actor=world.coordinator)

    assert list_undisturbed(pasted(company), year=2023, source=NOTICE, actor=world.coordinator) == 0


def test_a_list_applies_to_its_own_regions_plans_only(world: World) -> None:
    """A city's list does not take companies out of a district's plan (nor could a district's
    list reach a city's plan): each level publishes its own."""
    task = make_task(world, entities=4)  # a 潞城区 plan
    company = next(e for e in hotels_of(task) if e.risk_class == "A")
    city = lucheng().parent
    assert city is not None
    city_office = DepartmentFactory(
        region=city, name="长治市市场监督管理局", short_name="市市场监管局"
    )
    city_coordinator = make_user("city-coordinator", "协调员", city_office)

    list_undisturbed(company.uscc, year=2023, source="长治市名单", actor=city_coordinator)
    population, _ = task_population(task)
    assert company.uscc in population
    with pytest.raises(NotAllowed):  # not the district's list to change
        unlist(UndisturbedListing.objects.get(), actor=world.coordinator)

    list_undisturbed(company.uscc, year=2023, source=NOTICE, actor=world.coordinator)
    population, _ = task_population(task)
    assert company.uscc not in population
