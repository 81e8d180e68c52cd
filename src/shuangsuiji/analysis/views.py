"""The coordinator's analysis of a plan's year, and the annual report it produces.

The coordinator (for the 联席会议) and the auditor see it for the plans in their jurisdiction;
department staff and inspectors do not (403), as the report speaks for the whole county.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.analysis.feedback import FeedbackError, decide, make_proposals, rules
from shuangsuiji.analysis.figures import plan_figures, trend
from shuangsuiji.analysis.models import ProposalState, RiskProposal
from shuangsuiji.analysis.rules import may_adjust_risk
from shuangsuiji.directory.models import Department
from shuangsuiji.plans.models import Plan

READERS = (Role.COORDINATOR, Role.AUDITOR)


def _plans(request: HttpRequest) -> Any:
    if role_of(request.user) not in READERS:
        raise PermissionDenied("统计分析仅供协调员和审计员查看")
    return Plan.objects.visible_to(request.user).select_related("region")


def _an_id(text: str) -> bool:
    """Whether `text` reads as a row id: decimal digits int() takes (not ², nor 4,300 of them)."""
    return text.isdecimal() and len(text) <= 18


@login_required
def latest(request: HttpRequest) -> HttpResponse:
    plans = _plans(request).order_by("-year", "title")
    chosen = request.GET.get("plan", "")
    plan = plans.filter(pk=chosen).first() if _an_id(chosen) else plans.first()
    if plan is None:
        return render(request, "analysis/plan.html", {"plan": None, "plans": []})
    return redirect("analysis:plan", plan.pk)


@login_required
def plan_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    plans = _plans(request)
    plan = get_object_or_404(plans, pk=pk)
    leads = Department.objects.filter(led_tasks__plan=plan).distinct().order_by("name")
    chosen = request.GET.get("department", "")
    department = leads.filter(pk=chosen).first() if _an_id(chosen) else None
    figures = plan_figures(plan, department)
    years = trend(plan)
    context = {
        "plan": plan,
        "department": department,
        "departments": leads,
        "plans": plans.order_by("-year", "title"),
        "figures": figures,
        "trend": years,
        "charts": {**chart_data(figures), "trend": trend_data(years)},
    }
    return render(request, "analysis/plan.html", context)


def chart_data(figures: Any) -> dict[str, Any]:
    """What static/js/analysis_charts.js draws; the page's tables carry the same numbers."""
    return {
        "categories": [
            {"name": c.name, "value": c.count} for c in figures.categories if "：" not in c.name
        ],
        "classes": [
            {
                "name": c.label,
                "rate": round(100 * (c.findings.value or 0), 1),
                "low": round(100 * c.findings.low, 1),
                "high": round(100 * c.findings.high, 1),
                "n": c.findings.total,
            }
            for c in figures.by_class
        ],
        "workload": [
            {"name": w.department, "places": w.places, "inspectors": w.inspectors}
            for w in figures.workload
        ],
        "merging": {"before": figures.selections, "after": figures.visits},
    }


def trend_data(years: Any) -> list[dict[str, Any]]:
    """The region's findings rate year by year, with its interval, for the trend chart."""
    return [
        {
            "year": y.plan.year,
            "rate": round(100 * (y.findings.value or 0), 1),
            "low": round(100 * y.findings.low, 1),
            "high": round(100 * y.findings.high, 1),
            "n": y.confirmed,
        }
        for y in years
        if y.confirmed
    ]


@login_required
def annual_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from shuangsuiji.analysis.report import REPORT_TYPES, build_report

    plan = get_object_or_404(_plans(request), pk=pk)
    if fmt not in REPORT_TYPES:
        return HttpResponse("没有这种格式", status=404)
    content = build_report(plan, fmt)
    response = HttpResponse(content, content_type=REPORT_TYPES[fmt])
    filename = f"{plan.year}-annual-report.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def risk_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Proposals for next year's risk classes: the coordinator makes them from the confirmed
    results, then applies or rejects each; the auditor reads."""
    plan = get_object_or_404(_plans(request), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "propose":
            made = make_proposals(plan, actor=request.user)
            messages.success(request, f"已生成 {made} 条调整建议")
        elif action in ("apply", "reject"):
            chosen = RiskProposal.objects.filter(plan=plan, pk__in=request.POST.getlist("chosen"))
            try:
                done, skipped = decide(plan, chosen, apply=action == "apply", actor=request.user)
            except FeedbackError as error:
                messages.error(request, str(error))
            else:
                verb = "调整" if action == "apply" else "驳回"
                note = f"；{skipped} 条因对象的风险分类已被更改而跳过" if skipped else ""
                messages.success(request, f"已{verb} {done} 条{note}")
        return redirect("analysis:risk", plan.pk)
    proposals = RiskProposal.objects.filter(plan=plan).select_related("entity", "decided_by")
    context = {
        "plan": plan,
        "proposals": proposals,
        "undecided": proposals.filter(state=ProposalState.PROPOSED).count(),
        "rules": rules(),
        "can_decide": may_adjust_risk(request.user, plan),
    }
    return render(request, "analysis/risk.html", context)
