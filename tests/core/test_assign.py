"""The second random (shuangsuiji-assign/1) as a specification: joint visits, teams, verifier.

Every assignment made here is also judged by tests/core/assign_checker.py, a checker written
from the rules alone, so the module is tested against the rules and not against itself.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuangsuiji.core import assign as assign_module
from shuangsuiji.core import draw as draw_module
from shuangsuiji.core.assign import (
    AssignError,
    Pool,
    Rules,
    assign,
    current_teams,
    freeze_assignment,
    merge_report,
    merge_visits,
    recuse,
    run_assignment,
    shortfalls,
    verify,
)
from shuangsuiji.core.draw import commitment
from shuangsuiji.core.uscc import make_uscc
from tests.core import assign_example as example
from tests.core.assign_checker import check_bundle, violations_for

Bundle = dict[str, Any]

MARKET = "区市场监管局"
HEALTH = "区卫健局"
EMERGENCY = "区应急管理局"
ENVIRONMENT = "区生态环境分局"

FOOD = "食品检验"
EQUIPMENT = "特种设备"
HAZMAT = "危化品"

# Fifty public values as a joint meeting would enter them: ten dice, numbered to be distinct.
PUBLIC_VALUES = [
    " ".join(str(random.Random(n).randint(1, 6)) for _ in range(10)) + f" #{n}" for n in range(50)
]


def entity(number: int) -> str:
    return make_uscc("9", "1", "140406", f"MA{number:07d}")


def person(
    inspector_id: str,
    department: str,
    *qualifications: str,
    active: bool = True,
    valid_from: str = "2021-01-01",
    valid_until: str = "2026-12-31",
    unit: str | None = None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": inspector_id,
        "name": f"执法人员{inspector_id}",
        "department": department,
        "active": active,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "qualifications": list(qualifications),
    }
    if unit is not None:
        row["unit"] = unit
    return row


def task(
    name: str,
    lead: str,
    window: tuple[str, str],
    selected: Sequence[str],
    partners: Sequence[str] = (),
    qualifications: Sequence[str] = (),
    team_size: int | None = None,
) -> dict[str, Any]:
    return {
        "task": name,
        "lead": lead,
        "partners": list(partners),
        "window": list(window),
        "selected": list(selected),
        "qualifications": list(qualifications),
        "team_size": team_size,
    }


def public(value: str) -> dict[str, Any]:
    return {"kind": "public", "public_value": value, "public_source": "联席会议现场掷骰"}


# --- the small scenario: four departments of 潞城区, five tasks, seventeen entities ----------

E = {n: entity(n) for n in range(1, 18)}

SMALL_INSPECTORS = [
    person("SC01", MARKET, FOOD),
    person("SC02", MARKET, FOOD, EQUIPMENT),
    person("SC03", MARKET, EQUIPMENT),
    person("SC04", MARKET),
    person("SC05", MARKET, FOOD),
    person("SC06", MARKET, EQUIPMENT),
    person("SC07", MARKET, FOOD, EQUIPMENT, active=False),  # on long leave
    person("SC08", MARKET, EQUIPMENT, valid_until="2024-06-30"),  # certificate runs out
    person("SC09", MARKET),
    person("SC10", MARKET, FOOD),
    person("WJ01", HEALTH, FOOD),
    person("WJ02", HEALTH),
    person("WJ03", HEALTH),
    person("WJ04", HEALTH, FOOD),
    person("WJ05", HEALTH, valid_from="2024-07-01"),  # certified only from July
    person("WJ06", HEALTH),
    person("YJ01", EMERGENCY, HAZMAT),
    person("YJ02", EMERGENCY, HAZMAT),
    person("YJ03", EMERGENCY),
    person("YJ04", EMERGENCY, HAZMAT, valid_until="2023-12-31"),  # expired before the plan
    person("YJ05", EMERGENCY),
    person("HJ01", ENVIRONMENT),
    person("HJ02", ENVIRONMENT),
    person("HJ03", ENVIRONMENT, HAZMAT),
    person("HJ04", ENVIRONMENT),
    person("HJ05", ENVIRONMENT, active=False),
]

SMALL_TASKS = [
    task(
        "T01-食品经营",
        MARKET,
        ("2024-03", "2024-06"),
        [E[n] for n in range(1, 11)],
        partners=[HEALTH],
        qualifications=[FOOD],
    ),
    task(
        "T02-特种设备",
        MARKET,
        ("2024-05", "2024-09"),
        [E[n] for n in range(5, 13)],
        qualifications=[EQUIPMENT],
        team_size=3,
    ),
    task(
        "T03-危险化学品",
        EMERGENCY,
        ("2024-04", "2024-05"),
        [E[n] for n in range(8, 15)],
        partners=[ENVIRONMENT],
        qualifications=[HAZMAT],
    ),
    task(  # does not overlap T01: an entity drawn by both is visited twice
        "T04-公共场所卫生", HEALTH, ("2024-10", "2024-12"), [E[n] for n in (1, 2, 3, 4, 15, 16)]
    ),
    task(
        "T05-排污许可",
        ENVIRONMENT,
        ("2024-01", "2024-12"),
        [E[n] for n in (3, 9, 14, 17)],
        partners=[MARKET],
    ),
]

SMALL_CONFLICTS = [
    {"inspector": "SC01", "uscc": E[5], "reason": "配偶在该企业任职"},
    {"inspector": "WJ02", "uscc": E[1], "reason": "近亲属为股东"},
    {"inspector": "YJ01", "uscc": E[10], "reason": "曾为该企业提供咨询"},
    {"inspector": "HJ03", "uscc": E[14], "reason": "同学为法定代表人"},
]

SMALL_HISTORY = [
    {"uscc": E[5], "inspector": "SC02"},
    {"uscc": E[5], "inspector": "WJ01"},
    {"uscc": E[9], "inspector": "HJ01"},
    {"uscc": E[1], "inspector": "WJ01"},
]


def small_freeze(**changes: Any) -> dict[str, Any]:
    """The small scenario's freeze record; keyword arguments replace its parts."""
    parts: dict[str, Any] = {
        "assignment_id": "LC2024-ASSIGN-1",
        "rules": Rules(),
        "tasks": SMALL_TASKS,
        "inspectors": SMALL_INSPECTORS,
        "conflicts": SMALL_CONFLICTS,
        "history": SMALL_HISTORY,
        "units": None,
    }
    parts.update(changes)
    return freeze_assignment(
        parts["assignment_id"],
        parts["rules"],
        parts["tasks"],
        parts["inspectors"],
        parts["conflicts"],
        parts["history"],
        parts["units"],
    )


