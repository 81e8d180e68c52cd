"""The public site (一公开): no login, read-only, published records only, cacheable.

Only what a published draw already discloses is shown: the task, the frozen digests, the
ceremony, the selected and reserve lists, and the files anyone needs to verify it.
"""

import csv
import io
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe
from openpyxl import Workbook

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.audit.anchor import feed_items
from shuangsuiji.companies.public import public_objection_states
from shuangsuiji.core import draw as rule
from shuangsuiji.core.celltext import csv_text, xlsx_row
from shuangsuiji.directory.models import CheckItem
from shuangsuiji.disclosure.frozen import (
    current_draws,
    draw_feed_items,
    frozen_draw,
    frozen_draws,
    frozen_page,
)
from shuangsuiji.disclosure.opendata import stream_rows
from shuangsuiji.disclosure.services import (
    PUBLIC_FIELDS,
    CappedPaginator,
    PublicationError,
    public_rows,
    publication_due,
    publication_due_count,
    publish,
    published_choices,
    search_published,
    with_public_relations,
)
from shuangsuiji.disclosure.withheld import (
    company_proof,
    public_files,
    publishes_classes,
    withheld_record,
)
from shuangsuiji.draws.access import visible_draw
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.draws.substitutions import published_bundle
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from shuangsuiji.plans.models import Plan
from shuangsuiji.plans.presenters import COLUMNS, rows_from_stored

RESULTS_PER_PAGE = 50
FIELD_TITLES = {
    "entity": "检查对象",
    "uscc": "统一社会信用代码",
    "plan": "抽查计划",
    "year": "年度",
    "task": "抽查任务",
    "department": "发起部门",
    "results": "检查结果",
    "date": "检查日期",
    "published": "公示时间",
}

CACHE_SECONDS = 300  # lists change as draws are published
FOREVER = 31_536_000  # a published draw never changes


def _published() -> object:
    """Published draws, without the exclusions (the files read those; the population and
    the bundle are artefacts, read only when asked for)."""
    return (
        Draw.objects.filter(state=DrawState.DRAWN)
        .select_related("task__plan__region")
        .defer("exclusions")
    )


def _listed() -> object:
    """Published draws for lists and the feed: not the freeze record either."""
    return _published().defer("freeze")  # type: ignore[attr-defined]


def _public_plans() -> Any:
    """Published plans, withdrawn ones too (marked so): a draft is the coordinator's own."""
    return Plan.objects.filter(published_at__isnull=False).select_related("region")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    plans = _public_plans().order_by("-year", "title")
    draws = _listed().order_by("-drawn_at")[:50]  # type: ignore[attr-defined]
    context = {"plans": plans, "draws": draws, "frozen": frozen_draws()[:50]}
    response = render(request, "disclosure/index.html", context)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """抽查计划公告: the plan's table as published, each task linked to its current draw
    (frozen ones too: a draw is public from its freeze)."""
    plan = get_object_or_404(_public_plans(), pk=pk)
    tasks = plan.tasks.order_by("position")
    draws = current_draws(plan)
    rows = [(row, draws.get(row.task_id)) for row in rows_from_stored(tasks)]
    context = {"plan": plan, "columns": COLUMNS, "rows": rows}
    response = render(request, "disclosure/plan.html", context)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def check_items(request: HttpRequest) -> HttpResponse:
    """抽查事项清单: every department's check items with legal basis, object and method."""
    items = CheckItem.objects.select_related("department__region").order_by(
        "department__region__code", "department__name", "name"
    )
    response = render(request, "disclosure/check_items.html", {"items": items})
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def draw_page(request: HttpRequest, draw_id: str) -> HttpResponse:
    if (frozen := frozen_draw(draw_id)) is not None:  # announced, no seed yet: disclosure.frozen
        return frozen_page(request, frozen)
    draw = get_object_or_404(_published(), draw_id=draw_id)  # type: ignore[arg-type]
    withheld = not publishes_classes()
    rounds = _rounds_shown(draw, withheld)
    ceremony = draw.bundle["ceremony"]
    revealed = {reveal["party"] for reveal in ceremony.get("reveals", [])}
    parties = [(c["party"], c["party"] in revealed) for c in ceremony.get("commitments", [])]
    history = list(  # the task's draws, superseded ones too: none is ever withdrawn
        Draw.objects.filter(task_id=draw.task_id, state=DrawState.DRAWN)
        .order_by("number")
        .values("pk", "draw_id", "drawn_at", "reason", "supersedes__draw_id")
    )
    context = {
        "draw": draw,
        "bundle": draw.bundle,
        "rounds": rounds,
        "parties": parties,
        "history": history if len(history) > 1 else [],
        "withheld": withheld,
        "version_2": draw.bundle["spec"] == rule.SPEC_V2,
    }
    response = render(request, "disclosure/draw.html", context)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _rounds_shown(draw: Draw, withheld: bool) -> list[dict[str, Any]]:
    """Each round as the public page shows it: strata with their sizes (and, where classes
    are published, their lists; else each stratum's cut-off), and where classes are withheld
    the round's selected and reserve codes, sorted, without strata."""
    files = public_files(draw) if withheld else None
    shown = []
    for number, stored in enumerate(draw.bundle["rounds"]):
        strata = [(s, data) for s, data in stored["strata"].items() if data["N"]]
        entry: dict[str, Any] = {"number": stored["round"], "strata": strata}
        if withheld:
            public = files.rounds[number] if files is not None else None
            entry["strata"] = [
                (s, {**{k: data[k] for k in ("N", "ratio", "k")}, **_cutoffs(public, s)})
                for s, data in strata
            ]
            entry["selected"] = sorted(c for _, d in strata for c in d["selected"])
            entry["reserve"] = sorted(c for _, d in strata for c in d["reserve"])
        shown.append(entry)
    return shown


