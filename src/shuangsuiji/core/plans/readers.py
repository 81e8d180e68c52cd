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

from shuangsuiji.core.celltext import read_csv_text
from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.ooxml import package_problem

MAX_FILE_BYTES = 20 * 1024 * 1024
FORMATS = (".txt", ".docx", ".xlsx", ".csv", ".html", ".htm")


@dataclass
class Grid:
    rows: list[list[str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # paragraphs outside the table (the title)


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
        return read_xlsx(data)
    if suffix == ".docx":
        return read_docx(data)
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
    """Text copied out of a Word table: a cell starts with a tab at the start of a line (after
    any spaces), runs on over lines that do not, and a blank line ends a row."""
    grid = Grid()
    row: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = raw.lstrip(" \u3000")
        if stripped.startswith("\t"):
            row.append(read_csv_text(stripped[1:]))
        elif not raw.strip():
            if row:
                grid.rows.append(row)
                row = []
        elif row:
            row[-1] = f"{row[-1]}\n{read_csv_text(raw)}"
        else:
            grid.texts.append(read_csv_text(raw.strip()))
    if row:
        grid.rows.append(row)
    return grid


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
        elif tag == "table" and self._stack:
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