# --- the medium scenario: generated, six departments, twenty tasks, 150 entities -----------


def medium_freeze(seed: int = 2024, rules: Rules | None = None) -> dict[str, Any]:
    """A county-sized batch made by a seeded generator: every feature at once."""
    rng = random.Random(seed)
    departments = [f"部门{c}" for c in "甲乙丙丁戊己"]
    qualifications = ["特种设备", "食品检验", "危化品", "消防", "计量"]
    codes = [entity(1000 + n) for n in range(150)]
    units = {code: f"所{n % 5}" for n, code in enumerate(codes)}
    inspectors = []
    for d, department in enumerate(departments):
        for n in range(14):
            held = rng.sample(qualifications, rng.choice([0, 1, 1, 2, 2]))
            expired = rng.random() < 0.1
            inspectors.append(
                person(
                    f"D{d}-{n:02d}",
                    department,
                    *held,
                    active=rng.random() > 0.08,
                    valid_from=rng.choice(["2020-05-01", "2023-02-15", "2024-01-10"]),
                    valid_until="2024-06-30" if expired else "2027-12-31",
                    unit=f"所{rng.randrange(5)}",
                )
            )
    tasks = []
    for t in range(20):
        lead = rng.choice(departments)
        partners = rng.sample([d for d in departments if d != lead], rng.choice([0, 1, 1, 2]))
        start = rng.randint(1, 10)
        end = rng.randint(start, 12)
        tasks.append(
            task(
                f"M{t:02d}",
                lead,
                (f"2024-{start:02d}", f"2024-{end:02d}"),
                rng.sample(codes, rng.randint(4, 14)),
                partners=partners,
                qualifications=rng.sample(qualifications, rng.choice([0, 0, 1])),
                team_size=rng.choice([None, None, 3]),
            )
        )
    conflicts = [
        {"inspector": i["id"], "uscc": rng.choice(codes), "reason": "申报回避"}
        for i in rng.sample(inspectors, 25)
    ]
    history = [
        {"uscc": rng.choice(codes), "inspector": i["id"]} for i in rng.sample(inspectors, 30)
    ]
    return freeze_assignment(
        f"MEDIUM-{seed}",
        rules or Rules(),
        tasks,
        inspectors,
        conflicts,
        history,
        units,
    )


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    return small_freeze()


@pytest.fixture(scope="module")
def small_bundles(small: dict[str, Any]) -> list[Bundle]:
    return [run_assignment(small, public(value)) for value in PUBLIC_VALUES]


@pytest.fixture(scope="module")
def honest(small_bundles: list[Bundle]) -> Bundle:
    """One honest bundle of the small scenario, never modified (tests take deep copies)."""
    return small_bundles[0]


@pytest.fixture(scope="module")
def medium_bundles() -> list[Bundle]:
    strict = Rules(avoid_own_unit=True)
    return [
        run_assignment(medium_freeze(seed, rules), public(value))
        for seed, rules in ((2024, Rules()), (7, strict), (99, Rules(cap_slack=2)))
        for value in PUBLIC_VALUES[:10]
    ]


def visit_of(bundle: Mapping[str, Any], uscc: str, task_name: str) -> dict[str, Any]:
    return next(v for v in bundle["visits"] if v["uscc"] == uscc and task_name in v["tasks"])


def team_ids(visit: Mapping[str, Any]) -> list[str]:
    return [member["inspector"] for member in visit["team"]]


# --- merging: one visit per entity and meeting point ---------------------------------------


def test_overlapping_tasks_on_one_entity_become_one_joint_visit(small: dict[str, Any]) -> None:
    visits = merge_visits(small["tasks"])

    joint = [v for v in visits if v.uscc == E[5]]

    assert len(joint) == 1
    assert joint[0].tasks == ["T01-食品经营", "T02-特种设备"]
    assert (joint[0].start, joint[0].end) == ("2024-05", "2024-06")
    assert joint[0].lead == MARKET
    assert joint[0].departments == [MARKET, HEALTH]
    assert joint[0].qualifications == [EQUIPMENT, FOOD]
    assert joint[0].team_size == 3
    assert joint[0].id == f"{E[5]}-202405"


def test_tasks_without_a_common_month_visit_the_entity_separately(small: dict[str, Any]) -> None:
    visits = [v for v in merge_visits(small["tasks"]) if v.uscc == E[1]]

    assert [(v.tasks, v.start, v.end) for v in visits] == [
        (["T01-食品经营"], "2024-03", "2024-06"),
        (["T04-公共场所卫生"], "2024-10", "2024-12"),
    ]


def test_four_tasks_merge_at_the_month_they_all_share(small: dict[str, Any]) -> None:
    (visit,) = [v for v in merge_visits(small["tasks"]) if v.uscc == E[9]]

    assert visit.tasks == ["T01-食品经营", "T02-特种设备", "T03-危险化学品", "T05-排污许可"]
    assert (visit.start, visit.end) == ("2024-05", "2024-05")
    assert visit.lead == MARKET  # the lead of the first task by name
    assert visit.departments == [MARKET, *sorted([EMERGENCY, ENVIRONMENT, HEALTH])]
    assert visit.team_size == 4  # one place per department at the least


def test_merge_report_counts_visits_before_and_after_merging(small: dict[str, Any]) -> None:
    visits = merge_visits(small["tasks"])

    report = merge_report(small["tasks"], visits, visit_limit=1)

    assert report["visits_before"] == 10 + 8 + 7 + 6 + 4
    assert report["visits_after"] == len(visits) < report["visits_before"]
    assert report["entities"] == 17
    assert report["over_limit"] == sorted({E[1], E[2], E[3], E[4]})


def test_a_window_ending_before_it_starts_is_refused() -> None:
    backwards = task("T-倒置", MARKET, ("2024-06", "2024-03"), [E[1]])

    with pytest.raises(AssignError, match="起止时间颠倒"):
        merge_visits([backwards])


