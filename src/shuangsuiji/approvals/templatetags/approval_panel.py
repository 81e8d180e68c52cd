"""The approval panel on a visit's page (assignments/visit.html): its standing, the three
documents, and the forms the user may use (report an emergency, declare an assistant).
A tag of the approvals app, so the assignments app's view does not read approvals."""

from typing import Any

from django import template

from shuangsuiji.approvals.documents import TITLES
from shuangsuiji.approvals.rules import leads, may_declare_assistant, may_report_emergency
from shuangsuiji.approvals.standing import approval_line, is_cleared, standing_of
from shuangsuiji.assignments.models import Visit

register = template.Library()


@register.inclusion_tag("approvals/_panel.html", takes_context=True)
def approval_panel(context: template.Context, visit: Visit) -> dict[str, Any]:
    user = context["request"].user
    standing = standing_of(visit)
    open_ = standing is None
    return {
        "visit": visit,
        "standing": standing,
        "line": approval_line(standing),
        "cleared": is_cleared(standing),
        "documents": list(TITLES.items()),
        "assistants": list(visit.assistants.all()),
        "may_report": open_ and may_report_emergency(user, visit),
        "may_declare": open_ and may_declare_assistant(user, visit),
        "may_approve": (standing is None or standing.approval_id is None) and leads(user, visit),
        "csrf_token": context.get("csrf_token"),
    }
