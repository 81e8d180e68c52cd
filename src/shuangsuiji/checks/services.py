"""The ledger's writes: a body's yearly cap and a check made outside the platform. Pages and
commands call these; `checks.rules` decides who may."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuangsuiji.accounts.permissions import require
from shuangsuiji.checks.models import CheckCap, CheckKind, OtherCheck
from shuangsuiji.checks.rules import may_record_check, may_write_for
from shuangsuiji.directory.enums import InspectionMethod
from shuangsuiji.directory.models import Department, Entity

CAP_REFUSED = "只有本辖区协调员或该部门管理员可以设置其检查频次上限"


class LedgerError(ValueError):
    """A cap or check that cannot be recorded as given; the message names the field."""


@transaction.atomic
def set_cap(department: Department, *, year: int, limit: int, source: str, actor: Any) -> CheckCap:
    """Set (or change) the body's published cap for `year`; a cap must cite where it was
    published, or nobody outside can check that the draw applied the body's own rule."""
    require(
        may_write_for(actor, department), "只有本辖区协调员或该部门管理员可以设置其检查频次上限"
    )
    if limit < 1:
        raise LedgerError("检查上限应为不小于 1 的整数")
    if not source.strip():
        raise LedgerError("请填写公布依据：上限所在的文件名称、文号或网址")
    cap, _ = CheckCap.objects.update_or_create(
        department=department,
        year=year,
        defaults={"limit": limit, "source": source.strip(), "set_by": _user(actor)},
    )
    return cap


@transaction.atomic
def record_check(
    entity: Entity,
    department: Department,
    *,
    checked_on: date,
    kind: str,
    method: str,
    items: str,
    basis: str,
    actor: Any,
) -> OtherCheck:
    """Enter a check the body made outside the platform's spot checks."""
    require(
        may_record_check(actor, department, entity),
        "只有本辖区协调员或该部门管理员可以登记本部门的检查",
    )
    if kind not in CheckKind.values:
        raise LedgerError(f"检查类型“{kind}”无效：应为{'、'.join(CheckKind.values)}之一")
    if method not in InspectionMethod.values:
        raise LedgerError(f"检查方式“{method}”无效：应为{'、'.join(InspectionMethod.values)}之一")
    if checked_on > timezone.localdate():
        raise LedgerError("检查日期不能晚于今天：登记的是已经进行的检查")
    if not items.strip() or not basis.strip():
        raise LedgerError("请填写检查事项和检查依据（计划编号或触发原因）")
    return OtherCheck.objects.create(
        entity=entity,
        department=department,
        checked_on=checked_on,
        kind=kind,
        method=method,
        items=items.strip(),
        basis=basis.strip(),
        entered_by=_user(actor),
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
