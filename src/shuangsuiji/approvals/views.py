"""Approval pages: a body's visits waiting for approval (approved in a batch), an emergency
reported from the visit's page, assistants declared, and the three documents of a visit.

An unapproved visit that is not an emergency is stopped where the company meets it: its
行政检查通知书 and 现场检查笔录 are not issued (409, saying what is missing), and the public
code card the company scans says 未经审批, so the company may refuse entry. The result form is
not refused: a visit made without approval must still be recorded — refusing the record would
hide the breach, not prevent it — and the approval line on the visit's page says what is
missing. The 审批表 itself is always available: it is what the head signs."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shuangsuiji.accounts.permissions import Role, require, role_of
from shuangsuiji.approvals.documents import DOCUMENTS, TITLES, document
from shuangsuiji.approvals.layout import gongwen_response
from shuangsuiji.approvals.rules import may_read_approvals
from shuangsuiji.approvals.services import (
    ApprovalError,
    approve_visits,
    declare_assistant,
    pending_visits,
    report_emergency,
)
from shuangsuiji.approvals.standing import approval_line, is_cleared, standing_of
from shuangsuiji.assignments.integrity import visit_discrepancies
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.access import visible_visit
from shuangsuiji.lib.ids import ids_in

PER_PAGE = 50
READ_REFUSED = "检查审批页面供部门管理员、协调员和审计员使用"


@login_required
def pending(request: HttpRequest) -> HttpResponse:
    """The visits waiting for approval; a lead body's admin approves a batch of them."""
    require(may_read_approvals(request.user), READ_REFUSED)
    visits = (
        pending_visits(request.user)
        .select_related("entity", "lead_department", "assignment__plan", "approval_standing")
        .order_by("window_start", "code")
    )
    page = Paginator(visits, PER_PAGE).get_page(request.GET.get("page"))
    # `leads` without its row check: the list is already the user's rows (`pending_visits`)
    admin = role_of(request.user) is Role.DEPARTMENT_ADMIN
    department_id = getattr(request.user, "department_id", None)
    rows = [
        {"visit": v, "may_approve": admin and v.lead_department_id == department_id} for v in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "can_approve": any(row["may_approve"] for row in rows),
    }
    return render(request, "approvals/pending.html", context)


@login_required
@require_POST
def approve(request: HttpRequest) -> HttpResponse:
    ids = ids_in(request.POST.getlist("visits"))
    visits = list(Visit.objects.visible_to(request.user).filter(pk__in=ids).distinct())
    if len(visits) != len(ids):
        raise Http404("所选检查中有您无权查看的")
    try:
        approval = approve_visits(
            visits,
            approver=request.POST.get("approver", ""),
            approver_title=request.POST.get("approver_title", ""),
            opinion=request.POST.get("opinion", ""),
            actor=request.user,
        )
    except ApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已审批 {len(visits)} 项检查（审批编号 {approval.number}）")
    return redirect("approvals:pending")


@login_required
@require_POST
def emergency(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = visible_visit(request.user, visit_id)
    try:
        started = datetime.fromisoformat(request.POST.get("started_at", ""))
        report_emergency(
            visit,
            reason=request.POST.get("reason", ""),
            started_at=timezone.make_aware(started) if timezone.is_naive(started) else started,
            actor=request.user,
        )
    except ValueError as error:  # ApprovalError, or a time that is not one
        messages.error(
            request, str(error) if isinstance(error, ApprovalError) else "请填写先行检查的开始时间"
        )
    else:
        messages.success(request, "已报告紧急检查，请负责人在规定时限内补办审批")
    return redirect("assignments:visit", pk=visit.pk)


@login_required
@require_POST
def assistant(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = visible_visit(request.user, visit_id)
    try:
        declared = declare_assistant(
            visit,
            name=request.POST.get("name", ""),
            organisation=request.POST.get("organisation", ""),
            duty=request.POST.get("duty", ""),
            actor=request.user,
        )
    except ApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已登记协助检查人员 {declared}")
    return redirect("assignments:visit", pk=visit.pk)


@login_required
def visit_document(request: HttpRequest, visit_id: int, name: str, kind: str) -> HttpResponse:
    """行政检查审批表 / 通知书 / 现场检查笔录 of a visit, as .docx or PDF."""
    if name not in DOCUMENTS:
        raise Http404("没有这种文书")
    visit = visible_visit(request.user, visit_id)
    if discrepancies := visit_discrepancies(visit):
        context = {"visit": visit, "discrepancies": discrepancies}
        return render(request, "assignments/visit_discrepancy.html", context, status=409)
    standing = standing_of(visit)
    if name != "approval" and not is_cleared(standing):
        context = {"visit": visit, "title": TITLES[name], "line": approval_line(standing)}
        return render(request, "approvals/blocked.html", context, status=409)
    sheet = document(
        visit,
        name,
        actor=request.user,
        url_for=lambda code: request.build_absolute_uri(reverse("code", args=[code])),
    )
    return gongwen_response(sheet, kind, f"{name}-{visit.code}")
