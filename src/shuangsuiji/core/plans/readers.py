"""Turn a plan file into a grid: rows of cell texts, plus the free text around the table.

Each format has its own reader; all of them expand merged cells (the text repeats in every
grid cell the merge covers), so the assembler sees one uniform shape. Limits keep a hostile
file (100 MB of text, a zip bomb posing as .xlsx, an XML entity bomb in a .docx) from
exhausting the server (`core.ooxml` checks a package before any library parses it).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any

from shuangsuiji.core.celltext import read_csv_text
from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.ooxml import OLE_SIGNATURE, package_problem
from shuangsuiji.core.plans.columns import header_keys
from shuangsuiji.core.plans.convert import convert_with_office
from shuangsuiji.core.plans.glued import read_glued
from shuangsuiji.core.plans.text import read_any_text, unwrap

MAX_FILE_BYTES = 20 * 1024 * 1024
FORMATS = (
    *(".txt", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".et"),
    *(".csv", ".html", ".htm", ".pdf"),
)


@dataclass
class Grid:
    rows: list[list[str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # paragraphs outside the table (the title)
    notes: list[str] = field(default_factory=list)  # how the reader mended the table (info)
    # The reader knows where each row ends (a line per row, or marked ends): a row shorter
    # than the header lost merged cells and is not a fragment to join to the next one.
    delimited: bool = False
    row_notes: dict[int, str] = field(default_factory=dict)  # row index → a warning on it


def read_grid(data: bytes, filename: str) -> Grid:
    """Dispatch on the file name's suffix; raise PlanFileError with a user-facing reason."""
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise PlanFileError(
            f"文件过大（{len(data) // (1024 * 1024)} MB）：计划文件不应超过 {limit} MB"
        )
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".txt":
        return read_text(decode(data))
    if suffix == ".csv":
        return read_csv(decode(data))
    if suffix in (".html", ".htm"):
        return read_html(decode_html(data))
    if suffix == ".xlsx":
        if data.startswith(OLE_SIGNATURE) and xls_or_none(data) is not None:
            return read_xls(data, ".xlsx")  # an old .xls renamed .xlsx, as WPS often saves
        return read_xlsx(data)
    if suffix == ".docx":
        return read_docx(data)
    if suffix in (".xls", ".et"):
        return read_xls(data, suffix)
    if suffix in (".doc", ".wps"):
        return read_legacy_document(data, suffix)
    if suffix == ".pdf":
        return read_pdf(data)
    raise PlanFileError(f"不支持的文件类型“{suffix or filename}”：请使用 {'、'.join(FORMATS)}")


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise PlanFileError("无法识别文件编码：请保存为 UTF-8 或 GBK 文本")


def decode_html(data: bytes) -> str:
    head = data[:2048].decode("ascii", errors="ignore").lower()
    if "charset=gb" in head or 'charset="gb' in head:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    return decode(data)


def read_text(text: str) -> Grid:
    """A table as text in any of the forms `core.plans.text` knows (Word's, tab-separated,
    ` | ` rows, one cell per paragraph, runs of spaces)."""
    found = read_any_text(text)
    if not any(header_keys(row) is not None for row in found.rows):
        found = read_glued(text)  # the last resort: cells that lost every separator
    return Grid(
        rows=found.rows,
        texts=found.texts,
        notes=found.notes,
        delimited=found.form != "word",
        row_notes=found.row_notes,
    )


