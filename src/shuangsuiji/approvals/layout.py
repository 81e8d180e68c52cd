"""The 公文 layout of GB/T 9704-2012 for a `Sheet` (the task sheet's document abstraction,
`assignments.sheet`): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the title
in 小标宋 二号 (22 pt), centred; the body in 仿宋 三号 (16 pt), 22 lines a page (a fixed line
pitch of 28.95 pt); tables in 仿宋 小四 (12 pt), which the standard allows for tables.

Word gets the fonts by name (仿宋_GB2312, 方正小标宋简体, as government machines have them; an
office suite without them substitutes, keeping the sizes and the margins). The PDF is drawn
with the CJK font the task sheet uses (`assignments.sheet.chinese_font`), at the same sizes
and margins."""

from io import BytesIO

from django.http import Http404, HttpResponse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from fpdf import FPDF
from fpdf.fonts import FontFace

from shuangsuiji.assignments.sheet import (
    SHEET_TYPES,
    NoChineseFont,
    Sheet,
    add_docx_table,
    chinese_font,
)

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 12  # 小四
LINE_PT = 28.95  # 22 lines in the 225 mm of text height
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
PT_MM = 25.4 / 72


def gongwen_docx(sheet: Sheet) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = document.styles["Normal"]
    _font(normal.element, normal.font, BODY_FONT, BODY_PT)  # type: ignore[attr-defined]
    spacing = normal.paragraph_format  # type: ignore[attr-defined]
    spacing.line_spacing_rule, spacing.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    spacing.space_before = spacing.space_after = Pt(0)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(TITLE_PT * 1.5)
    run = title.add_run(sheet.title)
    run.font.size = Pt(TITLE_PT)
    run.font.name = TITLE_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TITLE_FONT)
    for line in sheet.lines:
        document.add_paragraph(line)
    if sheet.image:
        document.add_picture(BytesIO(sheet.image), width=Cm(3))
        picture = document.paragraphs[-1].paragraph_format  # an exact pitch would clip it
        picture.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for table in sheet.tables:
        document.add_paragraph(table.title)
        add_docx_table(document, table)
        grid = document.tables[-1]
        for row in grid.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                    for cell_run in paragraph.runs:
                        cell_run.font.size = Pt(TABLE_PT)
    for paragraph in sheet.closing:
        document.add_paragraph(paragraph)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _font(element: object, font: object, name: str, size: int) -> None:
    font.name = name  # type: ignore[attr-defined]
    font.size = Pt(size)  # type: ignore[attr-defined]
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # type: ignore[attr-defined]


def gongwen_pdf(sheet: Sheet) -> bytes:
    path, index = chinese_font()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
    pdf.set_title(sheet.title)
    for style in ("", "B"):
        pdf.add_font("cjk", style, path, collection_font_number=index)
    pdf.add_page()
    pitch = LINE_PT * PT_MM
    pdf.set_font("cjk", size=TITLE_PT)
    pdf.multi_cell(0, TITLE_PT * 1.5 * PT_MM, sheet.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=BODY_PT)
    for line in sheet.lines:
        pdf.multi_cell(0, pitch, line, align="L", new_x="LMARGIN", new_y="NEXT")
    if sheet.image:
        pdf.image(BytesIO(sheet.image), w=30)
    for table in sheet.tables:
        pdf.set_font("cjk", size=BODY_PT)
        pdf.multi_cell(0, pitch, table.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=TABLE_PT)
        with pdf.table(
            headings_style=FontFace(emphasis=None, fill_color=(235, 235, 235)),
            line_height=TABLE_PT * 1.4 * PT_MM,
        ) as grid:
            for row in [table.header, *table.rows]:
                cells = grid.row()
                for text in row:
                    cells.cell(str(text or ""))
    pdf.set_font("cjk", size=BODY_PT)
    for paragraph in sheet.closing:
        pdf.multi_cell(0, pitch, paragraph, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def gongwen_response(sheet: Sheet, kind: str, filename: str) -> HttpResponse:
    """The sheet as a .docx or PDF download; 404 for another kind, 503 naming a missing font."""
    if kind not in SHEET_TYPES:
        raise Http404("没有这种格式")
    try:
        data = gongwen_pdf(sheet) if kind == "pdf" else gongwen_docx(sheet)
    except NoChineseFont as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=SHEET_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response
