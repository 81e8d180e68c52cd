"""The assignment page explains a department's spread of loads: even where everyone may take
every place, and named causes where not (a qualification few hold, a certificate covering part
of the year). Assignments made by the rule itself from small inputs."""

from typing import Any

from shuangsuiji.assignments.spread import spread_reasons
from shuangsuiji.core import assign as rule
from tests.core.assign_vectors import E, person, public, task

MARKET, FOOD = "区市场监管局", "食品安全"
EVEN = ["每个位置取负荷最少的合格人员，差距不超过 1 次"]


def assigned(tasks: list[dict[str, Any]], inspectors: list[dict[str, Any]]) -> dict[str, Any]:
    rules = rule.Rules(rotation=False, cap=20)  # a fixed cap: the spread is the point here
    freeze = rule.freeze_assignment("T-2026-A1", rules, tasks, inspectors, [], [], {})
    return rule.run_assignment(freeze, public())


def test_a_department_whose_people_are_interchangeable_differs_by_one_at_most() -> None:
    people = [person(f"SC{n}", f"人员{n}", MARKET) for n in range(1, 5)]
    bundle = assigned(
        [task("T1", "食品抽查", ("2026-03", "2026-06"), MARKET, [E[n] for n in range(1, 8)])],
        people,
    )

    loads = bundle["loads"][MARKET]

    assert loads["max"] - loads["min"] <= 1
    assert spread_reasons(bundle) == {MARKET: EVEN}


def test_places_for_a_qualification_one_person_holds_are_named_as_the_cause() -> None:
    # Ten visits each need a 食品安全 holder; only SC1 holds it: SC1 is on all ten.
    people = [person("SC1", "王磊", MARKET, FOOD)] + [
        person(f"SC{n}", f"人员{n}", MARKET) for n in range(2, 6)
    ]
    food = task(
        "T1",
        "食品抽查",
        ("2026-03", "2026-06"),
        MARKET,
        [E[n] for n in range(1, 11)],
        qualifications=(FOOD,),
        team_size=2,
    )
    bundle = assigned([food], people)

    (reasons,) = spread_reasons(bundle).values()

    assert bundle["loads"][MARKET]["max"] - bundle["loads"][MARKET]["min"] >= 2
    holders = {m["inspector"] for v in bundle["visits"] for m in v["team"] if m["qualification"]}
    assert holders == {"SC1"}
    places = sum(1 for v in bundle["visits"] for m in v["team"] if m["qualification"])
    assert reasons[0] == f"{places} 个须持“{FOOD}”资格的位置只能由其中 1 名持证人员承担"


def test_a_certificate_that_ends_mid_year_is_named_as_a_cause() -> None:
    # SC1's certificate ends in April: of the spring and autumn visits it takes only spring's.
    people = [person("SC1", "王磊", MARKET, valid_until="2026-04-30")] + [
        person(f"SC{n}", f"人员{n}", MARKET) for n in range(2, 4)
    ]
    spring = task("T1", "春季抽查", ("2026-03", "2026-04"), MARKET, [E[1], E[2]])
    autumn = task("T2", "秋季抽查", ("2026-09", "2026-10"), MARKET, [E[n] for n in range(3, 13)])
    bundle = assigned([spring, autumn], people)

    (reasons,) = spread_reasons(bundle).values()

    assert bundle["loads"][MARKET]["max"] - bundle["loads"][MARKET]["min"] >= 2
    assert "1 名人员的执法证有效期只覆盖部分检查时段，只参加有效期内的检查" in reasons
