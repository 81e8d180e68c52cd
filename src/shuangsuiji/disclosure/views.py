"""The public site (一公开): no login, read-only, published records only, cacheable.

Only what a published draw already discloses is shown: the task, the frozen digests, the
ceremony, the selected and reserve lists, and the files anyone needs to verify it.
"""

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from shuangsuiji.core import draw as rule
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.plans.models import Plan

CACHE_SECONDS = 300  # lists change as draws are published
FOREVER = 31_536_000  # a published draw never changes


def _published() -> object:
    return Draw.objects.filter(state=DrawState.DRAWN).select_related("task__plan__region")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("region").order_by("-year", "title")
    draws = _published().order_by("-drawn_at")[:50]  # type: ignore[attr-defined]
    response = render(request, "disclosure/index.html", {"plans": plans, "draws": draws})
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def draw_page(request: HttpRequest, draw_id: str) -> HttpResponse:
    draw = get_object_or_404(_published(), draw_id=draw_id)  # type: ignore[arg-type]
    rounds = [
        (r["round"], [(s, data) for s, data in r["strata"].items() if data["N"]])
        for r in draw.bundle["rounds"]
    ]
    context = {"draw": draw, "bundle": draw.bundle, "rounds": rounds}
    response = render(request, "disclosure/draw.html", context)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def draw_file(request: HttpRequest, draw_id: str, name: str) -> HttpResponse:
    draw = get_object_or_404(_published(), draw_id=draw_id)  # type: ignore[arg-type]
    if name == "bundle.json":
        content = rule.canonical_json(draw.bundle)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    elif name == "population.csv":
        response = HttpResponse(draw.population_csv, content_type="text/csv; charset=utf-8")
    else:
        return HttpResponse("文件不存在", status=404)
    response["Content-Disposition"] = f'inline; filename="{draw.draw_id}-{name}"'
    patch_cache_control(response, public=True, max_age=FOREVER, immutable=True)
    return response


@require_safe
def verifier(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(Path(rule.__file__).read_bytes(), content_type="text/x-python")
    response["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
