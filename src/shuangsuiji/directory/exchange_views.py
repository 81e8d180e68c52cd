"""The data-exchange page: upload a registration export or a month's class file, see what it
would change, confirm. The same services as `shuangsuiji exchange` and the API
(`directory.registration`), which decide who may.

The uploaded file waits in the storage between the preview and the confirmation; the page
names it by a key kept in the user's session (never a path from the form), and the
confirmation writes only the changes whose fingerprint the preview showed."""

import uuid
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shuangsuiji.directory.registration import (
    MAX_FILE_BYTES,
    Preview,
    PreviewOutdated,
    apply_registration,
    apply_risk_classes,
    preview_registration,
    preview_risk_classes,
)
from shuangsuiji.directory.services import ImportRejected, import_jurisdiction

UPLOADS = "exchange-uploads"
SESSION_KEY = "directory-exchange"
KINDS = {"registration": "登记系统导出（名录库增量更新）", "risk": "月度信用风险分类"}
SUFFIXES = (".csv", ".xls", ".xlsx")


@login_required
def exchange(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST step=preview: store and preview. POST step=confirm: write."""
    import_jurisdiction(request.user)  # PermissionDenied (403) for one who may not
    context: dict[str, Any] = {"kinds": KINDS}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request)
    if request.method == "POST":
        kind, upload = request.POST.get("kind", ""), request.FILES.get("file")
        error = _upload_error(kind, upload)
        if error:
            context["error"] = error
            return render(request, "directory/exchange.html", context, status=400)
        name = PurePath(upload.name or "upload").name[-100:]
        path = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}/{name}", File(upload, name))
        _forget(request)
        request.session[SESSION_KEY] = {"path": path, "name": name, "kind": kind}
        with default_storage.open(path, "rb") as file:
            preview = _preview(kind, file, name, request.user)
        context.update(kind=kind, filename=name, summary=preview.summary())
    return render(request, "directory/exchange.html", context)


def _upload_error(kind: str, upload: Any) -> str:
    """Why the upload cannot be previewed; "" when it can."""
    if kind not in KINDS:
        return "请选择文件类型"
    if upload is None:
        return "请选择文件"
    if PurePath(upload.name or "").suffix.lower() not in SUFFIXES:
        return "请上传 .csv、.xls 或 .xlsx 文件"
    if upload.size > MAX_FILE_BYTES:
        return f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请分成几个文件"
    return ""


def _preview(kind: str, file: Any, name: str, user: Any) -> Preview:
    if kind == "registration":
        return preview_registration(file, name, actor=user)
    return preview_risk_classes(file, name, actor=user, source=f"信用风险分类文件：{name}")


def _confirm(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.error(request, "没有待确认的文件（可能已写入或已过期），请重新上传")
        return redirect("directory:exchange")
    fingerprint = request.POST.get("fingerprint", "")
    name, kind = stored["name"], stored["kind"]
    try:
        with default_storage.open(stored["path"], "rb") as file:
            if kind == "registration":
                applied = apply_registration(
                    file, name, actor=request.user, fingerprint=fingerprint
                )
            else:
                source = f"信用风险分类文件：{name}"
                applied = apply_risk_classes(
                    file, name, actor=request.user, fingerprint=fingerprint, source=source
                )
    except (ImportRejected, PreviewOutdated) as error:
        messages.error(
            request,
            str(error) if isinstance(error, PreviewOutdated) else "文件有问题，未写入任何数据",
        )
        _forget(request)
        return redirect("directory:exchange")
    _forget(request)
    messages.success(
        request,
        f"已写入：新增 {applied.created} 户，变更 {applied.changed} 户，"
        f"注销/吊销 {applied.deregistered} 户。",
    )
    return redirect("directory:exchange")


def _forget(request: HttpRequest) -> None:
    stored = request.session.pop(SESSION_KEY, None)
    if stored:
        default_storage.delete(stored["path"])
