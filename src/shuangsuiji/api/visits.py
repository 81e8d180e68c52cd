"""Visits (联合检查) in the user's scope — an inspector's own only — with their teams and
results, and recording a result through the same service and checks as the visit page."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import HttpError

from shuangsuiji.api.pagination import paginate
from shuangsuiji.api.schemas import (
    Error,
    Id,
    InspectionOut,
    Page,
    PageQuery,
    ResultIn,
    VisitDetailOut,
    VisitFilters,
    VisitOut,
)
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.access import reachable_inspection, visible_visit
from shuangsuiji.inspections.models import Inspection, ResultCategory
from shuangsuiji.inspections.services import InspectionStepError, inspections_of, record, submit

router = Router(tags=["联合检查与检查结果"])


def visit_rows(visits: Iterable[Visit]) -> list[dict[str, Any]]:
    return [
        {
            "id": visit.pk,
            "code": visit.code,
            "plan": visit.assignment.plan_id,
            "assignment": visit.assignment.assignment_id,
            "entity": {"uscc": visit.entity.uscc, "name": visit.entity.name},
            "window_start": visit.window_start,
            "window_end": visit.window_end,
            "lead_department": visit.lead_department.name,
            "departments": [d.name for d in visit.departments.all()],
            "tasks": [t.pk for t in visit.tasks.all()],
        }
        for visit in visits
    ]


def inspection_row(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "task": inspection.task_id,
        "state": inspection.state,
        "results": sorted(c.code for c in inspection.results.all()),
        "inspected_on": inspection.inspected_on,
        "measures": inspection.measures,
        "notes": inspection.notes,
        "return_reason": inspection.return_reason,
        "follow_up": inspection.follow_up,
    }


def _listed(visits: Any) -> Any:
    return visits.select_related("entity", "lead_department", "assignment").prefetch_related(
        "departments", "tasks"
    )  # bundle: by digest


@router.get("/visits", response=Page[VisitOut], summary="联合检查列表")
def visit_list(
    request: HttpRequest,
    page: Query[PageQuery],
    filters: Query[VisitFilters],
) -> dict[str, Any]:
    scoped = Visit.objects.visible_to(request.user).values("pk")
    visits = _listed(Visit.objects.filter(pk__in=scoped)).order_by("assignment_id", "code", "pk")
    if filters.plan is not None:
        visits = visits.filter(assignment__plan_id=filters.plan)
    if filters.entity.strip():
        visits = visits.filter(entity__uscc=filters.entity.strip().upper())
    return paginate(visits, page, visit_rows)


@router.get("/visits/{pk}", response=VisitDetailOut, summary="联合检查：检查组与各任务的结果")
def visit_detail(request: HttpRequest, pk: Path[Id]) -> dict[str, Any]:
    visit = visible_visit(request.user, pk)
    (row,) = visit_rows(_listed(Visit.objects.filter(pk=visit.pk)))
    members = visit.members.select_related("inspector", "department").order_by("slot")
    return {
        **row,
        "members": [
            {
                "slot": m.slot,
                "name": m.inspector.name,
                "certificate_no": m.inspector.certificate_no,
                "department": m.department.name,
                "role": m.role,
                "qualification": m.qualification,
            }
            for m in members
        ],
        "inspections": [inspection_row(i) for i in inspections_of(visit)],
    }


@router.post(
    "/inspections/{pk}/result",
    response={200: InspectionOut, 400: Error, 403: Error},
    summary="录入检查结果（可同时提交审核）",
    description="与检查页面相同：检查组成员（或协调员）录入；待录入或已退回的结果才能修改。",
)
def record_result(request: HttpRequest, body: ResultIn, pk: Path[Id]) -> Any:
    inspection = reachable_inspection(request.user, pk)
    categories = list(ResultCategory.objects.filter(code__in=body.results))
    unknown = sorted(set(body.results) - {c.code for c in categories})
    if unknown:
        raise HttpError(400, f"未知的检查结果类别：{'、'.join(unknown)}")
    try:
        with transaction.atomic():
            saved = record(
                inspection,
                actor=request.user,
                results=categories,
                inspected_on=body.inspected_on,
                measures=body.measures,
                notes=body.notes,
            )
            if body.submit:
                saved = submit(saved, actor=request.user)
    except InspectionStepError as error:
        raise HttpError(400, str(error)) from error
    return inspection_row(Inspection.objects.prefetch_related("results").get(pk=saved.pk))
