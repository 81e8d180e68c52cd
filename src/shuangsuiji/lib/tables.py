"""Read a spreadsheet-like file (.xlsx, .xls or .csv) into header-keyed rows of text.

Row numbers are the ones a user sees in Excel (header on row 1, data from row 2), so error
messages can point at a cell. A cell longer than MAX_CELL_CHARS or holding a NUL character is
refused here, naming its row and column: no field of the directory is that long, and
PostgreSQL cannot store a NUL in text at all (it would fail the write, not the check).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import count
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from shuangsuiji.core.celltext import read_csv_text
from shuangsuiji.core.ooxml import package_problem

MAX_CELL_CHARS = 2_000
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024  # a directory of a million rows unpacks to ~280 MB
# openpyxl holds the shared strings (every distinct text of the workbook) in memory, even in
# read-only mode: a million entities' names, addresses and representatives are ~180 MB of XML.
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024
MAX_ROWS = 1_200_000  # a county's directory has tens of thousands; a province's is split


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]


class TableError(ValueError):
    """The file cannot be read as a table (wrong type, no header, undecodable text, a cell
    that cannot be taken). `row` and `column` say where, when the fault is in one cell."""

    def __init__(self, reason: str, *, row: int = 0, column: str = "") -> None:
        self.reason, self.row, self.column = reason, row, column
        where = f"第{row}行“{column}”列：" if row and column else f"第{row}行：" if row else ""
        super().__init__(f"{where}{reason}")


def read_table(file: IO[bytes], filename: str) -> Table:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        records = _xlsx_records(file)
    elif suffix == ".csv":
        records = _csv_records(file)
    elif suffix == ".xls":
        records = _xls_records(file)
    else:
        raise TableError(f"不支持的文件类型“{suffix or filename}”：请上传 .xlsx、.xls 或 .csv 文件")
    return _rows(records)


def _rows(records: Iterator[list[str]]) -> Table:
    header: list[str] | None = None
    rows: list[Row] = []
    for number, values in enumerate(records, start=1):
        if number > MAX_ROWS + 1:
            raise TableError(f"行数超过 {MAX_ROWS:,} 行的上限：请分成几个文件导入", row=number)
        if header is None:
            header = [value.strip() for value in values]
            for position, name in enumerate(header, start=1):
                _check_cell(name, number, f"第{position}列")
            if not any(header):
                raise TableError("第1行应为表头（列名），但它是空的")
            continue
        if not any(value.strip() for value in values):
            continue
        padded = values + [""] * (len(header) - len(values))
        cells = {name: padded[i].strip() for i, name in enumerate(header) if name}
        for name, text in cells.items():
            _check_cell(text, number, name)
        rows.append(Row(number, cells))
    if header is None:
        raise TableError("文件是空的")
    return Table(header, rows)


def _check_cell(text: str, row: int, column: str) -> None:
    if len(text) > MAX_CELL_CHARS:
        reason = f"内容过长（{len(text)}个字符，一个单元格最多{MAX_CELL_CHARS}个字符）"
        raise TableError(reason, row=row, column=column)
    if "\x00" in text:
        reason = "含有空字符（NUL，\\x00），文件可能已损坏或不是文本文件"
        raise TableError(reason, row=row, column=column)


def _xlsx_records(file: IO[bytes]) -> Iterator[list[str]]:
    data = file.read()
    problem = package_problem(
        data,
        ".xlsx",
        max_unzipped=MAX_UNZIPPED_BYTES,
        member_limits={"xl/sharedStrings.xml": MAX_SHARED_STRINGS_BYTES},
    )
    if problem:
        raise TableError(problem)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a damaged file
        # Its own words are English and name internals; the log keeps them (from).
        raise TableError("无法读取 Excel 文件：文件已损坏，或不是 Excel 工作簿") from error
    sheet = workbook.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [_cell_text(value) for value in values]
    workbook.close()


# The registration systems' older exports: BIFF has at most 65,536 rows, and xlrd holds the
# whole sheet as Python objects, so a file is bounded by its bytes and its cells before reading.
MAX_XLS_BYTES = 64 * 1024 * 1024
MAX_XLS_CELLS = 65_536 * 40


def _xls_records(file: IO[bytes]) -> Iterator[list[str]]:
    import xlrd  # only for .xls: a large module most imports never need

    data = file.read(MAX_XLS_BYTES + 1)
    if len(data) > MAX_XLS_BYTES:
        raise TableError(
            f".xls 文件超过 {MAX_XLS_BYTES // 1024 // 1024} MB：请另存为 .xlsx 或 .csv"
        )
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
        sheet = book.sheet_by_index(0)
    except Exception as error:  # xlrd raises XLRDError, CompDocError, struct.error …
        raise TableError("无法读取 .xls 文件：文件已损坏，或不是 Excel 97-2003 工作簿") from error
    if sheet.nrows * sheet.ncols > MAX_XLS_CELLS:
        raise TableError(f".xls 工作表过大（{sheet.nrows} 行 × {sheet.ncols} 列）")
    for r in range(sheet.nrows):
        yield [_xls_cell_text(book, sheet.cell(r, c), xlrd) for c in range(sheet.ncols)]


def _xls_cell_text(book: Any, cell: Any, xlrd: Any) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode).date().isoformat()
        except Exception:  # out of xlrd's range: keep the number
            return _cell_text(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return _cell_text(cell.value)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_records(file: IO[bytes]) -> Iterator[list[str]]:
    raw = file.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("无法识别 CSV 文件的编码：请保存为 UTF-8 或 GBK")
    buffer = io.StringIO(text)
    reader = csv.reader(buffer)
    header: list[str] = []
    for number in count(1):
        start = buffer.tell()
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a cell over the csv module's own limit (128 KB)
            column = _overlong_column(text[start:], header)
            reason = (
                f"内容过长（一个单元格最多{MAX_CELL_CHARS}个字符）"
                if column
                else "格式有误（单元格过长或引号不成对）"
            )
            raise TableError(reason, row=number, column=column) from error
        values = [read_csv_text(value) for value in values]  # our own exports' quoted formulas
        header = header or [value.strip() for value in values]
        yield values


def _overlong_column(record: str, header: list[str]) -> str:
    """The column of the first cell longer than MAX_CELL_CHARS in a CSV record, read by the
    CSV rules (a comma or line break inside quotes is text); "" if none is."""
    index, length, quoted = 0, 0, False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == ",":
            index, length = index + 1, 0
        elif not quoted and char in "\r\n":
            return ""
        else:
            length += 1
            if length > MAX_CELL_CHARS:
                return header[index] if index < len(header) else f"第{index + 1}列"
    return ""
