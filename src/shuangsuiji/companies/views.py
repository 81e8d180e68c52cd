"""The company's pages (phone first): sign-in with the notice's token, its visits, notices,
results and ratings, a time slot to pick, an objection to file; and the two pages the
platform's side uses: the team's slot offer and the lead department's answer to objections.

Company pages take the company from its session (`companies.session`), never from the URL;
staff pages take the signed-in user. The services decide who may do what."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shuangsuiji.accounts.login import locked_until, lockout_minutes
from shuangsuiji.accounts.permissions import within
from shuangsuiji.assignments.models import Visit
from shuangsuiji.assignments.services import visit_items
from shuangsuiji.assignments.sheet import sheet_response
from shuangsuiji.checks.codes import RatingError, card, qr_png, rating_code, shown
from shuangsuiji.checks.models import VisitCode
from shuangsuiji.companies.models import Objection, VisitSlot
from shuangsuiji.companies.rules import may_answer, may_offer_slots, may_read_objections
from shuangsuiji.companies.services import (
    CompanyStepError,
    answer_objection,
    book_slot,
    carried_out,
    chosen_slot,
    object_to,
    objections_for,
    offer_slot,
    parse_slot,
    rate,
    ratings_of,
    results_of,
    visit_of,
    visits_of,
    withdraw_slot,
)
from shuangsuiji.companies.session import company_of, company_required, end, start
from shuangsuiji.companies.tokens import spend
from shuangsuiji.directory.models import Entity
from shuangsuiji.disclosure.services import public_rows, with_public_relations
from shuangsuiji.inspections.models import Inspection
from shuangsuiji.inspections.notice import notice_content


def _credentials(uscc: str) -> dict[str, str]:
    """What the lockout counts a company's tries by: its code (apart from staff usernames)
    and, as for staff, the client address (AXES_LOCKOUT_PARAMETERS)."""
    return {"username": f"企业:{uscc}"}


def sign_in(request: HttpRequest) -> HttpResponse:
    """统一社会信用代码 and the one-time token printed on a notice. Five wrong tries for one
    code from one address lock that code there for LOGIN_LOCKOUT_MINUTES, as the staff
    sign-in does (django-axes; the token field is named so axes never records it)."""
    context: dict[str, Any] = {"uscc": ""}
    if request.method == "POST":
        uscc = request.POST.get("uscc", "").strip().upper()[:18]
        credentials = _credentials(uscc)
        context["uscc"] = uscc
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _locked(request, credentials)
        entity = spend(uscc, request.POST.get("password", ""))
        if entity is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                request.axes_locked_out = False  # type: ignore[attr-defined]  # our page, not axes'
                return _locked(request, credentials)
            failures = getattr(request, "axes_failures_since_start", None) or 0
            context["error"] = "统一社会信用代码或登录令牌不正确，或令牌已使用过"
            context["attempts_left"] = max(settings.AXES_FAILURE_LIMIT - failures, 0)
            return render(request, "companies/sign_in.html", context, status=200)
        AxesProxyHandler.reset_attempts(
            ip_address=getattr(request, "axes_ip_address", None), username=credentials["username"]
        )
        start(request, entity)
        return redirect("companies:home")
    return render(request, "companies/sign_in.html", context)


def _locked(request: HttpRequest, credentials: dict[str, str]) -> HttpResponse:
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "locked_until": locked_until(request, credentials),
        "lockout_minutes": lockout_minutes(),
    }
    return render(
        request, "companies/locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    end(request)
    return redirect("companies:sign_in")


@company_required
def home(request: HttpRequest, company: Entity) -> HttpResponse:
    visits = list(visits_of(company))
    ratings = ratings_of(company)
    chosen = {
        s.visit_id: s for s in VisitSlot.objects.filter(visit__in=visits, chosen_at__isnull=False)
    }
    results = list(results_of(company))
    rows = public_rows(with_public_relations(results_of(company)))
    objections = {o.inspection_id: o for o in Objection.objects.filter(inspection__in=results)}
    context = {
        "company": company,
        "visits": [
            {"visit": v, "rating": ratings.get(v.pk), "slot": chosen.get(v.pk)} for v in visits
        ],
        "results": [
            {"inspection": i, "row": row, "objection": objections.get(i.pk)}
            for i, row in zip(results, rows, strict=True)
        ],
    }
    return render(request, "companies/home.html", context)


@company_required
def visit_page(request: HttpRequest, company: Entity, visit_id: int) -> HttpResponse:
    visit = visit_of(company, visit_id)
    code = VisitCode.objects.filter(visit=visit).first()
    done = carried_out(visit)
    context = {
        "company": company,
        "visit": visit,
        "code": shown(code.code) if code else "",
        "raw_code": code.code if code else "",
        "card": card(code) if code else None,
        "slots": VisitSlot.objects.filter(visit=visit).order_by("starts_at"),
        "chosen": chosen_slot(visit),
        "carried_out": done,
        "rating": ratings_of(company).get(visit.pk),
        "may_rate": done and code is not None,
    }
    return render(request, "companies/visit.html", context)


@company_required
def notice(request: HttpRequest, company: Entity, visit_id: int, kind: str) -> HttpResponse:
    """The company's copy of its notice: code, QR and rating code, no sign-in token (it is
    signed in; a token is printed for the notice the department sends)."""
    visit = visit_of(company, visit_id)
    code = VisitCode.objects.filter(visit=visit).first()
    if code is None:
        content = notice_content(visit, visit_items(visit), sign_in_token="")
    else:
        url = request.build_absolute_uri(reverse("code", args=[code.code]))
        content = notice_content(
            visit,
            visit_items(visit),
            shown(code.code),
            url,
            qr_png(url),
            rating_code(code.code),
            sign_in_token="",
        )
    return sheet_response(content, kind, f"notice-{visit.code}")


@company_required
@require_POST
def book(request: HttpRequest, company: Entity, visit_id: int) -> HttpResponse:
    slot_id = request.POST.get("slot", "")
    try:
        if not (slot_id.isdecimal() and len(slot_id) <= 18):  # int() takes it
            raise CompanyStepError("请选择一个时段")
        slot = book_slot(company, int(slot_id))
    except CompanyStepError as error:
        messages.error(request, str(error))
    else:
        when = timezone.localtime(slot.starts_at)
        messages.success(request, f"已预约 {when:%Y-%m-%d %H:%M} 的检查时段")
    return redirect("companies:visit", visit_id=visit_id)


@company_required
@require_POST
def rate_page(request: HttpRequest, company: Entity, visit_id: int) -> HttpResponse:
    score = request.POST.get("score", "")
    try:
        rate(
            company,
            visit_id,
            score=int(score) if score.isdecimal() and len(score) <= 2 else 0,
            comment=request.POST.get("comment", ""),
        )
    except RatingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "感谢您的评价。评价不署名，检查部门看不到单次检查的评价。")
    return redirect("companies:visit", visit_id=visit_id)


@company_required
def object_page(request: HttpRequest, company: Entity, inspection_id: int) -> HttpResponse:
    inspection = results_of(company).filter(pk=inspection_id).first()
    if inspection is None:
        raise PermissionDenied("这不是贵单位已公示的检查结果")
    if request.method == "POST":
        try:
            object_to(
                company,
                inspection_id,
                reason=request.POST.get("reason", ""),
                upload=request.FILES.get("file"),
            )
        except CompanyStepError as error:
            messages.error(request, str(error))
            return redirect("companies:object", inspection_id=inspection_id)
        messages.success(request, "已提出异议。牵头部门答复前，公示结果旁注明“异议处理中”。")
        return redirect("companies:home")
    row = public_rows(with_public_relations(results_of(company).filter(pk=inspection_id)))[0]
    objection = Objection.objects.filter(inspection=inspection).first()
    context = {
        "company": company,
        "inspection": inspection,
        "row": row,
        "objection": objection,
        "max_mb": settings.ATTACHMENT_MAX_MB,
    }
    return render(request, "companies/object.html", context)


def objection_file(request: HttpRequest, pk: int) -> FileResponse:
    """The objection's attachment, as a download: for the company that filed it, and for the
    staff who read objections of the result's lead department."""
    objection = get_object_or_404(Objection.objects.select_related("inspection__task"), pk=pk)
    company = company_of(request)
    mine = company is not None and results_of(company).filter(pk=objection.inspection_id).exists()
    staff = (
        request.user.is_authenticated
        and may_read_objections(request.user)
        and objections_for(request.user).filter(pk=pk).exists()
    )
    if not (mine or staff) or not objection.file:
        raise Http404("没有这个附件")
    response = FileResponse(
        objection.file.open("rb"),
        as_attachment=True,
        filename=objection.file_name,
        content_type=objection.file_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# --- the platform's side ---


@login_required
def offer(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The team's page for a visit's time slots: offer, withdraw, and see the company's pick.
    Link it from the inspector's visit page: {% url 'companies:offer' visit.pk %}."""
    visit = get_object_or_404(Visit.objects.select_related("entity"), pk=visit_id)
    if not within(request.user, visit, "view"):
        raise Http404("没有这次检查")
    if not may_offer_slots(request.user, visit):
        raise PermissionDenied("只有本次检查的检查组成员或参加部门的管理员可以提供预约时段")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                slot = get_object_or_404(VisitSlot, pk=request.POST.get("slot", "0"), visit=visit)
                withdraw_slot(slot, actor=request.user)
                messages.success(request, "已撤回该时段")
            else:
                starts_at, ends_at = parse_slot(
                    request.POST.get("day", ""),
                    request.POST.get("start", ""),
                    request.POST.get("end", ""),
                )
                offer_slot(
                    visit,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    note=request.POST.get("note", ""),
                    actor=request.user,
                )
                messages.success(request, "已提供时段，企业登录企业端后可以选择")
        except CompanyStepError as error:
            messages.error(request, str(error))
        return redirect("companies:offer", visit_id=visit.pk)
    context = {"visit": visit, "slots": VisitSlot.objects.filter(visit=visit).order_by("starts_at")}
    return render(request, "companies/offer.html", context)


@login_required
def objections(request: HttpRequest) -> HttpResponse:
    if not may_read_objections(request.user):
        raise PermissionDenied("企业异议仅供牵头部门、协调员和审计员查看")
    rows = objections_for(request.user).order_by("state", "-filed_at")[:200]
    return render(request, "companies/objections.html", {"objections": rows})


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(objections_for(request.user), pk=pk)
    if request.method == "POST":
        try:
            answer_objection(
                objection,
                accept=request.POST.get("decision") == "accept",
                answer=request.POST.get("answer", ""),
                actor=request.user,
            )
        except CompanyStepError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已答复，公示结果旁显示答复结论")
        return redirect("companies:answer", pk=pk)
    one = Inspection.objects.filter(pk=objection.inspection_id)
    row = public_rows(with_public_relations(one))[0]
    context = {
        "objection": objection,
        "row": row,
        "may_answer": may_answer(request.user, objection),
    }
    return render(request, "companies/answer.html", context)
