"""A visit's approval standing in words, for the visit's page, the public code card and the
documents. Reads the approval records only (no import of `checks`, which shows this)."""

from django.utils import timezone

from shuangsuiji.approvals.models import VisitApproval
from shuangsuiji.assignments.models import Visit


def standing_of(visit: Visit) -> VisitApproval | None:
    return VisitApproval.objects.filter(visit=visit).select_related("approval__department").first()


def is_cleared(standing: VisitApproval | None) -> bool:
    """Whether the team may go in: approved beforehand, or an emergency reported."""
    return standing is not None and (standing.approval_id is not None or standing.emergency)


def approval_line(standing: VisitApproval | None) -> str:
    """One sentence: who approved and when, or what is missing."""
    if standing is None:
        return "尚未经检查主体负责人审批：审批前不得实施检查"
    approval = standing.approval
    if approval is None:
        due = timezone.localtime(standing.due_by)  # type: ignore[arg-type]
        started = timezone.localtime(standing.started_at)  # type: ignore[arg-type]
        return (
            f"紧急情况先行检查（{started:%Y-%m-%d %H:%M} 开始；{standing.reason}），"
            f"待负责人补办审批（应于 {due:%Y-%m-%d %H:%M} 前）"
        )
    approved = f"{approval.department.short_name}{approval.approver_title}{approval.approver}"
    day = timezone.localtime(approval.approved_at)
    if standing.emergency:
        started = timezone.localtime(standing.started_at)  # type: ignore[arg-type]
        timing = "逾期补办" if standing.late else "在规定时限内补办"
        return (
            f"紧急情况先行检查（{started:%Y-%m-%d %H:%M} 开始；{standing.reason}），"
            f"{approved}于 {day:%Y-%m-%d %H:%M} 补办审批（{timing}，审批编号 {approval.number}）"
        )
    return f"已经{approved}于 {day:%Y-%m-%d} 审批（审批编号 {approval.number}）"
