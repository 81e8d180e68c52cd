"""Assignment pages: preview and freeze, the seed, visits and teams, recusal, task sheets."""

import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.assignments.integrity import visit_discrepancies
from shuangsuiji.assignments.models import Assignment, TeamMember, Visit
from shuangsuiji.assignments.rules import may_assign, may_recuse
from shuangsuiji.assignments.services import (
    AssignStepError,
    bundle_with_recusals,
    complete_assignment,
    department_loads,
    freeze_assignment,
    preview,
    record_recusal,
    visit_items,
)
from shuangsuiji.assignments.sheet import sheet_content, sheet_response
from shuangsuiji.assignments.spread import spread_reasons
from shuangsuiji.core import assign as rule
from shuangsuiji.plans.capacity import plan_capacity
from shuangsuiji.plans.models import Plan

VISITS_PER_PAGE = 50


@login_required
def plan_assignment(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's current assignment, or the preview of one and the button to freeze it."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    if request.method == "POST":
        try:
            assignment = freeze_assignment(plan, actor=request.user)
        except AssignStepError as error:
            messages.error(request, str(error))
            return redirect("assignments:plan", plan_id=plan.pk)
        return redirect("assignments:detail", pk=assignment.pk)
    latest = plan.assignments.order_by("-number").first()
    if latest is not None:
        return redirect("assignments:detail", pk=latest.pk)
    context = {
        "plan": plan,
        "preview": preview(plan),
        "capacity": plan_capacity(plan),
        "can_assign": may_assign(request.user, plan),
    }
    return render(request, "assignments/preview.html", context)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible(request, pk)
    visits = (
        Visit.objects.visible_to(request.user)
        .filter(assignment=assignment)
        .select_related("entity", "lead_department")
        .prefetch_related("members__inspector", "members__department", "tasks")
        .distinct()
        .order_by("code")
    )
    query = request.GET.get("q", "").strip()
    if query:
        visits = visits.filter(entity__name__contains=query) | visits.filter(
            entity__uscc__startswith=query.upper()
        )
    page = Paginator(visits, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    loads = department_loads(assignment)
    department = getattr(request.user, "department", None)
    if role_of(request.user) is Role.DEPARTMENT_ADMIN and department is not None:
        loads = [row for row in loads if row["department"] == department.name]
    reasons = spread_reasons(assignment.bundle) if assignment.bundle else {}
    for row in loads:
        row["reasons"] = reasons.get(row["department"], [])
    context = {
        "assignment": assignment,
        "freeze": assignment.freeze,
        "report": (assignment.bundle or {}).get("report"),
        "loads": loads,
        "page": page,
        "query": query,
        "recusals": assignment.recusals.select_related("visit", "inspector", "replacement"),
        "can_assign": may_assign(request.user, assignment.plan),
    }
    return render(request, "assignments/detail.html", context)


@login_required
@require_POST
def assignment_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete with the public value, or redo as a new linked assignment with a reason."""
    assignment = _visible(request, pk)
    post = request.POST
    try:
        if post.get("step") == "complete":
            complete_assignment(
                assignment,
                actor=request.user,
                public_value=post.get("public_value", ""),
                public_source=post.get("public_source", ""),
                system=post.get("system") == "on",
            )
        elif post.get("step") == "redo":
            assignment = freeze_assignment(
                assignment.plan,
                actor=request.user,
                supersedes=assignment,
                reason=post.get("reason", ""),
            )
        else:
            messages.error(request, "未知的操作")
    except AssignStepError as error:
        messages.error(request, str(error))
    return redirect("assignments:detail", pk=assignment.pk)


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    if discrepancies := visit_discrepancies(visit):
        return _discrepant(request, visit, discrepancies)
    members = visit.members.select_related("inspector", "department").order_by("slot")
    context = {
        "visit": visit,
        "members": members,
        "tasks": visit.tasks.select_related("lead_department").order_by("position"),
        "items": visit_items(visit),
        "recusals": visit.recusals.select_related("inspector", "replacement"),
        "can_recuse": {m.pk for m in members if may_recuse(request.user, m)},
    }
    return render(request, "assignments/visit.html", context)


@login_required
@require_POST
def recuse(request: HttpRequest, member_id: int) -> HttpResponse:
    """An assigned inspector declares a conflict; the rule names the replacement."""
    member = get_object_or_404(TeamMember.objects.select_related("visit__entity"), pk=member_id)
    visit = _visit(request, member.visit_id)
    if discrepancies := visit_discrepancies(visit):
        return _discrepant(request, visit, discrepancies)
    try:
        recusal = record_recusal(member, reason=request.POST.get("reason", ""), actor=request.user)
    except AssignStepError as error:
        messages.error(request, str(error))
        return redirect("assignments:visit", pk=visit.pk)
    messages.success(request, f"已登记回避（{visit.code}），由 {recusal.replacement} 替补")
    if getattr(request.user, "inspector_id", None) == recusal.inspector_id:
        return redirect("assignments:mine")  # no longer on the team, so no longer shown it
    return redirect("assignments:visit", pk=visit.pk)


@login_required
def visit_sheet(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The printable 检查任务单 of a visit, as .docx or PDF."""
    visit = _visit(request, pk)
    if discrepancies := visit_discrepancies(visit):
        return _discrepant(request, visit, discrepancies)
    return sheet_response(
        sheet_content(visit, visit_items(visit)), kind, f"task-sheet-{visit.code}"
    )


@login_required
def my_visits(request: HttpRequest) -> HttpResponse:
    """An inspector's own visits, soonest window first."""
    inspector_id = getattr(request.user, "inspector_id", None)
    members = (
        TeamMember.objects.filter(inspector_id=inspector_id, visit__assignment__state="assigned")
        # the assignment's freeze and bundle are artefacts, named by digest: never joined
        .select_related("visit__entity", "visit__lead_department", "visit__assignment__plan")
        .order_by("visit__window_start", "visit__code")
        if inspector_id
        else TeamMember.objects.none()
    )
    return render(request, "assignments/mine.html", {"members": members})


@login_required
def assignment_file(request: HttpRequest, pk: int) -> HttpResponse:
    """assignment.json: the published bundle with its recusals, for the verifier."""
    assignment = _visible(request, pk)
    if assignment.bundle_artefact_id is None:
        return HttpResponse("尚未分派", status=404)
    content = json.dumps(
        bundle_with_recusals(assignment), ensure_ascii=False, separators=(",", ":")
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{assignment.assignment_id}-assignment.json"'
    )
    return response


def verifier_script(request: HttpRequest) -> HttpResponse:
    """verify_assign.py: the assignment rule; it needs verify_draw.py in the same folder."""
    response = HttpResponse(Path(rule.__file__).read_bytes(), content_type="text/x-python")
    response["Content-Disposition"] = 'attachment; filename="verify_assign.py"'
    return response


def _visible(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("plan__region"), pk=pk
    )


def _visit(request: HttpRequest, pk: int) -> Visit:
    """The visit with its assignment (whose bundle and freeze, tens of megabytes, are
    artefacts named by digest; integrity.py reads the entries it needs)."""
    return get_object_or_404(
        Visit.objects.visible_to(request.user)
        .select_related("entity", "lead_department", "assignment__plan")
        .distinct(),
        pk=pk,
    )


def _discrepant(request: HttpRequest, visit: Visit, discrepancies: list[str]) -> HttpResponse:
    """A visit whose rows disagree with the published assignment is not served as it stands
    (its team could have been swapped in the database): the differences instead, 409."""
    context = {"visit": visit, "discrepancies": discrepancies}
    return render(request, "assignments/visit_discrepancy.html", context, status=409)