def _cutoffs(public: dict[str, Any] | None, stratum: str) -> dict[str, Any]:
    if public is None:
        return {}
    data = public["strata"][stratum]
    return {"cutoff": data["cutoff"], "reserve_cutoff": data["reserve_cutoff"]}


WITHHELD_FILES = ("withheld.json", "tokens.csv")  # always public for a version-2 draw


@require_safe
def draw_file(request: HttpRequest, draw_id: str, name: str) -> HttpResponse:
    """A drawn draw's files. bundle.json and population.csv are the full record and listing
    where classes are published, else the withheld record and the codes alone (docs/draw-spec
    V11); withheld.json (the withheld record) and tokens.csv are there for every version-2
    draw, so 为什么是我 works either way. A version-1 draw's files name classes: not public
    with the setting off."""
    published = Draw.objects.filter(state=DrawState.DRAWN)
    draw = get_object_or_404(published, draw_id=draw_id)
    full = publishes_classes() and name in ("bundle.json", "population.csv")
    files = None if full else public_files(draw)
    if name not in ("bundle.json", "population.csv", *WITHHELD_FILES):
        return HttpResponse("文件不存在", status=404)
    if not full and files is None:
        return HttpResponse(V1_WITHHELD, status=404, content_type="text/plain; charset=utf-8")
    if name in ("bundle.json", "withheld.json"):
        record = published_bundle(draw) if full else withheld_record(draw)
        content = rule.canonical_json(record)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        # Substitutions are added after the draw: the bundle grows, so it is not immutable.
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    else:
        if full:
            text = draw.population_csv
        else:
            assert files is not None
            text = files.codes_csv if name == "population.csv" else files.tokens_csv
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        patch_cache_control(response, public=True, max_age=FOREVER, immutable=True)
    response["Content-Disposition"] = f'inline; filename="{draw.draw_id}-{name}"'
    return response


V1_WITHHELD = (
    "本次抽取按第1版规则进行，其记录和名单列明各企业的信用风险分类，不对外公开；"
    "参与部门和执法监督部门可在平台内下载完整记录并验证"
)


@require_safe
def why_me(request: HttpRequest, draw_id: str) -> HttpResponse:
    """为什么是我: a company checks its own case in its browser with its code and 核验码 (or
    the proof file its department gave it). The page itself holds nothing of any company: the
    code and 核验码 stay in the browser (the capability link puts them after #)."""
    draw = get_object_or_404(_published(), draw_id=draw_id)  # type: ignore[arg-type]
    if draw.bundle["spec"] != rule.SPEC_V2:
        raise Http404("第1版规则的抽取没有企业核验")
    context = {"draw": draw, "uscc": request.GET.get("uscc", "").strip().upper()[:18]}
    response = render(request, "disclosure/draw_why.html", context)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@login_required