def read_csv(text: str) -> Grid:
    """Rows of a CSV file; any line ending (\r\n, \n, a lone \r from old Macs) ends a row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return Grid(rows=[[read_csv_text(cell) for cell in row] for row in reader])
    except csv.Error as error:  # e.g. one quoted cell over the csv module's 128 KB limit
        raise PlanFileError(f"无法读取 CSV 文件：第 {reader.line_num} 行格式有误") from error


def _check_zip(data: bytes, kind: str) -> None:
    problem = package_problem(data, kind)
    if problem:
        raise PlanFileError(problem)


def read_xlsx(data: bytes) -> Grid:
    from openpyxl import load_workbook

    _check_zip(data, ".xlsx")
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many unrelated types for a damaged file
        # The library's own words are English and name internals; the log keeps them (from).
        raise PlanFileError("无法读取 .xlsx 文件：文件已损坏，或不是 Excel 工作簿") from error
    sheet = workbook.worksheets[0]
    values = [[_text(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        top = values[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                values[r][c] = top
    return Grid(rows=values)


def _text(value: object, number_format: str = "General") -> str:
    """A cell as Excel shows it: 30% typed into a cell is stored as 0.3 in a percent format."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        return f"{_text(round(value * 100, 6))}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_docx(data: bytes) -> Grid:
    from docx import Document

    _check_zip(data, ".docx")
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several types for a damaged package
        raise PlanFileError("无法读取 .docx 文件：文件已损坏，或不是 Word 文档") from error
    grid = Grid()
    body = document.element.body
    for child in body.iterchildren():
        tag = _local_name(child)
        if tag == "p":
            text = "".join(node.text or "" for node in child.iter() if _local_name(node) == "t")
            if text.strip():
                grid.texts.append(text.strip())
        elif tag == "tbl":
            from docx.table import Table

            table = Table(child, document)
            for row in table.rows:
                grid.rows.append([cell.text for cell in row.cells])
    return grid


def _local_name(node: object) -> str:
    """An element's tag without its namespace; "" for a comment or processing instruction,
    whose lxml tag is a function, not a string."""
    tag = getattr(node, "tag", None)
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


_BREAK = "\u2028"  # a line break the page asks for (<br>, <p>), as against one in its source
_CJK = "[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"
_WRAPPED = re.compile(rf"(?<={_CJK})[ \t\r\f]*\n[ \t\r\n\f]*(?={_CJK})")
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


def _cell_text(raw: str) -> str:
    """A cell's text as a browser shows it (CSS white-space: normal): a source line break
    between Chinese characters vanishes, other runs of white space become one space, and only
    <br> and paragraphs break lines."""
    text = _HTML_SPACE.sub(" ", _WRAPPED.sub("", raw))
    return "\n".join(line.strip() for line in text.split(_BREAK)).strip()


class _TableParser(HTMLParser):
    """Collects every table's rows (with rowspan/colspan expanded) and the page's headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.texts: list[str] = []
        self.page_titles: list[str] = []  # <title>: the browser tab, often with the site's name
        self._stack: list[tuple[list[list[str]], dict[tuple[int, int], str]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._heading: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._stack.append(([], {}))
        elif tag == "tr" and self._stack:
            self._finish_row()
            self._stack[-1][0].append([])
        elif tag in ("td", "th") and self._stack:
            values = dict(attrs)
            self._span = (_int(values.get("rowspan")), _int(values.get("colspan")))
            self._cell = []
        elif tag in ("br", "p", "div") and self._cell is not None:
            self._cell.append(_BREAK)
        elif tag in ("h1", "h2", "h3", "title"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._stack:
            self._place(_cell_text("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._stack:
            self._finish_row()
        elif tag == "table" and self._stack:
            self._finish_row()
            rows, _ = self._stack.pop()
            self.tables.append(rows)
        elif tag in ("h1", "h2", "h3", "title") and self._heading is not None:
            text = "".join(self._heading).strip()
            if text:
                (self.page_titles if tag == "title" else self.texts).append(text)
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._heading is not None:
            self._heading.append(data)

    def _place(self, text: str) -> None:
        rows, occupied = self._stack[-1]
        if not rows:
            rows.append([])
        r = len(rows) - 1
        row = rows[r]
        c = len(row)
        while (r, c) in occupied:
            row.append(occupied.pop((r, c)))
            c += 1
        rowspan, colspan = self._span
        for dc in range(colspan):
            row.append(text)
            for dr in range(1, rowspan):
                occupied[(r + dr, c + dc)] = text

    def _finish_row(self) -> None:
        """Cells merged down from above that end the row: no later <td> places them (the
        last columns, 发起部门 and 配合部门 merged over several tasks)."""
        rows, occupied = self._stack[-1]
        if not rows:
            return
        r = len(rows) - 1
        row = rows[r]
        while (r, len(row)) in occupied:
            row.append(occupied.pop((r, len(row))))

    def close(self) -> None:
        super().close()
        for rows, occupied in self._stack:  # unclosed tables in a damaged page
            self.tables.append(rows)
            del occupied


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def read_html(text: str) -> Grid:
    """A saved web page: its tables' rows; its headings, then <title>, as title candidates."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    grid = Grid(texts=parser.texts + parser.page_titles)
    for table in parser.tables:
        grid.rows.extend(table)
        grid.rows.append([])  # keep tables apart
    return grid


