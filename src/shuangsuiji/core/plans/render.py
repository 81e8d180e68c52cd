"""A Plan back to the familiar table, to print and publish: text, csv, html, xlsx and docx.

Cells are written from the structured fields, not from task.source: a stored plan may have been
corrected after import, and the export must show the plan as corrected. Every format written is
one the parser reads, so an exported plan imports back to the same tasks.
"""

import csv
import html
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from shuangsuiji.core.celltext import csv_row, csv_text, set_xlsx_text, xlsx_row
from shuangsuiji.core.errors import ShuangsuijiError
from shuangsuiji.core.plans.columns import COLUMN_LABELS
from shuangsuiji.core.plans.fields import parse_risk_rule
from shuangsuiji.core.plans.model import Plan, PlanTask, RiskRule, RiskRuleKind, Window
from shuangsuiji.core.risk import RISK_LABELS

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell, _Row

DEFAULT_COLUMNS = (
    *("seq", "name", "items", "scope", "ratio", "risk", "window"),
    *("lead", "partners", "mode", "note"),
)
ESCALATE_TEXT = (
    "根据企业信用风险分类结果，对低风险、一般风险、较高风险、高风险企业分别递加抽查比例、频次。"
)
NO_RISK_RULE_TEXT = "无"
CLASS_LABELS = {risk_class.value: label for risk_class, label in RISK_LABELS.items()}
# Characters XML (docx, xlsx) cannot hold; Word's manual line break \v becomes a real one first.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Print widths of the xlsx columns, in characters; other columns get DEFAULT_WIDTH.
COLUMN_WIDTHS = {
    "seq": 6,
    "name": 24,
    "items": 40,
    "scope": 24,
    "ratio": 16,
    "ratio_count": 16,
    "risk": 30,
    "window": 14,
    "lead": 16,
    "partners": 24,
    "mode": 12,
}
DEFAULT_WIDTH = 14


# --- cell texts, shared by every format ---------------------------------------------------


def table_columns(plan: Plan) -> tuple[str, ...]:
    """The plan's known columns in its own order, once each; a plan without any gets the usual."""
    known = tuple(dict.fromkeys(key for key in plan.columns if key in COLUMN_LABELS))
    return known or DEFAULT_COLUMNS


def header_row(columns: tuple[str, ...]) -> list[str]:
    return [COLUMN_LABELS[key] for key in columns]


def task_row(task: PlanTask, columns: tuple[str, ...]) -> list[str]:
    return [clean(cell_text(key, task, columns)) for key in columns]


def cell_text(key: str, task: PlanTask, columns: tuple[str, ...]) -> str:
    """One cell, formatted from the task's fields; keys without a field fall back to the source."""
    ratio_key = next((k for k in columns if k in ("ratio", "ratio_count")), None)
    if key == ratio_key:
        return format_ratio(
            task,
            with_count="sample_count" not in columns,
            with_type="sampling_type" not in columns,
        )
    if key in ("ratio", "ratio_count"):
        return ""  # the second of two ratio columns: the first holds the whole text
    formatter = FIELD_TEXTS.get(key)
    return formatter(task) if formatter else task.source.get(key, "")


FIELD_TEXTS: dict[str, Callable[[PlanTask], str]] = {
    "seq": lambda task: "" if task.seq is None else str(task.seq),
    "name": lambda task: task.name,
    "items": lambda task: format_items(task.items),
    "scope": lambda task: task.scope,
    "sample_count": lambda task: "" if task.sample_count is None else str(task.sample_count),
    "sampling_type": lambda task: task.sampling_type or "",
    "risk": lambda task: format_risk(task.risk_rule),
    "window": lambda task: format_window(task.window),
    "lead": lambda task: task.lead_department,
    "partners": lambda task: format_partners(task.partner_departments, task.partners_open_ended),
    "mode": lambda task: task.mode.text if task.mode else "",
    "note": lambda task: task.note,
}