MONTHS = [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(18)]


@st.composite
def task_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to six tasks over three entities, windows anywhere in eighteen months."""
    codes = [E[1], E[2], E[3]]
    count = draw(st.integers(1, 6))
    tasks = []
    for number in range(count):
        start = draw(st.integers(0, len(MONTHS) - 1))
        end = draw(st.integers(start, len(MONTHS) - 1))
        lead = draw(st.sampled_from([MARKET, HEALTH, EMERGENCY]))
        partners = draw(st.lists(st.sampled_from([MARKET, HEALTH, EMERGENCY]), unique=True))
        tasks.append(
            task(
                f"P{number}",
                lead,
                (MONTHS[start], MONTHS[end]),
                draw(st.lists(st.sampled_from(codes), min_size=1, unique=True)),
                partners=[p for p in partners if p != lead],
            )
        )
    return tasks


def partitions(items: Sequence[Any]) -> list[list[list[Any]]]:
    """Every way to split the items into groups (Bell(6) = 203 for six)."""
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    result = []
    for smaller in partitions(rest):
        result.append([[first], *smaller])
        for index in range(len(smaller)):
            result.append([*smaller[:index], [first, *smaller[index]], *smaller[index + 1 :]])
    return result


def fewest_visits(windows: Sequence[Sequence[str]]) -> int:
    """Brute force: the fewest groups the windows split into with a common month in each."""
    return min(
        len(groups)
        for groups in partitions(list(windows))
        if all(max(w[0] for w in g) <= min(w[1] for w in g) for g in groups)
    )


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(task_lists())
def test_merging_is_minimal_sound_and_idempotent(tasks: list[dict[str, Any]]) -> None:
    visits = merge_visits(tasks)
    windows = {t["task"]: t["window"] for t in tasks}

    # Each (entity, task) selection is in exactly one visit.
    pairs = sorted((v.uscc, name) for v in visits for name in v.tasks)
    assert pairs == sorted((code, t["task"]) for t in tasks for code in t["selected"])
    for visit in visits:
        # The visit's window is the months all its tasks share, and it is not empty.
        assert visit.start == max(windows[name][0] for name in visit.tasks)
        assert visit.end == min(windows[name][1] for name in visit.tasks)
        assert visit.start <= visit.end
        # Never merges windows that do not overlap.
        for a, b in itertools.combinations(visit.tasks, 2):
            assert windows[a][0] <= windows[b][1]
            assert windows[b][0] <= windows[a][1]
    by_entity: dict[str, list[Any]] = defaultdict(list)
    for visit in visits:
        by_entity[visit.uscc].append(visit)
    for code, own in by_entity.items():
        # No two visits of one entity could have been one.
        for first, second in itertools.combinations(own, 2):
            assert max(first.start, second.start) > min(first.end, second.end)
        # As few visits as a brute force finds.
        mine = [windows[t["task"]] for t in tasks if code in t["selected"]]
        assert len(own) == fewest_visits(mine)
    # Feeding the visits back in as tasks changes nothing.
    again = merge_visits(
        [task(v.id, v.lead, (v.start, v.end), [v.uscc], partners=v.departments[1:]) for v in visits]
    )
    assert [(v.uscc, v.start, v.end, v.tasks) for v in again] == [
        (v.uscc, v.start, v.end, [v.id]) for v in visits
    ]


# --- teams: the independent checker over many seeds ----------------------------------------


def test_every_small_assignment_satisfies_every_rule(small_bundles: list[Bundle]) -> None:
    assert violations_for(small_bundles) == {}


def test_every_medium_assignment_satisfies_every_rule(medium_bundles: list[Bundle]) -> None:
    assert violations_for(medium_bundles) == {}
    assert all(len(b["visits"]) > 100 for b in medium_bundles)


def _member(inspector: str, slot: int = 1) -> Any:
    """A mutation putting the inspector into the slot of E5's joint visit."""

    def change(bundle: Bundle, visit: dict[str, Any]) -> None:
        visit["team"][slot - 1]["inspector"] = inspector

    return change


def _drop_holders(bundle: Bundle, visit: dict[str, Any]) -> None:
    """Leader, health member and the rest: people holding neither 食品检验 nor 特种设备."""
    for member, inspector in zip(visit["team"], ["SC04", "WJ03", "SC09", "WJ06"], strict=False):
        member["inspector"] = inspector


def _split(bundle: Bundle, visit: dict[str, Any]) -> None:
    twin = copy.deepcopy(visit)
    visit["tasks"], twin["tasks"], twin["id"] = ["T01-食品经营"], ["T02-特种设备"], "twin"
    bundle["visits"].append(twin)


CHECKER_CASES = [
    (lambda b, v: v.update(team=v["team"][:1]), "members, needs"),
    (lambda b, v: v["team"].append(dict(v["team"][0], slot=9, role="组员")), "twice"),
    (_member("SC01", 2), "declared a conflict"),
    (_member("WJ05", 2), "certificate"),  # certified only from July
    (_member("SC07", 2), "not active"),
    (_member("SC02"), "last visit"),
    (_member("WJ03"), "leader WJ03 is not of"),
    (_member("HJ02", 3), "takes no part"),
    (_drop_holders, "nobody holds"),
    (lambda b, v: v.update(window=["2024-03", "2024-06"]), "is not within task"),
    (lambda b, v: b["caps"].update({MARKET: 0}), f"over {MARKET}'s cap"),
    (lambda b, v: v.update(tasks=["T01-食品经营"]), "is in 0 visits"),
    (_split, "could be one visit"),
]


@pytest.mark.parametrize(("break_rule", "expected"), CHECKER_CASES)
def test_the_checker_reports_each_broken_rule(
    honest: Bundle, break_rule: Any, expected: str
) -> None:
    """The checker is not vacuous: each rule broken once in E5's joint visit is reported."""
    bundle = copy.deepcopy(honest)
    break_rule(bundle, visit_of(bundle, E[5], "T02-特种设备"))

    assert check_bundle(honest) == []
    assert any(expected in problem for problem in check_bundle(bundle)), check_bundle(bundle)


