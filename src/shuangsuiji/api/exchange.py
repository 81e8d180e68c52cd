"""Data exchange with the registration, credit and publicity systems (issue 20, item 7), by the
services the command and the page use: preview a registration export or a month's classes,
then apply with the preview's fingerprint; and the published results in the publicity
system's layout (open data, no token)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from shuangsuiji.api.directory import _accept
from shuangsuiji.api.schemas import Error, ImportRejectedOut
from shuangsuiji.directory.registration import (
    Applied,
    Preview,
    PreviewOutdated,
    apply_registration,
    apply_risk_classes,
    preview_registration,
    preview_risk_classes,
)
from shuangsuiji.directory.services import ImportRejected
from shuangsuiji.disclosure.publicity import publicity_response

router = Router(tags=["数据交换"])
PREVIEW = "只检查并列出将要发生的变更（新增、变更、注销/吊销、无变化、未处理），不写入；"
APPLY = (
    "写入预览中的变更（fingerprint 为预览返回的指纹）；"
    "名录库在预览后有变化（或指纹不符）则 409、不写入。"
)


class AppliedOut(Schema):
    created: int
    changed: int
    deregistered: int


def _preview_answer(preview: Preview) -> Status:
    if preview.problems:
        return _rejected(preview.summary(shown=1_000)["problems"])
    return Status(200, preview.summary())


def _rejected(problems: list[dict[str, Any]]) -> Status:
    detail = f"未写入任何数据：{len(problems)}处问题"
    return Status(400, {"detail": detail, "errors": problems})


def _apply_answer(apply: Any) -> Status:
    try:
        applied: Applied = apply()
    except ImportRejected as error:
        return _rejected([vars(p) for p in error.problems])
    except PreviewOutdated as error:
        return Status(409, {"detail": str(error)})
    return Status(200, vars(applied))


@router.post(
    "/entities/registration/preview",
    response={200: dict[str, Any], 400: ImportRejectedOut, 403: Error, 413: Error},
    summary="预览登记系统导出文件将对名录库做的变更（CSV/.xls/.xlsx）",
    description=PREVIEW + "列名见 docs/open-data.md 的“数据交换”。",
)
def registration_preview(request: HttpRequest, file: File[UploadedFile]) -> Status:
    _accept(file)
    return _preview_answer(preview_registration(file, file.name or "", actor=request.user))


@router.post(
    "/entities/registration/apply",
    response={200: AppliedOut, 400: ImportRejectedOut, 403: Error, 409: Error, 413: Error},
    summary="写入登记系统导出文件的变更（须先预览）",
    description=APPLY,
)
def registration_apply(
    request: HttpRequest, file: File[UploadedFile], fingerprint: Form[str] = ""
) -> Status:
    _accept(file)
    return _apply_answer(
        lambda: apply_registration(
            file, file.name or "", actor=request.user, fingerprint=fingerprint
        )
    )


@router.post(
    "/entities/risk-classes/preview",
    response={200: dict[str, Any], 400: ImportRejectedOut, 403: Error, 413: Error},
    summary="预览月度信用风险分类文件（统一社会信用代码、信用风险分类、分类日期）",
    description=PREVIEW + "早于现有分类日期的行不改动。",
)
def risk_preview(request: HttpRequest, file: File[UploadedFile], source: Form[str] = "") -> Status:
    _accept(file)
    preview = preview_risk_classes(file, file.name or "", actor=request.user, source=source)
    return _preview_answer(preview)


@router.post(
    "/entities/risk-classes/apply",
    response={200: AppliedOut, 400: ImportRejectedOut, 403: Error, 409: Error, 413: Error},
    summary="写入月度信用风险分类（须先预览）",
    description=APPLY,
)
def risk_apply(
    request: HttpRequest,
    file: File[UploadedFile],
    fingerprint: Form[str] = "",
    source: Form[str] = "",
) -> Status:
    _accept(file)
    return _apply_answer(
        lambda: apply_risk_classes(
            file, file.name or "", actor=request.user, fingerprint=fingerprint, source=source
        )
    )


PUBLICITY = (
    "列：序号、统一社会信用代码、企业名称、检查实施机关、类型、日期、结果。"
    "查询参数同 GET /results（q、department、year、result）。见 docs/open-data.md。"
)


@router.get(
    "/results/publicity.csv",
    auth=None,
    summary="已公示的抽查结果，按国家企业信用信息公示系统“抽查检查结果信息”的列（CSV）",
    description=PUBLICITY,
)
def publicity_csv(
    request: HttpRequest, q: str = "", department: str = "", year: str = "", result: str = ""
) -> HttpResponse:
    filters = {"q": q, "department": department, "year": year, "result": result}
    return publicity_response(filters, "csv")


@router.get(
    "/results/publicity.xlsx",
    auth=None,
    summary="已公示的抽查结果，按国家企业信用信息公示系统“抽查检查结果信息”的列（.xlsx）",
    description=PUBLICITY,
)
def publicity_xlsx(
    request: HttpRequest, q: str = "", department: str = "", year: str = "", result: str = ""
) -> HttpResponse:
    filters = {"q": q, "department": department, "year": year, "result": result}
    return publicity_response(filters, "xlsx")