def clean(text: str) -> str:
    """Cell text every format can hold: no control characters, no tabs (they start a cell in
    the text format), no blank lines (they end a row there), no padding."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = _CONTROL.sub("", text).replace("\t", " ")
    return "\n".join(line.rstrip() for line in text.split("\n") if line.strip()).strip()


def format_items(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{number}.{item}" for number, item in enumerate(items, start=1))


def format_percent(ratio: float) -> str:
    """0.3 → "30%", 0.035 → "3.5%": the parser keeps six decimals of the fraction."""
    return f"{round(ratio * 100, 4):.4f}".rstrip("0").rstrip(".") + "%"


def format_ratio(task: PlanTask, *, with_count: bool, with_type: bool) -> str:
    """E.g. "不低于30%；1次/年", "5户", "10%（20户）；2次/年" (a count stated beside its ratio)."""
    parts: list[str] = []
    if with_type and task.sampling_type:
        parts.append(task.sampling_type)
    count = task.sample_count if with_count else None
    if task.ratio_min is not None:
        percent = format_percent(task.ratio_min)
        parts.append(f"{percent}（{count}户）" if count is not None else f"不低于{percent}")
    elif count is not None:
        parts.append(f"{count}户")
    if task.frequency_per_year:
        parts.append(f"{task.frequency_per_year}次/年")
    return "；".join(parts)


def format_risk(rule: RiskRule) -> str:
    """The rule's own text where it still says what the rule is; else the standard wording."""
    text = rule.text.strip()
    if text and _same_rule(parse_risk_rule(text), rule):
        return text
    if rule.kind is RiskRuleKind.ESCALATE:
        return ESCALATE_TEXT
    label = CLASS_LABELS.get(rule.risk_class or "")
    if rule.kind is RiskRuleKind.FIXED and label:
        return label
    if rule.kind is RiskRuleKind.NONE:
        return NO_RISK_RULE_TEXT
    return text


def _same_rule(read: RiskRule, rule: RiskRule) -> bool:
    return (read.kind, read.risk_class) == (rule.kind, rule.risk_class)


def format_window(window: Window) -> str:
    """As plans write it: 2023.03至2023.11, 2023.03起 (start only), 至2023.11, or empty."""
    start, end = _month(window.start), _month(window.end)
    if start and end:
        return f"{start}至{end}"
    if start:
        return f"{start}起"
    return f"至{end}" if end else ""


def _month(value: str | None) -> str:
    return value.replace("-", ".") if value else ""


def format_partners(partners: tuple[str, ...], open_ended: bool) -> str:
    return "、".join(partners) + ("等" if open_ended else "")


def table_rows(plan: Plan) -> tuple[list[str], list[list[str]]]:
    columns = table_columns(plan)
    return header_row(columns), [task_row(task, columns) for task in plan.tasks]


# --- formats ---------------------------------------------------------------------------------


def render_text(plan: Plan) -> str:
    """The text Word gives when its table is copied: a cell starts with a tab on a new line,
    runs on over lines without one, and a blank line ends the row.

    A spreadsheet opens such a file as tab-separated rows, one per line, so every line of a
    cell is written as a CSV field would be (a line starting with = gets a quote)."""
    header, rows = table_rows(plan)
    title = _text_lines(clean(plan.title))
    blocks = [title] if title else []
    for row in [header, *rows]:
        blocks.append("\n".join(f"\t{_text_lines(cell)}" for cell in row))
    return "\n\n".join(blocks) + "\n"


def _text_lines(text: str) -> str:
    return "\n".join(csv_text(line) for line in text.split("\n"))


def render_csv(plan: Plan) -> str:
    """The title in a row of its own above the header; save as UTF-8 with BOM for Excel.
    A cell starting with = (or another formula start) is written with a quote in front."""
    header, rows = table_rows(plan)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    title = clean(plan.title)
    if title:
        writer.writerow(csv_row([title]))
    writer.writerows(csv_row(row) for row in [header, *rows])
    return buffer.getvalue()


_HTML_STYLE = """
body { font-family: "Songti SC", SimSun, serif; margin: 1.5rem; }
h1 { font-size: 1.5rem; text-align: center; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: .3rem .4rem; vertical-align: top; text-align: left; }
thead th { text-align: center; background: #eee; }
@media print { @page { size: A4 landscape; } thead { display: table-header-group; } }
"""


def render_html(plan: Plan) -> str:
    """A complete page: the title as <h1>, the table labelled by it, headed columns and rows."""
    columns = table_columns(plan)
    header, rows = table_rows(plan)
    title = html.escape(clean(plan.title) or "抽查工作计划")
    head_cells = "".join(f'<th scope="col">{_html_cell(text)}</th>' for text in header)
    names_at = columns.index("name") if "name" in columns else -1
    body = "\n".join(_html_row(row, names_at) for row in rows)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_HTML_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f'<h1 id="plan-title">{title}</h1>\n<table aria-labelledby="plan-title">\n'
        f"<thead>\n<tr>{head_cells}</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n"
        "</table>\n</main>\n</body>\n</html>\n"
    )


