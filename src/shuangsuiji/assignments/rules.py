"""Who may assign inspectors and record a recusal: the rules `assignments.services` checks."""

from typing import Any

from shuangsuiji.accounts.permissions import SYSTEM, Role, role_of, within
from shuangsuiji.assignments.models import TeamMember
from shuangsuiji.plans.models import Plan


def may_assign(user: Any, plan: Plan) -> bool:
    """Freeze, complete or redo the second random: the coordinator of the plan's region."""
    return bool(user.has_perm("assignments.change_assignment") and within(user, plan, "change"))


def may_recuse(user: Any, member: TeamMember) -> bool:
    """The inspector itself, its department's admin, or the coordinator of the region."""
    if user is SYSTEM:
        return True
    role = role_of(user)
    if role is Role.COORDINATOR:
        return within(user, member, "view")
    if role is Role.DEPARTMENT_ADMIN:
        return member.department_id == getattr(user, "department_id", None)
    return role is Role.INSPECTOR and getattr(user, "inspector_id", None) == member.inspector_id
