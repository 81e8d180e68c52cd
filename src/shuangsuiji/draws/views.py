"""Draw pages: population preview and freeze, the ceremony step by step, results and files."""

import json
from collections import Counter
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shuangsuiji.core import draw as rule
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import (
    DrawStepError,
    add_commitment,
    add_reveal,
    complete_draw,
    freeze_draw,
    task_population,
)
from shuangsuiji.plans.models import PlanTask

STRATUM_LABELS = {
    "A": "A 低风险",
    "B": "B 一般风险",
    "C": "C 较高风险",
    "D": "D 高风险",
    "U": "未分类",
}


@login_required
def task_draws(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(
        PlanTask.objects.visible_to(request.user).select_related("plan__region"), pk=task_id
    )
    if request.method == "POST":
        _require(request, "draws.add_draw")
        try:
            draw = freeze_draw(task, actor=request.user)
        except DrawStepError as error:
            messages.error(request, str(error))
            return redirect("draws:task", task_id=task.pk)
        return redirect("draws:detail", pk=draw.pk)
    population, exclusions = task_population(task)
    counts = Counter(population.values())
    context = {
        "task": task,
        "draws": task.draws.order_by("number"),
        "strata": [(STRATUM_LABELS[s], counts.get(s, 0)) for s in rule.STRATA],
        "population_size": len(population),
        "excluded": len(exclusions),
        "can_draw": request.user.has_perm("draws.add_draw"),
    }
    return render(request, "draws/task_draws.html", context)


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _visible(request, pk)
    rounds = []
    if draw.bundle:
        for round_data in draw.bundle["rounds"]:
            strata = [(STRATUM_LABELS[s], v) for s, v in round_data["strata"].items() if v["N"]]
            rounds.append((round_data["round"], strata))
    context = {
        "draw": draw,
        "rounds": rounds,
        "sizes": [(STRATUM_LABELS[s], n) for s, n in draw.freeze["strata_sizes"].items() if n],
        "can_draw": request.user.has_perm("draws.change_draw"),
    }
    return render(request, "draws/draw_detail.html", context)


@login_required
@require_POST
def draw_step(request: HttpRequest, pk: int) -> HttpResponse:
    """One ceremony step: commit, reveal, complete (public value), or redraw with a reason."""
    draw = _visible(request, pk)
    _require(request, "draws.change_draw")
    step, post = request.POST.get("step"), request.POST
    try:
        if step == "commit":
            add_commitment(draw, party=post["party"].strip(), commitment=post["commitment"])
        elif step == "reveal":
            add_reveal(draw, party=post["party"].strip(), secret=post["secret"].strip())
        elif step == "complete":
            complete_draw(
                draw,
                public_value=post["public_value"].strip(),
                public_source=post.get("public_source", "").strip(),
                system=post.get("system") == "on",
            )
        elif step == "redraw":
            draw = freeze_draw(
                draw.task, actor=request.user, supersedes=draw, reason=post.get("reason", "")
            )
        else:
            messages.error(request, "未知的操作")
    except (DrawStepError, rule.DrawError, KeyError) as error:
        messages.error(request, str(error))
    return redirect("draws:detail", pk=draw.pk)


@login_required
def draw_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """bundle.json and population.csv of a drawn draw, for anyone who may see it to verify."""
    draw = _visible(request, pk)
    if name == "bundle.json" and draw.bundle:
        content = json.dumps(draw.bundle, ensure_ascii=False, separators=(",", ":"))
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    elif name == "population.csv":
        response = HttpResponse(draw.population_csv, content_type="text/csv; charset=utf-8")
    else:
        return HttpResponse("文件不存在", status=404)
    response["Content-Disposition"] = f'attachment; filename="{draw.draw_id}-{name}"'
    return response


def verifier_script(request: HttpRequest) -> HttpResponse:
    """The stand-alone verifier: the draw rule itself, needing only Python's standard library."""
    response = HttpResponse(Path(rule.__file__).read_bytes(), content_type="text/x-python")
    response["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
    return response


def _visible(request: HttpRequest, pk: int) -> Draw:
    return get_object_or_404(
        Draw.objects.visible_to(request.user).select_related("task__plan__region"), pk=pk
    )


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied("只有协调员可以进行抽取")