def _html_row(row: list[str], names_at: int) -> str:
    """The task's name heads its row, so a screen reader says which task a cell belongs to."""
    cells = (
        f'<th scope="row">{_html_cell(text)}</th>'
        if index == names_at
        else f"<td>{_html_cell(text)}</td>"
        for index, text in enumerate(row)
    )
    return "<tr>" + "".join(cells) + "</tr>"


def _html_cell(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def render_xlsx(plan: Plan) -> bytes:
    """A sheet to print: title merged over the table, header repeated on every page, landscape."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    columns = table_columns(plan)
    header, rows = table_rows(plan)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "抽查计划"
    title = clean(plan.title)
    if title:
        sheet.append(xlsx_row(sheet, [title]))
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        sheet.cell(1, 1).font = Font(bold=True, size=16)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 32
    header_at = sheet.max_row + 1 if title else 1
    edge = Side(style="thin")
    border = Border(left=edge, right=edge, top=edge, bottom=edge)
    heading = Alignment(wrap_text=True, horizontal="center", vertical="center")
    body = Alignment(wrap_text=True, vertical="center")
    for offset, row in enumerate([header, *rows]):
        for index, (key, text) in enumerate(zip(columns, row, strict=True), start=1):
            cell = sheet.cell(header_at + offset, index)
            _set_xlsx_value(cell, text, numeric=offset > 0 and key == "seq")
            cell.border = border
            cell.alignment = body if offset else heading
            if not offset:
                cell.font = Font(bold=True)
    _set_xlsx_layout(sheet, columns, header_at)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _set_xlsx_value(cell: Any, text: str, *, numeric: bool) -> None:
    """Numbers as numbers (a sortable 序号); all other text as text, never as a formula."""
    if numeric and text.isdigit():
        cell.value = int(text)
        return
    set_xlsx_text(cell, text)


def _set_xlsx_layout(sheet: Any, columns: tuple[str, ...], header_at: int) -> None:
    """Fit the columns to one landscape A4 page width and repeat the header on every page."""
    from openpyxl.utils import get_column_letter

    for index, key in enumerate(columns, start=1):
        width = COLUMN_WIDTHS.get(key, DEFAULT_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_at}:{header_at}"
    sheet.freeze_panes = f"A{header_at + 1}"


def render_docx(plan: Plan) -> bytes:
    """A Word document to print: landscape A4, a centred title, the header row repeated."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    columns = table_columns(plan)
    header, rows = table_rows(plan)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(15)
    _set_docx_font(document)
    title = clean(plan.title)
    if title:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(title)
        run.bold = True
        run.font.size = Pt(16)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    widths = [Mm(267 * share) for share in _width_shares(columns)]  # 297 mm less margins
    _repeat_as_header(table.rows[0])
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
        _fill_docx_cell(cell, text, bold=True)
        cell.width = width
    for row in rows:
        for cell, text, width in zip(table.add_row().cells, row, widths, strict=True):
            _fill_docx_cell(cell, text)
            cell.width = width
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _width_shares(columns: tuple[str, ...]) -> list[float]:
    """Each column's share of the page width, in the proportions of the xlsx columns."""
    widths = [COLUMN_WIDTHS.get(key, DEFAULT_WIDTH) for key in columns]
    return [width / sum(widths) for width in widths]


def _set_docx_font(document: "DocxDocument") -> None:
    """Chinese text in 宋体 at 10.5 pt (五号), the size official tables use."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def _repeat_as_header(row: "_Row") -> None:
    """Mark the row w:tblHeader, so Word repeats it at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _fill_docx_cell(cell: "_Cell", text: str, *, bold: bool = False) -> None:
    """One paragraph per line, as a person types it in Word."""
    lines = text.split("\n")
    paragraphs = [cell.paragraphs[0], *(cell.add_paragraph() for _ in lines[1:])]
    for paragraph, line in zip(paragraphs, lines, strict=True):
        if line:
            paragraph.add_run(line).bold = bold


RENDERERS: dict[str, Callable[[Plan], bytes]] = {
    ".txt": lambda plan: render_text(plan).encode("utf-8"),
    ".csv": lambda plan: render_csv(plan).encode("utf-8-sig"),
    ".html": lambda plan: render_html(plan).encode("utf-8"),
    ".xlsx": render_xlsx,
    ".docx": render_docx,
}


def render_file(plan: Plan, suffix: str) -> bytes:
    """The plan as a file of the given type (".docx"); the bytes a download or a disk gets."""
    try:
        renderer = RENDERERS[suffix.lower()]
    except KeyError:
        raise ShuangsuijiError(f"不支持导出为“{suffix}”：可选 {'、'.join(RENDERERS)}") from None
    return renderer(plan)
