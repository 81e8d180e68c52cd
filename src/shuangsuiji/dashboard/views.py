from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuangsuiji.accounts.permissions import STAFF_ROLES, role_of
from shuangsuiji.directory.models import CheckItem, Entity, Inspector


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
    }
    return render(request, "dashboard/home.html", context)


_RISK_ROWS = [
    ("A", "A 低风险"),
    ("B", "B 一般风险"),
    ("C", "C 较高风险"),
    ("D", "D 高风险"),
    ("", "未分类"),
]
