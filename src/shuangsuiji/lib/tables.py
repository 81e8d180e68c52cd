"""Read a spreadsheet-like file (.xlsx or .csv) into header-keyed rows of text.

Row numbers are the ones a user sees in Excel (header on row 1, data from row 2), so error
messages can point at a cell.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from openpyxl import load_workbook


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]


class TableError(ValueError):
    """The file cannot be read as a table at all (wrong type, no header, undecodable text)."""


def read_table(file: IO[bytes], filename: str) -> Table:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        records = _xlsx_records(file)
    elif suffix == ".csv":
        records = _csv_records(file)
    else:
        raise TableError(f"不支持的文件类型“{suffix or filename}”：请上传 .xlsx 或 .csv 文件")
    return _rows(records)


def _rows(records: Iterator[list[str]]) -> Table:
    header: list[str] | None = None
    rows: list[Row] = []
    for number, values in enumerate(records, start=1):
        if header is None:
            header = [value.strip() for value in values]
            if not any(header):
                raise TableError("第1行应为表头（列名），但它是空的")
            continue
        if not any(value.strip() for value in values):
            continue
        padded = values + [""] * (len(header) - len(values))
        cells = {name: padded[i].strip() for i, name in enumerate(header) if name}
        rows.append(Row(number, cells))
    if header is None:
        raise TableError("文件是空的")
    return Table(header, rows)


def _xlsx_records(file: IO[bytes]) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a damaged file
        raise TableError(f"无法读取 Excel 文件：{error}") from error
    sheet = workbook.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [_cell_text(value) for value in values]
    workbook.close()


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
    yield from csv.reader(io.StringIO(text))
