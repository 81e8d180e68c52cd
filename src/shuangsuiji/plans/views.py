"""Plan list and page, the upload → preview → confirm import a coordinator does, and each
task's page, edit form, population filter (with live counts) and change history."""

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from shuangsuiji.accounts.permissions import Role, regions_in_jurisdiction, role_of
from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.model import Plan as ParsedPlan
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.directory.models import Department, Region
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import DrawStepError
from shuangsuiji.plans.access import readable_task
from shuangsuiji.plans.capacity import plan_capacity, task_capacity_flags
from shuangsuiji.plans.exporters import FORMATS, export_plan
from shuangsuiji.plans.forms import PlanUploadForm, PopulationForm, TaskForm
from shuangsuiji.plans.item_lists import item_flags
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.population import (
    STRATUM_LABELS,
    PopulationFilter,
    population_flags,
    risk_counts,
    stored_counts,
    tallied_counts,
)
from shuangsuiji.plans.presenters import (
    COLUMNS,
    history_rows,
    rows_from_parsed,
    rows_from_stored,
)
from shuangsuiji.plans.services import (
    PlanImportError,
    TaskLockedError,
    import_plan,
    resolve_region,
    save_population,
    update_task,
)
from shuangsuiji.plans.suggestions import suggest_scope

UPLOADS = "plan-uploads"
TOKEN_SALT = "plans.upload"
TOKEN_MAX_AGE = 3600
CELL_FIELD = re.compile(r"cell-(\d{1,4})-([a-z_]{2,20})")
EXPIRED = "上传已过期或无效，请重新上传计划文件。"


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.visible_to(request.user).select_related("region__parent")
    can_import = request.user.has_perm("plans.add_plan")
    return render(request, "plans/plan_list.html", {"plans": plans, "can_import": can_import})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("region__parent"), pk=pk
    )
    tasks = (
        plan.tasks.order_by("position")
        .select_related("plan")
        .prefetch_related("scope_categories", "scope_regions")
        .annotate(has_draw=Exists(Draw.objects.filter(task_id=OuterRef("pk"))))
    )
    rows = rows_from_stored(tasks)
    undrawn = {task.pk: PopulationFilter.of_task(task) for task in tasks if not task.has_draw}
    # The directory may have changed since a filter was saved: recount from the tally when
    # it is current, else flag from the counts saved with the filter.
    recounted = tallied_counts(undrawn)
    workload = plan_capacity(plan)
    listed = item_flags(plan, tasks)
    for row, task in zip(rows, tasks, strict=True):
        row.item_flags = listed.get(task.pk, [])
        if task.pk in undrawn:
            counts = recounted.get(task.pk) or stored_counts(task)
            scope = undrawn[task.pk]
            row.population_flags = population_flags(task, counts, names_a_kind=scope.names_a_kind)
        row.capacity_flags = task_capacity_flags(task, workload)
    context = {
        "plan": plan,
        "capacity": workload,
        "columns": COLUMNS,
        "rows": rows,
        "plan_findings": plan.findings,
        "formats": list(FORMATS),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_export(request: HttpRequest, pk: int, format_name: str) -> HttpResponse:
    """The plan as a file in the familiar table layout, to print and publish."""
    if format_name not in FORMATS:
        raise Http404("不支持的导出格式")
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    content, filename, content_type = export_plan(plan, format_name)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@permission_required("plans.add_plan", raise_exception=True)
def plan_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: the file or the pasted table is stored and parsed; the preview shows every
    finding on its cell. Posted back from the preview (重新预览) with its token, the stored
    upload is parsed again with the cells corrected there."""
    if request.method == "POST" and "token" in request.POST:
        return _preview_again(request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = form.upload()
        pasted = bool(form.cleaned_data["text"])
        year = form.cleaned_data["year"]
        try:
            parsed = parse_plan(data, name, year=year)
        except PlanFileError as error:
            form.add_error("text" if pasted else "file", str(error))
        else:
            path = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}/{name}", ContentFile(data))
            upload = {"path": path, "year": year, "pasted": pasted}
            token = signing.dumps(upload, salt=TOKEN_SALT)
            return _preview(request, parsed, token=token, upload=upload, corrections={})
    return render(request, "plans/plan_upload.html", {"form": form})


def _preview_again(request: HttpRequest) -> HttpResponse:
    """The same stored upload with every correction so far (those carried by the page and
    those just typed), shown again under the same token, the chosen region kept."""
    upload = _signed_upload(request)
    if upload is None:
        return redirect("plans:upload")
    corrections = _corrections(request)
    try:
        parsed = parse_plan(
            _stored_bytes(upload),
            PurePath(upload["path"]).name,
            year=upload["year"],
            corrections=corrections,
        )
    except (PlanFileError, FileNotFoundError) as error:
        messages.error(request, _expired_or(error))
        return redirect("plans:upload")
    return _preview(
        request,
        parsed,
        token=request.POST["token"],
        upload=upload,
        corrections=corrections,
        region=_regions(request).filter(code=request.POST.get("region", "")).first(),
        replace=request.POST.get("replace") == "on",
    )


def _preview(
    request: HttpRequest,
    parsed: ParsedPlan,
    *,
    token: str,
    upload: dict[str, Any],
    corrections: dict[tuple[int, str], str],
    region: Region | None = None,
    replace: bool = False,
) -> HttpResponse:
    name = PurePath(upload["path"]).name
    context = {
        "parsed": parsed,
        "columns": COLUMNS,
        "rows": rows_from_parsed(parsed),
        "token": token,
        "regions": _regions(request),
        "region": region or _guess(parsed.locality),
        "replace": replace,
        "source": "粘贴的表格" if upload.get("pasted") else f"文件 {name}",
        "district": district_warning(parsed, request.user),
        "corrected": json.dumps(
            [[position, key, text] for (position, key), text in sorted(corrections.items())],
            ensure_ascii=False,
        ),
    }
    return render(request, "plans/plan_preview.html", context)


@login_required
@permission_required("plans.add_plan", raise_exception=True)
@require_POST
def plan_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the stored upload is parsed again and imported in one transaction."""
    upload = _signed_upload(request)
    if upload is None:
        return redirect("plans:upload")
    region = _regions(request).filter(code=request.POST.get("region", "")).first()
    if region is None:
        messages.error(request, "请选择计划所属的行政区划。")
        return redirect("plans:upload")
    path = upload["path"]
    try:
        parsed = parse_plan(
            _stored_bytes(upload),
            PurePath(path).name,
            year=upload["year"],
            corrections=_corrections(request),
        )
        plan = import_plan(
            parsed,
            filename=PurePath(path).name,
            region=region,
            actor=request.user,
            replace=request.POST.get("replace") == "on",
        )
    except (PlanFileError, PlanImportError, FileNotFoundError) as error:
        messages.error(request, _expired_or(error))
        return redirect("plans:upload")
    default_storage.delete(path)
    messages.success(request, f"已导入“{plan.title}”，共 {plan.tasks.count()} 项任务。")
    return redirect("plans:detail", pk=plan.pk)


def _signed_upload(request: HttpRequest) -> dict[str, Any] | None:
    """The stored upload the preview's token names, or None (with a message) when the
    token is forged or older than an hour."""
    try:
        upload: dict[str, Any] = signing.loads(
            request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, EXPIRED)
        return None
    return upload


def _stored_bytes(upload: dict[str, Any]) -> bytes:
    with default_storage.open(upload["path"], "rb") as file:
        data: bytes = file.read()
    return data


def _expired_or(error: Exception) -> str:
    """An upload already imported (and so deleted) is as gone as an expired one."""
    return EXPIRED if isinstance(error, FileNotFoundError) else str(error)


def _regions(request: HttpRequest) -> QuerySet[Region]:
    return regions_in_jurisdiction(
        Region.objects.select_related("parent").order_by("code"), request.user
    )


def _corrections(request: HttpRequest) -> dict[tuple[int, str], str]:
    """Cells corrected in the preview: those an earlier 重新预览 carried in `corrected`
    ([position, key, text] as JSON), overridden by the fields posted now, named
    cell-<task position>-<column key> (the page posts only the cells changed on it)."""
    corrections = {}
    for entry in _carried(request.POST.get("corrected", "")):
        if (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[2], str)
            and CELL_FIELD.fullmatch(f"cell-{entry[0]}-{entry[1]}")
        ):
            corrections[(int(entry[0]), entry[1])] = entry[2]
    for name, value in request.POST.items():
        match = CELL_FIELD.fullmatch(name)
        if match:
            corrections[(int(match[1]), match[2])] = value
    return corrections