MAX_XLS_BYTES = 5 * 1024 * 1024  # xlrd holds a whole sheet as Python objects; plans are ~100 KB
MAX_SHEET_CELLS = 500_000
MAX_PDF_PAGES = 200


def xls_or_none(data: bytes) -> Any:
    """The xlrd workbook, or None where xlrd cannot read it (encrypted, damaged, not BIFF)."""
    import xlrd

    if len(data) > MAX_XLS_BYTES or not data.startswith(OLE_SIGNATURE):
        return None
    try:
        return xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except Exception:  # xlrd raises XLRDError, CompDocError, struct.error, AssertionError …
        return None


def read_xls(data: bytes, suffix: str = ".xls") -> Grid:
    """A BIFF workbook (.xls, and WPS's .et, which is the same format) by xlrd, merged cells
    expanded. A file xlrd cannot read (a newer .et, an .xlsx or a web page saved as .xls) goes
    to the reader its first bytes name, else to LibreOffice."""
    if data.startswith(b"PK"):
        return read_xlsx(data)
    if data.lstrip()[:1] == b"<":
        return read_html(decode_html(data))  # "Excel" files some systems export are HTML
    if len(data) > MAX_XLS_BYTES:
        raise PlanFileError(
            f"{suffix} 文件过大（超过 {MAX_XLS_BYTES // (1024 * 1024)} MB）："
            "请另存为 .xlsx 后再上传"
        )
    if not data.startswith(OLE_SIGNATURE):
        raise PlanFileError(f"文件不是有效的 {suffix}（可能已损坏或实为其他格式）")
    book = xls_or_none(data)
    if book is None:  # encrypted, or a BIFF variant xlrd does not know: LibreOffice may
        return read_xlsx(convert_with_office(data, suffix, "xlsx"))
    import xlrd

    sheet = book.sheet_by_index(0)
    if sheet.nrows * sheet.ncols > MAX_SHEET_CELLS:
        raise PlanFileError(f"{suffix} 工作表过大（{sheet.nrows} 行 × {sheet.ncols} 列）")
    values = [
        [_xls_text(book, sheet.cell(r, c), xlrd) for c in range(sheet.ncols)]
        for r in range(sheet.nrows)
    ]
    for top, bottom, left, right in sheet.merged_cells:
        if top >= len(values):
            continue
        text = values[top][left]
        for r in range(top, min(bottom, len(values))):
            for c in range(left, min(right, sheet.ncols)):
                values[r][c] = text
    return Grid(rows=values)


def _xls_text(book: Any, cell: Any, xlrd: Any) -> str:
    kind = cell.ctype
    value = cell.value
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_datetime(value, book.datemode)
        except Exception:  # a date before 1900 or out of range: keep the number
            return _text(value)
        return f"{moment.year}年{moment.month}月{moment.day}日"
    if kind == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[cell.xf_index]
        shown = book.format_map.get(xf.format_key)
        return _text(value, shown.format_str if shown else "General")
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return str(value)


