"""What every signed-in page's layout needs to know of the user."""

from typing import Any

from django.http import HttpRequest

from shuangsuiji.accounts.permissions import Role, role_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Whether to link the analysis and the audit log: the pages check the role again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"reads_oversight": False}
    return {"reads_oversight": role_of(user) in (Role.COORDINATOR, Role.AUDITOR)}
