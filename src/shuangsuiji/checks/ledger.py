"""One ledger per company: the platform's own spot-check visits and every other check entered,
counted per inspecting body and year against the body's published cap (国办发〔2024〕54号:
"each body publishes a yearly cap on how often it inspects the same company"; upper-level
专项 checks do not count).

What counts towards a body's cap in a year:
- each visit of a current (not superseded) assignment of that year in which the body takes
  part — a joint visit counts once for every body on it, since each is a 检查主体;
- for a plan of that year drawn but not yet assigned, each company drawn in a task the body
  leads or joins, once per plan (the second random merges a company's tasks into one visit);
- each other check the body entered for that year, except 上级部署专项.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from shuangsuiji.assignments.models import Assignment, Visit
from shuangsuiji.checks.models import CheckCap, CheckKind, OtherCheck
from shuangsuiji.directory.enums import InspectionMethod
from shuangsuiji.directory.models import CheckItem, Entity
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection

SPOT_CHECK = "双随机联合抽查"


def item_methods(region_id: int) -> dict[str, str]:
    """Each item name of the region's lists → its method (one query, for many visits)."""
    rows = CheckItem.objects.filter(department__region_id=region_id).values_list("name", "method")
    return dict(rows)


def visit_method(item_names: Iterable[str], methods: dict[str, str]) -> str:
    """How a visit checks, from its items' methods: on site unless every item is checked
    otherwise (书面检查, 网络监测 …) — the non-site checks 能非现场不入企 asks for. An item on
    no list is taken as checked on site."""
    found = {methods.get(name, InspectionMethod.ON_SITE) for name in item_names}
    if not found or InspectionMethod.ON_SITE in found:
        return str(InspectionMethod.ON_SITE)
    return "、".join(sorted(found))


def yearly_cap(department_id: int | None, year: int) -> CheckCap | None:
    if department_id is None:
        return None
    return CheckCap.objects.filter(department_id=department_id, year=year).first()


def yearly_counts(
    department_id: int, year: int, *, leave_out_plan: int | None = None
) -> Counter[str]:
    """Checks per company code that count towards the body's cap in `year`. The draws of
    `leave_out_plan` are left out: a task of that plan merges with them into one visit."""
    counts: Counter[str] = Counter()
    counts.update(
        OtherCheck.objects.filter(department_id=department_id, checked_on__year=year)
        .exclude(kind=CheckKind.UPPER_SPECIAL)
        .values_list("entity__uscc", flat=True)
    )
    visits = Visit.objects.filter(
        departments=department_id,
        assignment__plan__year=year,
        assignment__superseded_by__isnull=True,
    )
    counts.update(visits.values_list("entity__uscc", flat=True))
    assigned = set(visits.values_list("assignment__plan_id", flat=True).distinct())
    counts.update(_planned(department_id, year, assigned | {leave_out_plan}))
    return counts


def _planned(department_id: int, year: int, leave_out: set[int | None]) -> Iterable[str]:
    """Companies drawn this year in tasks the body takes part in, once per plan, for plans
    not yet assigned."""
    draws = (
        Draw.objects.filter(
            Q(task__lead_department_id=department_id)
            | Q(task__partner_departments=department_id, task__joint_inspection=True),
            state=DrawState.DRAWN,
            task__plan__year=year,
            superseded_by__isnull=True,
        )
        .exclude(task__plan_id__in=[p for p in leave_out if p is not None])
        .distinct()
    )
    per_plan: dict[int, set[str]] = defaultdict(set)
    for draw in draws.only("bundle_artefact", "task__plan_id").select_related("task"):
        per_plan[draw.task.plan_id].update(
            code
            for round_data in draw.bundle["rounds"]
            for stratum in round_data["strata"].values()
            for code in stratum["selected"]
        )
    for codes in per_plan.values():
        yield from codes


@dataclass(frozen=True)
class LedgerLine:
    """One check of a company, whichever way it was recorded."""

    day: date | None  # None: assigned, not yet carried out
    window: str  # the months allowed, for a visit not yet carried out
    bodies: tuple[str, ...]
    kind: str
    method: str
    items: str
    basis: str
    counts_to_cap: bool


def ledger_of(entity: Entity, year: int | None = None) -> list[LedgerLine]:
    """Every check of the company, newest first: spot-check visits and other checks."""
    lines: list[LedgerLine] = []
    visits = Visit.objects.filter(entity=entity, assignment__superseded_by__isnull=True)
    others = OtherCheck.objects.filter(entity=entity).select_related("department")
    if year is not None:
        visits = visits.filter(assignment__plan__year=year)
        others = others.filter(checked_on__year=year)
    done = _inspection_days(visits)
    methods = item_methods(entity.region_id)
    for visit in visits.prefetch_related("departments", "tasks").select_related("assignment"):
        lines.append(
            LedgerLine(
                day=done.get(visit.pk),
                window=f"{visit.window_start} 至 {visit.window_end}",
                bodies=tuple(d.short_name for d in visit.departments.all()),
                kind=SPOT_CHECK,
                method=visit_method((i for t in visit.tasks.all() for i in t.items), methods),
                items="；".join(t.name for t in visit.tasks.all()),
                basis=f"{visit.assignment.assignment_id} · {visit.code}",
                counts_to_cap=True,
            )
        )
    for check in others:
        lines.append(
            LedgerLine(
                day=check.checked_on,
                window="",
                bodies=(check.department.short_name,),
                kind=check.kind,
                method=check.method,
                items=check.items,
                basis=check.basis,
                counts_to_cap=check.kind != CheckKind.UPPER_SPECIAL,
            )
        )
    return sorted(lines, key=lambda line: (line.day or date.max, line.window), reverse=True)