def test_a_declared_conflict_keeps_the_inspector_off_that_entity_only(
    small_bundles: list[Bundle],
) -> None:
    on_e5 = {i for b in small_bundles for i in team_ids(visit_of(b, E[5], "T01-食品经营"))}
    elsewhere = {i for b in small_bundles for v in b["visits"] for i in team_ids(v)}

    assert "SC01" not in on_e5
    assert "SC01" in elsewhere


def test_unusable_inspectors_are_never_drawn(small_bundles: list[Bundle]) -> None:
    drawn = {i for b in small_bundles for v in b["visits"] for i in team_ids(v)}

    assert {"SC07", "HJ05", "YJ04"}.isdisjoint(drawn)  # inactive, inactive, expired
    assert {"SC08", "WJ05"} <= drawn  # their certificates cover some windows


def test_an_expired_certificate_only_counts_for_windows_it_covers(
    small_bundles: list[Bundle],
) -> None:
    for bundle in small_bundles:
        for visit in bundle["visits"]:
            if "SC08" in team_ids(visit):
                assert visit["window"][1] <= "2024-06"
            if "WJ05" in team_ids(visit):
                assert visit["window"][0] >= "2024-07"


def test_a_fixed_cap_is_kept_for_every_inspector(small: dict[str, Any]) -> None:
    frozen = small_freeze(rules=Rules(cap=4))

    bundles = [run_assignment(frozen, public(v)) for v in PUBLIC_VALUES[:10]]

    assert all(b["caps"] == dict.fromkeys(b["caps"], 4) for b in bundles)
    assert violations_for(bundles) == {}


def test_rotation_off_allows_last_visits_inspectors() -> None:
    frozen = small_freeze(rules=Rules(rotation=False))

    bundles = [run_assignment(frozen, public(v)) for v in PUBLIC_VALUES]

    assert violations_for(bundles) == {}
    on_e5 = {i for b in bundles for i in team_ids(visit_of(b, E[5], "T01-食品经营"))}
    assert "SC02" in on_e5  # on E5's last visit, allowed again without rotation


def test_avoid_own_unit_keeps_inspectors_off_their_units_entities() -> None:
    inspectors = [
        {**row, "unit": "城区所" if row["id"] in ("SC03", "SC04", "SC05") else "乡镇所"}
        for row in SMALL_INSPECTORS
    ]
    units = dict.fromkeys((E[5], E[6], E[7]), "城区所")
    frozen = small_freeze(rules=Rules(avoid_own_unit=True), inspectors=inspectors, units=units)

    bundles = [run_assignment(frozen, public(v)) for v in PUBLIC_VALUES[:20]]

    assert violations_for(bundles) == {}
    for bundle in bundles:
        for code in (E[5], E[6], E[7]):
            for visit in bundle["visits"]:
                if visit["uscc"] == code:
                    assert {"SC03", "SC04", "SC05"}.isdisjoint(team_ids(visit))


def test_loads_are_spread_evenly_within_each_department(small_bundles: list[Bundle]) -> None:
    for bundle in small_bundles:
        for department, load in bundle["loads"].items():
            assert load["max"] <= bundle["caps"][department], department
            assert load["max"] - load["min"] <= 3, (department, load)


# --- verification: PASS when honest, a precise FAIL when not -------------------------------


def tampered(bundle: Bundle) -> Bundle:
    return copy.deepcopy(bundle)


def test_honest_bundles_verify(small_bundles: list[Bundle], medium_bundles: list[Bundle]) -> None:
    assert all(verify(b) == [] for b in small_bundles[:10])
    assert all(verify(b) == [] for b in medium_bundles[::5])


def test_a_bundle_survives_a_json_round_trip(honest: Bundle) -> None:
    assert verify(json.loads(json.dumps(honest, ensure_ascii=False))) == []


def test_two_inspectors_swapped_between_visits_fail(honest: Bundle) -> None:
    bundle = tampered(honest)
    visits = bundle["visits"]
    first, _second, a, b = next(
        (v, w, m, n)
        for v, w in itertools.combinations(visits, 2)
        for m in v["team"]
        for n in w["team"]
        if m["department"] == n["department"]
        and m["inspector"] != n["inspector"]
        and n["inspector"] not in team_ids(v)
        and m["inspector"] not in team_ids(w)
    )
    was_a, was_b = a["inspector"], b["inspector"]
    a["inspector"], b["inspector"] = was_b, was_a

    problems = verify(bundle)

    assert len(problems) == 1
    assert problems[0].startswith(f"检查 {first['id']} 第{a['slot']}岗位不符：记录 {was_b}，")
    assert f"应为 {was_a}" in problems[0]


def test_an_inspector_with_a_declared_conflict_fails_naming_the_reason(honest: Bundle) -> None:
    bundle = tampered(honest)
    visit = visit_of(bundle, E[5], "T01-食品经营")
    member = next(m for m in visit["team"] if m["department"] == MARKET)
    member["inspector"] = "SC01"

    (problem,) = verify(bundle)

    assert f"检查 {visit['id']} 第{member['slot']}岗位不符：记录 SC01" in problem
    assert "SC01 已申报与该检查对象回避" in problem


def test_an_inspector_with_an_expired_certificate_fails_naming_the_reason(honest: Bundle) -> None:
    bundle = tampered(honest)
    visit = visit_of(bundle, E[17], "T05-排污许可")  # window 2024-01..2024-12
    assert visit["team"][1]["department"] == MARKET
    visit["team"][1]["inspector"] = "SC08"

    (problem,) = verify(bundle)

    assert f"检查 {visit['id']} 第2岗位不符：记录 SC08" in problem
    assert "SC08 执法证有效期（2021-01-01至2024-06-30）未覆盖检查期" in problem


@pytest.mark.parametrize(
    ("inspector", "reason"),
    [
        ("SC07", "不在岗"),
        ("HJ01", f"所属部门“{ENVIRONMENT}”不参加此次检查"),
        ("SC02", "上次检查该对象的执法人员（轮换）"),
        ("XX99", "不在冻结的执法人员名单中"),
    ],
)
def test_other_ineligible_inspectors_fail_naming_the_reason(
    honest: Bundle, inspector: str, reason: str
) -> None:
    bundle = tampered(honest)
    visit = visit_of(bundle, E[5], "T01-食品经营")
    visit["team"][0]["inspector"] = inspector

    (problem,) = verify(bundle)

    assert f"（{inspector} {reason}" in problem


