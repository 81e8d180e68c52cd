"""A plan's year in figures: what the dashboard charts and the annual report tabulate.

Definitions (docs/analysis.md says the same for readers of the report):
- a result is *confirmed* once approved (审核通过) or published (已公示);
- a confirmed result is a *finding* when one of its categories, or a category's parent, is a
  finding (发现问题待后续处理 and its sub-results, 发现问题经责令已改正, 不配合检查情节严重);
- an entity's *risk class* is the stratum it was drawn from in the task's current draw, read
  from the draw record, so next year's reclassification does not rewrite this year's analysis;
- *before merging* counts each task's selected entities; *after merging* counts visits.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from shuangsuiji.assignments.models import Assignment, TeamMember, Visit
from shuangsuiji.core.stats import Rate, wilson
from shuangsuiji.dashboard.progress import DONE, PUBLISHED, plan_progress
from shuangsuiji.directory.models import Department
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from shuangsuiji.plans.models import Plan

CONFIRMED = (InspectionState.APPROVED, InspectionState.PUBLISHED)
RISK_CLASSES = (("A", "A 低风险"), ("B", "B 一般风险"), ("C", "C 较高风险"), ("D", "D 高风险"))
UNCLASSIFIED = ("U", "未分类")


@dataclass
class CategoryRow:
    code: str
    name: str  # a sub-result is written 上级：具体情形
    count: int
    share: float  # of confirmed results
    is_finding: bool


@dataclass
class ClassRow:
    code: str
    label: str
    findings: Rate


@dataclass
class DepartmentRow:
    name: str
    tasks: int
    drawn: int
    completed: int
    confirmed: int
    findings: Rate


@dataclass
class WorkloadRow:
    department: str
    inspectors: int  # with at least one visit
    places: int  # team places on visits
    fewest: int
    most: int

    @property
    def mean(self) -> float:
        return self.places / self.inspectors if self.inspectors else 0.0


@dataclass
class PlanFigures:
    plan: Plan
    tasks: int
    drawn: int
    completed: int
    selections: int  # before merging
    visits: int  # after merging
    confirmed: int
    findings: Rate
    categories: list[CategoryRow] = field(default_factory=list)
    by_class: list[ClassRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    workload: list[WorkloadRow] = field(default_factory=list)

    @property
    def merged_away(self) -> int:
        return self.selections - self.visits


def current_assignments(plan: Plan) -> list[int]:
    """The plan's assignments in force (assigned, not superseded): a handful of ids, read
    first so that its visits and team places are filtered by them. Joined in one query with
    the superseded anti-join, PostgreSQL misjudged it and walked every team place of the
    province (2 s for a city's 18,000 visits, on a busy machine)."""
    return list(
        Assignment.objects.filter(
            plan=plan, state="assigned", superseded_by__isnull=True
        ).values_list("pk", flat=True)
    )


def _current_draws(plan: Plan, tasks: Any = None) -> Any:
    draws = Draw.objects.filter(task__plan=plan, state=DrawState.DRAWN, superseded_by__isnull=True)
    if tasks is not None:
        draws = draws.filter(task__in=tasks)
    return draws.defer("exclusions", "freeze")


def drawn_strata(plan: Plan, tasks: Any = None) -> tuple[dict[tuple[int, str], str], int]:
    """(task id, code) → the stratum each drawn entity came from, and how many were selected
    (reserves are listed too: a substitute keeps the class it was drawn in)."""
    strata: dict[tuple[int, str], str] = {}
    selected = 0
    for draw in _current_draws(plan, tasks).only("task_id", "bundle_artefact"):
        task_id = draw.task_id
        for round_ in draw.bundle["rounds"]:
            for stratum, data in round_["strata"].items():
                selected += len(data["selected"])
                for code in (*data["selected"], *data.get("reserve", [])):
                    strata.setdefault((task_id, code), stratum)
    return strata, selected


@dataclass(frozen=True)
class Confirmed:
    """One confirmed result, as the figures and the risk feedback read it."""

    inspection: int
    task: int
    entity: int
    entity_code: str
    lead_department: str
    categories: frozenset[int]


def confirmed_results(plan: Plan, tasks: Any = None) -> list[Confirmed]:
    """Every confirmed result of the plan (of `tasks`, default all), in two queries."""
    inspections = Inspection.objects.filter(task__plan=plan, state__in=CONFIRMED)
    if tasks is not None:
        inspections = inspections.filter(task__in=tasks)
    # Ordered by id, not by the model's ordering (visit, task position), which joined the
    # visit's assignment, plan and region only to sort 27,000 rows of a city's plan.
    rows = list(
        inspections.order_by("pk").values_list(
            "pk",
            "task_id",
            "visit__entity_id",
            "visit__entity__uscc",
            "task__lead_department__name",
        )
    )
    chosen: dict[int, set[int]] = defaultdict(set)
    through = Inspection.results.through.objects.filter(
        inspection__task__plan=plan, inspection__state__in=CONFIRMED
    )
    for inspection_id, category_id in through.values_list("inspection_id", "resultcategory_id"):
        chosen[inspection_id].add(category_id)
    return [
        Confirmed(pk, task, entity, code, dept or "", frozenset(chosen[pk]))
        for pk, task, entity, code, dept in rows
    ]


def finding_categories(categories: dict[int, ResultCategory]) -> set[int]:
    """The categories that make a result a finding: their own flag or their parent's."""
    return {
        pk for pk, c in categories.items() if c.is_finding or (c.parent and c.parent.is_finding)
    }


def plan_figures(plan: Plan, department: Department | None = None) -> PlanFigures:
    """Everything the dashboard and the annual report show for one plan, in a dozen queries;
    with a department, only the tasks it leads (their visits, results, and its inspectors)."""
    tasks = plan.tasks.filter(lead_department=department) if department else None
    progress = plan_progress(plan, tasks)
    drawn_ids = {p.task.pk for p in progress if p.stage != "未抽取"}
    completed_ids = {p.task.pk for p in progress if p.stage in (DONE, PUBLISHED)}
    strata, selections = drawn_strata(plan, tasks)
    current_visits = Visit.objects.filter(assignment__in=current_assignments(plan))
    if tasks is not None:
        current_visits = current_visits.filter(tasks__in=tasks).distinct()
    visits = current_visits.count()
    categories = {c.pk: c for c in ResultCategory.objects.select_related("parent")}
    finding_ids = finding_categories(categories)
    confirmed = confirmed_results(plan, tasks)
    is_finding = {r.inspection: bool(r.categories & finding_ids) for r in confirmed}

    counted: Counter[int] = Counter()
    for result in confirmed:
        chosen = result.categories
        parents = {categories[c].parent_id for c in chosen if categories[c].parent_id}
        counted.update(chosen | parents)  # a sub-result also counts towards its parent
    total = len(confirmed)
    category_rows = [
        CategoryRow(
            c.code,
            f"{c.parent.name}：{c.name}" if c.parent else c.name,
            counted[pk],
            counted[pk] / total if total else 0.0,
            pk in finding_ids,
        )
        for pk, c in sorted(categories.items(), key=lambda item: item[1].code)
    ]

    class_hits: Counter[str] = Counter()
    class_totals: Counter[str] = Counter()
    for result in confirmed:
        stratum = strata.get((result.task, result.entity_code), UNCLASSIFIED[0])
        class_totals[stratum] += 1
        class_hits[stratum] += is_finding[result.inspection]
    by_class = [
        ClassRow(code, label, wilson(class_hits[code], class_totals[code]))
        for code, label in (*RISK_CLASSES, UNCLASSIFIED)
        if class_totals[code] or code != UNCLASSIFIED[0]
    ]

    return PlanFigures(
        plan=plan,
        tasks=len(progress),
        drawn=len(drawn_ids),
        completed=len(completed_ids),
        selections=selections,
        visits=visits,
        confirmed=total,
        findings=wilson(sum(is_finding.values()), total),
        categories=category_rows,
        by_class=by_class,
        departments=_departments(progress, drawn_ids, completed_ids, confirmed, is_finding),
        workload=workload(plan, department),
    )


def _departments(
    progress: Any,
    drawn_ids: set[int],
    completed_ids: set[int],
    confirmed: list[Confirmed],
    is_finding: dict[int, bool],
) -> list[DepartmentRow]:
    """Per lead department (发起部门): its tasks, how far they got, and its findings rate."""
    tasks: dict[str, list[int]] = defaultdict(list)
    for p in progress:
        name = p.task.lead_department.name if p.task.lead_department else "（未识别部门）"
        tasks[name].append(p.task.pk)
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for result in confirmed:
        totals[result.lead_department] += 1
        hits[result.lead_department] += is_finding[result.inspection]
    return [
        DepartmentRow(
            name,
            len(ids),
            len(drawn_ids.intersection(ids)),
            len(completed_ids.intersection(ids)),
            totals[name],
            wilson(hits[name], totals[name]),
        )
        for name, ids in sorted(tasks.items(), key=lambda item: (-len(item[1]), item[0]))
    ]


def workload(plan: Plan, department: Department | None = None) -> list[WorkloadRow]:
    """Team places per inspector on the plan's current visits, summed per department."""
    members = TeamMember.objects.filter(visit__assignment__in=current_assignments(plan))
    if department is not None:
        members = members.filter(department=department)
    places = members.values_list("department__name", "inspector_id").annotate(n=Count("pk"))
    per_department: dict[str, list[int]] = defaultdict(list)
    for name, _, n in places:
        per_department[name].append(n)
    return [
        WorkloadRow(name, len(counts), sum(counts), min(counts), max(counts))
        for name, counts in sorted(per_department.items(), key=lambda item: -sum(item[1]))
    ]


@dataclass
class YearRow:
    plan: Plan
    confirmed: int
    findings: Rate


def trend(plan: Plan) -> list[YearRow]:
    """The region's plans year by year: confirmed results and the findings rate, one COUNT
    per plan (a finding is asked as EXISTS on the result's categories: joined and made
    DISTINCT over every column, a city plan's count took 0.9 s)."""
    categories = {c.pk: c for c in ResultCategory.objects.select_related("parent")}
    chosen = Inspection.results.through.objects.filter(
        inspection=OuterRef("pk"), resultcategory_id__in=finding_categories(categories)
    )
    rows = []
    for other in Plan.objects.filter(region=plan.region).order_by("year", "pk"):
        counts = Inspection.objects.filter(task__plan=other, state__in=CONFIRMED).aggregate(
            total=Count("pk"), hits=Count("pk", filter=Q(Exists(chosen)))
        )
        rows.append(YearRow(other, counts["total"], wilson(counts["hits"], counts["total"])))
    return rows
