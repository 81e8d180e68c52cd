"""Substitutions: a drawn entity that cannot be inspected gives way to the next reserve of its
round and stratum (draw-spec V8), recorded with its reason, who and when.

A drawn draw never changes (database triggers), so each substitution is a row of its own
append-only table; the bundle as published — downloaded, verified, read by the assignment —
is the stored bundle with `substitutions` replaced by those rows in order. The stored bundle's
own list is always empty (`core.draw.bundle_from_freeze`), so nothing is hidden by replacing it.
"""

from typing import Any

from django.db import transaction

from shuangsuiji.accounts.permissions import require
from shuangsuiji.core import draw as rule
from shuangsuiji.draws.models import Draw, Substitution
from shuangsuiji.draws.rules import may_substitute

SUBSTITUTE_REFUSED = "只有本辖区的协调员或牵头部门的管理员可以登记替补"
REASON_LENGTH = Substitution._meta.get_field("reason").max_length or 200


class SubstitutionError(ValueError):
    """A substitution the rule or the draw's state refuses (no reserve left, replaced twice …)."""


def records(draw: Draw) -> list[dict[str, Any]]:
    """The draw's substitutions as the bundle lists them, in the order they were made."""
    return [s.record() for s in draw.substitutions.order_by("number")]


def published_bundle(draw: Draw) -> dict[str, Any] | None:
    """The bundle as published: the frozen record with every substitution recorded since."""
    if draw.bundle is None:
        return None
    return {**draw.bundle, "substitutions": records(draw)}


def current_selection(draw: Draw) -> dict[tuple[int, str], list[str]]:
    """Each round's and stratum's list with the substitutions applied: who is to be inspected."""
    if draw.bundle is None:
        return {}
    return rule.current_lists(draw.bundle["rounds"], records(draw))


@transaction.atomic
def substitute(draw: Draw, *, replaced: str, reason: str, actor: Any) -> Substitution:
    """Record that `replaced` cannot be inspected and the next reserve takes its place.

    The draw is locked, so two substitutions made at once are numbered one after the other and
    cannot both take the same reserve; the rule (`core.draw.substitution`) refuses what
    `verify` would refuse, and the table's constraint refuses an entity substituted twice
    whatever reaches it."""
    require(may_substitute(actor, draw), SUBSTITUTE_REFUSED)
    locked = Draw.objects.select_for_update().get(pk=draw.pk)
    if not locked.is_drawn or locked.bundle is None:
        raise SubstitutionError("尚未完成抽取，不能替补")
    if Draw.objects.filter(supersedes=locked).exists():
        raise SubstitutionError("本次抽取已被更正，请在更正后的抽取中替补")
    reason = reason.strip()
    if not reason:
        raise SubstitutionError("替补必须说明原因（如：检查结果为已注销）")
    if len(reason) > REASON_LENGTH:
        raise SubstitutionError(f"替补原因不能超过 {REASON_LENGTH} 字")
    earlier = records(locked)
    try:
        record = rule.substitution(locked.bundle, earlier, replaced.strip(), reason)
    except rule.DrawError as error:
        raise SubstitutionError(str(error)) from error
    return Substitution.objects.create(
        draw=locked,
        number=len(earlier) + 1,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **record,
    )
