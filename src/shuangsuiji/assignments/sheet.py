"""The printable 检查任务单 of a joint visit — team, entity, tasks, items and legal basis — as
.docx (python-docx) or PDF (fpdf2 with a CJK font from the system or PDF_FONT)."""

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from fpdf import FPDF
from fpdf.fonts import FontFace

from shuangsuiji.assignments.models import Visit

DOCX_FONT = "SimSun"
TITLE = "部门联合“双随机、一公开”抽查检查任务单"
NOTICE = (
    "检查人员应出示执法证件，与检查对象存在利害关系的应当回避。"
    "检查结果将依法通过国家企业信用信息公示系统向社会公示。"
)
SIGNATURES = "检查人员签名：＿＿＿＿＿＿    检查对象签字（盖章）：＿＿＿＿＿＿    日期：＿＿＿＿"
# (path, index in a font collection): Simplified Chinese faces of common Debian font packages.
SYSTEM_FONTS = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
]


class NoChineseFont(RuntimeError):
    """No font with Chinese glyphs to draw a PDF with."""


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Sheet:
    """A printable one-visit document: title, lines, tables, closing paragraphs."""

    lines: list[str]
    tables: list[Table]
    title: str = TITLE
    closing: list[str] = field(default_factory=lambda: [NOTICE, SIGNATURES])
    image: bytes | None = None  # a PNG after the lines (the notice's inspection code)


def sheet_content(visit: Visit, items: list[dict[str, str]]) -> Sheet:
    """What the task sheet says, whatever the format."""
    entity = visit.entity
    members = visit.members.select_related("inspector", "department").order_by("slot")
    window = f"{visit.window_start} 至 {visit.window_end}"
    return Sheet(
        lines=[
            f"计划：{visit.assignment.plan.title}",
            f"检查编号：{visit.code}    分派编号：{visit.assignment.assignment_id}",
        ],
        tables=[
            Table(
                "检查对象",
                ["名称", "统一社会信用代码", "住所", "检查时间"],
                [[entity.name, entity.uscc, entity.address, window]],
            ),
            Table(
                "检查组",
                ["角色", "姓名", "所属部门", "执法证号"],
                [
                    [m.role, m.inspector.name, m.department.short_name, m.inspector.certificate_no]
                    for m in members
                ],
            ),
            Table(
                "检查事项",
                ["抽查任务", "检查事项", "部门", "检查方式", "检查依据"],
                [[i["task"], i["name"], i["department"], i["method"], i["basis"]] for i in items],
            ),
        ],
    )


def task_sheet_docx(sheet: Sheet) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)  # type: ignore[union-attr]
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(sheet.title)
    run.bold, run.font.size = True, Pt(16)
    for line in sheet.lines:
        document.add_paragraph(line)
    if sheet.image:
        document.add_picture(BytesIO(sheet.image), width=Cm(3))
    for table in sheet.tables:
        document.add_paragraph(table.title)
        add_docx_table(document, table)
    for paragraph in sheet.closing:
        document.add_paragraph(paragraph)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def chinese_font() -> tuple[str, int]:
    """PDF_FONT (a .ttf/.otf/.ttc path, optionally "path#index"), or the first system font."""
    if settings.PDF_FONT:
        path, _, index = settings.PDF_FONT.partition("#")
        if not Path(path).is_file():
            raise NoChineseFont(f"PDF_FONT 指定的字体文件不存在：{path}")
        return path, int(index or 0)
    for path, index in SYSTEM_FONTS:
        if Path(path).is_file():
            return path, index
    raise NoChineseFont("未找到中文字体：请安装 fonts-noto-cjk，或用 PDF_FONT 指定字体文件")


def task_sheet_pdf(sheet: Sheet) -> bytes:
    path, index = chinese_font()
    pdf = FPDF(format="A4")
    pdf.set_title(sheet.title)
    pdf.add_page()
    for style in ("", "B"):  # the same face for headings: CJK collections rarely pair a bold
        pdf.add_font("cjk", style, path, collection_font_number=index)
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 10, sheet.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10.5)
    for line in sheet.lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    if sheet.image:
        pdf.image(BytesIO(sheet.image), w=30)
    for table in sheet.tables:
        pdf.ln(2)
        pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
        with pdf.table(headings_style=FontFace(emphasis=None, fill_color=(235, 235, 235))) as grid:
            for row in [table.header, *table.rows]:
                cells = grid.row()
                for text in row:
                    cells.cell(str(text or ""))
    for paragraph in sheet.closing:
        pdf.ln(3)
        pdf.multi_cell(0, 7, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


SHEET_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def sheet_response(sheet: Sheet, kind: str, filename: str) -> HttpResponse:
    """A sheet as a .docx or PDF download; 404 for another kind, 503 naming the missing font."""
    if kind not in SHEET_TYPES:
        raise Http404("没有这种格式")
    try:
        data = task_sheet_pdf(sheet) if kind == "pdf" else task_sheet_docx(sheet)
    except NoChineseFont as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=SHEET_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


def add_docx_table(document: Any, table: Table) -> None:
    """A bordered Word table with a bold header row (task sheet, notice, annual report)."""
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = str(text or "")
