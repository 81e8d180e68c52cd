"""A plan's draws against its departments' inspectors, before anything is frozen
(`core.capacity` says how the estimate is made and why).

Each task's expected selection is the draw rule's own sample sizes over its population counts:
the frozen strata of its latest draw when it has one, else the directory's current counts (the
tally, or the counts saved with its filter). So the figure is the one the draw will give,
not a second calculation that could disagree with it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count

from shuangsuiji.core import capacity
from shuangsuiji.core import draw as draw_rule
from shuangsuiji.directory.models import Inspector
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import DrawStepError, task_parameters
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.population import PopulationFilter, stored_counts, tallied_counts


@dataclass(frozen=True)
class PlanCapacity:
    per_month: int  # sustainable visits per inspector per month (setting)
    loads: list[capacity.DepartmentLoad]
    flagged: dict[int, list[capacity.DepartmentLoad]]  # task id → its over-capacity departments
    uncounted: list[PlanTask]  # tasks whose population was never counted: left out

    @property
    def over(self) -> list[capacity.DepartmentLoad]:
        return [load for load in self.loads if load.over]


def plan_capacity(plan: Plan) -> PlanCapacity:
    tasks = list(
        plan.tasks.order_by("position")
        .select_related("lead_department", "plan")
        .prefetch_related("partner_departments", "scope_categories", "scope_regions")
    )
    demands, uncounted = _demands(plan, tasks)
    names = {name for demand in demands for name in demand.departments}
    people = dict(
        Inspector.objects.filter(is_active=True, department__name__in=names)
        .filter(department__region=plan.region)
        .values("department__name")
        .annotate(n=Count("pk"))
        .values_list("department__name", "n")
    )
    per_month = settings.CAPACITY_VISITS_PER_INSPECTOR_MONTH
    loads = capacity.department_loads(demands, people, per_month)
    flagged = capacity.overloaded_tasks(demands, loads)
    return PlanCapacity(
        per_month=per_month,
        loads=loads,
        flagged={int(key): value for key, value in flagged.items()},
        uncounted=uncounted,
    )


def task_capacity_flags(task: PlanTask, plan: PlanCapacity) -> list[str]:
    """Why the task's draw would ask more than the inspectors can do, in words for the plan page
    and the task's draw page."""
    return [
        f"{load.department}{_month(load.busiest_month)}需检查约 {load.busiest_places} 人次，"
        f"{load.inspectors} 名在岗执法人员按每人每月 {plan.per_month} 次只能承担 "
        f"{load.monthly_capacity} 人次"
        for load in plan.flagged.get(task.pk, [])
    ]


def _month(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def _demands(plan: Plan, tasks: list[PlanTask]) -> tuple[list[capacity.TaskDemand], list[Any]]:
    frozen = _frozen_sizes(plan)
    undrawn = {t.pk: PopulationFilter.of_task(t) for t in tasks if t.pk not in frozen}
    recounted = tallied_counts(undrawn)
    demands, uncounted = [], []
    for task in tasks:
        if task.lead_department is None:
            continue
        sizes = frozen.get(task.pk) or recounted.get(task.pk) or stored_counts(task)
        if sizes is None:
            uncounted.append(task)
            continue
        try:
            parameters = task_parameters(task)
        except DrawStepError:
            continue  # no ratio or count: the plan page already says so
        selected = sum(draw_rule.sample_sizes(parameters, sizes).values()) * parameters.rounds
        partners = sorted(
            {d.name for d in task.partner_departments.all()} - {task.lead_department.name}
        )
        demands.append(
            capacity.TaskDemand(
                key=str(task.pk),
                visits=selected,
                departments=(task.lead_department.name, *partners),
                team_size=task.team_size or settings.ASSIGN_MIN_TEAM,
                months=tuple(_window(task)),
            )
        )
    return demands, uncounted


def _frozen_sizes(plan: Plan) -> dict[int, dict[str, int]]:
    """Each task's strata sizes as its latest draw froze them (the small freeze record only)."""
    sizes: dict[int, dict[str, int]] = {}
    rows = Draw.objects.filter(task__plan=plan).order_by("task_id", "number")
    for task_id, strata in rows.values_list("task_id", "freeze__strata_sizes"):
        if strata:
            sizes[task_id] = {k: int(v) for k, v in strata.items()}
    return sizes


def _window(task: PlanTask) -> Iterable[str]:
    """The months of the task's window, or of the plan's year when it has none."""
    year = task.plan.year
    start = task.window_start or f"{year}-01"
    end = task.window_end or f"{year}-12"
    if end < start:
        start, end = end, start
    y, m = (int(part) for part in start.split("-"))
    while f"{y:04d}-{m:02d}" <= end:
        yield f"{y:04d}-{m:02d}"
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
