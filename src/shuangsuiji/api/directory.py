"""Entity import: the same all-or-nothing importer as the CLI and the import page; every
problem named by row, column and value."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from shuangsuiji.api.schemas import Error, ImportOut, ImportRejectedOut
from shuangsuiji.directory.forms import MAX_UPLOAD_BYTES
from shuangsuiji.directory.services import ImportRejected, import_entities_file

router = Router(tags=["两库一单"])


@router.post(
    "/entities/import",
    response={201: ImportOut, 400: ImportRejectedOut, 403: Error, 413: Error},
    summary="导入检查对象（.xlsx 或 .csv，全部无误才写入）",
    description=(
        "列名见 docs/architecture.md 的“Import format”；"
        "有任何问题则不写入，逐条返回行号、列名、取值和原因。"
    ),
)
def import_entities(request: HttpRequest, file: File[UploadedFile]) -> Status:
    if not request.user.has_perm("directory.add_entity"):
        raise PermissionDenied("只有协调员可以导入检查对象")
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise HttpError(413, f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    try:
        result = import_entities_file(file, file.name or "upload")
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
