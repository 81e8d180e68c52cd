"""Which tasks a user may read: the object-level rule the task pages and the API share."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from shuangsuiji.plans.models import Plan, PlanTask


def readable_task(user: Any, pk: int) -> PlanTask:
    """A task of a plan the user may see: the plan's page shows every task of it."""
    if not user.has_perm("plans.view_plantask"):
        raise Http404("没有这项任务")
    tasks = PlanTask.objects.filter(plan__in=Plan.objects.visible_to(user))
    return get_object_or_404(tasks.select_related("plan__region", "lead_department"), pk=pk)
