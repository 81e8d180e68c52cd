"""Who may reach a visit's inspections: the object-level rules the inspection pages and the
API share."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.models import Inspection


def visible_visit(user: Any, visit_id: int) -> Visit:
    return get_object_or_404(
        Visit.objects.visible_to(user)
        .select_related("entity", "assignment__plan", "lead_department")  # bundle: by digest
        .distinct(),
        pk=visit_id,
    )


def reachable_inspection(user: Any, pk: int) -> Inspection:
    """Anyone who may see the visit may reach its inspections; each step checks its actor."""
    inspection = get_object_or_404(Inspection.objects.select_related("task", "visit"), pk=pk)
    visible_visit(user, inspection.visit_id)
    if role_of(user) is Role.AUDITOR:
        raise Http404("审计员只读")
    return inspection
