"""The check ledger (国办发〔2024〕54号): a body's published yearly cap leaves companies it
has already checked that often out of its next draw, with the reason in the bundle; D-class
companies and upper-level 专项 checks are the documented exceptions; companies checked three
times in thirty days by several bodies are listed for a warning."""

from datetime import date

import pytest

from shuangsuiji.accounts.permissions import SYSTEM, NotAllowed
from shuangsuiji.checks.ledger import frequently_checked, yearly_counts
from shuangsuiji.checks.models import CheckKind
from shuangsuiji.checks.services import LedgerError, record_check, set_cap
from shuangsuiji.core.draw import read_population_csv, verify
from shuangsuiji.directory.enums import InspectionMethod
from shuangsuiji.directory.models import Entity
from shuangsuiji.draws.services import complete_draw, freeze_draw, task_population
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import EntityFactory, other_district_coordinator

pytestmark = pytest.mark.django_db

DICE = "3 1 4 1 5 6 2 6 5 3 5 2 6 4 1 3 2 3 4 6"


def checked(world: World, entity: Entity, department: object, day: str, **fields: str) -> None:
    record_check(
        entity,
        department,  # type: ignore[arg-type]
        checked_on=date.fromisoformat(day),
        kind=fields.get("kind", CheckKind.SPECIAL),
        method=InspectionMethod.ON_SITE,
        items="旅馆业治安管理",
        basis=fields.get("basis", "区公安分局2023年专项行动方案"),
        actor=world.coordinator,
    )


def hotels_of(task: object) -> list[Entity]:
    return list(Entity.objects.filter(categories__name="旅馆").order_by("uscc"))


def test_a_company_at_the_lead_bodys_cap_is_left_out_with_its_reason_and_the_draw_verifies(
    world: World,
) -> None:
    task = make_task(world, entities=8)  # 区公安分局 leads; risk classes A B C D A B C D
    capped, other = [e for e in hotels_of(task) if e.risk_class == "B"][:2]
    notice = "潞城区公安分局2023年涉企检查频次公告"
    set_cap(world.police, year=2023, limit=2, source=notice, actor=SYSTEM)
    checked(world, capped, world.police, "2023-02-01")
    checked(world, capped, world.police, "2023-02-20")
    checked(world, other, world.police, "2023-02-01")

    draw = complete_draw(
        freeze_draw(task, actor=SYSTEM), actor=SYSTEM, public_value=DICE, public_source="联席会议"
    )

    population = read_population_csv(draw.population_csv)
    assert capped.uscc not in population
    assert other.uscc in population  # one check of two allowed
    assert {
        "uscc": capped.uscc,
        "reason": (
            "本年度已被区公安分局检查或安排检查2次，达到其公布的每年2次上限"
            "（潞城区公安分局2023年涉企检查频次公告）"
        ),
    } in draw.bundle["exclusions"]
    assert verify(draw.bundle, population) == []


def test_a_high_risk_company_stays_in_however_often_it_was_checked(world: World) -> None:
    task = make_task(world, entities=8)
    high_risk = next(e for e in hotels_of(task) if e.risk_class == "D")
    set_cap(world.police, year=2023, limit=1, source="公告", actor=SYSTEM)
    checked(world, high_risk, world.police, "2023-02-01")

    population, _ = task_population(task)

    assert high_risk.uscc in population


def test_upper_level_special_checks_and_other_bodies_checks_do_not_count(world: World) -> None:
    company = world.company
    checked(world, company, world.police, "2023-03-01", kind=CheckKind.UPPER_SPECIAL)
    checked(world, company, world.education, "2023-03-02")
    checked(world, company, world.police, "2022-12-30")  # last year

    assert yearly_counts(world.police.pk, 2023)[company.uscc] == 0
    assert yearly_counts(world.education.pk, 2023)[company.uscc] == 1


def test_a_partner_bodys_cap_applies_only_when_it_joins_the_visit(world: World) -> None:
    task = make_task(world, entities=4)
    task.partner_departments.add(world.education)
    company = hotels_of(task)[1]  # class B
    set_cap(world.education, year=2023, limit=1, source="区教育局公告", actor=SYSTEM)
    checked(world, company, world.education, "2023-04-01")

    task.joint_inspection = False
    alone, _ = task_population(task)
    task.joint_inspection = True
    joint, exclusions = task_population(task)

    assert company.uscc in alone
    assert company.uscc not in joint
    assert exclusions[-1]["reason"].startswith("本年度已被区教育局检查或安排检查1次")


def test_a_company_drawn_in_another_plan_of_the_year_counts_once_for_that_plan(
    world: World,
) -> None:
    first = make_task(world, entities=4)
    done = complete_draw(
        freeze_draw(first, actor=SYSTEM), actor=SYSTEM, public_value=DICE, public_source="联席会议"
    )
    drawn = {c for r in done.bundle["rounds"] for s in r["strata"].values() for c in s["selected"]}

    counted = yearly_counts(world.police.pk, 2023)
    merged = yearly_counts(world.police.pk, 2023, leave_out_plan=first.plan_id)

    assert drawn
    assert {code for code, n in counted.items() if n} == drawn
    assert set(counted.values()) == {1}
    assert not merged  # a task of the same plan merges into the same visit