def company_proof_file(request: HttpRequest, draw_id: str, uscc: str) -> HttpResponse:
    """One company's proof, for a user who may see the draw (its departments, the auditor) to
    hand to the company, e.g. with the 抽查通知书. It tells its holder that company's class."""
    drawn = Draw.objects.filter(state=DrawState.DRAWN, draw_id=draw_id).only("pk").first()
    if drawn is None:
        raise Http404("没有这次抽取")
    draw = visible_draw(request.user, drawn.pk)
    try:
        proof = company_proof(draw, uscc)
    except rule.DrawError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(rule.canonical_json(proof), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{draw.draw_id}-{uscc}-proof.json"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def verifier(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(Path(rule.__file__).read_bytes(), content_type="text/x-python")
    response["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    """抽查结果公告: search by entity name or code, filter by department, year and result."""
    found = with_public_relations(search_published(request.GET))
    page = CappedPaginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    departments, years = published_choices()
    filters = request.GET.copy()
    filters.pop("page", None)
    rows = public_rows(page)
    objections = public_objection_states([inspection.pk for inspection in page])
    for inspection, row in zip(page, rows, strict=True):  # 异议处理中, then the answer's outcome
        row["objection"] = objections.get(inspection.pk, "")
    context = {
        "page": page,
        "rows": rows,
        "query": filters.urlencode(),
        "filters": request.GET,
        "departments": departments,
        "years": years,
        "categories": ResultCategory.objects.filter(parent=None),
    }
    response = render(request, "disclosure/results.html", context)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


XLSX_MAX_ROWS = 100_000  # an .xlsx is built in memory; more rows go to CSV or JSON
STREAM_CHUNK = 2_000


@require_safe
def results_data(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """Open data: the same search as CSV, .xlsx or JSON, columns as docs/open-data.md says.
    CSV and JSON are streamed, so a million published results cost the server one chunk of
    memory at a time."""
    found = with_public_relations(search_published(request.GET))
    if fmt not in ("csv", "json", "xlsx"):
        return HttpResponse("没有这种格式", status=404)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "xlsx":
        if len(found.order_by()[: XLSX_MAX_ROWS + 1].values_list("pk", flat=True)) > XLSX_MAX_ROWS:
            message = (
                f"结果超过 {XLSX_MAX_ROWS} 条，Excel 文件放不下；请缩小查询范围，或下载 CSV、JSON"
            )
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(_xlsx(public_rows(found)), content_type=XLSX_TYPE)
    else:
        rows = stream_rows(search_published(request.GET))  # values, not models
        chunks = _json_chunks(rows) if fmt == "json" else _csv_chunks(rows)
        kind = "application/json" if fmt == "json" else "text/csv"
        response = StreamingHttpResponse(chunks, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results.{fmt}"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("抽查结果")
    sheet.append(list(PUBLIC_FIELDS))
    sheet.append([FIELD_TITLES[f] for f in PUBLIC_FIELDS])
    for row in rows:
        sheet.append(xlsx_row(sheet, [row[f] for f in PUBLIC_FIELDS]))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def batched(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """itertools.batched, which arrives in Python 3.12."""
    while batch := list(islice(rows, size)):
        yield batch


def _csv_chunks(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=PUBLIC_FIELDS)
    text.write("\ufeff")
    writer.writeheader()
    for batch in batched(rows, STREAM_CHUNK):
        writer.writerows({field: csv_text(value) for field, value in row.items()} for row in batch)
        yield text.getvalue()
        text.seek(0)
        text.truncate()
    yield text.getvalue()


def _json_chunks(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield '{"schema": "shuangsuiji-results/1", "results": ['
    separator = ""
    for batch in batched(rows, STREAM_CHUNK):
        yield separator + ", ".join(json.dumps(row, ensure_ascii=False) for row in batch)
        separator = ", "
    yield "]}"


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    """Atom: the newest draws as each is frozen and as it is drawn (`disclosure.frozen`), the
    newest published results, and each recent day's audit chain head."""
    atom = Atom1Feed(
        title="双随机抽查公示",
        link=request.build_absolute_uri("/public/"),
        description="新公示的抽查结果与随机抽取",
        language="zh-Hans",
    )
    for item in draw_feed_items(
        lambda draw_id: request.build_absolute_uri(reverse("disclosure:draw", args=[draw_id]))
    ):
        atom.add_item(**item)
    latest = Inspection.objects.filter(state=InspectionState.PUBLISHED).order_by("-published_at")
    newest = list(with_public_relations(latest)[:50])
    for row, inspection in zip(public_rows(newest), newest, strict=True):
        atom.add_item(
            title=f"抽查结果：{row['entity']}（{row['task']}）",
            link=request.build_absolute_uri(f"/public/results/?q={row['uscc']}"),
            description=row["results"],
            pubdate=inspection.published_at,
            unique_id=f"result:{inspection.pk}",
        )
    for item in feed_items(request.build_absolute_uri("/public/audit-head/")):
        atom.add_item(**item)
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


PUBLICATION_PAGE = 500


@login_required
def publication(request: HttpRequest) -> HttpResponse:
    """The coordinator's publication step: what is due, what is overdue, publish a choice.
    The auditor may look; nobody else."""
    if role_of(request.user) not in (Role.COORDINATOR, Role.AUDITOR):
        raise PermissionDenied("只有协调员可以公示检查结果")
    scoped = Inspection.objects.visible_to(request.user).select_related("visit__entity", "task")
    if request.method == "POST":
        # 全部公示 names no result: a county's thousands of due results would be more form
        # fields than a request may carry (DATA_UPLOAD_MAX_NUMBER_FIELDS).
        if request.POST.get("scope") == "all":
            chosen = scoped.filter(state=InspectionState.APPROVED)
        else:
            chosen = scoped.filter(pk__in=request.POST.getlist("publish"))
        try:
            count = publish(chosen, actor=request.user)
            messages.success(request, f"已公示 {count} 项检查结果")
        except PublicationError as error:
            messages.error(request, str(error))
        return redirect("publication")
    # The most urgent first, a page of them: a province's list (100,000 due) took 77 s to
    # draw; the counts and 全部公示 cover every due result.
    counts = publication_due_count(scoped)
    context = {
        "due": publication_due(scoped, limit=PUBLICATION_PAGE),
        "total": counts.due,
        "overdue": counts.overdue,
        "can_publish": role_of(request.user) is Role.COORDINATOR,
    }
    return render(request, "disclosure/publication.html", context)
