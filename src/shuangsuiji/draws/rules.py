"""Who may freeze, take part in and complete a draw: the named rules `draws.services` checks,
whatever calls it (page, API, command, background job).

A department takes part in a task's ceremony under its own name only: its secret must be its
own, or the commit–reveal proves nothing about it. The coordinating body (联席会议办公室)
takes part under its own name too; nobody registers a step in another department's name.
"""

from typing import Any

from shuangsuiji.accounts.permissions import SYSTEM, Role, role_of, within
from shuangsuiji.draws.models import Draw
from shuangsuiji.plans.models import PlanTask


def may_draw(user: Any, task: PlanTask) -> bool:
    """Freeze, complete and redraw: the coordinator of the task's region."""
    return bool(user.has_perm("draws.change_draw") and within(user, task, "change"))


def party_of(user: Any, task: PlanTask) -> str | None:
    """The one name under which `user` takes part in the task's ceremony, or None: a
    department admin of the lead or a partner department; a coordinator for its own body."""
    department = getattr(user, "department", None)
    if user is SYSTEM or department is None:
        return None
    role = role_of(user)
    if role is Role.COORDINATOR and within(user, task, "change"):
        return str(department.short_name)
    if role is not Role.DEPARTMENT_ADMIN:
        return None
    if task.lead_department_id == department.pk:
        return str(department.short_name)
    if task.partner_departments.filter(pk=department.pk).exists():
        return str(department.short_name)
    return None


def may_take_part(user: Any, draw: Draw, party: str) -> bool:
    """Commit or reveal as `party`: only under the user's own name (SYSTEM: the demo's
    simulated ceremony, which plays every party)."""
    if user is SYSTEM:
        return True
    return party_of(user, draw.task) == party


def may_substitute(user: Any, draw: Draw) -> bool:
    """Record that a drawn entity gives way to the next reserve: the coordinator of the task's
    region (who draws), or an admin of the task's lead department (which reviews the results
    that say an entity cannot be inspected). Partners, inspectors and auditors only read."""
    if may_draw(user, draw.task):
        return True
    department_id = getattr(user, "department_id", None)
    return (
        role_of(user) is Role.DEPARTMENT_ADMIN
        and department_id is not None
        and department_id == draw.task.lead_department_id
    )
