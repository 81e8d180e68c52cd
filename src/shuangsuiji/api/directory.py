"""Entity import: the same all-or-nothing importer as the CLI and the import page; every
problem named by row, column and value. Small files in the request (`/entities/import`);
large ones in the background (`/entities/imports`), polled like the import page."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Path, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from shuangsuiji.api.schemas import Error, Id, ImportJobOut, ImportOut, ImportRejectedOut
from shuangsuiji.directory.forms import MAX_UPLOAD_BYTES
from shuangsuiji.directory.import_jobs import reap, start_import
from shuangsuiji.directory.models import EntityImport
from shuangsuiji.directory.services import ImportRejected, import_entities_file

router = Router(tags=["两库一单"])
FORMAT = "列名见 docs/architecture.md 的“Import format”；"


def _accept(file: UploadedFile) -> None:
    """Who may import is the service's rule (`import_jurisdiction`); here only the size."""
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise HttpError(413, f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")


@router.post(
    "/entities/import",
    response={201: ImportOut, 400: ImportRejectedOut, 403: Error, 413: Error},
    summary="导入检查对象（.xlsx 或 .csv，全部无误才写入）",
    description=(
        f"{FORMAT}有任何问题则不写入，逐条返回行号、列名、取值和原因。"
        "在本次请求内完成；上万行的文件请用 POST /entities/imports（后台导入）。"
    ),
)
def import_entities(request: HttpRequest, file: File[UploadedFile]) -> Status:
    _accept(file)
    try:
        result = import_entities_file(file, file.name or "upload", actor=request.user)
    except ImportRejected as error:
        problems = error.problems
        return Status(
            400,
            {
                "detail": f"导入失败，未写入任何数据：{len(problems)}处问题",
                "errors": [
                    {"row": p.row, "column": p.column, "value": p.value, "message": p.message}
                    for p in problems
                ],
            },
        )
    return Status(201, {"created": result.created})


@router.post(
    "/entities/imports",
    response={202: ImportJobOut, 403: Error, 413: Error},
    summary="后台导入检查对象（先检查，全部无误即写入）",
    description=(
        f"{FORMAT}文件交给后台任务：先逐行检查，没有问题则在一个事务中写入，"
        "有任何问题则不写入。返回的导入记录可用 GET /entities/imports/{pk} 查询进度与结果。"
    ),
)
def start_entity_import(request: HttpRequest, file: File[UploadedFile]) -> Status:
    _accept(file)
    job = start_import(file, file.name or "upload", actor=request.user, confirm_when_checked=True)
    return Status(202, job_out(job))


@router.get(
    "/entities/imports/{pk}",
    response={200: ImportJobOut, 403: Error, 404: Error},
    summary="一次导入的进度与结果（问题逐条列出）",
)
def entity_import(request: HttpRequest, pk: Path[Id]) -> dict[str, Any]:
    if not request.user.has_perm("directory.view_entityimport"):
        raise PermissionDenied("只有协调员和审计员可以查看导入记录")
    return job_out(reap(get_object_or_404(EntityImport.objects.visible_to(request.user), pk=pk)))


def job_out(job: EntityImport) -> dict[str, Any]:
    return {
        "id": job.pk,
        "filename": job.filename,
        "status": job.status,
        "status_label": job.get_status_display(),
        "total_rows": job.rows_to_check,
        "checked_rows": job.checked_rows,
        "created": job.created_count,
        "problem_count": job.problem_count,
        "problems": job.problems,
        "message": job.message,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }
