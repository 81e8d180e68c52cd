"""Plans and their tasks: what the user's plan pages show, in the same scope."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from shuangsuiji.api.pagination import paginate
from shuangsuiji.api.schemas import Id, Page, PageQuery, PlanFilters, PlanOut, TaskOut
from shuangsuiji.plans.access import readable_task
from shuangsuiji.plans.models import Plan, PlanTask

router = Router(tags=["计划"])


def _plans(request: HttpRequest) -> Any:
    return (
        Plan.objects.visible_to(request.user)
        .select_related("region")
        .annotate(task_count=Count("tasks"))
        .order_by("-year", "region__code", "pk")
    )


def plan_rows(plans: Iterable[Plan]) -> list[dict[str, Any]]:
    return [
        {
            "id": plan.pk,
            "title": plan.title,
            "year": plan.year,
            "region": {"code": plan.region.code, "name": plan.region.name},
            "locality": plan.locality,
            "source_filename": plan.source_filename,
            "imported_at": plan.imported_at,
            "tasks": plan.task_count,
        }
        for plan in plans
    ]


def task_rows(tasks: Iterable[PlanTask]) -> list[dict[str, Any]]:
    return [
        {
            "id": task.pk,
            "plan": task.plan_id,
            "position": task.position,
            "seq": task.seq,
            "name": task.name,
            "items": task.items,
            "scope": task.scope,
            "ratio_min": task.ratio_min,
            "sample_count": task.sample_count,
            "frequency_per_year": task.frequency_per_year,
            "sampling_type": task.sampling_type,
            "risk_kind": task.risk_kind,
            "risk_text": task.risk_text,
            "window_start": task.window_start,
            "window_end": task.window_end,
            "lead_department": task.lead_department.name if task.lead_department else None,
            "partner_departments": [d.name for d in task.partner_departments.all()],
            "mode_text": task.mode_text,
            "note": task.note,
            "team_size": task.team_size,
            "joint_inspection": task.joint_inspection,
        }
        for task in tasks
    ]


def _with_departments(tasks: Any) -> Any:
    return tasks.select_related("lead_department").prefetch_related("partner_departments")


@router.get("/plans", response=Page[PlanOut], summary="抽查计划列表")
def plan_list(
    request: HttpRequest, page: Query[PageQuery], filters: Query[PlanFilters]
) -> dict[str, Any]:
    plans = _plans(request)
    if filters.year is not None:
        plans = plans.filter(year=filters.year)
    return paginate(plans, page, plan_rows)


@router.get("/plans/{pk}", response=PlanOut, summary="抽查计划")
def plan_detail(request: HttpRequest, pk: Path[Id]) -> dict[str, Any]:
    return plan_rows([get_object_or_404(_plans(request), pk=pk)])[0]


@router.get("/plans/{pk}/tasks", response=Page[TaskOut], summary="计划的抽查任务")
def plan_tasks(request: HttpRequest, page: Query[PageQuery], pk: Path[Id]) -> dict[str, Any]:
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    tasks = _with_departments(plan.tasks.order_by("position"))
    return paginate(tasks, page, task_rows)


@router.get("/tasks/{pk}", response=TaskOut, summary="抽查任务")
def task_detail(request: HttpRequest, pk: Path[Id]) -> dict[str, Any]:
    task = readable_task(request.user, pk)
    return task_rows(_with_departments(PlanTask.objects.filter(pk=task.pk)))[0]
