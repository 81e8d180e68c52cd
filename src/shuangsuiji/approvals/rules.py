"""Who may approve a visit, report an emergency and declare assistants: the rules
`approvals.services` checks, whatever calls it (page, command, demo).

Approval belongs to the inspecting body's head (54号: 行政执法主体负责人). The platform's nearest
account is the body's department admin, who records the head's decision under the head's name
and title; it approves only the visits its body leads (the lead body answers for a joint visit;
see docs/compliance.md for the partners). The coordinator is not asked: the 联席会议办公室
coordinates the bodies but is not the head of the body that inspects, and an approval it gave
would not be the body's. Inspectors never approve their own visits; a member of the team (on the
spot) or the lead body's admin reports an emergency, which the head then approves.
"""

from typing import Any

from shuangsuiji.accounts.permissions import SYSTEM, Role, role_of, within
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.rules import on_team


def leads(user: Any, visit: Visit) -> bool:
    """A department admin of the visit's lead body."""
    return (
        role_of(user) is Role.DEPARTMENT_ADMIN
        and getattr(user, "department_id", None) == visit.lead_department_id
        and within(user, visit, "view")
    )


def may_approve(user: Any, visit: Visit) -> bool:
    return user is SYSTEM or leads(user, visit)


def may_report_emergency(user: Any, visit: Visit) -> bool:
    """A member of the team, who is on the spot, or the lead body's admin."""
    return user is SYSTEM or on_team(user, visit) or leads(user, visit)


may_declare_assistant = may_report_emergency


def may_read_approvals(user: Any) -> bool:
    """The pending list: the bodies' admins (their own); coordinators and auditors, the region."""
    return user is SYSTEM or role_of(user) in (
        Role.DEPARTMENT_ADMIN,
        Role.COORDINATOR,
        Role.AUDITOR,
    )
