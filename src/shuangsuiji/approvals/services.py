"""Approving visits before inspection, reporting an emergency visit to be approved afterwards,
and declaring the assistants an approval covers. Pages, the demo and any command call these;
`approvals.rules` decides who may."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shuangsuiji.accounts.permissions import Role, require, restrict, role_of
from shuangsuiji.approvals.models import Approval, Assistant, VisitApproval
from shuangsuiji.approvals.rules import may_approve, may_declare_assistant, may_report_emergency
from shuangsuiji.assignments.models import AssignmentState, Visit
from shuangsuiji.directory.models import Department

APPROVE_REFUSED = "只有牵头部门的部门管理员可以录入本部门负责人对本部门牵头检查的审批"
EMERGENCY_REFUSED = "只有本次检查的检查组成员或牵头部门的部门管理员可以报告紧急检查"
ASSISTANT_REFUSED = "只有本次检查的检查组成员或牵头部门的部门管理员可以登记协助检查人员"


class ApprovalError(ValueError):
    """An approval, emergency or assistant that cannot be recorded as given."""


def current_visits() -> QuerySet[Visit]:
    """Visits of assignments made and not redone: the ones that will be carried out."""
    return Visit.objects.filter(
        assignment__state=AssignmentState.ASSIGNED, assignment__superseded_by__isnull=True
    )


def pending_visits(user: Any) -> QuerySet[Visit]:
    """Visits not yet approved (an emergency waiting for its approval included): a department
    admin's are those its body leads; a coordinator's and an auditor's, the region's."""
    visits = current_visits().exclude(approval_standing__approval__isnull=False)
    role = role_of(user)
    if role is Role.DEPARTMENT_ADMIN:
        visits = visits.filter(lead_department_id=getattr(user, "department_id", None))
    elif role not in (Role.COORDINATOR, Role.AUDITOR):
        return visits.none()
    return restrict(visits, user, "view").distinct()


@transaction.atomic
def approve_visits(
    visits: Sequence[Visit], *, approver: str, approver_title: str, opinion: str, actor: Any
) -> Approval:
    """The head of the lead body approves a batch of its visits at once: one `Approval`, each
    visit's standing pointing to it. An emergency already reported gets its approval now, in
    time or late as the clock says. All or nothing: one visit refused refuses the batch."""
    if not visits:
        raise ApprovalError("请选择要审批的检查")
    for visit in visits:
        require(may_approve(actor, visit), APPROVE_REFUSED)
    leads = {visit.lead_department_id for visit in visits}
    if len(leads) != 1:
        raise ApprovalError("一次审批只能包含同一检查主体牵头的检查")
    if not approver.strip() or not approver_title.strip():
        raise ApprovalError("请填写审批人（检查主体负责人）的姓名和职务")
    if not opinion.strip():
        raise ApprovalError("请填写审批意见")
    department = Department.objects.select_for_update().get(pk=leads.pop())
    ids = [visit.pk for visit in visits]
    # of=self: the filter joins the assignment that supersedes (an outer join, not lockable)
    locked = list(
        current_visits().select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    )
    if len(locked) != len(set(ids)):
        raise ApprovalError("所选检查中有已重新分派或尚未完成分派的，不能审批")
    standings = {s.visit_id: s for s in VisitApproval.objects.filter(visit_id__in=ids)}
    done = sorted(v.code for v in locked if standings.get(v.pk) and standings[v.pk].approval_id)
    if done:
        raise ApprovalError(f"以下检查已经审批：{'、'.join(done)}")
    now = timezone.now()
    approval = Approval.objects.create(
        department=department,
        number=_next_number(department),
        approver=approver.strip(),
        approver_title=approver_title.strip(),
        opinion=opinion.strip(),
        approved_at=now,
        recorded_by=_user(actor),
    )
    for visit in locked:
        standing = standings.get(visit.pk)
        if standing is None:
            VisitApproval.objects.create(visit=visit, approval=approval)
        else:
            standing.approval = approval
            standing.save(update_fields=["approval"])
    return approval


def _next_number(department: Department) -> str:
    """审批编号: the body's region and the body, and a running number (its row is locked)."""
    count = Approval.objects.filter(department=department).count()
    return f"{department.region.code}-{department.pk}-审{count + 1:04d}"


@transaction.atomic
def report_emergency(
    visit: Visit, *, reason: str, started_at: datetime, actor: Any
) -> VisitApproval:
    """The team went in before an approval because the matter could not wait: recorded with
    when it started and why, for the head to approve within `EMERGENCY_HOURS`."""
    require(may_report_emergency(actor, visit), EMERGENCY_REFUSED)
    if not reason.strip():
        raise ApprovalError("请说明需要当场实施检查的紧急情况")
    if started_at > timezone.now():
        raise ApprovalError("先行检查的开始时间不能晚于现在：报告的是已经开始的检查")
    if not current_visits().filter(pk=visit.pk).exists():
        raise ApprovalError("该检查所在的分派已重新分派或尚未完成，不能报告")
    standing, created = VisitApproval.objects.select_for_update().get_or_create(
        visit=visit,
        defaults={
            "emergency": True,
            "reason": reason.strip(),
            "started_at": started_at,
            "reported_by": _user(actor),
            "reported_at": timezone.now(),
        },
    )
    if not created:
        raise ApprovalError(
            "该检查已经审批，无需报告紧急检查"
            if standing.approval_id
            else "该检查已报告紧急检查，待负责人补办审批"
        )
    return standing


@transaction.atomic
def declare_assistant(
    visit: Visit, *, name: str, organisation: str, duty: str, actor: Any
) -> Assistant:
    """An assistant declared before the approval; the approval fixes their number."""
    require(may_declare_assistant(actor, visit), ASSISTANT_REFUSED)
    if VisitApproval.objects.filter(visit=visit).exists():
        raise ApprovalError("检查已审批或已先行检查：协助检查人员须在审批前确定，不能再增加")
    if not name.strip() or not organisation.strip() or not duty.strip():
        raise ApprovalError("请填写协助检查人员的姓名、单位和协助事项")
    return Assistant.objects.create(
        visit=visit,
        name=name.strip(),
        organisation=organisation.strip(),
        duty=duty.strip(),
        declared_by=_user(actor),
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
