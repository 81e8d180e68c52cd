from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuangsuiji.accounts.permissions import STAFF_ROLES, Role, role_of
from shuangsuiji.directory.models import CheckItem, Entity, Inspector
from shuangsuiji.draws.models import Draw, DrawState


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Directory figures within the user's scope; later issues add tasks, visits and deadlines."""
    user = request.user
    role = role_of(user)
    risk_counts = dict(
        Entity.objects.visible_to(user)
        .active()
        .values_list("risk_class")
        .annotate(n=Count("pk"))
        .values_list("risk_class", "n")
    )
    context = {
        "role": role,
        "can_use_admin": role in STAFF_ROLES,
        "entity_count": sum(risk_counts.values()),
        "risk_counts": [(label, risk_counts.get(code, 0)) for code, label in _RISK_ROWS],
        "inspector_count": Inspector.objects.visible_to(user).filter(is_active=True).count(),
        "check_item_count": CheckItem.objects.visible_to(user).count(),
        "ceremonies": _ceremonies_awaiting(user),
    }
    return render(request, "dashboard/home.html", context)


def _ceremonies_awaiting(user: Any) -> list[tuple[Draw, str]]:
    """For a department admin: frozen draws whose task its department leads or partners, with
    what the department still has to do (commit, or reveal)."""
    department = getattr(user, "department", None)
    if role_of(user) is not Role.DEPARTMENT_ADMIN or department is None:
        return []
    draws = (
        Draw.objects.filter(state=DrawState.FROZEN)
        .filter(Q(task__lead_department=department) | Q(task__partner_departments=department))
        .select_related("task")
        .distinct()
        .order_by("created_at")
    )
    awaiting = []
    for draw in draws:
        committed = {c["party"] for c in draw.commitments}
        revealed = {r["party"] for r in draw.reveals}
        if department.short_name not in committed and not draw.reveals:
            awaiting.append((draw, "提交承诺"))
        elif department.short_name in committed - revealed:
            awaiting.append((draw, "揭示秘密"))
    return awaiting


_RISK_ROWS = [
    ("A", "A 低风险"),
    ("B", "B 一般风险"),
    ("C", "C 较高风险"),
    ("D", "D 高风险"),
    ("", "未分类"),
]
