"""Text written to a CSV or an .xlsx stays text: a spreadsheet never runs it as a formula.

Excel, WPS and LibreOffice read a CSV field that starts with =, +, - or @ as a formula
(=HYPERLINK("http://…") becomes a live link, =cmd|… once ran a program), some after dropping a
leading tab or carriage return; OWASP's CSV-injection advice lists those six, ASVS 5.0 1.2.10
adds NUL. Every CSV and .xlsx the platform writes passes its text cells through here:

- CSV (and the plan's tab-indented text, which a spreadsheet also opens): such a field is
  written with a single quote in front, `'=HYPERLINK(…)` (text that already starts with quotes
  and then such a character gets one more). Spreadsheets take the quote as "this is text"; a
  program reading the file sees it, and read_csv_text takes it off again.
- .xlsx: the cell is stored as a string (data_type "s"), so the visible text is exactly the
  value, with no quote; openpyxl would otherwise store any text starting with = as a formula and
  "#N/A" and the like as error values.

Only text is touched: numbers, dates and None pass unchanged, so a negative amount in a number
column stays a number. Standard library only (openpyxl is imported where a cell is made), so the
core's plan renderer and the Django apps share it.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

# A field starting with one of these is read as a formula by some spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")
QUOTE = "'"
# Text openpyxl would not store as a plain string: "=…" (a formula), "#N/A" etc. (an error value).
# The other formula starts are stored as strings already; wrapping them too keeps one rule.
_XLSX_WRAPPED = (*FORMULA_STARTS, "#")

T = TypeVar("T")


def csv_text(value: T) -> T | str:
    """The value as a CSV field: text a spreadsheet would run gets a leading quote; the rest
    (other text, numbers, dates, None) is returned as it is."""
    if isinstance(value, str) and _formula_like(value):
        return QUOTE + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    """A row for csv.writer.writerow, each text field through csv_text."""
    return [csv_text(value) for value in values]


def read_csv_text(text: str) -> str:
    """The value csv_text wrote: a leading quote is taken off when a formula start follows it,
    so a file the platform exported reads back unchanged."""
    return text[1:] if text.startswith(QUOTE) and _formula_like(text) else text


def _formula_like(text: str) -> bool:
    """A formula start, perhaps behind quotes: "'=1" is quoted once more ("''=1"), so that
    reading takes off exactly the quote writing added."""
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def xlsx_row(sheet: Any, values: Iterable[object]) -> list[object]:
    """A row for sheet.append (a normal or a write-only worksheet): text openpyxl would turn
    into a formula or an error value becomes a string cell of the same text; the rest is
    returned as it is (one cell object per such value, so the common row costs nothing)."""
    return [
        _xlsx_text_cell(sheet, value)
        if isinstance(value, str) and value.startswith(_XLSX_WRAPPED)
        else value
        for value in values
    ]


def set_xlsx_text(cell: Any, text: str) -> None:
    """Put text in an existing cell as a string, never a formula or an error value."""
    cell.value = text
    cell.data_type = "s"


def _xlsx_text_cell(sheet: Any, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell  # not every user of the core has openpyxl loaded

    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    return cell
