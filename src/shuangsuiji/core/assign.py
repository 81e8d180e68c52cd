#!/usr/bin/env python3
"""The second random (shuangsuiji-assign/1): joint visits and verifiable inspector teams.

After the entity draws of a plan, the selected entities become visits: an entity drawn by
several tasks whose windows share a month gets one visit carrying all their items and
departments (进一次门、查多项事). Then every visit gets a team drawn from the departments'
inspector pools, frozen and fingerprinted with the declared conflicts before the seed exists.

Standard library only, like draw.py beside it: downloaded as verify_assign.py next to
verify_draw.py, it re-derives and checks an assignment bundle:

    python verify_assign.py assignment.json

docs/assign-spec.md states the rule.
"""

from __future__ import annotations

import calendar
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

try:
    from shuangsuiji.core import draw
except ImportError:  # run as a downloaded script, next to verify_draw.py
    import verify_draw as draw  # type: ignore[import-not-found,no-redef]

SPEC = "shuangsuiji-assign/1"
SEP = draw.SEP
LEADER, MEMBER = "组长", "组员"


class AssignError(ValueError):
    """An assignment that cannot be made as asked: names the department, visit or slot."""


# --- parameters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """Team composition and eligibility rules; defaults are the legal minimum and the usual
    practice, each documented in docs/assign-spec.md."""

    min_team: int = 2  # 行政处罚法: at least two law-enforcement officers
    cap: int | None = None  # visits per inspector; None: per department, from demand (see caps)
    cap_slack: int = 1  # added to the computed per-department cap, so the fill never jams
    rotation: bool = True  # not the inspectors of the entity's last visit
    avoid_own_unit: bool = False  # not an inspector whose unit is the entity's unit
    visit_limit: int = 1  # flag entities visited more often than this in the batch

    def as_dict(self) -> dict[str, Any]:
        return {
            "min_team": self.min_team,
            "cap": self.cap,
            "cap_slack": self.cap_slack,
            "rotation": self.rotation,
            "avoid_own_unit": self.avoid_own_unit,
            "visit_limit": self.visit_limit,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rules:
        defaults = cls()
        return cls(**{key: data.get(key, value) for key, value in defaults.as_dict().items()})

    def check(self) -> None:
        if self.min_team < 2:
            raise AssignError("每组至少2名执法人员（min_team ≥ 2）")
        if self.cap is not None and self.cap < 1:
            raise AssignError("每人检查上限（cap）至少为 1")
        if self.cap_slack < 0 or self.visit_limit < 1:
            raise AssignError("cap_slack 不能为负，visit_limit 至少为 1")


# --- joint visits --------------------------------------------------------------------------


@dataclass
class Visit:
    """One visit to one entity by one team, in a window every task it carries allows."""

    id: str
    uscc: str
    start: str  # YYYY-MM, the latest start of its tasks
    end: str  # YYYY-MM, the earliest end of its tasks
    tasks: list[str]
    lead: str
    departments: list[str]  # lead first, then the others sorted
    qualifications: list[str]
    team_size: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "uscc": self.uscc,
            "window": [self.start, self.end],
            "tasks": self.tasks,
            "lead": self.lead,
            "departments": self.departments,
            "qualifications": self.qualifications,
            "team_size": self.team_size,
        }


def merge_visits(tasks: Sequence[Mapping[str, Any]], min_team: int = 2) -> list[Visit]:
    """Group each entity's (task, window) occurrences into as few visits as their windows allow.

    Per entity, occurrences are sorted by (end, start, task); the first one's end month is a
    meeting point and every remaining occurrence starting by then joins that visit (all of them
    contain the point, so every pair of merged windows overlaps); repeat with the rest. This
    is the least number of visits possible (the greedy interval-piercing argument), and two
    tasks whose windows do not overlap never share a visit."""
    by_task = {t["task"]: t for t in tasks}
    occurrences: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for task in tasks:
        start, end = task["window"]
        if start > end:
            raise AssignError(f"任务“{task['task']}”的起止时间颠倒：{start} 晚于 {end}")
        for code in dict.fromkeys(task["selected"]):
            occurrences[code].append((end, start, task["task"]))
    visits = []
    for code in sorted(occurrences):
        remaining = sorted(occurrences[code])
        while remaining:
            point = remaining[0][0]
            group = [o for o in remaining if o[1] <= point]
            remaining = [o for o in remaining if o[1] > point]
            members = sorted(o[2] for o in group)
            start = max(o[1] for o in group)
            visits.append(_visit(code, start, point, [by_task[m] for m in members], min_team))
    return visits


def _visit(
    code: str, start: str, end: str, tasks: Sequence[Mapping[str, Any]], min_team: int
) -> Visit:
    lead = tasks[0]["lead"]
    others = {d for t in tasks for d in (t["lead"], *t.get("partners", ()))} - {lead}
    departments = [lead, *sorted(others)]
    sizes = [int(t.get("team_size") or min_team) for t in tasks]
    return Visit(
        id=f"{code}-{start.replace('-', '')}",
        uscc=code,
        start=start,
        end=end,
        tasks=[t["task"] for t in tasks],
        lead=lead,
        departments=departments,
        qualifications=sorted({q for t in tasks for q in t.get("qualifications", ())}),
        team_size=max(min_team, len(departments), *sizes),
    )


def merge_report(
    tasks: Sequence[Mapping[str, Any]], visits: Sequence[Visit], visit_limit: int
) -> dict[str, Any]:
    """Visits before merging (one per entity and task) and after; visits per entity; the
    entities still visited more often than visit_limit."""
    before = sum(len(set(t["selected"])) for t in tasks)
    per_entity = Counter(v.uscc for v in visits)
    return {
        "visits_before": before,
        "visits_after": len(visits),
        "entities": len(per_entity),
        "visits_per_entity": {str(n): c for n, c in sorted(Counter(per_entity.values()).items())},
        "over_limit": sorted(code for code, n in per_entity.items() if n > visit_limit),
    }


# --- the freeze ----------------------------------------------------------------------------


def _sorted_rows(rows: Iterable[Mapping[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted((dict(r) for r in rows), key=lambda r: tuple(str(r.get(k, "")) for k in keys))


def freeze_assignment(
    assignment_id: str,
    rules: Rules,
    tasks: Sequence[Mapping[str, Any]],
    inspectors: Sequence[Mapping[str, Any]],
    conflicts: Sequence[Mapping[str, Any]] = (),
    history: Sequence[Mapping[str, Any]] = (),
    units: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Everything fixed before the seed: the tasks' selections, the inspector pools with
    certificates and qualifications, declared conflicts, last-visit inspectors and the rules.
    Its digest feeds the seed, so no conflict can be added after the teams are known."""
    if not draw.DRAW_ID_PATTERN.fullmatch(assignment_id):
        raise AssignError(f"分派编号“{assignment_id}”无效：只能用字母、数字和 . _ -")
    rules.check()
    ids = [i["id"] for i in inspectors]
    if len(ids) != len(set(ids)):
        duplicate = next(i for i, n in Counter(ids).items() if n > 1)
        raise AssignError(f"执法人员“{duplicate}”在名单中重复")
    record: dict[str, Any] = {
        "spec": SPEC,
        "assignment_id": assignment_id,
        "rules": rules.as_dict(),
        "tasks": _sorted_rows(
            (
                {
                    **t,
                    "selected": sorted(set(t["selected"])),
                    "partners": sorted(t.get("partners", ())),
                }
                for t in tasks
            ),
            "task",
        ),
        "inspectors": _sorted_rows(
            ({**i, "qualifications": sorted(i.get("qualifications", ()))} for i in inspectors),
            "id",
        ),
        "conflicts": _sorted_rows(conflicts, "inspector", "uscc", "reason"),
        "history": _sorted_rows(history, "uscc", "inspector"),
        "units": dict(sorted((units or {}).items())),
    }
    pools = {k: record[k] for k in ("inspectors", "conflicts", "history", "units")}
    record["pool_digest"] = draw.sha256_hex(draw.canonical_json(pools))
    record["freeze_digest"] = draw.sha256_hex(draw.canonical_json(record))
    return record