def test_a_changed_cap_rule_fails_on_the_freeze_digest(honest: Bundle) -> None:
    bundle = tampered(honest)
    bundle["rules"]["cap"] = 9

    (problem,) = verify(bundle)

    assert problem.startswith("freeze_digest 不符")


def test_a_changed_cap_rule_with_a_recomputed_freeze_fails_on_the_seed(honest: Bundle) -> None:
    bundle = tampered(honest)
    refrozen = small_freeze(rules=Rules(cap=9))
    bundle.update({k: refrozen[k] for k in ("rules", "pool_digest", "freeze_digest")})

    (problem,) = verify(bundle)

    assert problem.startswith("种子不符")


def test_changed_recorded_caps_fail(honest: Bundle) -> None:
    bundle = tampered(honest)
    bundle["caps"][MARKET] += 1

    (problem,) = verify(bundle)

    assert problem.startswith("每人上限不符")
    assert f"'{MARKET}': {honest['caps'][MARKET] + 1}" in problem


def test_a_conflict_added_after_the_draw_fails_on_the_pool_digest(honest: Bundle) -> None:
    bundle = tampered(honest)
    visit = bundle["visits"][0]
    bundle["conflicts"].append(
        {"inspector": visit["team"][0]["inspector"], "uscc": visit["uscc"], "reason": "事后申报"}
    )

    (problem,) = verify(bundle)

    assert problem.startswith("pool_digest 不符")
    assert "冻结内容被改动" in problem


def test_a_changed_public_value_fails_on_the_seed(honest: Bundle) -> None:
    bundle = tampered(honest)
    bundle["ceremony"]["public_value"] = "6 6 6 6 6 6"

    (problem,) = verify(bundle)

    assert problem.startswith(f"种子不符：记录为 {honest['seed']}，重算为 ")


def test_a_changed_seed_fails(honest: Bundle) -> None:
    bundle = tampered(honest)
    bundle["seed"] = "0" * 64

    (problem,) = verify(bundle)

    assert problem == f"种子不符：记录为 {'0' * 64}，重算为 {honest['seed']}"


def test_a_changed_visit_window_fails(honest: Bundle) -> None:
    bundle = tampered(honest)
    visit = visit_of(bundle, E[5], "T01-食品经营")
    visit["window"] = ["2024-03", "2024-06"]

    (problem,) = verify(bundle)

    assert problem.startswith(f"检查 {visit['id']} 的合并结果不符")


def test_a_dropped_team_member_fails(honest: Bundle) -> None:
    bundle = tampered(honest)
    visit = bundle["visits"][3]
    visit["team"].pop()

    (problem,) = verify(bundle)

    assert f"检查 {visit['id']} 第" in problem
    assert "记录 None" in problem


def test_a_wrong_spec_fails_at_once(honest: Bundle) -> None:
    bundle = tampered(honest)
    bundle["spec"] = "shuangsuiji-assign/0"

    assert verify(bundle) == ["规范版本“shuangsuiji-assign/0”不是 shuangsuiji-assign/1"]


def test_a_commit_reveal_ceremony_verifies_and_a_forged_reveal_fails(
    small: dict[str, Any],
) -> None:
    secrets = {MARKET: "a1b2c3d4e5f60718", HEALTH: "0f1e2d3c4b5a6978"}
    ceremony = {
        "kind": "commit-reveal",
        "commitments": [
            {"party": p, "commitment": commitment(small["assignment_id"], p, s)}
            for p, s in secrets.items()
        ],
        "reveals": [{"party": p, "secret": s} for p, s in secrets.items()],
        "public_value": "3 5 1 6 2 4",
    }
    bundle = run_assignment(small, ceremony)
    forged = tampered(bundle)
    forged["ceremony"]["reveals"][0]["secret"] = "ffffffffffffffff"

    assert verify(bundle) == []
    assert verify(forged) == [f"种子仪式无效：“{MARKET}”揭示的秘密与其承诺不符"]


# --- recusal -------------------------------------------------------------------------------


def with_recusal(bundle: Bundle, visit_id: str, inspector: str, reason: str) -> Bundle:
    after = copy.deepcopy(bundle)
    after["recusals"].append(recuse(after, visit_id, inspector, reason))
    return after


def sole_holdings(bundle: Bundle, visit_id: str, inspector: str) -> set[str]:
    """The visit's qualifications only this member of its current team holds. Recusing such a
    member needs another holder (test_recusing_the_only_holder_…); the small scenarios often
    have none free, and the recusal is then refused, rightly."""
    held = {p["id"]: set(p["qualifications"]) for p in bundle["inspectors"]}
    visit = next(v for v in bundle["visits"] if v["id"] == visit_id)
    team = current_teams(bundle)[visit_id]
    member = next(m for m in team if m["inspector"] == inspector)
    others = set().union(*(held[m["inspector"]] for m in team if m is not member))
    return (set(visit["qualifications"]) & held[inspector]) - others


def recusable(bundle: Bundle, visit_id: str) -> list[str]:
    """Members of the visit's current team any eligible colleague can replace."""
    team = current_teams(bundle)[visit_id]
    return [m["inspector"] for m in team if not sole_holdings(bundle, visit_id, m["inspector"])]


def test_a_recusal_replaces_exactly_one_inspector_in_the_same_slot(
    small_bundles: list[Bundle],
) -> None:
    recusals = 0
    for bundle in small_bundles[:10]:
        for visit in bundle["visits"][::3]:
            for inspector in recusable(bundle, visit["id"])[-1:]:
                member = next(m for m in visit["team"] if m["inspector"] == inspector)
                before = current_teams(bundle)[visit["id"]]

                after_bundle = with_recusal(bundle, visit["id"], inspector, "近亲属任职")
                record = after_bundle["recusals"][-1]
                after = current_teams(after_bundle)[visit["id"]]

                changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
                assert len(changed) == 1
                old, new = changed[0]
                assert record["slot"] == old["slot"] == new["slot"] == member["slot"]
                assert old["role"] == new["role"]
                assert (old["inspector"], new["inspector"]) == (inspector, record["replacement"])
                assert record["replacement"] not in team_ids(visit)
                assert check_bundle(after_bundle) == []
                assert verify(after_bundle) == []
                recusals += 1
    assert recusals > 50


