"""Who may propose and decide next year's risk classes: the rule `analysis.feedback` checks."""

from typing import Any

from shuangsuiji.accounts.permissions import Role, role_of, within
from shuangsuiji.plans.models import Plan


def may_adjust_risk(user: Any, plan: Plan) -> bool:
    """Changing a company's credit-risk class is the coordinator's, for its own region's plan."""
    return role_of(user) is Role.COORDINATOR and within(user, plan, "change")