def _carried(text: str) -> list[Any]:
    try:
        entries = json.loads(text or "[]")
    except ValueError:
        return []
    return entries if isinstance(entries, list) else []


@dataclass(frozen=True)
class DistrictWarning:
    """A plan that seems to be another region's: which one (`seems`), the user's own
    (`home`), and the evidence, each a sentence."""

    seems: str
    home: str
    reasons: list[str]


def district_warning(parsed: ParsedPlan, user: Any) -> DistrictWarning | None:
    """Warn when the title's locality or the plan's departments are another region's than
    the user's jurisdiction: imported there, every department becomes 未知的部门 and the
    plan shows on the wrong district's public page. A warning only: the coordinator may
    mean it (a neighbour's plan as a model), so the import is not refused."""
    department = getattr(user, "department", None)
    if user.is_superuser or department is None:
        return None
    home = list(regions_in_jurisdiction(Region.objects.select_related("parent"), user))
    home_ids = {region.pk for region in home}
    own = next((region for region in home if region.pk == department.region_id), None)
    if own is None:
        return None
    seems: list[str] = []
    reasons: list[str] = []
    locality = parsed.locality
    titled = _guess(locality) if locality else None
    if titled is not None and titled.pk not in home_ids:
        seems.append(titled.full_name)
        reasons.append(f"计划标题中的地区是{titled.full_name}，不在您的辖区内。")
    elif titled is None and locality and not any(_names(locality, r) for r in home):
        seems.append(locality)
        reasons.append(f"计划标题中的地区“{locality}”与您辖区内的行政区划都对不上。")
    names = _department_names(parsed)
    elsewhere, known_here = _departments_by_region(names, home_ids)
    for region_name, found in elsewhere.items():
        shown = "、".join(found[:5]) + (f"等 {len(found)} 个部门" if len(found) > 5 else "")
        if region_name not in seems:
            seems.append(region_name)
        reasons.append(f"计划中的{shown}是{region_name}的部门。")
    if not reasons:
        return None
    unknown = len(names) - len(known_here)
    if unknown:
        reasons.append(
            f"计划中的 {len(names)} 个部门有 {unknown} 个在您的辖区找不到，"
            "导入后将标为“未知的部门”。"
        )
    return DistrictWarning(seems="、".join(seems), home=own.full_name, reasons=reasons)


