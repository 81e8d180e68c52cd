"""Who may change a plan and its tasks: the named rules every writing service of this app
checks (the pages, the API, the commands and the admin only call the services).

Plain functions rather than the `rules` package: there are a handful, each reads one or two
facts from `accounts.permissions`, and a typed function is as easy to test as a predicate
without a registry beside Django's own permission backend.
"""

from typing import Any

from shuangsuiji.accounts.permissions import (
    SYSTEM,
    Role,
    regions_in_jurisdiction,
    role_of,
    within,
)
from shuangsuiji.directory.models import Region
from shuangsuiji.plans.models import PlanTask


def may_import_plan(user: Any, region: Region) -> bool:
    """A coordinator, for its own region or one below it."""
    if user is SYSTEM:
        return True
    jurisdiction = regions_in_jurisdiction(Region.objects.all(), user)
    return bool(user.has_perm("plans.add_plan") and jurisdiction.filter(pk=region.pk).exists())


def may_edit_task(user: Any, task: PlanTask) -> bool:
    """The coordinator of the plan's region and the task's lead department (row scope decides
    which tasks are whose)."""
    return bool(user.has_perm("plans.change_plantask") and within(user, task, "change"))


def may_change_lead(user: Any, task: PlanTask) -> bool:
    """Only the coordinator hands a task to another lead department: the lead department
    handing its own task away would leave it without anyone answerable."""
    return role_of(user) is Role.COORDINATOR and may_edit_task(user, task)


def may_set_population(user: Any, task: PlanTask) -> bool:
    """Whoever may edit the task defines whom it draws, until the draw."""
    return may_edit_task(user, task)