def read_legacy_document(data: bytes, suffix: str) -> Grid:
    """.doc and .wps through LibreOffice to .docx; a .docx or a web page renamed .doc is read
    as what it is."""
    if data.startswith(b"PK"):
        return read_docx(data)
    if data.lstrip()[:1] == b"<":
        return read_html(decode_html(data))  # Word's "web page" saved as .doc
    if not data.startswith((OLE_SIGNATURE, b"{\\rtf")):
        raise PlanFileError(f"文件不是有效的 {suffix}（可能已损坏或实为其他格式）")
    return read_docx(convert_with_office(data, suffix, "docx"))


def read_pdf(data: bytes) -> Grid:
    """A PDF's tables by pdfplumber: ruled tables from the page's lines, cells a merge covers
    filled with the merged cell's text; a page with text but no ruled table is read as text
    laid out in columns. A scanned PDF has no text to read, and says so."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if not data.startswith(b"%PDF"):
        raise PlanFileError("无法读取 .pdf 文件：文件已损坏，或不是 PDF 文件")
    grid = Grid()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise PlanFileError(
                    f".pdf 文件页数过多（{len(pdf.pages)} 页）：计划文件不应超过 {MAX_PDF_PAGES} 页"
                )
            loose: list[str] = []
            any_text = False
            for page in pdf.pages:
                tables = page.find_tables()
                text = page.extract_text() or ""
                any_text = any_text or bool(text.strip())
                if not tables:
                    loose.append(page.extract_text(layout=True) or "")
                    continue
                outside = page
                for table in tables:
                    outside = outside.outside_bbox(table.bbox)
                    grid.rows.extend(_pdf_rows(table))
                grid.texts.extend(
                    line.strip()
                    for line in (outside.extract_text() or "").split("\n")
                    if line.strip()
                )
                page.close()
    except PlanFileError:
        raise
    except Exception as error:  # pdfminer raises many types for a bad file, some wrapped
        cause = error.args[0] if error.args else None
        if isinstance(error, PDFPasswordIncorrect) or isinstance(cause, PDFPasswordIncorrect):
            raise PlanFileError("PDF 文件设有打开密码：请取消密码后再上传") from error
        raise PlanFileError("无法读取 .pdf 文件：文件已损坏，或不是 PDF 文件") from error
    if not any_text:
        raise PlanFileError(
            "PDF 文件中没有文字（可能是扫描件）：请上传计划的 Word、Excel 或文字版 PDF"
        )
    if not grid.rows and any(text.strip() for text in loose):
        found = read_any_text("\n".join(loose))
        grid.notes.extend(found.notes)
        grid.texts.extend(found.texts)
        grid.rows.extend(found.rows)
        grid.notes.append("PDF 中的表格没有框线，已按文字的排列位置拆分单元格，请核对")
    return grid


def _pdf_rows(table: Any) -> list[list[str]]:
    """pdfplumber gives None for a grid position a merged cell covers; it takes the text of the
    cell whose box contains that position's centre (a merge down or across)."""
    texts = table.extract()
    rows = table.rows
    width = max((len(row.cells) for row in rows), default=0)
    columns: list[tuple[float, float] | None] = [None] * width
    for row in rows:
        for c, box in enumerate(row.cells):
            if box is not None and columns[c] is None:
                columns[c] = (box[0], box[2])
    boxes = [
        (box, texts[r][c] or "")
        for r, row in enumerate(rows)
        for c, box in enumerate(row.cells)
        if box is not None
    ]
    grid = []
    for r, row in enumerate(rows):
        out = []
        for c in range(width):
            text = texts[r][c] if c < len(texts[r]) else None
            text = unwrap(text) if text is not None else None
            if text is None:
                span = columns[c]
                x = (span[0] + span[1]) / 2 if span else None
                y = (row.bbox[1] + row.bbox[3]) / 2
                text = next(
                    (
                        found
                        for box, found in boxes
                        if x is not None and box[0] <= x <= box[2] and box[1] <= y <= box[3]
                    ),
                    "",
                )
            out.append(text)
        grid.append(out)
    return grid
