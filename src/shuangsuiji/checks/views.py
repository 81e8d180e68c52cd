"""The check ledger's pages: caps and other checks per body, a company's ledger, and the
warning list of companies checked too often. Coordinators, department admins and auditors
read them within their jurisdiction; inspectors and the public do not (403 / sign-in)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.checks.codes import RatingError, card, rate_visit, read
from shuangsuiji.checks.export import FORMATS, export
from shuangsuiji.checks.forms import CapForm, OtherCheckForm
from shuangsuiji.checks.ledger import frequently_checked, ledger_of, yearly_counts
from shuangsuiji.checks.models import (
    CheckCap,
    OtherCheck,
    UndisturbedListing,
    VisitCode,
    VisitRating,
)
from shuangsuiji.checks.rules import may_enter_lists, writable_departments
from shuangsuiji.checks.services import LedgerError, record_check, set_cap
from shuangsuiji.checks.undisturbed import ListingError, list_undisturbed, unlist
from shuangsuiji.directory.models import Department, Entity

READERS = (Role.COORDINATOR, Role.DEPARTMENT_ADMIN, Role.AUDITOR)


def _reader(request: HttpRequest) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied("涉企检查台账仅供协调员、部门管理员和审计员查看")


def _writable(user: Any) -> Any:
    """The bodies whose caps and checks `user` may write, for the forms' choices."""
    return writable_departments(user, Department.objects.visible_to(user).order_by("name"))


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return (
        int(text)
        if text.isdecimal() and len(text) == 4 and 2000 <= int(text) <= 2100
        else timezone.localdate().year
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _reader(request)
    year = _year(request)
    caps = {c.department_id: c for c in CheckCap.objects.visible_to(request.user).filter(year=year)}
    bodies = Department.objects.visible_to(request.user).order_by("name")
    rows = [{"department": body, "cap": caps.get(body.pk)} for body in bodies]
    writable = _writable(request.user)
    context = {
        "year": year,
        "rows": rows,
        # one page, two forms: ids of their own, names as the POST handlers read them
        "cap_form": CapForm(departments=writable, initial={"year": year}, auto_id="cap_%s"),
        "check_form": OtherCheckForm(departments=writable, auto_id="check_%s"),
        "can_write": writable.exists(),
        "ratings": _ratings(request.user, year),
        "others": OtherCheck.objects.visible_to(request.user)
        .select_related("entity", "department")
        .order_by("-checked_on", "-pk")[:50],
    }
    return render(request, "checks/index.html", context)


def _ratings(user: Any, year: int) -> dict[str, Any] | None:
    """Companies' ratings by lead department, for the coordinator and the auditor only: a
    department never sees the rating of one of its visits."""
    if role_of(user) not in (Role.COORDINATOR, Role.AUDITOR):
        return None
    ratings = VisitRating.objects.visible_to(user).filter(visit__assignment__plan__year=year)
    by_department = (
        ratings.values("visit__lead_department__short_name")
        .annotate(count=Count("pk"), mean=Avg("score"), low=Count("pk", filter=Q(score__lte=2)))
        .order_by("visit__lead_department__short_name")
    )
    comments = (
        ratings.exclude(comment="")
        .select_related("visit__lead_department")
        .order_by("-created_at")[:50]
    )
    return {"by_department": list(by_department), "comments": comments}


@login_required
@require_POST
def cap(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = CapForm(request.POST, departments=Department.objects.visible_to(request.user))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("checks:index")
    data = form.cleaned_data
    try:
        saved = set_cap(
            data["department"],
            year=data["year"],
            limit=data["limit"],
            source=data["source"],
            actor=request.user,
        )
    except LedgerError as error:
        messages.error(request, str(error))
        return redirect("checks:index")
    messages.success(request, f"已设置：{saved}（{saved.source}）")
    return redirect(f"{reverse('checks:index')}?year={saved.year}")


@login_required
@require_POST
def record(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = OtherCheckForm(request.POST, departments=Department.objects.visible_to(request.user))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("checks:index")
    data = form.cleaned_data
    entity = Entity.objects.visible_to(request.user).filter(uscc=data["uscc"]).first()
    if entity is None:
        messages.error(request, f"检查对象统一社会信用代码：名录库中没有 {data['uscc']}")
        return redirect("checks:index")
    try:
        check = record_check(
            entity,
            data["department"],
            checked_on=data["checked_on"],
            kind=data["kind"],
            method=data["method"],
            items=data["items"],
            basis=data["basis"],
            actor=request.user,
        )
    except LedgerError as error:
        messages.error(request, str(error))
        return redirect("checks:index")
    messages.success(request, f"已登记 {entity.name} 的{check.kind}（{check.checked_on}）")
    ledger = reverse("checks:entity", args=[entity.uscc])
    return redirect(f"{ledger}?year={check.checked_on.year}")


def _form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[name].label if name in form.fields else ''}：{'，'.join(errors)}"
        for name, errors in form.errors.items()
    )


@login_required
def entity(request: HttpRequest, uscc: str) -> HttpResponse:
    _reader(request)
    company = get_object_or_404(Entity.objects.visible_to(request.user), uscc=uscc)
    year = _year(request)
    lines = ledger_of(company, year)
    caps = CheckCap.objects.filter(year=year).select_related("department")
    standing = [
        {"cap": c, "count": yearly_counts(c.department_id, year)[company.uscc]}
        for c in caps
        if any(c.department.short_name in line.bodies for line in lines)
    ]
    context = {
        "entity": company,
        "year": year,
        "lines": lines,
        "standing": standing,
        "listing": company.undisturbed_listings.filter(year=year).first(),
    }
    return render(request, "checks/entity.html", context)


@login_required
def undisturbed(request: HttpRequest) -> HttpResponse:
    """The year's 无事不扰 list: read by the ledger's readers, entered by the coordinator (a
    pasted column of codes, as copied from the published list), one company removed at a time."""
    _reader(request)
    year = _year(request)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                listing = get_object_or_404(
                    UndisturbedListing.objects.visible_to(request.user),
                    pk=_bounded(request.POST["remove"], 0, 0, 2**62),
                )
                unlist(listing, actor=request.user)
                messages.success(request, f"已从{year}年度名单中移除 {listing.entity.name}")
            else:
                added = list_undisturbed(
                    request.POST.get("codes", ""),
                    year=year,
                    source=request.POST.get("source", ""),
                    actor=request.user,
                )
                messages.success(request, f"已列入{year}年度无事不扰企业名单：新增 {added} 家")
        except ListingError as error:
            messages.error(request, str(error))
        return redirect(f"{reverse('checks:undisturbed')}?year={year}")
    listings = (
        UndisturbedListing.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("entity", "region")
        .order_by("entity__name")
    )
    context = {
        "year": year,
        "listings": listings[:1000],
        "count": listings.count(),
        "can_write": may_enter_lists(request.user),
    }
    return render(request, "checks/undisturbed.html", context)


@login_required
def frequent(request: HttpRequest) -> HttpResponse:
    _reader(request)
    times = _bounded(request.GET.get("times", ""), 3, 2, 20)
    days = _bounded(request.GET.get("days", ""), 30, 1, 366)
    year = _year(request)
    visible = Entity.objects.visible_to(request.user)
    rows = frequently_checked(visible, year=year, times=times, days=days)
    context = {"rows": rows, "times": times, "days": days, "year": year}
    return render(request, "checks/frequent.html", context)


def _bounded(text: str, default: int, low: int, high: int) -> int:
    # isdecimal and short: what int() reads (not ², nor more than 4,300 digits)
    return min(max(int(text), low), high) if text.isdecimal() and len(text) <= 18 else default


def code_page(request: HttpRequest, code: str) -> HttpResponse:
    """The card a company opens by scanning its visit's code: no sign-in; the code is the key
    (60 random bits), and the card names nothing about any other company."""
    stored = read(code)
    found = (
        VisitCode.objects.select_related("visit").filter(code=stored).first() if stored else None
    )
    if found is None:
        raise Http404("没有这个检查码：请核对通知书上的检查码")
    if stored != code:
        return redirect("code", code=stored)
    if request.method == "POST":
        score = request.POST.get("score", "")
        try:
            rate_visit(
                found,
                rating_code_text=request.POST.get("rating_code", ""),
                score=int(score) if score.isdecimal() and len(score) <= 2 else 0,
                comment=request.POST.get("comment", ""),
            )
        except RatingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "感谢您的评价。评价不署名，检查部门看不到单次检查的评价。")
        return redirect("code", code=stored)
    shown_card = card(found)
    rated = VisitRating.objects.filter(visit=found.visit).exists()
    context = {
        "card": shown_card,
        "may_rate": shown_card.carried_out and not rated,
        "rated": rated,
    }
    response = render(request, "checks/code.html", context)
    response["Cache-Control"] = "no-store"  # a team may change by recusal; never cached
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """The year's checks in the reader's scope (and, in .xlsx and JSON, the cap breaches) for
    行政执法监督 bodies; CSV holds the checks only."""
    _reader(request)
    if fmt not in FORMATS:
        raise Http404("没有这种格式")
    year = _year(request)
    response = HttpResponse(export(request.user, year, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="checks-{year}.{fmt}"'
    return response