def _names(locality: str, region: Region) -> bool:
    """The locality names this region as `resolve_region` would match it."""
    return locality.startswith(region.full_name) or locality == region.name


def _department_names(parsed: ParsedPlan) -> list[str]:
    names = [task.lead_department for task in parsed.tasks]
    names += [name for task in parsed.tasks for name in task.partner_departments]
    return list(dict.fromkeys(name for name in names if name))


def _departments_by_region(
    names: list[str], home_ids: set[int]
) -> tuple[dict[str, list[str]], set[str]]:
    """The plan's department names that only another region's departments bear (short
    name, full name or alias), by that region; and the names known in the jurisdiction."""
    wanted = set(names)
    found = (
        Department.objects.filter(
            Q(name__in=wanted) | Q(short_name__in=wanted) | Q(aliases__name__in=wanted)
        )
        .distinct()
        .select_related("region__parent")
        .prefetch_related("aliases")
    )
    regions_of: dict[str, list[Region]] = {}
    for department in found:
        spellings = {department.name, department.short_name}
        spellings |= {alias.name for alias in department.aliases.all()}
        for name in spellings & wanted:
            regions_of.setdefault(name, []).append(department.region)
    known_here = {
        name for name, regions in regions_of.items() if any(r.pk in home_ids for r in regions)
    }
    elsewhere: dict[str, list[str]] = {}
    for name in names:
        if name in regions_of and name not in known_here:
            region = min(regions_of[name], key=lambda r: r.code)
            elsewhere.setdefault(region.full_name, []).append(name)
    return elsewhere, known_here


