"""Inspection pages: a visit's results per task, recording and submitting, review, follow-up,
attachments, and the 抽查通知书."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.assignments.integrity import visit_discrepancies
from shuangsuiji.assignments.models import Visit
from shuangsuiji.assignments.services import visit_items
from shuangsuiji.assignments.sheet import sheet_response
from shuangsuiji.checks.codes import code_for, qr_png, qr_svg, rating_code, shown
from shuangsuiji.companies.rules import may_hand_over_secrets
from shuangsuiji.inspections.access import reachable_inspection, visible_visit
from shuangsuiji.inspections.models import Attachment, Inspection, InspectionState, ResultCategory
from shuangsuiji.inspections.notice import notice_content
from shuangsuiji.inspections.queue import ReviewFilter
from shuangsuiji.inspections.rules import may_record, may_review, reviewable
from shuangsuiji.inspections.services import (
    InspectionStepError,
    attach,
    close_follow_up,
    inspections_of,
    record,
    review,
    review_many,
    submit,
)
from shuangsuiji.inspections.uninspectable import offered_by
from shuangsuiji.lib.ids import ids_in


@login_required
def visit_inspections(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Each task's result for one visit: state, results, and the forms the user may use."""
    visit = visible_visit(request.user, visit_id)
    if discrepancies := visit_discrepancies(visit):
        return _discrepant(request, visit, discrepancies)
    rows = [
        {
            "inspection": inspection,
            "may_record": may_record(request.user, inspection)
            and inspection.state in (InspectionState.PENDING, InspectionState.RETURNED),
            "may_review": may_review(request.user, inspection)
            and inspection.state == InspectionState.SUBMITTED,
            "chosen": {c.pk for c in inspection.results.all()},
        }
        for inspection in inspections_of(visit)
    ]
    categories = ResultCategory.objects.filter(children__isnull=True).select_related("parent")
    context = {
        "visit": visit,
        "rows": rows,
        "categories": categories,
        "today": date.today(),
        "check_code": _check_code(request, visit),
    }
    return render(request, "inspections/visit.html", context)


@login_required
@require_POST
def inspection_step(request: HttpRequest, pk: int) -> HttpResponse:
    """record | submit | approve | return | close | attach, each checked by the service."""
    inspection = reachable_inspection(request.user, pk)
    if visit_discrepancies(inspection.visit):  # the team it checks may have been swapped
        messages.error(
            request, f"{inspection.task.name}：本次检查的数据与分派记录不符，不能录入或审核"
        )
        return redirect("inspections:visit", visit_id=inspection.visit_id)
    post, step = request.POST, request.POST.get("step")
    try:
        if step in ("record", "submit") and "inspected_on" in post:  # the result form
            record(
                inspection,
                actor=request.user,
                results=list(ResultCategory.objects.filter(pk__in=post.getlist("results"))),
                inspected_on=date.fromisoformat(post["inspected_on"])
                if post.get("inspected_on")
                else None,
                measures=post.get("measures", ""),
                notes=post.get("notes", ""),
            )
        if step == "submit":
            submit(inspection, actor=request.user)
        elif step in ("approve", "return"):
            review(
                inspection,
                actor=request.user,
                approve=step == "approve",
                reason=post.get("reason", ""),
            )
        elif step == "close":
            close_follow_up(inspection, actor=request.user, note=post.get("note", ""))
        elif step == "attach":
            for upload in request.FILES.getlist("files"):
                attach(inspection, upload, actor=request.user)
        elif step not in ("record", "submit"):
            messages.error(request, "未知的操作")
            return redirect("inspections:visit", visit_id=inspection.visit_id)
        messages.success(request, f"{inspection.task.name}：已保存")
        offer = offered_by(inspection) if step == "approve" else None
        if offer is not None:
            draw, waiting = offer
            messages.info(
                request,
                f"{waiting.name}的检查结果为“{waiting.result}”，待替补：请到抽取 {draw.draw_id}"
                " 的页面由备选名单中的下一位替补",
            )
    except (InspectionStepError, ValueError) as error:
        messages.error(request, f"{inspection.task.name}：{error}")
    return redirect("inspections:visit", visit_id=inspection.visit_id)