def test_the_current_teams_without_recusals_are_the_drawn_teams(honest: Bundle) -> None:
    assert current_teams(honest) == {v["id"]: v["team"] for v in honest["visits"]}


def test_a_leader_who_recuses_is_replaced_by_a_leader_of_the_lead_department(
    honest: Bundle,
) -> None:
    visit = next(
        v
        for v in honest["visits"]
        if len(v["departments"]) > 2 and v["team"][0]["inspector"] in recusable(honest, v["id"])
    )
    leader = visit["team"][0]

    after = with_recusal(honest, visit["id"], leader["inspector"], "曾在该企业兼职")
    new_leader = current_teams(after)[visit["id"]][0]

    department = {p["id"]: p["department"] for p in after["inspectors"]}
    assert new_leader["role"] == "组长"
    assert new_leader["inspector"] != leader["inspector"]
    assert department[new_leader["inspector"]] == visit["lead"]
    assert verify(after) == []


def test_a_recusal_with_a_wrong_replacement_fails(honest: Bundle) -> None:
    visit = visit_of(honest, E[1], "T01-食品经营")
    member = visit["team"][0]
    bundle = with_recusal(honest, visit["id"], member["inspector"], "近亲属任职")
    honest_replacement = bundle["recusals"][0]["replacement"]
    other = next(
        p["id"]
        for p in bundle["inspectors"]
        if p["department"] == member["department"]
        and p["id"] not in (honest_replacement, *team_ids(visit))
        and p["active"]
    )
    bundle["recusals"][0]["replacement"] = other

    (problem,) = verify(bundle)

    assert problem == f"第1次回避的替补应为 {honest_replacement}，记录为 {other}"


def test_a_recusal_of_someone_not_on_the_team_fails(honest: Bundle) -> None:
    bundle = tampered(honest)
    visit = bundle["visits"][0]
    outsider = next(p["id"] for p in bundle["inspectors"] if p["id"] not in team_ids(visit))
    bundle["recusals"].append(
        {
            "number": 1,
            "visit": visit["id"],
            "slot": 1,
            "inspector": outsider,
            "reason": "虚构",
            "replacement": team_ids(visit)[0],
        }
    )

    (problem,) = verify(bundle)

    assert problem == f"第1次回避无效：执法人员 {outsider} 不在检查 {visit['id']} 的检查组中"


def test_a_recusal_needs_a_reason_and_a_known_visit(honest: Bundle) -> None:
    visit = honest["visits"][0]

    with pytest.raises(AssignError, match="回避须说明事由"):
        recuse(honest, visit["id"], team_ids(visit)[0], "  ")
    with pytest.raises(AssignError, match="没有编号为 NOPE 的检查"):
        recuse(honest, "NOPE", team_ids(visit)[0], "事由")


def test_a_second_recusal_on_a_visit_never_brings_back_the_first(
    small_bundles: list[Bundle],
) -> None:
    pairs = 0
    for bundle in small_bundles[:10]:
        for visit in bundle["visits"]:
            for first_out in recusable(bundle, visit["id"])[:1]:
                first = with_recusal(bundle, visit["id"], first_out, "回避一")
                stand_in = first["recusals"][0]["replacement"]
                try:
                    second = with_recusal(first, visit["id"], stand_in, "回避二")
                except AssignError:  # nobody else left: refusing is right, bringing back not
                    continue
                third_in = second["recusals"][1]["replacement"]

                assert third_in not in (first_out, stand_in)
                assert check_bundle(second) == []
                assert verify(second) == []
                pairs += 1
    assert pairs > 100


def test_when_only_the_first_recused_is_left_the_second_recusal_is_refused() -> None:
    inspectors = [person(f"M{n}", MARKET) for n in range(1, 4)]
    frozen = freeze_assignment(
        "TINY-1", Rules(), [task("T1", MARKET, ("2024-03", "2024-04"), [E[1]])], inspectors
    )
    bundle = run_assignment(frozen, public("4 4 2"))
    visit = bundle["visits"][0]
    first_out = team_ids(visit)[0]
    first = with_recusal(bundle, visit["id"], first_out, "回避一")
    stand_in = first["recusals"][0]["replacement"]

    with pytest.raises(AssignError, match="没有可分派的执法人员"):
        recuse(first, visit["id"], stand_in, "回避二")


def test_recusals_in_sequence_keep_every_rule_and_verify(honest: Bundle) -> None:
    bundle = honest
    for visit in honest["visits"][:8]:
        bundle = with_recusal(bundle, visit["id"], recusable(bundle, visit["id"])[0], "轮流回避")

    assert [r["number"] for r in bundle["recusals"]] == list(range(1, 9))
    assert check_bundle(bundle) == []
    assert verify(bundle) == []
    assert verify(json.loads(json.dumps(bundle, ensure_ascii=False))) == []


def qualification_holder_scenario() -> dict[str, Any]:
    """One visit needing 特种设备; two of four inspectors hold it."""
    inspectors = [
        person("M1", MARKET, EQUIPMENT),
        person("M2", MARKET),
        person("M3", MARKET),
        person("M4", MARKET, EQUIPMENT),
    ]
    tasks = [task("T1", MARKET, ("2024-03", "2024-05"), [E[1]], qualifications=[EQUIPMENT])]
    return freeze_assignment("QUAL-1", Rules(), tasks, inspectors)


def test_recusing_the_only_holder_of_a_required_qualification_keeps_it_covered() -> None:
    frozen = qualification_holder_scenario()
    bundle = next(
        b
        for b in (run_assignment(frozen, public(str(n))) for n in range(200))
        if team_ids(b["visits"][0]) in (["M1", "M2"], ["M1", "M3"])
    )
    visit = bundle["visits"][0]
    assert visit["team"][0]["qualification"] is None  # M1 leads and holds 特种设备 by chance

    after = with_recusal(bundle, visit["id"], "M1", "近亲属任职")

    assert after["recusals"][0]["replacement"] == "M4"  # the only other holder
    assert check_bundle(after) == []
    assert verify(after) == []


# --- shortfalls: refused before anything is assigned, naming who is short ------------------


