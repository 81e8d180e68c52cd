"""Text cells in CSV and .xlsx stay text: formula starts quoted in CSV, string cells in .xlsx."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from shuangsuiji.core.celltext import csv_row, csv_text, read_csv_text, set_xlsx_text, xlsx_row

# Names an attacker registers so that an export opened in a spreadsheet runs them.
FORMULA_LIKE = [
    '=HYPERLINK("http://x")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\x00=1+1",
]
PLAIN = ["潞城区鑫源网吧", "", "'引号开头", "1+1", "A=B", "#号商店"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_csv_text_quotes_a_formula_start(text: str) -> None:
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_csv_text_leaves_other_text_alone(text: str) -> None:
    assert csv_text(text) == text


@pytest.mark.parametrize("value", [-3, -2.5, Decimal("-100.5"), date(2024, 1, 2), None, 0])
def test_csv_text_leaves_numbers_dates_and_none_alone(value: object) -> None:
    assert csv_text(value) == value


@pytest.mark.parametrize("text", FORMULA_LIKE + PLAIN + ["'=1", "''=1", "'-"])
def test_read_csv_text_reads_back_what_csv_text_wrote(text: str) -> None:
    assert read_csv_text(csv_text(text)) == text


def test_csv_row_through_csv_reads_back_quoted_text_and_plain_numbers() -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(['=HYPERLINK("http://x")', -5, "-2+3", "甲公司"]))

    row = next(csv.reader(io.StringIO(buffer.getvalue())))

    assert row == ['\'=HYPERLINK("http://x")', "-5", "'-2+3", "甲公司"]


def saved(book: Workbook) -> Workbook:
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_row_writes_formula_like_text_as_strings_and_numbers_as_numbers(
    write_only: bool,
) -> None:
    texts = [*FORMULA_LIKE[:-1], "#N/A", "甲公司"]  # NUL is no XML character at all
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("表")
    sheet.append(xlsx_row(sheet, [*texts, -3, Decimal("-1.5"), None, date(2024, 1, 2)]))
    sheet.append(xlsx_row(sheet, ["=1+1", "after a text cell"]))

    cells = list(saved(book)["表"].iter_rows())

    assert [(c.value, c.data_type) for c in cells[0]] == [
        *((text, "s") for text in texts),
        (-3, "n"),
        (-1.5, "n"),
        (None, "n"),
        (cells[0][-1].value, "d"),
    ]
    assert cells[0][-1].value.date() == date(2024, 1, 2)
    assert [(c.value, c.data_type) for c in cells[1][:2]] == [
        ("=1+1", "s"),
        ("after a text cell", "s"),
    ]


def test_set_xlsx_text_keeps_a_formula_as_text() -> None:
    book = Workbook()
    set_xlsx_text(book.active["B2"], '=HYPERLINK("http://x")')

    cell = saved(book).active["B2"]

    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_csv_text_quotes_quoted_formula_text_once_more() -> None:
    assert csv_text("'=1") == "''=1"
