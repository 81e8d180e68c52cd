"""Who may publish results: the rule `disclosure.services.publish` checks."""

from typing import Any

from django.db.models import QuerySet

from shuangsuiji.accounts.permissions import SYSTEM, Role, restrict, role_of
from shuangsuiji.inspections.models import Inspection


def may_publish(user: Any) -> bool:
    """Publishing speaks for the joint meeting: the coordinator."""
    return user is SYSTEM or role_of(user) is Role.COORDINATOR


def publishable(inspections: QuerySet[Inspection], user: Any) -> QuerySet[Inspection]:
    """Of `inspections`, those in the coordinator's region (none for anyone else)."""
    if not may_publish(user):
        return inspections.none()
    return restrict(inspections, user, "view")
