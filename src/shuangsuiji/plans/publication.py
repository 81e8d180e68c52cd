"""A plan's life as a public document: imported as a draft, published by the coordinator,
withdrawn with a recorded reason.

The import reads a file someone else wrote; a draft lets the coordinator check every task,
correct it, or throw the import away before anything is public or drawn. Once published the
plan is a public commitment ("no plan, no check"): it is never deleted or hidden, only
withdrawn, and the public page then says when and why. The rules here are the only ones: the
pages, the command and the admin call these functions.
"""

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from shuangsuiji.accounts.permissions import require
from shuangsuiji.draws.models import Draw
from shuangsuiji.plans.models import Plan
from shuangsuiji.plans.rules import may_import_plan

WITHDRAW_REASON_MIN = 6  # characters, not counting spaces: a reason, not "错了"


class PlanStateError(ValueError):
    """The plan is not in the state the step needs (publishing a published plan …)."""


def _refused(plan: Plan) -> str:
    return f"只有{plan.region.full_name}的协调员可以发布、撤回或删除本计划"


@transaction.atomic
def publish_plan(plan: Plan, *, actor: Any) -> Plan:
    """The draft becomes the published plan: public from now, and its tasks may be drawn."""
    require(may_import_plan(actor, plan.region), _refused(plan))
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_withdrawn:
        raise PlanStateError("计划已撤回，不能再次发布；请重新导入")
    if not locked.is_draft:
        raise PlanStateError("计划已经发布")
    locked.published_at = timezone.now()
    locked.published_by = actor if getattr(actor, "pk", None) else None
    locked.save(update_fields=["published_at", "published_by"])
    return locked


@transaction.atomic
def withdraw_plan(plan: Plan, *, actor: Any, reason: str) -> Plan:
    """A published plan stays public, marked withdrawn with its reason; no new draw of its
    tasks is made. Draws already made stay public records of what was done."""
    require(may_import_plan(actor, plan.region), _refused(plan))
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_draft:
        raise PlanStateError("草稿尚未发布，不需要撤回，可以直接删除")
    if locked.is_withdrawn:
        raise PlanStateError("计划已经撤回")
    reason = " ".join(reason.split())
    if len(reason.replace(" ", "")) < WITHDRAW_REASON_MIN:
        raise PlanStateError(
            f"撤回计划必须说明原因（至少{WITHDRAW_REASON_MIN}个字），原因将随计划公示"
        )
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_reason = reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    return locked


@transaction.atomic
def delete_draft(plan: Plan, *, actor: Any) -> str:
    """Throw a draft away (a wrong file, the wrong year). Returns its title."""
    require(may_import_plan(actor, plan.region), _refused(plan))
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if not locked.is_draft:
        raise PlanStateError("已发布的计划不能删除，只能说明原因后撤回")
    if Draw.objects.filter(task__plan=locked).exists():
        raise PlanStateError("计划的任务已有抽取记录，不能删除")
    title = locked.title
    try:
        locked.delete()
    except (ProtectedError, RestrictedError) as error:
        raise PlanStateError("计划已被分派等其他记录引用，不能删除") from error
    return title
