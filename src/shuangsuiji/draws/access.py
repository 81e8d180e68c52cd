"""Who may see a draw and under which name a department takes part in its ceremony: the
object-level rules the draw pages, the API and the `draw` command share."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.draws.models import Draw
from shuangsuiji.plans.models import PlanTask


def visible_draw(user: Any, pk: int) -> Draw:
    """A draw the user may see: by row scope, or as a department taking part in its task."""
    draws = Draw.objects.select_related("task__plan__region", "task__lead_department")
    draw = draws.visible_to(user).filter(pk=pk).first()
    if draw is None:
        draw = get_object_or_404(draws, pk=pk)
        if own_party(user, draw) is None:
            raise Http404("没有这次抽取")
    return draw


def own_party(user: Any, draw: Draw) -> str | None:
    """The name a department admin commits under, when its department leads or partners the
    draw's task; None for everyone else."""
    return party_of(user, draw.task)


def party_of(user: Any, task: PlanTask) -> str | None:
    department = getattr(user, "department", None)
    if role_of(user) is not Role.DEPARTMENT_ADMIN or department is None:
        return None
    if task.lead_department_id == department.pk:
        return str(department.short_name)
    if task.partner_departments.filter(pk=department.pk).exists():
        return str(department.short_name)
    return None