FROZEN_KEYS = ("spec", "assignment_id", "rules", "tasks", "inspectors", "conflicts", "history")


# --- eligibility and caps ------------------------------------------------------------------


@lru_cache(maxsize=4096)
def window_days(start: str, end: str) -> tuple[str, str]:
    """The first and last day (YYYY-MM-DD) of a window of months, as certificates are compared
    with it: for pages that explain a bundle."""
    return _month_bounds(start, end)


def _month_bounds(start: str, end: str) -> tuple[str, str]:
    """A window of months as its first and last day, ISO dates (which compare as text)."""
    year, month = int(end[:4]), int(end[5:7])
    return f"{start}-01", f"{end}-{calendar.monthrange(year, month)[1]:02d}"


@dataclass
class Pool:
    """The frozen inspectors, indexed for the fill."""

    by_id: dict[str, Mapping[str, Any]]
    conflicts: dict[str, set[str]]  # uscc → inspectors who declared a conflict with it
    last_visit: dict[str, set[str]]  # uscc → inspectors of its last visit
    units: Mapping[str, str]
    rules: Rules
    quals: dict[str, frozenset[str]] = field(init=False)
    _usable: tuple[object, dict[str, set[str]]] | None = field(init=False, default=None)
    _invalid: dict[tuple[str, str], set[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.quals = {i: frozenset(p.get("qualifications", ())) for i, p in self.by_id.items()}

    def usable(self, visits: Sequence[Visit]) -> dict[str, set[str]]:
        """Per department, the active inspectors whose certificate covers at least one of the
        department's visit windows: the people caps are shared over and teams drawn from.
        Kept for the last list of visits asked about (held, so its identity stays its own)."""
        if self._usable is None or self._usable[0] is not visits:
            windows = ((v.departments, v.start, v.end) for v in visits)
            self._usable = (visits, _usable(self, windows))
        return self._usable[1]

    def usable_for_records(self, visits: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
        """The same for the visits of a bundle, as recorded."""
        return _usable(self, ((v["departments"], *v["window"]) for v in visits))

    def invalid(self, first: str, last: str) -> set[str]:
        """Inspectors whose certificate does not cover the days first–last."""
        key = (first, last)
        if key not in self._invalid:
            self._invalid[key] = {
                i
                for i, p in self.by_id.items()
                if p["valid_from"] > first or p["valid_until"] < last
            }
        return self._invalid[key]

    @classmethod
    def from_freeze(cls, freeze: Mapping[str, Any]) -> Pool:
        conflicts: dict[str, set[str]] = defaultdict(set)
        for row in freeze["conflicts"]:
            conflicts[row["uscc"]].add(row["inspector"])
        last: dict[str, set[str]] = defaultdict(set)
        for row in freeze["history"]:
            last[row["uscc"]].add(row["inspector"])
        return cls(
            by_id={i["id"]: i for i in freeze["inspectors"]},
            conflicts=conflicts,
            last_visit=last,
            units=freeze.get("units", {}),
            rules=Rules.from_dict(freeze["rules"]),
        )

    def why_ineligible(self, inspector: str, visit: Visit) -> str | None:
        """The reason an inspector may not be on a visit's team, or None."""
        person = self.by_id.get(inspector)
        if person is None:
            return "不在冻结的执法人员名单中"
        if not person.get("active", True):
            return "不在岗"
        first, last = _month_bounds(visit.start, visit.end)
        if person["valid_from"] > first or person["valid_until"] < last:
            return f"执法证有效期（{person['valid_from']}至{person['valid_until']}）未覆盖检查期"
        if person["department"] not in visit.departments:
            return f"所属部门“{person['department']}”不参加此次检查"
        if inspector in self.conflicts.get(visit.uscc, ()):
            return "已申报与该检查对象回避"
        if self.rules.rotation and inspector in self.last_visit.get(visit.uscc, ()):
            return "上次检查该对象的执法人员（轮换）"
        unit = self.units.get(visit.uscc)
        if self.rules.avoid_own_unit and unit and person.get("unit") == unit:
            return "检查对象属本人管辖单位"
        return None


def _department_demand(visits: Sequence[Visit]) -> Counter[str]:
    """Team places each department must fill at the least: one per visit it takes part in,
    and a whole team for a visit it makes alone."""
    demand: Counter[str] = Counter()
    for visit in visits:
        for department in visit.departments:
            demand[department] += visit.team_size if len(visit.departments) == 1 else 1
    return demand


def _department_reach(visits: Sequence[Visit]) -> Counter[str]:
    """Team places each department may be asked to fill at the most: its own place on every
    visit it takes part in, plus every place open to all the visit's departments (up to the
    team size, and one per qualification)."""
    reach: Counter[str] = Counter()
    for visit in visits:
        open_places = visit.team_size - len(visit.departments) + len(visit.qualifications)
        for department in visit.departments:
            reach[department] += 1 + open_places
    return reach


def _usable(pool: Pool, visits: Iterable[tuple[Sequence[str], str, str]]) -> dict[str, set[str]]:
    """Per department, the inspectors eligible for at least one of its visits' windows, the
    visits given as (departments, start, end)."""
    windows: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for departments, start, end in visits:
        days = _month_bounds(start, end)
        for department in departments:
            windows[department].add(days)
    usable: dict[str, set[str]] = defaultdict(set)
    for inspector, person in pool.by_id.items():
        department = person["department"]
        if person.get("active", True) and any(
            person["valid_from"] <= first and person["valid_until"] >= last
            for first, last in windows.get(department, ())
        ):
            usable[department].add(inspector)
    return usable


def _unheld_qualifications(pool: Pool, visits: Sequence[Visit]) -> list[str]:
    """Qualifications some visits need that no usable inspector of any of those visits'
    departments holds."""
    usable = pool.usable(visits)
    departments: dict[str, set[str]] = defaultdict(set)
    for visit in visits:
        for qualification in visit.qualifications:
            departments[qualification].update(visit.departments)
    return sorted(
        qualification
        for qualification, names in departments.items()
        if not any(qualification in pool.quals[i] for d in names for i in usable.get(d, ()))
    )


def caps(pool: Pool, visits: Sequence[Visit]) -> dict[str, int]:
    """Visits per inspector allowed, per department: the rules' cap, or else the most places
    the department may be asked to fill shared over its usable inspectors, rounded up, plus
    cap_slack, plus — over the qualifications its visits need — the largest number of those
    visits per holder in the department, rounded up: its holders may have to carry all of
    them on top of their share."""
    usable = pool.usable(visits)
    need: Counter[tuple[str, str]] = Counter()
    for visit in visits:
        for qualification in visit.qualifications:
            for department in visit.departments:
                need[(department, qualification)] += 1
    extra: Counter[str] = Counter()
    for (department, qualification), count in need.items():
        holders = sum(1 for i in usable.get(department, ()) if qualification in pool.quals[i])
        if holders:
            extra[department] = max(extra[department], math.ceil(count / holders))
    result = {}
    for department, demand in sorted(_department_reach(visits).items()):
        people = len(usable.get(department, ()))
        if pool.rules.cap is not None:
            result[department] = pool.rules.cap
        elif people:
            base = math.ceil(demand / people)
            result[department] = base + extra[department] + pool.rules.cap_slack
        else:
            result[department] = 0
    return result


def shortfalls(pool: Pool, visits: Sequence[Visit]) -> list[str]:
    """Departments that cannot fill their places, said before anything is assigned."""
    usable = pool.usable(visits)
    limits = caps(pool, visits)
    alone_sizes: Counter[str] = Counter()
    for visit in visits:
        if len(visit.departments) == 1:
            alone_sizes[visit.lead] = max(alone_sizes[visit.lead], visit.team_size)
    problems = [
        f"没有可用的执法人员持有“{qualification}”资格，需要该资格的检查无法组队"
        for qualification in _unheld_qualifications(pool, visits)
    ]
    problems += _uncovered_qualifications(pool, visits)
    problems += _unstaffable(pool, visits)
    for department, demand in sorted(_department_demand(visits).items()):
        people = len(usable.get(department, ()))
        capacity = people * limits[department]
        alone = alone_sizes[department]
        if people < alone:
            problems.append(
                f"{department}：单独检查每组需{alone}名执法人员，只有{people}名在岗且执法证有效，"
                f"缺{alone - people}名"
            )
        elif demand > capacity:
            problems.append(
                f"{department}：需{demand}人次，{people}名可用执法人员×每人上限"
                f"{limits[department]}次={capacity}人次，缺{demand - capacity}人次"
            )
    return problems


def _uncovered_qualifications(pool: Pool, visits: Sequence[Visit]) -> list[str]:
    """Qualifications some visits need that none of those visits' departments hold, named
    once per department group with the number of visits affected."""
    held = _held_by_department(pool, visits)
    missing: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for visit in visits:
        for qualification in visit.qualifications:
            if not any(qualification in held[d] for d in visit.departments):
                missing[(qualification, tuple(visit.departments))] += 1
    return [
        f"{'、'.join(departments)}均无持“{qualification}”资格的可用执法人员，{count}次检查无法组队"
        for (qualification, departments), count in sorted(missing.items())
    ]


def _held_by_department(pool: Pool, visits: Sequence[Visit]) -> dict[str, set[str]]:
    """Per department, the qualifications its usable inspectors hold between them."""
    held: dict[str, set[str]] = defaultdict(set)
    for department, people in pool.usable(visits).items():
        for inspector in people:
            held[department] |= pool.quals[inspector]
    return held


def _personal_bars(pool: Pool, visit: Visit) -> set[str]:
    """Who may never be on this visit's team because of the entity: declared conflicts, its
    last visit's team (rotation), its own unit (avoid_own_unit)."""
    barred = set(pool.conflicts.get(visit.uscc, ()))
    if pool.rules.rotation:
        barred |= pool.last_visit.get(visit.uscc, set())
    unit = pool.units.get(visit.uscc) if pool.rules.avoid_own_unit else None
    if unit:
        barred |= {i for i, p in pool.by_id.items() if p.get("unit") == unit}
    return barred


def _barred_for(pool: Pool, visit: Visit) -> set[str]:
    """The personal bars and everyone whose certificate does not cover the visit's days."""
    return _personal_bars(pool, visit) | pool.invalid(*_month_bounds(visit.start, visit.end))


UNSTAFFABLE_SHOWN = 20


def _unstaffable(pool: Pool, visits: Sequence[Visit]) -> list[str]:
    """Visits no team could staff even with no cap: a department with nobody eligible (all
    in conflict, on the last visit, or without a valid certificate), a needed qualification no
    eligible member holds, or fewer eligible people than the team size. Said before the seed,
    so whether an assignment can be made never depends on the dice (caps aside)."""
    usable = pool.usable(visits)
    held_by = _held_by_department(pool, visits)
    eligible: dict[tuple[str, tuple[str, str]], set[str]] = {}
    holders: dict[tuple[str, tuple[str, str], str], set[str]] = {}

    def free(people: set[str], personal: set[str]) -> int:
        return len(people) - (len(personal & people) if personal else 0)

    problems = []
    for visit in visits:
        days = _month_bounds(visit.start, visit.end)
        personal = _personal_bars(pool, visit)
        counts = {}
        for department in visit.departments:
            if (department, days) not in eligible:
                people = usable.get(department, set()) - pool.invalid(*days)
                eligible[(department, days)] = people
            counts[department] = free(eligible[(department, days)], personal)
        empty = [d for d in visit.departments if not counts[d]]
        if empty:
            problems.append(f"检查 {visit.id}：{'、'.join(empty)}没有可分派的执法人员")
            continue
        for qualification in visit.qualifications:
            if not any(qualification in held_by[d] for d in visit.departments):
                continue  # no holder in these departments at all: said once per group
            held = 0
            for department in visit.departments:
                key = (department, days, qualification)
                if key not in holders:
                    people = eligible[(department, days)]
                    holders[key] = {i for i in people if qualification in pool.quals[i]}
                held += free(holders[key], personal)
            if not held:
                problems.append(f"检查 {visit.id}：没有可分派的执法人员持有“{qualification}”资格")
        if sum(counts.values()) < visit.team_size:
            problems.append(
                f"检查 {visit.id}：需{visit.team_size}名执法人员，"
                f"可分派的只有{sum(counts.values())}名"
            )
    if len(problems) > UNSTAFFABLE_SHOWN:
        more = f"等共{len(problems)}处（均因回避、轮换或执法证有效期）"
        problems = [*problems[:UNSTAFFABLE_SHOWN], more]
    return problems


# --- the fill ------------------------------------------------------------------------------


def _hash_int(*parts: str) -> int:
    return int(draw.sha256_hex(SEP.join((SPEC, *parts)).encode("utf-8")), 16)


def visit_order(seed: str, visits: Sequence[Visit]) -> list[Visit]:
    """Visits are staffed in the order of SHA-256(spec, "visit", seed, visit id)."""
    return sorted(visits, key=lambda v: _hash_int("visit", seed, v.id))


@dataclass(frozen=True)
class Slot:
    """One place on a team: who may fill it."""

    number: int
    departments: tuple[str, ...]
    qualification: str | None
    role: str


class Loads:
    """Each usable inspector's visit count, with per-department lists of inspectors by load
    (each sorted by id), so the least-loaded candidates are found without scanning pools."""

    def __init__(self, usable: Mapping[str, set[str]], limits: Mapping[str, int]) -> None:
        self.limits = limits
        self.count: dict[str, int] = {}
        self.department: dict[str, str] = {}
        self.levels: dict[str, list[list[str]]] = {}
        self.floor: dict[str, int] = {}
        for department, people in usable.items():
            self.levels[department] = [sorted(people)]
            self.floor[department] = 0
            for inspector in people:
                self.count[inspector] = 0
                self.department[inspector] = department

    def candidates(
        self,
        departments: Sequence[str],
        barred: set[str],
        taken: set[str],
        accept: Callable[[str], bool] | None,
    ) -> list[str]:
        """The inspectors of the departments, neither barred nor taken and accepted, under
        their cap, at the lowest load any of them has; sorted by id."""
        levels, limits, floors = self.levels, self.limits, self.floor
        tops = {d: min(len(levels.get(d, ())), limits.get(d, 0)) for d in departments}
        for d in departments:
            floor = floors.get(d, 0)
            while floor < tops[d] and not levels[d][floor]:
                floor += 1
            if d in floors:
                floors[d] = floor
        load = min((floors.get(d, 0) for d in departments), default=0)
        top = max(tops.values(), default=0)
        while load < top:
            parts = [levels[d][load] for d in departments if load < tops[d]]
            clear = accept is None and len(parts) == 1
            if clear and barred.isdisjoint(parts[0]) and taken.isdisjoint(parts[0]):
                if parts[0]:
                    return parts[0]
            else:
                found = [
                    i
                    for part in parts
                    for i in part
                    if i not in barred and i not in taken and (accept is None or accept(i))
                ]
                if found:
                    return sorted(found) if len(parts) > 1 else found
            load += 1
        return []

    def move(self, inspector: str, step: int) -> None:
        department = self.department[inspector]
        levels = self.levels[department]
        load = self.count[inspector]
        levels[load].remove(inspector)
        load += step
        self.count[inspector] = load
        if load == len(levels):
            levels.append([])
        _insort(levels[load], inspector)
        self.floor[department] = min(self.floor[department], load)


def _insort(items: list[str], value: str) -> None:
    low, high = 0, len(items)
    while low < high:
        middle = (low + high) // 2
        if items[middle] < value:
            low = middle + 1
        else:
            high = middle
    items.insert(low, value)


def _slots(visit: Visit) -> list[Slot]:
    """The team's fixed places: the leader from the lead department, then one from each other
    department; qualification and size places are added during the fill."""
    slots = [Slot(1, (visit.lead,), None, LEADER)]
    for department in visit.departments[1:]:
        slots.append(Slot(len(slots) + 1, (department,), None, MEMBER))
    return slots


def _pick(
    pool: Pool,
    loads: Loads,
    visit: Visit,
    slot: Slot,
    taken: set[str],
    key: Sequence[str],
    wanted: frozenset[str] = frozenset(),
    barred: set[str] | None = None,
) -> str:
    """The slot's candidate: eligible (`barred`: the visit's bars, computed once per visit by
    the caller or here), not on the team, under the cap, holding the wanted qualifications;
    of those, the least loaded; of those (sorted by id), the one at SHA-256(spec, *key) mod
    their number."""
    if barred is None:
        barred = _barred_for(pool, visit)
    quals = pool.quals
    accept = None if not wanted else (lambda inspector: wanted <= quals[inspector])
    found = loads.candidates(slot.departments, barred, taken, accept)
    if not found:
        need = f"持“{'、'.join(sorted(wanted))}”资格的" if wanted else ""
        raise AssignError(
            f"检查 {visit.id} 的第{slot.number}个岗位（{'、'.join(slot.departments)}）没有"
            f"{need}可分派的执法人员：均已回避、执法证无效、不在岗或已达每人上限"
        )
    return found[_hash_int(*key) % len(found)]


def staff(pool: Pool, loads: Loads, visit: Visit, seed: str) -> list[dict[str, Any]]:
    """Fill one visit's team in slot order, growing it for uncovered qualifications and up to
    its team size; each pick raises that inspector's load."""
    team: list[dict[str, Any]] = []
    taken: set[str] = set()
    barred = _barred_for(pool, visit)

    def fill(slot: Slot) -> None:
        wanted = frozenset((slot.qualification,)) if slot.qualification else frozenset()
        key = ("slot", seed, visit.id, str(slot.number))
        inspector = _pick(pool, loads, visit, slot, taken, key, wanted, barred)
        taken.add(inspector)
        loads.move(inspector, 1)
        team.append(
            {
                "slot": slot.number,
                "inspector": inspector,
                "department": loads.department[inspector],
                "role": slot.role,
                "for": list(slot.departments) if len(slot.departments) > 1 else slot.departments[0],
                "qualification": slot.qualification,
            }
        )

    for slot in _slots(visit):
        fill(slot)
    everyone = tuple(visit.departments)
    for qualification in visit.qualifications:
        if not any(qualification in pool.quals[i] for i in taken):
            fill(Slot(len(team) + 1, everyone, qualification, MEMBER))
    while len(team) < visit.team_size:
        fill(Slot(len(team) + 1, everyone, None, MEMBER))
    return team


def _slot_of(member: Mapping[str, Any]) -> Slot:
    departments = member["for"]
    return Slot(
        member["slot"],
        tuple(departments) if isinstance(departments, list) else (departments,),
        member.get("qualification"),
        member["role"],
    )


def assign(freeze: Mapping[str, Any], seed: str) -> dict[str, Any]:
    """Visits, caps, teams and report from a freeze record and the seed. Refuses, naming the
    department, when a department is short of inspectors, before anything is assigned."""
    rules = Rules.from_dict(freeze["rules"])
    visits = merge_visits(freeze["tasks"], rules.min_team)
    pool = Pool.from_freeze(freeze)
    problems = shortfalls(pool, visits)
    if problems:
        raise AssignError("执法人员不足：" + "；".join(problems))
    limits = caps(pool, visits)
    loads = Loads(pool.usable(visits), limits)
    teams = {visit.id: staff(pool, loads, visit, seed) for visit in visit_order(seed, visits)}
    return {
        "caps": limits,
        "visits": [{**v.as_dict(), "team": teams[v.id]} for v in visits],
        "report": {**merge_report(freeze["tasks"], visits, rules.visit_limit)},
    }


def load_report(visits: Sequence[Mapping[str, Any]], freeze: Mapping[str, Any]) -> dict[str, Any]:
    """Per department: its usable inspectors, their fewest and most visits, and the total."""
    loads: Counter[str] = Counter()
    for visit in visits:
        loads.update(m["inspector"] for m in visit["team"])
    usable = Pool.from_freeze(freeze).usable_for_records(visits)
    report = {}
    for department, people in sorted(usable.items()):
        counts = [loads[i] for i in people]
        report[department] = {
            "inspectors": len(counts),
            "min": min(counts),
            "max": max(counts),
            "total": sum(counts),
        }
    return report


# --- recusal -------------------------------------------------------------------------------


def recuse(bundle: Mapping[str, Any], visit_id: str, inspector: str, reason: str) -> dict[str, Any]:
    """The recusal record: the inspector leaves the visit and the slot's next candidate, by
    the same rule over the loads after every earlier recusal, takes the place."""
    pool = Pool.from_freeze(_frozen_part(bundle))
    earlier = bundle.get("recusals", [])
    teams, loads = _replay(bundle, pool, earlier)
    return _next_recusal(pool, loads, teams, bundle, earlier, visit_id, inspector, reason)


def _frozen_part(bundle: Mapping[str, Any]) -> dict[str, Any]:
    return {k: bundle[k] for k in (*FROZEN_KEYS, "units") if k in bundle}


def _next_recusal(
    pool: Pool,
    loads: Loads,
    teams: Mapping[str, list[dict[str, Any]]],
    bundle: Mapping[str, Any],
    earlier: Sequence[Mapping[str, Any]],
    visit_id: str,
    inspector: str,
    reason: str,
) -> dict[str, Any]:
    """Recusal number len(earlier) + 1, given the teams and loads after the earlier ones."""
    if not reason.strip():
        raise AssignError("回避须说明事由")
    visit = next((v for v in bundle["visits"] if v["id"] == visit_id), None)
    if visit is None:
        raise AssignError(f"没有编号为 {visit_id} 的检查")
    team = teams[visit_id]
    member = next((m for m in team if m["inspector"] == inspector), None)
    if member is None:
        raise AssignError(f"执法人员 {inspector} 不在检查 {visit_id} 的检查组中")
    number = len(earlier) + 1
    before = {r["inspector"] for r in earlier if r["visit"] == visit_id}
    replacement = _replacement(pool, loads, visit, team, member, before, bundle["seed"], number)
    return {
        "number": number,
        "visit": visit_id,
        "slot": member["slot"],
        "inspector": inspector,
        "reason": reason.strip(),
        "replacement": replacement,
    }


def visit_from_dict(data: Mapping[str, Any]) -> Visit:
    return Visit(
        id=data["id"],
        uscc=data["uscc"],
        start=data["window"][0],
        end=data["window"][1],
        tasks=list(data["tasks"]),
        lead=data["lead"],
        departments=list(data["departments"]),
        qualifications=list(data["qualifications"]),
        team_size=data["team_size"],
    )


def _replacement(
    pool: Pool,
    loads: Loads,
    visit: Mapping[str, Any],
    team: Sequence[Mapping[str, Any]],
    member: Mapping[str, Any],
    recused_before: set[str],
    seed: str,
    number: int,
) -> str:
    """Barred: everyone on the team and everyone recused from this visit before. Wanted: the
    slot's qualification and any the team would lose."""
    taken = {m["inspector"] for m in team} | recused_before
    slot = _slot_of(member)
    remaining = [pool.quals.get(m["inspector"], frozenset()) for m in team if m is not member]
    wanted = {q for q in visit["qualifications"] if not any(q in held for held in remaining)}
    if slot.qualification:
        wanted.add(slot.qualification)
    key = ("recusal", seed, visit["id"], str(member["slot"]), str(number))
    return _pick(pool, loads, visit_from_dict(visit), slot, taken, key, frozenset(wanted))


def _replay(
    bundle: Mapping[str, Any], pool: Pool, recusals: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, list[dict[str, Any]]], Loads]:
    """Teams and loads after the given recusals, applied in order."""
    loads = Loads(pool.usable_for_records(bundle["visits"]), bundle["caps"])
    teams = {v["id"]: [dict(m) for m in v["team"]] for v in bundle["visits"]}
    for team in teams.values():
        for member in team:
            if member["inspector"] in loads.count:
                loads.move(member["inspector"], 1)
    for recusal in recusals:
        _apply(teams, loads, recusal)
    return teams, loads


def _apply(
    teams: Mapping[str, list[dict[str, Any]]], loads: Loads, recusal: Mapping[str, Any]
) -> None:
    """The replacement takes the recused inspector's place and one visit of load."""
    for member in teams[recusal["visit"]]:
        if member["inspector"] == recusal["inspector"]:
            loads.move(member["inspector"], -1)
            member["inspector"] = recusal["replacement"]
            member["department"] = loads.department[recusal["replacement"]]
            loads.move(recusal["replacement"], 1)


def current_teams(bundle: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each visit's team after all recorded recusals."""
    return _replay(bundle, Pool.from_freeze(_frozen_part(bundle)), bundle.get("recusals", []))[0]


# --- the bundle and its verification -------------------------------------------------------


def run_assignment(freeze: Mapping[str, Any], ceremony: Mapping[str, Any]) -> dict[str, Any]:
    """The complete bundle: freeze record, ceremony, seed, visits with teams, loads."""
    reveals = draw.check_ceremony(ceremony, freeze["assignment_id"])
    seed = draw.combine_seed(freeze["freeze_digest"], reveals, str(ceremony["public_value"]))
    result = assign(freeze, seed)
    return {
        **freeze,
        "ceremony": dict(ceremony),
        "seed": seed,
        **result,
        "loads": load_report(result["visits"], freeze),
        "recusals": [],
    }


def verify(bundle: Mapping[str, Any]) -> list[str]:
    """Re-derive the freeze digest, seed, visits, caps and teams from the bundle and replay
    its recusals; the discrepancies, first one first (an empty list is a PASS)."""
    if bundle.get("spec") != SPEC:
        return [f"规范版本“{bundle.get('spec')}”不是 {SPEC}"]
    try:
        freeze = freeze_assignment(
            bundle["assignment_id"],
            Rules.from_dict(bundle["rules"]),
            bundle["tasks"],
            bundle["inspectors"],
            bundle["conflicts"],
            bundle["history"],
            bundle.get("units"),
        )
    except (AssignError, KeyError, TypeError) as error:
        return [f"冻结记录无法重算：{error}"]
    for key in ("pool_digest", "freeze_digest"):
        if bundle.get(key) != freeze[key]:
            return [f"{key} 不符：记录为 {bundle.get(key)}，重算为 {freeze[key]}（冻结内容被改动）"]
    try:
        reveals = draw.check_ceremony(bundle["ceremony"], bundle["assignment_id"])
    except (draw.DrawError, KeyError) as error:
        return [f"种子仪式无效：{error}"]
    seed = draw.combine_seed(
        freeze["freeze_digest"], reveals, str(bundle["ceremony"]["public_value"])
    )
    if bundle.get("seed") != seed:
        return [f"种子不符：记录为 {bundle.get('seed')}，重算为 {seed}"]
    try:
        expected = assign(freeze, seed)
    except AssignError as error:
        return [f"无法重算分派：{error}"]
    if bundle.get("caps") != expected["caps"]:
        return [f"每人上限不符：记录为 {bundle.get('caps')}，应为 {expected['caps']}"]
    problems = _compare_visits(bundle.get("visits", []), expected["visits"], freeze)
    if not problems and bundle.get("report") != expected["report"]:
        problems = [f"合并统计不符：记录为 {bundle.get('report')}，应为 {expected['report']}"]
    loads = load_report(expected["visits"], freeze)
    if not problems and bundle.get("loads") != loads:
        problems = [f"工作量统计不符：记录为 {bundle.get('loads')}，应为 {loads}"]
    return problems or _check_recusals(bundle, freeze)


def _compare_visits(
    recorded: Sequence[Mapping[str, Any]],
    expected: Sequence[Mapping[str, Any]],
    freeze: Mapping[str, Any],
) -> list[str]:
    if len(recorded) != len(expected):
        return [f"检查（走访）数不符：记录 {len(recorded)} 次，应为 {len(expected)} 次"]
    pool = Pool.from_freeze(freeze)
    for got, want in zip(recorded, expected, strict=True):
        want = dict(want)
        team = want.pop("team")
        visit = {k: got.get(k) for k in want}
        if visit != want:
            return [f"检查 {want['id']} 的合并结果不符：记录 {visit}，应为 {want}"]
        got_team = list(got.get("team", []))
        for index, member in enumerate(team):
            have = got_team[index] if index < len(got_team) else {}
            if have != member:
                who = have.get("inspector")
                why = pool.why_ineligible(str(who), visit_from_dict(want)) if who else None
                because = f"（{who} {why}）" if why else ""
                return [
                    f"检查 {want['id']} 第{member['slot']}岗位不符：记录 {who}，"
                    f"应为 {member['inspector']}{because}"
                ]
        if len(got_team) != len(team):
            return [f"检查 {want['id']} 的检查组人数不符：记录 {len(got_team)}，应为 {len(team)}"]
    return []


def _check_recusals(bundle: Mapping[str, Any], freeze: Mapping[str, Any]) -> list[str]:
    """Replay the recusals in order, each against the teams and loads the earlier ones left."""
    recusals = bundle.get("recusals", [])
    if not recusals:
        return []
    pool = Pool.from_freeze(freeze)
    teams, loads = _replay(bundle, pool, [])
    for number, recusal in enumerate(recusals, start=1):
        try:
            want = _next_recusal(
                pool,
                loads,
                teams,
                bundle,
                recusals[: number - 1],
                recusal["visit"],
                recusal["inspector"],
                recusal["reason"],
            )
        except (AssignError, KeyError) as error:
            return [f"第{number}次回避无效：{error}"]
        if want != recusal:
            return [
                f"第{number}次回避的替补应为 {want['replacement']}，记录为 "
                f"{recusal.get('replacement')}"
            ]
        _apply(teams, loads, recusal)
    return []


def main(argv: Sequence[str] | None = None) -> int:
    """python verify_assign.py assignment.json → PASS, or FAIL and the first problem."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("用法：python verify_assign.py assignment.json", file=sys.stderr)
        return 2
    bundle = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    problems = verify(bundle)
    if problems:
        print(f"FAIL {problems[0]}")
        return 1
    teams = sum(len(v["team"]) for v in bundle["visits"])
    print(f"PASS {bundle['assignment_id']}：{len(bundle['visits'])} 次检查，{teams} 人次")
    return 0


if __name__ == "__main__":
    sys.exit(main())