def _guess(locality: str) -> Region | None:
    try:
        return resolve_region(locality)
    except PlanImportError:
        return None


def _may_edit(request: HttpRequest, task: PlanTask) -> bool:
    """The coordinator and the task's lead department (row scope decides which is which)."""
    editable = PlanTask.objects.visible_to(request.user, "change").filter(pk=task.pk)
    return request.user.has_perm("plans.change_plantask") and editable.exists()


def _editable_task(request: HttpRequest, pk: int) -> PlanTask:
    task = readable_task(request.user, pk)
    if not _may_edit(request, task):
        raise PermissionDenied("只有协调员和发起部门可以修改本任务")
    return task


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every field of the task as the plan's table has it, and its population counted now."""
    task = readable_task(request.user, pk)
    scope = PopulationFilter.of_task(task)
    counts = risk_counts(scope)
    row = rows_from_stored([task])[0]
    context = {
        "task": task,
        "columns": COLUMNS,
        "row": row,
        "fields": list(zip([label for _, label in COLUMNS], row.cells, strict=True)),
        "scope": scope,
        "categories": task.scope_categories.order_by("name"),
        "regions": task.scope_regions.select_related("parent"),
        "strata": [(STRATUM_LABELS[s], n) for s, n in counts.items()],
        "total": sum(counts.values()),
        "flags": population_flags(task, counts, names_a_kind=scope.names_a_kind),
        "capacity_flags": task_capacity_flags(task, plan_capacity(task.plan)),
        "draws": task.draws.order_by("number").only("draw_id", "state", "number", "task_id"),
        "may_edit": _may_edit(request, task),
    }
    return render(request, "plans/task_detail.html", context)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _editable_task(request, pk)
    drawn = task.draws.exists()
    lock_lead = role_of(request.user) is not Role.COORDINATOR
    form = TaskForm(request.POST or None, instance=task, lock_drawn=drawn, lock_lead=lock_lead)
    if request.method == "POST" and form.is_valid():
        fields = [_model_field(name) for name in form.changed_data]
        changes = {name: form.cleaned_data[name] for name in fields}
        try:
            update_task(task, actor=request.user, changes=changes)
        except TaskLockedError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已保存。")
            return redirect("plans:task", pk=task.pk)
    return render(request, "plans/task_edit.html", {"task": task, "form": form, "drawn": drawn})


def _model_field(form_field: str) -> str:
    return "ratio_min" if form_field == "ratio_percent" else form_field