def test_a_department_too_small_for_its_solo_visits_is_named() -> None:
    inspectors = [
        *SMALL_INSPECTORS[:22],  # environment keeps HJ01 only
        person("HJ02", ENVIRONMENT, active=False),
        person("HJ03", ENVIRONMENT, valid_until="2023-06-30"),
    ]
    solo = task("T06-环境监测", ENVIRONMENT, ("2024-02", "2024-03"), [E[16]])
    frozen = small_freeze(inspectors=inspectors, tasks=[*SMALL_TASKS, solo])

    with pytest.raises(AssignError) as error:
        assign(frozen, "0" * 64)

    message = str(error.value)
    assert message.startswith("执法人员不足：")
    assert f"{ENVIRONMENT}：单独检查每组需2名执法人员，只有1名在岗且执法证有效，缺1名" in message


def test_a_department_short_of_visits_under_a_fixed_cap_is_named() -> None:
    frozen = small_freeze(rules=Rules(cap=1))
    visits = merge_visits(frozen["tasks"])
    demand = sum(
        1 if len(v.departments) > 1 else v.team_size for v in visits if EMERGENCY in v.departments
    )

    with pytest.raises(AssignError) as error:
        run_assignment(frozen, public("1 2 3"))

    message = str(error.value)
    usable = 4  # YJ04's certificate expired before the plan
    assert (
        f"{EMERGENCY}：需{demand}人次，{usable}名可用执法人员×每人上限1次={usable}人次，"
        f"缺{demand - usable}人次"
    ) in message


def test_a_qualification_nobody_holds_is_named() -> None:
    radiation = task(
        "T06-辐射安全", ENVIRONMENT, ("2024-02", "2024-03"), [E[16]], qualifications=["辐射安全"]
    )
    frozen = small_freeze(tasks=[*SMALL_TASKS, radiation])

    with pytest.raises(AssignError) as error:
        assign(frozen, "0" * 64)

    assert "没有可用的执法人员持有“辐射安全”资格" in str(error.value)


def test_a_qualification_held_only_outside_the_visits_departments_is_named() -> None:
    hazmat_alone = task(
        "T06-危化品仓储", HEALTH, ("2024-02", "2024-03"), [E[16]], qualifications=[HAZMAT]
    )
    frozen = small_freeze(tasks=[*SMALL_TASKS, hazmat_alone])

    with pytest.raises(AssignError) as error:
        assign(frozen, "0" * 64)

    assert f"{HEALTH}均无持“{HAZMAT}”资格的可用执法人员，1次检查无法组队" in str(error.value)


def test_a_qualification_held_only_by_an_expired_certificate_counts_as_nobody() -> None:
    inspectors = [
        person("YJ01", EMERGENCY, HAZMAT, valid_until="2023-12-31"),
        person("YJ02", EMERGENCY),
        person("YJ03", EMERGENCY),
    ]
    tasks = [task("T1", EMERGENCY, ("2024-04", "2024-05"), [E[1]], qualifications=[HAZMAT])]
    frozen = freeze_assignment("EXPIRED-1", Rules(), tasks, inspectors)

    with pytest.raises(AssignError, match=f"没有可用的执法人员持有“{HAZMAT}”资格"):
        assign(frozen, "0" * 64)


def test_a_visit_nobody_eligible_can_staff_is_refused_before_the_seed() -> None:
    """The only holder of the qualification declared a conflict with the entity: refused when
    frozen data is checked, naming the visit and the qualification, whatever the dice."""
    inspectors = [person("WJ1", HEALTH, FOOD), person("WJ2", HEALTH), person("WJ3", HEALTH)]
    tasks = [task("T1", HEALTH, ("2024-03", "2024-04"), [E[1]], qualifications=[FOOD])]
    conflicts = [{"inspector": "WJ1", "uscc": E[1], "reason": "近亲属任职"}]
    frozen = freeze_assignment("CONFLICT-1", Rules(), tasks, inspectors, conflicts)
    pool = Pool.from_freeze(frozen)

    problems = shortfalls(pool, merge_visits(frozen["tasks"]))

    assert problems == [f"检查 {E[1]}-202403：没有可分派的执法人员持有“{FOOD}”资格"]
    for value in ("1", "2", "3"):
        with pytest.raises(AssignError, match=f"检查 {E[1]}-202403"):
            run_assignment(frozen, public(value))


def sole_holder_scenario(solo_visits: int, health_inspectors: int) -> dict[str, Any]:
    """区卫健局 has one 食品检验 holder (WJ1) and makes `solo_visits` visits alone that need it,
    so WJ1 must be on every one of them; 区市场监管局 (all four hold it) leads two joint visits
    with 区卫健局. The qualification's share is counted over both departments' holders."""
    inspectors = [
        person("WJ1", HEALTH, FOOD),
        *(person(f"WJ{n}", HEALTH) for n in range(2, health_inspectors + 1)),
        *(person(f"SC{n}", MARKET, FOOD) for n in range(1, 5)),
    ]
    tasks = [
        task(
            "T1-餐饮卫生",
            HEALTH,
            ("2024-03", "2024-05"),
            [entity(100 + n) for n in range(solo_visits)],
            qualifications=[FOOD],
        ),
        task(
            "T2-食品联合",
            MARKET,
            ("2024-03", "2024-05"),
            [entity(200), entity(201)],
            partners=[HEALTH],
            qualifications=[FOOD],
        ),
    ]
    return freeze_assignment(f"SOLE-{solo_visits}", Rules(), tasks, inspectors)


@pytest.mark.parametrize(
    ("solo_visits", "health_inspectors"),
    [pytest.param(8, 5, id="jams-for-every-value"), pytest.param(6, 5, id="jams-for-some-values")],
)
def test_when_shortfalls_pass_the_fill_succeeds_for_every_public_value(
    solo_visits: int, health_inspectors: int
) -> None:
    frozen = sole_holder_scenario(solo_visits, health_inspectors)
    visits = merge_visits(frozen["tasks"])
    problems = shortfalls(Pool.from_freeze(frozen), visits)
    jammed = []
    for value in PUBLIC_VALUES[:10]:
        try:
            run_assignment(frozen, public(value))
        except AssignError as error:
            jammed.append(f"{value}: {error}")

    # A valid assignment exists under a fair cap (WJ1 on the solo visits only, the others
    # sharing the rest); if the rule's own cap forbids it, shortfalls must say so first.
    assert problems or not jammed


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (Rules(min_team=1), "每组至少2名执法人员"),
        (Rules(cap=0), "每人检查上限（cap）至少为 1"),
        (Rules(cap_slack=-1), "cap_slack 不能为负"),
    ],
)
def test_rules_below_the_legal_minimum_are_refused(rules: Rules, message: str) -> None:
    with pytest.raises(AssignError, match=message):
        small_freeze(rules=rules)


