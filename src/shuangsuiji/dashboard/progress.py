"""Where each task of a plan stands in the year, counted in a few grouped queries."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from shuangsuiji.assignments.models import Visit
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection, InspectionState
from shuangsuiji.plans.models import Plan, PlanTask

NOT_DRAWN, DRAWN, INSPECTING, DONE, PUBLISHED = "未抽取", "已抽取", "检查中", "已完成", "已公示"
STAGES = (NOT_DRAWN, DRAWN, INSPECTING, DONE, PUBLISHED)


@dataclass
class TaskProgress:
    task: PlanTask
    stage: str
    visits: int  # visits carrying the task
    approved: int  # approved or published
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.visits) if self.visits else 0


def plan_progress(plan: Plan, tasks: Any = None) -> list[TaskProgress]:
    """Each task (of `tasks`, default all the plan's): 未抽取 without a current draw; 已抽取
    until a result is recorded; 检查中 until every visit's result is approved; then 已完成,
    and 已公示 once every result is published."""
    tasks = list((tasks if tasks is not None else plan.tasks.all()).order_by("position"))
    drawn = set(
        Draw.objects.filter(task__plan=plan, state=DrawState.DRAWN).values_list(
            "task_id", flat=True
        )
    )
    visits = dict(
        Visit.tasks.through.objects.filter(
            plantask__plan=plan,
            # Implied by the task's plan, but said so the planner starts from this plan's
            # assignments: without it PostgreSQL walked every visit of the province (1.5 s).
            visit__assignment__plan=plan,
            visit__assignment__superseded_by__isnull=True,
            visit__assignment__state="assigned",
        )
        .values_list("plantask_id")
        .annotate(n=Count("visit_id"))
        .values_list("plantask_id", "n")
    )
    states: dict[int, Counter[str]] = {}
    rows = (
        Inspection.objects.filter(task__plan=plan)
        .exclude(state=InspectionState.PENDING)
        .values_list("task_id", "state")
        .annotate(n=Count("pk"))
    )
    for task_id, state, n in rows:
        states.setdefault(task_id, Counter())[state] = n
    result = []
    for task in tasks:
        counts = states.get(task.pk, Counter())
        total = visits.get(task.pk, 0)
        published = counts[InspectionState.PUBLISHED]
        approved = counts[InspectionState.APPROVED] + published
        if task.pk not in drawn:
            stage = NOT_DRAWN
        elif not counts:
            stage = DRAWN
        elif total and published >= total:
            stage = PUBLISHED
        elif total and approved >= total:
            stage = DONE
        else:
            stage = INSPECTING
        result.append(TaskProgress(task, stage, total, approved, counts[InspectionState.SUBMITTED]))
    return result


def stage_counts(progress: list[TaskProgress]) -> list[tuple[str, int]]:
    counts = Counter(p.stage for p in progress)
    return [(stage, counts[stage]) for stage in STAGES]