@login_required
def task_population(request: HttpRequest, pk: int) -> HttpResponse:
    """The population filter with suggestions from the scope text and counts that follow
    the form as it changes (HTMX, `population_count`). After a draw only a coordinator may
    change it, by giving a reason: that saves the filter and freezes a correcting draw."""
    task = _editable_task(request, pk)
    latest = task.draws.order_by("-number").first()
    may_redraw = latest is not None and request.user.has_perm("draws.change_draw")
    suggestions = suggest_scope(task)
    if request.method == "POST":
        form = PopulationForm(request.POST, task=task)
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = save_population(
                    task,
                    categories=data["scope_categories"],
                    regions=data["scope_regions"],
                    industry_codes=data["scope_industry_codes"],
                    statuses=data["scope_statuses"],
                    min_capital=data["scope_min_capital"],
                    actor=request.user,
                    redraw_reason=request.POST.get("reason", "") if may_redraw else "",
                )
            except TaskLockedError as error:
                messages.error(request, str(error))
            except DrawStepError as error:
                messages.error(request, str(error))
            else:
                if draw is not None:
                    messages.success(
                        request, f"已保存抽查对象范围，并冻结更正抽取 {draw.draw_id}。"
                    )
                    return redirect("draws:detail", pk=draw.pk)
                messages.success(request, "已保存抽查对象范围。")
                return redirect("plans:task", pk=task.pk)
    elif request.GET.get("apply") == "suggestions" and suggestions:
        form = PopulationForm(_suggested(task, suggestions), task=task)
    else:
        form = PopulationForm(initial=PopulationForm.initial_of(task), task=task)
    context = {
        "task": task,
        "form": form,
        "suggestions": suggestions,
        "suggested": _suggested_boxes(form, suggestions),
        "latest": latest,
        "may_redraw": may_redraw,
        **_counted(form, task),
    }
    return render(request, "plans/task_population.html", context)


def _suggested_boxes(form: PopulationForm, suggestions: Any) -> list[tuple[Any, str, str]]:
    """Each suggested category with its reason and the id of its checkbox in the form, so
    the suggestion is a label that ticks the box (and the count follows)."""
    boxes = {str(box.data["value"]): box.id_for_label for box in form["scope_categories"]}
    return [
        (category, suggestions.reasons[category.pk], boxes.get(str(category.pk), ""))
        for category in suggestions.categories
    ]


def _suggested(task: PlanTask, suggestions: Any) -> dict[str, Any]:
    """The saved filter with the suggestions added, as form data to review before saving."""
    initial = PopulationForm.initial_of(task)
    codes = [*initial["scope_industry_codes"].split(), *suggestions.industry_prefixes]
    return {
        "scope_categories": sorted(
            {c.pk for c in initial["scope_categories"]} | {c.pk for c in suggestions.categories}
        ),
        "scope_industry_codes": " ".join(dict.fromkeys(codes)),
        "scope_regions": [r.pk for r in initial["scope_regions"]],
        "scope_statuses": initial["scope_statuses"],
        "scope_min_capital": suggestions.min_capital or initial["scope_min_capital"] or "",
    }


@login_required
def population_count(request: HttpRequest, pk: int) -> HttpResponse:
    """The counts for the filter in the query string: the fragment the population page
    swaps in as the coordinator changes the form. One GROUP BY query."""
    task = readable_task(request.user, pk)
    form = PopulationForm(request.GET, task=task)
    return render(
        request, "plans/task_population.html#counts", {"task": task, **_counted(form, task)}
    )


def _counted(form: PopulationForm, task: PlanTask) -> dict[str, Any]:
    """Counts per stratum and flags for the form's filter: the bound form's if valid, the
    saved one's for an unbound form, none for an invalid one."""
    if form.is_bound and not form.is_valid():
        return {"strata": None, "total": None, "flags": []}
    scope = form.scope() if form.is_bound else PopulationFilter.of_task(task)
    counts = risk_counts(scope)
    return {
        "strata": [(STRATUM_LABELS[s], n) for s, n in counts.items()],
        "total": sum(counts.values()),
        "flags": population_flags(task, counts, names_a_kind=scope.names_a_kind),
    }


@login_required
def task_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the task as the audit chain recorded it: who, when, before → after."""
    task = readable_task(request.user, pk)
    return render(request, "plans/task_history.html", {"task": task, "rows": history_rows(task)})
