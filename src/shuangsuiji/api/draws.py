"""Draws: the list a user may reach, each draw's record, its bundle and population files.

A department admin reaches the draws of tasks its department leads or takes part in, as on the
draw pages (`draws.access.visible_draw`, which the detail calls); the list is that same set.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Query, Router

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.api.pagination import paginate
from shuangsuiji.api.schemas import DrawDetailOut, DrawFilters, DrawOut, Id, Page, PageQuery
from shuangsuiji.core import draw as rule
from shuangsuiji.draws.access import visible_draw
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.substitutions import published_bundle

router = Router(tags=["随机抽取"])
JSON = "application/json"
# The population and bundle are artefacts (never in the row); the rest is only for one draw.
LIST_DEFERRED = ("freeze", "exclusions", "commitments", "reveals")


def visible_draws(user: Any) -> QuerySet[Draw]:
    """The draws `user` reaches: row scope, and for a department admin every draw of a task
    its department leads or partners (the party it commits and reveals for)."""
    draws = Draw.objects.visible_to(user)
    department_id = getattr(user, "department_id", None)
    if role_of(user) is Role.DEPARTMENT_ADMIN and department_id is not None:
        taking_part = Q(task__lead_department_id=department_id) | Q(
            task__partner_departments=department_id
        )
        draws = Draw.objects.filter(pk__in=Draw.objects.filter(taking_part).values("pk"))
    return draws


def draw_rows(draws: Iterable[Draw]) -> list[dict[str, Any]]:
    return [
        {
            "id": draw.pk,
            "draw_id": draw.draw_id,
            "task": draw.task_id,
            "plan": draw.task.plan_id,
            "number": draw.number,
            "state": draw.state,
            "seed": draw.seed,
            "created_at": draw.created_at,
            "drawn_at": draw.drawn_at,
            "supersedes": draw.supersedes.draw_id if draw.supersedes else None,
            "reason": draw.reason,
        }
        for draw in draws
    ]


@router.get("/draws", response=Page[DrawOut], summary="随机抽取列表")
def draw_list(
    request: HttpRequest,
    page: Query[PageQuery],
    filters: Query[DrawFilters],
) -> dict[str, Any]:
    draws = (
        visible_draws(request.user)
        .select_related("task", "supersedes")
        .defer(*LIST_DEFERRED, *(f"supersedes__{f}" for f in LIST_DEFERRED))
        .order_by("task__plan_id", "task__position", "number", "pk")
    )
    if filters.plan is not None:
        draws = draws.filter(task__plan_id=filters.plan)
    if filters.task is not None:
        draws = draws.filter(task_id=filters.task)
    return paginate(draws, page, draw_rows)


@router.get("/draws/{pk}", response=DrawDetailOut, summary="随机抽取")
def draw_detail(request: HttpRequest, pk: Path[Id]) -> dict[str, Any]:
    draw = visible_draw(request.user, pk)
    return {
        **draw_rows([draw])[0],
        "freeze": draw.freeze,
        "commitments": draw.commitments,
        "reveals": draw.reveals,
        "bundle_url": reverse("api:draw_bundle", args=[draw.pk])
        if draw.bundle_artefact_id
        else None,
        "population_url": reverse("api:draw_population", args=[draw.pk]),
        # public from its freeze (disclosure.frozen), at the URL its result will have
        "public_url": reverse("disclosure:draw", args=[draw.draw_id]),
    }


@router.get(
    "/draws/{pk}/bundle.json",
    url_name="draw_bundle",
    summary="抽取记录（规范 JSON）",
    description="键排序、无空格的 UTF-8 JSON，与公示网站和 verify_draw.py 所用的字节相同。",
    openapi_extra={"responses": {200: {"description": "抽取记录", "content": {JSON: {}}}}},
)
def draw_bundle(request: HttpRequest, pk: Path[Id]) -> HttpResponse:
    draw = visible_draw(request.user, pk)
    if draw.bundle_artefact_id is None:
        raise Http404("尚未抽取")
    response = HttpResponse(rule.canonical_json(published_bundle(draw)), content_type=JSON)
    response["Content-Disposition"] = f'inline; filename="{draw.draw_id}-bundle.json"'
    return response


@router.get(
    "/draws/{pk}/population.csv",
    url_name="draw_population",
    summary="冻结的名单（CSV）",
    openapi_extra={"responses": {200: {"description": "名单", "content": {"text/csv": {}}}}},
)
def draw_population(request: HttpRequest, pk: Path[Id]) -> HttpResponse:
    draw = visible_draw(request.user, pk)
    response = HttpResponse(draw.population_csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{draw.draw_id}-population.csv"'
    return response