def _inspection_days(visits: object) -> dict[int, date]:
    rows = Inspection.objects.filter(visit__in=visits, inspected_on__isnull=False)
    return dict(rows.values_list("visit_id", "inspected_on"))


@dataclass(frozen=True)
class FrequentlyChecked:
    """A company checked at least `times` times within `days` days, and by whom."""

    entity: Entity
    checks: int
    first: date
    last: date
    bodies: tuple[str, ...]


def frequently_checked(
    entities: object, *, year: int, times: int = 3, days: int = 30
) -> list[FrequentlyChecked]:
    """Companies among `entities` (a queryset, already scoped to the reader) checked at least
    `times` times within any `days` consecutive days of `year`: the warning 54号 asks for
    before another check is added. A joint visit is one check, whatever the number of bodies
    on it — one entry into the company, which is what 综合查一次 is for."""
    events: dict[int, list[tuple[date, tuple[str, ...]]]] = defaultdict(list)
    others = OtherCheck.objects.filter(entity__in=entities, checked_on__year=year)
    for entity_id, day, body in others.values_list(
        "entity_id", "checked_on", "department__short_name"
    ):
        events[entity_id].append((day, (body,)))
    visits: dict[int, tuple[int, date, list[str]]] = {}
    # The assignments in force are read first (a handful of ids), and the results are not
    # ordered: with the superseded anti-join and the model's ordering in one query,
    # PostgreSQL expected one assignment, walked all 200,000 visits of the province and
    # joined plans and regions only to sort (1.5 s for a year with no results at all).
    current = Assignment.objects.filter(superseded_by__isnull=True).values_list("pk", flat=True)
    done = Inspection.objects.filter(
        visit__entity__in=entities,
        inspected_on__year=year,
        visit__assignment_id__in=list(current),
    ).order_by()
    for visit_id, entity_id, day, body in done.values_list(
        "visit_id", "visit__entity_id", "inspected_on", "visit__departments__short_name"
    ):
        _, first, bodies = visits.setdefault(visit_id, (entity_id, day, []))
        if body not in bodies:
            bodies.append(body)
        if day < first:
            visits[visit_id] = (entity_id, day, bodies)
    for entity_id, day, bodies in visits.values():
        events[entity_id].append((day, tuple(sorted(bodies))))
    found = []
    for entity_id, checks in events.items():
        window = _densest(sorted(checks), days)
        if len(window) >= times:
            found.append((entity_id, window))
    names = Entity.objects.in_bulk([entity_id for entity_id, _ in found])
    return sorted(
        (
            FrequentlyChecked(
                entity=names[entity_id],
                checks=len(window),
                first=window[0][0],
                last=window[-1][0],
                bodies=tuple(dict.fromkeys(body for _, bodies in window for body in bodies)),
            )
            for entity_id, window in found
        ),
        key=lambda row: (-row.checks, row.entity.uscc),
    )


def _densest(
    checks: list[tuple[date, tuple[str, ...]]], days: int
) -> list[tuple[date, tuple[str, ...]]]:
    """The most checks inside any `days` consecutive days (two pointers over sorted days)."""
    best: list[tuple[date, tuple[str, ...]]] = []
    start = 0
    for end, (day, _) in enumerate(checks):
        while (day - checks[start][0]).days >= days:
            start += 1
        if end + 1 - start > len(best):
            best = checks[start : end + 1]
    return best


@dataclass(frozen=True)
class CapStanding:
    """One body's cap in a year and where its companies stand against it."""

    body: str
    limit: int
    source: str
    companies: int  # checked or set to be checked at least once
    at_cap: int
    over_cap: int


def cap_standings(region_id: int, year: int) -> list[CapStanding]:
    """Each body of the region with a published cap for `year`: for the annual report and
    the 行政执法监督 bodies (54号: counts feed the yearly enforcement statistics)."""
    standings = []
    caps = CheckCap.objects.filter(department__region_id=region_id, year=year)
    for cap in caps.select_related("department").order_by("department__name"):
        counts = [n for n in yearly_counts(cap.department_id, year).values() if n]
        standings.append(
            CapStanding(
                body=cap.department.short_name,
                limit=cap.limit,
                source=cap.source,
                companies=len(counts),
                at_cap=sum(1 for n in counts if n == cap.limit),
                over_cap=sum(1 for n in counts if n > cap.limit),
            )
        )
    return standings
