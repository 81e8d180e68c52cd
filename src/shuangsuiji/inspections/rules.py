"""Who may record, review and follow up a visit's results: the rules `inspections.services`
checks for the pages, the API and the commands alike."""

from typing import Any

from django.db.models import QuerySet

from shuangsuiji.accounts.permissions import SYSTEM, Role, restrict, role_of, within
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.models import Inspection


def on_team(user: Any, visit: Visit) -> bool:
    inspector_id = getattr(user, "inspector_id", None)
    return bool(inspector_id) and visit.members.filter(inspector_id=inspector_id).exists()


def may_record(user: Any, inspection: Inspection) -> bool:
    """A member of the visit's team, or the coordinator of the region (entering a paper
    record for the team)."""
    if user is SYSTEM or on_team(user, inspection.visit):
        return True
    return role_of(user) is Role.COORDINATOR and within(user, inspection, "view")


def may_review(user: Any, inspection: Inspection) -> bool:
    """The coordinator of the region, or an admin of the task's lead department; never the
    person who recorded the results."""
    if user is SYSTEM:
        return True
    if inspection.recorded_by_id is not None and inspection.recorded_by_id == user.pk:
        return False
    role = role_of(user)
    if role is Role.COORDINATOR:
        return within(user, inspection, "view")
    lead = inspection.task.lead_department_id
    return role is Role.DEPARTMENT_ADMIN and getattr(user, "department_id", None) == lead


def may_close_follow_up(user: Any, inspection: Inspection) -> bool:
    return may_review(user, inspection) or may_record(user, inspection)


def reviewable(inspections: QuerySet[Inspection], user: Any) -> QuerySet[Inspection]:
    """`may_review` as a filter, for the review queue and its count."""
    if role_of(user) not in (Role.COORDINATOR, Role.DEPARTMENT_ADMIN):
        return inspections.none()
    # A department admin's scope is the tasks its department leads (DEPARTMENT_LOOKUP).
    return restrict(inspections, user, "view").exclude(recorded_by_id=user.pk)