def test_duplicate_inspectors_and_bad_ids_are_refused() -> None:
    with pytest.raises(AssignError, match="执法人员“SC01”在名单中重复"):
        small_freeze(inspectors=[*SMALL_INSPECTORS, SMALL_INSPECTORS[0]])
    with pytest.raises(AssignError, match="分派编号“潞城 1”无效"):
        small_freeze(assignment_id="潞城 1")


# --- determinism ---------------------------------------------------------------------------


def test_the_same_inputs_give_the_identical_bundle(small: dict[str, Any]) -> None:
    first = run_assignment(small, public(PUBLIC_VALUES[3]))
    second = run_assignment(small_freeze(), public(PUBLIC_VALUES[3]))

    assert draw_module.canonical_json(first) == draw_module.canonical_json(second)


def test_the_order_of_the_inputs_does_not_matter(small: dict[str, Any]) -> None:
    shuffle = random.Random(5)
    inspectors = [
        {**row, "qualifications": list(reversed(row["qualifications"]))}
        for row in shuffle.sample(SMALL_INSPECTORS, len(SMALL_INSPECTORS))
    ]
    tasks = [
        {**t, "selected": list(reversed(t["selected"]))}
        for t in shuffle.sample(SMALL_TASKS, len(SMALL_TASKS))
    ]
    reordered = small_freeze(
        inspectors=inspectors,
        tasks=tasks,
        conflicts=list(reversed(SMALL_CONFLICTS)),
        history=list(reversed(SMALL_HISTORY)),
    )

    assert reordered["freeze_digest"] == small["freeze_digest"]
    assert run_assignment(reordered, public("2 2 5")) == run_assignment(small, public("2 2 5"))


def test_different_public_values_give_different_teams(small_bundles: list[Bundle]) -> None:
    arrangements = {tuple(tuple(team_ids(v)) for v in bundle["visits"]) for bundle in small_bundles}

    assert len({b["seed"] for b in small_bundles}) == len(small_bundles)
    assert len(arrangements) == len(small_bundles)


# --- the stand-alone verifier --------------------------------------------------------------


def test_standalone_verifier_runs_without_the_project(honest: Bundle, tmp_path: Path) -> None:
    shutil.copy(draw_module.__file__, tmp_path / "verify_draw.py")
    shutil.copy(assign_module.__file__, tmp_path / "verify_assign.py")
    (tmp_path / "bundle.json").write_text(json.dumps(honest, ensure_ascii=False), "utf-8")
    bad = tampered(honest)
    bad["visits"][0]["team"][0], bad["visits"][0]["team"][1] = (
        bad["visits"][0]["team"][1],
        bad["visits"][0]["team"][0],
    )
    (tmp_path / "tampered.json").write_text(json.dumps(bad, ensure_ascii=False), "utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        # -S: no site-packages (so not the editable install of shuangsuiji); -E: no PYTHONPATH;
        # -s: no user site. The script's own directory stays first on sys.path.
        return subprocess.run(
            [sys.executable, "-S", "-E", "-s", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=60,
        )

    probe = run("-c", "import shuangsuiji")
    engine = run("-c", "import verify_assign; print(verify_assign.draw.__name__)")
    passed = run("verify_assign.py", "bundle.json")
    failed = run("verify_assign.py", "tampered.json")
    usage = run("verify_assign.py")

    assert "No module named 'shuangsuiji'" in probe.stderr
    assert engine.stdout == "verify_draw\n"  # the downloaded draw rule, not the package's
    assert (passed.returncode, passed.stderr) == (0, "")
    visits, places = len(honest["visits"]), sum(len(v["team"]) for v in honest["visits"])
    assert passed.stdout == f"PASS LC2024-ASSIGN-1：{visits} 次检查，{places} 人次\n"
    assert failed.returncode == 1
    assert failed.stdout.startswith(f"FAIL 检查 {honest['visits'][0]['id']} 第1岗位不符")
    assert usage.returncode == 2


def test_the_worked_example_of_the_spec() -> None:
    """docs/assign-spec.md, "Worked example (assignment)": every figure it states."""
    frozen = freeze_assignment(
        example.ASSIGNMENT_ID, example.RULES, example.TASKS, example.INSPECTORS, example.CONFLICTS
    )
    bundle = run_assignment(frozen, example.CEREMONY)

    assert bundle["pool_digest"] == (
        "7d619dca0ddebf6538f62007fdf323deb173cdc878eaf0576dadbb1814784afc"
    )
    assert bundle["freeze_digest"] == (
        "a8e8442fbd4f20228668173cd542247d3195635703add337b58447dd52cb34ea"
    )
    assert bundle["seed"] == "3f52efbe161a0ebcc4c4aeb23ba09d8d4e6e2baf34205d65479ad058a7e13f37"
    assert bundle["caps"] == {"区卫健局": 3, "区市场监管局": 5}
    visits = {v["id"]: v for v in bundle["visits"]}
    joint = visits[f"{example.A}-202405"]
    assert (joint["window"], joint["tasks"]) == (["2024-05", "2024-06"], ["EX-T1", "EX-T2"])
    assert [m["inspector"] for m in joint["team"]] == ["SC02", "WJ02", "SC01"]
    assert [m["inspector"] for m in visits[f"{example.B}-202403"]["team"]] == ["SC01", "WJ01"]
    assert bundle["loads"] == {
        "区卫健局": {"inspectors": 2, "min": 1, "max": 1, "total": 2},
        "区市场监管局": {"inspectors": 3, "min": 0, "max": 2, "total": 3},
    }
    assert (bundle["report"]["visits_before"], bundle["report"]["visits_after"]) == (3, 2)
