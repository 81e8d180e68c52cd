"""Draw pages: population preview and freeze, the ceremony step by step, results and files.

Freezing and completing a large draw run as background jobs (`draws.jobs`): the page shows
the job's progress, polled by htmx every second, until the step is done.
"""

import json
from collections import Counter
from io import BytesIO
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from shuangsuiji.core import draw as rule
from shuangsuiji.draws.access import visible_draw
from shuangsuiji.draws.jobs import JobRefused, latest_job, reap, start_complete, start_freeze
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.registrations import registrations
from shuangsuiji.draws.roster import roster_of, write_roster
from shuangsuiji.draws.rules import may_draw, party_of
from shuangsuiji.draws.services import (
    DrawStepError,
    add_commitment,
    add_reveal,
    preview_redraw,
    task_population,
)
from shuangsuiji.draws.substitutions import published_bundle
from shuangsuiji.operations.models import Job, JobKind, JobState
from shuangsuiji.plans.models import PlanTask
from shuangsuiji.plans.population import STRATUM_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def task_draws(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(
        PlanTask.objects.visible_to(request.user).select_related("plan__region"), pk=task_id
    )
    if request.method == "POST":
        try:
            job = start_freeze(task, actor=request.user)
        except JobRefused as error:
            messages.error(request, str(error))
            return redirect("draws:task", task_id=task.pk)
        return redirect(_page_of(job))
    job = latest_job(task)
    shown = job if job and _shown_on_task_page(job) else None
    if shown and shown.is_running:
        # The population is being read for the freeze: do not read it a second time here.
        return render(request, "draws/task_draws.html", {"task": task, "job": shown})
    population, exclusions = task_population(task)
    counts = Counter(population.values())
    context = {
        "task": task,
        "job": shown,
        "draws": task.draws.order_by("number"),
        "strata": [(STRATUM_LABELS[s], counts.get(s, 0)) for s in rule.STRATA],
        "population_size": len(population),
        "excluded": len(exclusions),
        "can_draw": may_draw(request.user, task),
    }
    return render(request, "draws/task_draws.html", context)


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = visible_draw(request.user, pk)
    return render(request, "draws/draw_detail.html", _detail_context(request, draw))


def _detail_context(request: HttpRequest, draw: Draw) -> dict[str, object]:
    rounds = []
    if draw.bundle:
        for round_data in draw.bundle["rounds"]:
            strata = [(STRATUM_LABELS[s], v) for s, v in round_data["strata"].items() if v["N"]]
            rounds.append((round_data["round"], strata))
    registered = registrations(draw)
    return {
        "draw": draw,
        "registered_commitments": {c["party"]: c["commitment"] for c in draw.commitments},
        "commitments": [(c, registered.get(("commitments", c["party"]))) for c in draw.commitments],
        "reveals": [(r, registered.get(("reveals", r["party"]))) for r in draw.reveals],
        "rounds": rounds,
        "sizes": [(STRATUM_LABELS[s], n) for s, n in draw.freeze["strata_sizes"].items() if n],
        "can_draw": may_draw(request.user, draw.task),
        "own_party": party_of(request.user, draw.task),
        "spec": rule.SPEC,
        "job": _job_on_draw_page(draw),
    }


@login_required
@require_POST
def draw_step(request: HttpRequest, pk: int) -> HttpResponse:
    """One ceremony step: commit, reveal, complete (public value), or redraw with a reason
    and a confirmation. A department commits and reveals for itself (the coordinator for its
    own body); the coordinator alone completes or redraws. `draws.rules` decides, in the
    services."""
    draw = visible_draw(request.user, pk)
    step, post = request.POST.get("step"), request.POST
    party = party_of(request.user, draw.task) or ""
    try:
        if step == "commit":
            add_commitment(draw, actor=request.user, party=party, commitment=post["commitment"])
        elif step == "reveal":
            add_reveal(draw, actor=request.user, party=party, secret=post["secret"].strip())
        elif step == "complete":
            typed, source = post.get("public_value", ""), post.get("public_source", "").strip()
            system = post.get("system") == "on"
            value = typed.strip()
            if not system and may_draw(request.user, draw.task):
                # The seed takes the canonical value; if it differs from what was typed, it is
                # shown back and used only once confirmed (complete_draw refuses a bad one
                # for every caller; this only spares the coordinator a surprise).
                value = rule.canonical_public_value(typed)
                if value != typed.strip() and post.get("confirmed") != value:
                    context = _detail_context(request, draw)
                    context["confirm"] = {"typed": typed, "value": value, "source": source}
                    return render(request, "draws/draw_detail.html", context)
            job = start_complete(
                draw, actor=request.user, public_value=value, public_source=source, system=system
            )
            return redirect(_page_of(job))
        elif step == "redraw":
            # Two steps: the reason is checked and what will happen is shown; only a POST
            # confirming that same new draw freezes it (a redraw is never one click).
            preview = preview_redraw(draw, actor=request.user, reason=post.get("reason", ""))
            if post.get("confirmed") != preview.new_draw_id:
                context = {"draw": draw, "preview": preview}
                return render(request, "draws/draw_redraw_confirm.html", context)
            job = start_freeze(
                draw.task, actor=request.user, supersedes=draw, reason=preview.reason
            )
            return redirect(_page_of(job))
        else:
            messages.error(request, "未知的操作")
    except (DrawStepError, rule.DrawError, KeyError) as error:
        messages.error(request, str(error))
    return redirect("draws:detail", pk=draw.pk)


@login_required
@require_GET
def draw_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background step's progress (the `_job.html` partial htmx polls); once it has ended,
    the page to go to: the draw it made or completed, or the page that shows why it failed."""
    draw_steps = Job.objects.filter(kind__in=JobKind.draw_steps()).select_related("task")
    job = get_object_or_404(draw_steps, pk=pk)
    task = job.task
    visible = PlanTask.objects.visible_to(request.user).filter(pk=task.pk).exists()
    if not visible and party_of(request.user, task) is None:
        raise Http404("没有这个抽取步骤")
    job = reap(job)  # a step whose worker died says so, instead of 50 % forever
    if job.is_running:
        return render(request, "draws/_job.html", {"job": job})
    target = _page_of(job)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse()
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@login_required
def draw_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """bundle.json and population.csv of a drawn draw, for anyone who may see it to verify."""
    draw = visible_draw(request.user, pk)
    if name == "bundle.json" and draw.bundle_artefact_id is not None:
        content = json.dumps(published_bundle(draw), ensure_ascii=False, separators=(",", ":"))
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    elif name == "population.csv":
        response = HttpResponse(draw.population_csv, content_type="text/csv; charset=utf-8")
    else:
        return HttpResponse("文件不存在", status=404)
    response["Content-Disposition"] = f'attachment; filename="{draw.draw_id}-{name}"'
    return response


@login_required
def roster_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The 抽查名单 to read and print: names, addresses and representatives beside the codes."""
    draw = visible_draw(request.user, pk)
    context = {
        "draw": draw,
        "task": draw.task,
        "partners": [d.short_name for d in draw.task.partner_departments.order_by("pk")],
        "roster": roster_of(draw),
    }
    return render(request, "draws/roster.html", context)


@login_required
def roster_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    draw = visible_draw(request.user, pk)
    buffer = BytesIO()
    write_roster(roster_of(draw), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"抽查名单-{draw.draw_id}.xlsx"
    )
    return response


def verifier_script(request: HttpRequest) -> HttpResponse:
    """The stand-alone verifier: the draw rule itself, needing only Python's standard library."""
    response = HttpResponse(Path(rule.__file__).read_bytes(), content_type="text/x-python")
    response["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
    return response


def _page_of(job: Job) -> str:
    """Where a step's progress, result or failure is shown: the draw it made or completes, the
    draw a redraw corrects, or the task page for a first freeze."""
    if job.state == JobState.DONE and job.draw_id:
        return reverse("draws:detail", args=[job.draw_id])
    if job.kind == JobKind.COMPLETE and job.draw_id:
        return reverse("draws:detail", args=[job.draw_id])
    if job.supersedes_id:
        return reverse("draws:detail", args=[job.supersedes_id])
    return reverse("draws:task", args=[job.task_id])


def _shown_on_task_page(job: Job) -> bool:
    """Any running step; a failed first freeze (the others fail on their draw's page)."""
    failed_freeze = job.kind == JobKind.FREEZE and not job.supersedes_id
    return job.is_running or (job.state == JobState.FAILED and failed_freeze)


def _job_on_draw_page(draw: Draw) -> Job | None:
    """Any running step of the draw's task; a failed completion or redraw of this draw."""
    job = latest_job(draw.task)
    if job is None or job.is_running:
        return job
    ours = job.draw_id == draw.pk or job.supersedes_id == draw.pk
    return job if job.state == JobState.FAILED and ours else None