REVIEWS_PER_PAGE = 50
FOLLOW_UPS_SHOWN = 200  # the oldest first; the rest are counted


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Results waiting for this user's review, filtered and paged, approved or returned
    several at once; and follow-ups still open. For reviewers (the coordinator, department
    admins) and the auditor, who reads."""
    if role_of(request.user) not in (Role.COORDINATOR, Role.DEPARTMENT_ADMIN, Role.AUDITOR):
        raise PermissionDenied("结果审核只对协调员、部门管理员和审计员开放")
    scoped = Inspection.objects.visible_to(request.user)
    queue = reviewable(scoped.filter(state=InspectionState.SUBMITTED), request.user)
    if request.method == "POST":
        return _review_chosen(request)
    filters = ReviewFilter(request.GET or None, queue=queue)
    waiting = (
        filters.apply(queue)
        .select_related("visit__entity", "task", "recorded_by")
        .prefetch_related("results", "attachments")
        .order_by("submitted_at", "pk")
    )
    follow_ups = scoped.select_related("visit__entity", "task").filter(follow_up="open")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "waiting": waiting,
        "page": Paginator(waiting, REVIEWS_PER_PAGE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "queue_count": queue.count(),
        "may_decide": role_of(request.user) is not Role.AUDITOR,
        "shown": FOLLOW_UPS_SHOWN,
        "follow_ups": follow_ups.order_by("reviewed_at", "pk")[:FOLLOW_UPS_SHOWN],
        "follow_up_count": follow_ups.count(),
    }
    return render(request, "inspections/review.html", context)


def _review_chosen(request: HttpRequest) -> HttpResponse:
    """The ticked results approved, or returned with one reason, all or none: the service
    checks each against its rule (a forged id of a result the user may not review is
    refused, 403) and its state."""
    approve = request.POST.get("action") == "approve"
    ids = ids_in(request.POST.getlist("chosen"))
    chosen = list(Inspection.objects.filter(pk__in=ids).select_related("visit__entity", "task"))
    filters = QueryDict(request.POST.get("query", "")).urlencode()  # re-encoded: no raw text
    back = redirect(f"{request.path}?{filters}")
    if not chosen:
        messages.error(request, "请先勾选要审核的结果")
        return back
    try:
        count = review_many(
            chosen, actor=request.user, approve=approve, reason=request.POST.get("reason", "")
        )
    except InspectionStepError as error:
        messages.error(request, f"未审核任何结果：{error}")
    else:
        messages.success(request, f"已{'审核通过' if approve else '退回'} {count} 项结果")
    return back


@login_required
def notice(request: HttpRequest, visit_id: int, kind: str) -> HttpResponse:
    """The 抽查通知书 of a visit, as .docx or PDF."""
    visit = visible_visit(request.user, visit_id)
    if discrepancies := visit_discrepancies(visit):
        return _discrepant(request, visit, discrepancies)
    code = _check_code(request, visit)
    delivers = may_hand_over_secrets(request.user, visit)
    content = (
        notice_content(
            visit,
            visit_items(visit),
            code["code"],
            code["url"],
            qr_png(code["url"]),
            code["rating"] if delivers else "",
            sign_in_token=None if delivers else "",
        )
        if code
        else notice_content(visit, visit_items(visit))
    )
    return sheet_response(content, kind, f"notice-{visit.code}")


def _check_code(request: HttpRequest, visit: Visit) -> dict[str, str] | None:
    """The visit's inspection code as shown: its text, its card's address and QR image."""
    code = code_for(visit, actor=request.user)
    if code is None:
        return None
    url = request.build_absolute_uri(reverse("code", args=[code.code]))
    # the QR image is SVG drawn here from our own address: nothing a user wrote is in it
    return {
        "code": shown(code.code),
        "url": url,
        "qr": mark_safe(qr_svg(url)),
        "rating": rating_code(code.code),  # printed on the notice only
    }


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Always a download with the type checked at upload, never rendered in the app's origin.
    Whoever sees the visit's page (which links every result's attachments) may download them."""
    item = get_object_or_404(Attachment.objects.select_related("inspection"), pk=pk)
    visible_visit(request.user, item.inspection.visit_id)
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def _discrepant(request: HttpRequest, visit: Visit, discrepancies: list[str]) -> HttpResponse:
    """A visit whose rows disagree with the published assignment: the differences, not the
    results pages (who may record depends on the team rows), 409."""
    context = {"visit": visit, "discrepancies": discrepancies}
    return render(request, "assignments/visit_discrepancy.html", context, status=409)