def test_three_checks_in_thirty_days_by_three_bodies_are_listed(world: World) -> None:
    busy, spread = world.company, EntityFactory(name="乙公司")
    checked(world, busy, world.police, "2023-05-01")
    checked(world, busy, world.education, "2023-05-15")
    checked(world, busy, world.market, "2023-05-30")
    for day in ("2023-05-01", "2023-05-20", "2023-06-15"):  # 45 days apart end to end
        checked(world, spread, world.police, day)

    rows = frequently_checked(Entity.objects.all(), year=2023)

    assert [(r.entity, r.checks, r.bodies) for r in rows] == [
        (busy, 3, ("区公安分局", "区教育局", "区市场监管局"))
    ]
    assert (rows[0].first, rows[0].last) == (date(2023, 5, 1), date(2023, 5, 30))


def test_only_the_bodys_own_admin_or_its_coordinator_sets_its_cap(world: World) -> None:
    set_cap(world.education, year=2023, limit=2, source="区教育局公告", actor=world.education_admin)
    set_cap(world.education, year=2023, limit=3, source="区教育局更正公告", actor=world.coordinator)

    for stranger in (world.police_admin, world.auditor, world.inspector_user):
        with pytest.raises(NotAllowed):
            set_cap(world.education, year=2023, limit=9, source="x", actor=stranger)
    with pytest.raises(NotAllowed):
        set_cap(world.education, year=2023, limit=9, source="x", actor=other_district_coordinator())
    with pytest.raises(LedgerError, match="公布依据"):
        set_cap(world.education, year=2023, limit=2, source=" ", actor=world.coordinator)
    assert world.education.check_caps.get().limit == 3


def test_a_check_is_entered_only_by_its_body_for_a_company_it_can_see_and_not_in_the_future(
    world: World,
) -> None:
    with pytest.raises(NotAllowed):
        record_check(
            world.company,
            world.education,
            checked_on=date(2023, 5, 1),
            kind=CheckKind.SPECIAL,
            method=InspectionMethod.ON_SITE,
            items="食堂",
            basis="方案",
            actor=world.police_admin,
        )
    with pytest.raises(LedgerError, match="不能晚于今天"):
        record_check(
            world.company,
            world.education,
            checked_on=date(2999, 1, 1),
            kind=CheckKind.SPECIAL,
            method=InspectionMethod.ON_SITE,
            items="食堂",
            basis="方案",
            actor=world.education_admin,
        )
    assert not world.company.other_checks.exists()


def test_a_joint_visit_is_one_check_for_the_warning_whatever_its_bodies(world: World) -> None:
    """Two other checks and one joint visit of three bodies are three checks, not five."""
    from shuangsuiji.assignments.models import Assignment, Visit
    from shuangsuiji.inspections.models import Inspection

    task = make_task(world)
    assignment = Assignment.objects.create(
        plan=task.plan, number=1, assignment_id="140406-2023-P1-A1", freeze_artefact=_artefact()
    )
    visit = Visit.objects.create(
        assignment=assignment,
        code="JOINT-1",
        entity=world.company,
        window_start="2023-05",
        window_end="2023-05",
        lead_department=world.police,
    )
    visit.departments.set([world.police, world.education, world.market])
    Inspection.objects.create(visit=visit, task=task, inspected_on=date(2023, 5, 10))
    checked(world, world.company, world.police, "2023-05-01")

    assert frequently_checked(Entity.objects.all(), year=2023) == []
    checked(world, world.company, world.education, "2023-05-20")
    [row] = frequently_checked(Entity.objects.all(), year=2023)
    assert row.checks == 3
    assert row.bodies == ("区公安分局", "区市场监管局", "区教育局")  # in the order they came


def _artefact() -> object:
    from shuangsuiji.artefacts.models import ArtefactKind
    from shuangsuiji.artefacts.services import store_json

    return store_json(ArtefactKind.ASSIGNMENT_FREEZE, {"test": "joint visit"})


def test_the_annual_figures_count_each_capped_bodys_companies_at_and_over_its_cap(
    world: World,
) -> None:
    from shuangsuiji.checks.ledger import CapStanding, cap_standings

    other = EntityFactory(name="乙公司")
    set_cap(world.police, year=2023, limit=1, source="区公安分局公告", actor=SYSTEM)
    checked(world, world.company, world.police, "2023-03-01")
    checked(world, world.company, world.police, "2023-04-01")  # over: entered after the cap
    checked(world, other, world.police, "2023-04-02")  # at the cap
    checked(world, other, world.education, "2023-04-03")  # another body, no cap

    assert cap_standings(world.police.region_id, 2023) == [
        CapStanding("区公安分局", 1, "区公安分局公告", companies=2, at_cap=1, over_cap=1)
    ]


def test_a_visit_is_on_site_unless_every_item_is_checked_otherwise() -> None:
    """能非现场不入企: a visit whose items are all checked on paper or online is not on site;
    one on-site item, or an item on no list, makes it on site."""
    from shuangsuiji.checks.ledger import visit_method

    methods = {"年报公示信息": "书面检查", "网店亮照": "网络监测", "消防设施": "现场检查"}

    assert visit_method(["年报公示信息", "网店亮照"], methods) == "书面检查、网络监测"
    assert visit_method(["年报公示信息"], methods) == "书面检查"
    assert visit_method(["年报公示信息", "消防设施"], methods) == "现场检查"
    assert visit_method(["年报公示信息", "未列入清单的事项"], methods) == "现场检查"
    assert visit_method([], methods) == "现场检查"
