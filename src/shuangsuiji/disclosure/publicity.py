"""Published results in the layout of the 国家企业信用信息公示系统's 抽查检查结果信息, for the
publicity system (or a provincial platform) to take in (issue 20, item 7).

The publicity system shows, on each company's page, a table 抽查检查结果信息 with the columns
序号、检查实施机关、类型、日期、结果 (the provincial implementation's template, e.g. the
Zhejiang publicity system's `table-pubscresult`, GuanzhouSong/ZhejiangMicroEnt on GitHub; and
the columns scrapers of qyxy.baic.gov.cn and gsxt.gov.cn read: 序号/检查实施机关/类型/日期/结果).
An exchange file holds many companies, so each row also names its company by 统一社会信用代码
and 企业名称, before the publicity system's own columns. 类型 is 抽查 (a random check, as
opposed to 检查); 日期 is the day of the check, written as the system shows it (2026年11月03日);
结果 is the result categories' names (未发现问题, 未按规定公示应当公示的信息 …) joined by "；".

Only published results are exported, by the same search as the public results page
(`services.search_published`): nothing a citizen could not already read.
"""

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from openpyxl import Workbook

from shuangsuiji.core.celltext import csv_text, xlsx_row
from shuangsuiji.disclosure.services import search_published
from shuangsuiji.inspections.models import Inspection

COLUMNS = ("序号", "统一社会信用代码", "企业名称", "检查实施机关", "类型", "日期", "结果")
KIND = "抽查"
XLSX_MAX_ROWS = 100_000  # an .xlsx is built in memory; more rows go to CSV
CHUNK = 2_000
CACHE_SECONDS = 300
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def publicity_rows(filters: Mapping[str, str]) -> Iterator[list[str]]:
    """The published results the public search finds, one row per result, newest first."""
    found = (
        search_published(filters)
        .select_related("visit__entity", "task__lead_department")
        .only(
            "inspected_on",
            "published_at",
            "visit__entity__name",
            "visit__entity__uscc",
            "task__lead_department__name",
        )
        .prefetch_related("results")
    )
    for number, inspection in enumerate(found.iterator(chunk_size=CHUNK), start=1):
        yield _row(number, inspection)


def _row(number: int, inspection: Inspection) -> list[str]:
    day = inspection.inspected_on
    department = inspection.task.lead_department
    return [
        str(number),
        inspection.visit.entity.uscc,
        inspection.visit.entity.name,
        department.name if department else "",
        KIND,
        f"{day.year}年{day.month:02d}月{day.day:02d}日" if day else "",
        "；".join(category.name for category in inspection.results.all()),
    ]


def publicity_csv(rows: Iterator[list[str]]) -> Iterator[str]:
    """CSV in UTF-8 with a byte-order mark (Excel opens it as such), streamed in chunks."""
    text = io.StringIO()
    writer = csv.writer(text)
    text.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_text(value) for value in row])
        if count % CHUNK == 0:
            yield text.getvalue()
            text.seek(0)
            text.truncate()
    yield text.getvalue()


class TooManyRows(ValueError):
    pass


def publicity_xlsx(rows: Iterator[list[str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("抽查检查结果信息")
    sheet.append(list(COLUMNS))
    for count, row in enumerate(rows, start=1):
        if count > XLSX_MAX_ROWS:
            raise TooManyRows(
                f"结果超过 {XLSX_MAX_ROWS} 条，Excel 文件放不下；请缩小查询范围，或下载 CSV"
            )
        sheet.append(xlsx_row(sheet, row))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def publicity_response(filters: Mapping[str, str], fmt: str) -> HttpResponse:
    """The file for the page's URL and the API alike: CSV streamed, .xlsx built in memory."""
    response: HttpResponse
    rows = publicity_rows(filters)
    if fmt == "csv":
        response = StreamingHttpResponse(
            publicity_csv(rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        try:
            response = HttpResponse(publicity_xlsx(rows), content_type=XLSX_TYPE)
        except TooManyRows as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    else:
        return HttpResponse("没有这种格式（csv 或 xlsx）", status=404)
    response["Content-Disposition"] = f'attachment; filename="publicity.{fmt}"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def publicity_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """/results/publicity.csv|xlsx: the public results search in the publicity layout."""
    return publicity_response(_filters(request.GET), fmt)


def _filters(query: Any) -> dict[str, str]:
    return {key: str(query.get(key, "")) for key in ("q", "department", "year", "result")}
