"""The directory pages: entity and inspector lists with search, filters and keyset pages,
detail pages, the export, and the upload → preview → confirm entity import.

Every query starts from `.visible_to(request.user)`; a record outside the user's scope is a
404, so its existence is not revealed. Model permissions decide which pages a role has (403).
"""

import tempfile
from collections.abc import Callable
from datetime import date
from typing import IO, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shuangsuiji.directory import exporters
from shuangsuiji.directory.forms import EntityFilterForm, EntityUploadForm, InspectorFilterForm
from shuangsuiji.directory.import_jobs import PREVIEW_COLUMNS, confirm_import, reap, start_import
from shuangsuiji.directory.listing import capped_count, keyset_page, region_then_id
from shuangsuiji.directory.models import Conflict, Entity, EntityImport, Inspector

COUNT_CAP = 10_000  # a text search counts this far and then says "more than"
EXPORT_MAX_ROWS = 100_000  # about 10 s of openpyxl; a larger export is narrowed first
EXPORT_CHUNK = 2_000
RECENT_IMPORTS = 10
ENTITY_KEYS = ("region_id", "id")  # the order of an index (see listing.region_then_id)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_htmx(request: HttpRequest) -> bool:
    """A request from htmx (polling, live search) gets the page's partial, not the page."""
    return request.headers.get("HX-Request") == "true"


@login_required
@permission_required("directory.view_entity", raise_exception=True)
def entity_list(request: HttpRequest) -> HttpResponse:
    form = EntityFilterForm(request.GET, user=request.user)
    entities = form.filter(Entity.objects.visible_to(request.user)).select_related("region__parent")
    page = keyset_page(
        entities,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        keys=ENTITY_KEYS,
        order=region_then_id(entities),
    )
    context = {
        "form": form,
        "page": page,
        "query": _filters_query(request),
        "can_import": request.user.has_perm("directory.add_entity"),
    }
    template = "directory/entity_list.html"
    return render(request, f"{template}#results" if is_htmx(request) else template, context)


@login_required
@permission_required("directory.view_entity", raise_exception=True)
def entity_count(request: HttpRequest) -> HttpResponse:
    """The number of entities the filters select, fetched by the list page after its rows.

    Filters alone (region, status, risk, category: the draw's population) are counted exactly
    through their indexes; a text search is counted up to COUNT_CAP, because "公司" matches
    most of a million names and an exact figure would be worth nothing to the reader.
    """
    form = EntityFilterForm(request.GET, user=request.user)
    entities = form.filter(Entity.objects.visible_to(request.user))
    if form.has_text_search:
        count, more = capped_count(entities, COUNT_CAP)
    else:
        count, more = entities.order_by().count(), False
    return render(request, "directory/_entity_count.html", {"count": count, "more": more})


@login_required
@permission_required("directory.view_entity", raise_exception=True)
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entity = get_object_or_404(
        Entity.objects.visible_to(request.user).select_related("region__parent"), pk=pk
    )
    conflicts = (
        Conflict.objects.visible_to(request.user)
        .filter(entity=entity)
        .select_related("inspector__department")
    )
    context = {"entity": entity, "categories": entity.categories.all(), "conflicts": conflicts}
    return render(request, "directory/entity_detail.html", context)


@login_required
@permission_required("directory.view_entity", raise_exception=True)
def entity_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as .xlsx in the import's columns, up to EXPORT_MAX_ROWS rows."""
    form = EntityFilterForm(request.GET, user=request.user)
    entities = form.filter(Entity.objects.visible_to(request.user))
    _, too_many = capped_count(entities, EXPORT_MAX_ROWS)
    if too_many:
        messages.error(
            request,
            f"符合条件的检查对象超过 {EXPORT_MAX_ROWS:,} 户，"
            "请先按行政区划、类别等缩小范围再导出。",
        )
        return redirect(f"{reverse('directory:entities')}?{_filters_query(request)}")
    rows = (
        entities.select_related("region")
        .prefetch_related("categories")
        .order_by("-pk")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    name = f"检查对象名录-{date.today():%Y%m%d}.xlsx"
    return _xlsx_response(lambda file: exporters.write_entities(rows, file), name)


@login_required
@permission_required("directory.add_entity", raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(exporters.write_template, "检查对象导入模板.xlsx")


@login_required
@permission_required("directory.add_entity", raise_exception=True)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: store the file and queue its check; the next page shows progress."""
    form = EntityUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_import(upload, upload.name, actor=request.user)
        return redirect("directory:import", pk=job.pk)
    recent = EntityImport.objects.visible_to(request.user).select_related("created_by")
    context = {"form": form, "recent": recent[:RECENT_IMPORTS]}
    return render(request, "directory/import_upload.html", context)


@login_required
@permission_required("directory.view_entityimport", raise_exception=True)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: progress while checking, then every problem by row and column, or a preview
    and the confirm button. htmx polls this page's `job` partial while a task runs."""
    job = reap(get_object_or_404(EntityImport.objects.visible_to(request.user), pk=pk))
    context = {
        "job": job,
        "preview_columns": PREVIEW_COLUMNS,
        "can_confirm": request.user.has_perm("directory.add_entity"),
    }
    template = "directory/import_detail.html"
    return render(request, f"{template}#job" if is_htmx(request) else template, context)


@login_required
@permission_required("directory.add_entity", raise_exception=True)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: queue the write; the file is checked again and written in one transaction."""
    job = get_object_or_404(EntityImport.objects.visible_to(request.user, "change"), pk=pk)
    if not confirm_import(job, actor=request.user):
        messages.error(request, "该文件不在待确认状态，不能导入。")
    return redirect("directory:import", pk=job.pk)


@login_required
@permission_required("directory.view_inspector", raise_exception=True)
def inspector_list(request: HttpRequest) -> HttpResponse:
    form = InspectorFilterForm(request.GET, user=request.user)
    inspectors = form.filter(Inspector.objects.visible_to(request.user)).select_related(
        "department"
    )
    page = keyset_page(inspectors, after=request.GET.get("after"), before=request.GET.get("before"))
    context = {"form": form, "page": page, "query": _filters_query(request)}
    template = "directory/inspector_list.html"
    return render(request, f"{template}#results" if is_htmx(request) else template, context)


@login_required
@permission_required("directory.view_inspector", raise_exception=True)
def inspector_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = get_object_or_404(
        Inspector.objects.visible_to(request.user).select_related("department"), pk=pk
    )
    context = {
        "inspector": inspector,
        "qualifications": inspector.qualifications.all(),
        "conflicts": inspector.conflicts.select_related("entity"),
        "today": date.today(),
    }
    return render(request, "directory/inspector_detail.html", context)


def _xlsx_response(write: Callable[[IO[bytes]], object], filename: str) -> FileResponse:
    """A workbook written to a temporary file (not memory) and streamed from it."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)


def _filters_query(request: HttpRequest) -> str:
    """The query string without the page cursor, for page links, the count and the export."""
    kept: dict[str, Any] = {
        key: value for key, value in request.GET.items() if key not in ("after", "before") and value
    }
    return urlencode(kept)
