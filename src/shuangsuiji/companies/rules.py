"""Who on the platform's side acts on the company's side: the visit's team or its departments'
admins offer time slots; the result's lead department answers an objection. A company acts
only on its own records (`companies.services`); no staff role acts as a company."""

from typing import Any

from shuangsuiji.accounts.permissions import SYSTEM, Role, role_of
from shuangsuiji.assignments.models import Visit
from shuangsuiji.companies.models import Objection
from shuangsuiji.inspections.rules import on_team


def may_offer_slots(user: Any, visit: Visit) -> bool:
    """An inspector on the visit's team, or an admin of one of the visit's departments."""
    if user is SYSTEM:
        return True
    role = role_of(user)
    if role is Role.INSPECTOR:
        return on_team(user, visit)
    department_id = getattr(user, "department_id", None)
    return (
        role is Role.DEPARTMENT_ADMIN
        and department_id is not None
        and visit.departments.filter(pk=department_id).exists()
    )


def may_hand_over_secrets(user: Any, visit: Visit) -> bool:
    """Who receives the notice with the company's one-time sign-in token and rating code: the
    team that hands it over, or the lead body's admin who sends it. Everyone else who may read
    the notice (the coordinator, the auditor, a partner body) gets it without them, so nobody
    but those delivering it could sign in or rate as the company."""
    if user is SYSTEM:
        return True
    role = role_of(user)
    if role is Role.INSPECTOR:
        return on_team(user, visit)
    return (
        role is Role.DEPARTMENT_ADMIN
        and visit.lead_department_id is not None
        and getattr(user, "department_id", None) == visit.lead_department_id
    )


def may_answer(user: Any, objection: Objection) -> bool:
    """The lead department of the result objected to: its admin, or the coordinator when the
    coordinating body itself leads the task."""
    if user is SYSTEM:
        return True
    lead = objection.inspection.task.lead_department_id
    return (
        role_of(user) in (Role.COORDINATOR, Role.DEPARTMENT_ADMIN)
        and lead is not None
        and getattr(user, "department_id", None) == lead
    )


def may_read_objections(user: Any) -> bool:
    """The list of objections: those who answer, and the auditor who reads everything."""
    return role_of(user) in (Role.COORDINATOR, Role.DEPARTMENT_ADMIN, Role.AUDITOR)
