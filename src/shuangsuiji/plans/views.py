"""Plan list and page, and the upload → preview → confirm import a coordinator does."""

import re
import uuid
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from shuangsuiji.accounts.permissions import regions_in_jurisdiction
from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.directory.models import Region
from shuangsuiji.plans.exporters import FORMATS, export_plan
from shuangsuiji.plans.forms import PlanUploadForm
from shuangsuiji.plans.models import Plan
from shuangsuiji.plans.presenters import COLUMNS, rows_from_parsed, rows_from_stored
from shuangsuiji.plans.services import PlanImportError, import_plan, resolve_region

UPLOADS = "plan-uploads"
TOKEN_SALT = "plans.upload"
TOKEN_MAX_AGE = 3600
CELL_FIELD = re.compile(r"cell-(\d{1,4})-([a-z_]{2,20})")


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
    tasks = plan.tasks.order_by("position")
    context = {
        "plan": plan,
        "columns": COLUMNS,
        "rows": rows_from_stored(tasks),
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
    """Step 1: the file is stored and parsed; the preview shows every finding on its cell."""
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = PurePath(upload.name).name
        data = upload.read()
        try:
            parsed = parse_plan(data, name, year=form.cleaned_data["year"])
        except PlanFileError as error:
            form.add_error("file", str(error))
        else:
            path = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}/{name}", ContentFile(data))
            token = signing.dumps(
                {"path": path, "year": form.cleaned_data["year"]}, salt=TOKEN_SALT
            )
            return render(
                request,
                "plans/plan_preview.html",
                {
                    "parsed": parsed,
                    "columns": COLUMNS,
                    "rows": rows_from_parsed(parsed),
                    "token": token,
                    "regions": _regions(request),
                    "region": _guess(parsed.locality),
                    "filename": name,
                },
            )
    return render(request, "plans/plan_upload.html", {"form": form})


@login_required
@permission_required("plans.add_plan", raise_exception=True)
@require_POST
def plan_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the stored upload is parsed again and imported in one transaction."""
    try:
        upload = signing.loads(
            request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, "上传已过期或无效，请重新上传计划文件。")
        return redirect("plans:upload")
    region = _regions(request).filter(code=request.POST.get("region", "")).first()
    if region is None:
        messages.error(request, "请选择计划所属的行政区划。")
        return redirect("plans:upload")
    path = upload["path"]
    with default_storage.open(path, "rb") as file:
        data = file.read()
    try:
        parsed = parse_plan(
            data, PurePath(path).name, year=upload["year"], corrections=_corrections(request)
        )
        plan = import_plan(
            parsed,
            filename=PurePath(path).name,
            region=region,
            actor=request.user,
            replace=request.POST.get("replace") == "on",
        )
    except (PlanFileError, PlanImportError) as error:
        messages.error(request, str(error))
        return redirect("plans:upload")
    default_storage.delete(path)
    messages.success(request, f"已导入“{plan.title}”，共 {plan.tasks.count()} 项任务。")
    return redirect("plans:detail", pk=plan.pk)


def _regions(request: HttpRequest) -> QuerySet[Region]:
    return regions_in_jurisdiction(
        Region.objects.select_related("parent").order_by("code"), request.user
    )


def _corrections(request: HttpRequest) -> dict[tuple[int, str], str]:
    """Cells corrected in the preview: fields named cell-<task position>-<column key>."""
    corrections = {}
    for name, value in request.POST.items():
        match = CELL_FIELD.fullmatch(name)
        if match:
            corrections[(int(match[1]), match[2])] = value
    return corrections


def _guess(locality: str) -> Region | None:
    try:
        return resolve_region(locality)
    except PlanImportError:
        return None
