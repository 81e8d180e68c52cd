from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shuangsuiji.accounts.permissions import STAFF_ROLES, Role, role_of
from shuangsuiji.assignments.models import TeamMember, Visit
from shuangsuiji.dashboard.inbox import counts_for, inbox_for, unrecorded_visits
from shuangsuiji.dashboard.progress import plan_progress, stage_counts
from shuangsuiji.dashboard.tour import demo_banner
from shuangsuiji.directory import tally
from shuangsuiji.directory.models import CheckItem, Inspector
from shuangsuiji.plans.models import Plan, PlanTask


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's day: what waits for the user first (`dashboard.inbox`), then the plans'
    tasks by stage, the user's visits and the directory within its scope."""
    user = request.user
    role = role_of(user)
    risk_counts = tally.active_risk_counts(user)
    counts = counts_for(user, role)
    context = {
        "role": role,
        "can_use_admin": role in STAFF_ROLES,
        "entity_count": sum(risk_counts.values()),
        "risk_counts": [(label, risk_counts.get(code, 0)) for code, label in _RISK_ROWS],
        "inspector_count": Inspector.objects.visible_to(user).filter(is_active=True).count(),
        "check_item_count": CheckItem.objects.visible_to(user).count(),
        "inbox": inbox_for(user, counts=counts),
        "demo": demo_banner(user),
        "plans": _plans(user, role),
        "publication": _due(counts.publication),
        "my_visits": _my_open_visits(user),
        "department_load": _department_load(user, role),
        "to_review": counts.to_review,
    }
    return render(request, "dashboard/home.html", context)


def _due(counted: Any) -> dict[str, int] | None:
    """For the coordinator: approved results waiting to be published, and how many are late."""
    return None if counted is None else {"due": counted.due, "overdue": counted.overdue}


def _plans(user: Any, role: Role | None) -> list[dict[str, Any]]:
    """Each plan in scope with its tasks' stages; a department admin sees its own tasks."""
    if role not in (Role.COORDINATOR, Role.DEPARTMENT_ADMIN, Role.AUDITOR):
        return []
    result = []
    for plan in Plan.objects.visible_to(user).order_by("-year", "title")[:5]:
        tasks = PlanTask.objects.visible_to(user).filter(plan=plan)
        progress = plan_progress(plan, tasks)
        result.append({"plan": plan, "progress": progress, "stages": stage_counts(progress)})
    return result


def _my_open_visits(user: Any) -> list[Any]:
    """An inspector's visits with results still to record, soonest window first; a window
    already over is marked overdue."""
    inspector_id = getattr(user, "inspector_id", None)
    if not inspector_id:
        return []
    this_month = timezone.localdate().strftime("%Y-%m")
    visits = (
        unrecorded_visits(inspector_id).select_related("entity").order_by("window_end", "code")[:20]
    )
    return [(v, _window_status(v, this_month)) for v in visits]


def _window_status(visit: Visit, this_month: str) -> str:
    """Where today falls against the visit's window (months, as the plan gives them)."""
    if visit.window_end < this_month:
        return "已过检查期"
    if visit.window_start > this_month:
        return f"{visit.window_start} 起可检查"
    return "本月可检查"


def _department_load(user: Any, role: Role | None) -> list[dict[str, Any]]:
    """For a department admin: each of its inspectors' visits in the current assignments, and
    how many of them already have a result recorded."""
    department = getattr(user, "department", None)
    if role is not Role.DEPARTMENT_ADMIN or department is None:
        return []
    recorded = Q(visit__inspections__state__in=["submitted", "approved", "published"])
    rows = (
        TeamMember.objects.filter(
            inspector__department=department,
            visit__assignment__state="assigned",
            visit__assignment__superseded_by__isnull=True,
        )
        .values("inspector__name")
        .annotate(
            visits=Count("visit", distinct=True),
            recorded=Count("visit", filter=recorded, distinct=True),
        )
        .order_by("-visits", "inspector__name")
    )
    return list(rows)


_RISK_ROWS = [
    ("A", "A 低风险"),
    ("B", "B 一般风险"),
    ("C", "C 较高风险"),
    ("D", "D 高风险"),
    ("", "未分类"),
]
