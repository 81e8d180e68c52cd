"""Plan exports with formula-like cells, downloaded as the auditor would: the CSV and the text
quote every field (and every line of the text) a spreadsheet would run, the .xlsx holds the
same text as string cells. A task name like =HYPERLINK(…) must not become a live link."""

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

import shuangsuiji.demo
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.celltext import FORMULA_STARTS
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.services import import_plan
from tests.conftest import World

pytestmark = pytest.mark.django_db

SEED = Path(shuangsuiji.demo.__file__).parent / "seeds" / "lucheng-2023-plan.txt"
TITLE = '=HYPERLINK("http://x","计划")'
# Stored cell → what the export writes: tabs and carriage returns become spaces and line breaks
# before any format is written (clean()), so those two arrive as a line starting with =.
STORED = {
    "name": '=HYPERLINK("http://x")',
    "items": ["-2+3"],
    "scope": "+1\r=2+3",
    "lead_department_text": "@SUM(A1)",
    "partner_texts": ["\t=1+1"],
}
WRITTEN = {
    "抽查任务名称": '=HYPERLINK("http://x")',
    "抽查事项": "-2+3",
    "抽查对象范围": "+1\n=2+3",
    "发起部门": "@SUM(A1)",
    "配合部门": "=1+1",
}


def download(world: World, format_name: str) -> bytes:
    plan = import_plan(parse_plan(SEED.read_bytes(), SEED.name), actor=SYSTEM, filename=SEED.name)
    Plan.objects.filter(pk=plan.pk).update(title=TITLE)
    first = plan.tasks.order_by("position")[0]
    PlanTask.objects.filter(pk=first.pk).update(partners_open_ended=False, **STORED)
    client = Client()
    client.force_login(world.auditor)
    response = client.get(reverse("plans:export", args=[plan.pk, format_name]))
    assert response.status_code == 200
    return response.content


def test_plan_csv_quotes_formula_like_cells(world: World) -> None:
    rows = list(csv.reader(io.StringIO(download(world, "csv").decode("utf-8-sig"), newline="")))
    header = rows[1]

    first_task = dict(zip(header, rows[2], strict=True))
    written = {label: first_task[label] for label in WRITTEN}
    running = [field for row in rows for field in row if field.startswith(FORMULA_STARTS)]
    assert rows[0] == ["'" + TITLE]
    assert written == {label: "'" + text for label, text in WRITTEN.items()}
    assert running == []


def test_plan_text_quotes_every_line_a_spreadsheet_would_run(world: World) -> None:
    text = download(world, "txt").decode("utf-8")
    # A spreadsheet opens it as tab-separated rows, one per line.
    fields = [field for row in csv.reader(io.StringIO(text), delimiter="\t") for field in row]

    running = [field for field in fields if field.startswith(FORMULA_STARTS)]
    quoted = [field for field in fields if field.startswith("'")]
    assert running == []
    assert quoted == [
        "'" + TITLE,
        '\'=HYPERLINK("http://x")',
        "'-2+3",
        "'+1",
        "'=2+3",
        "'@SUM(A1)",
        "'=1+1",
    ]


def test_plan_xlsx_holds_formula_like_cells_as_text(world: World) -> None:
    sheet = load_workbook(io.BytesIO(download(world, "xlsx"))).worksheets[0]
    header = [cell.value for cell in sheet[2]]

    first_task = dict(zip(header, sheet[3], strict=True))
    written = {label: (first_task[label].value, first_task[label].data_type) for label in WRITTEN}
    formulas = [
        cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert (sheet["A1"].value, sheet["A1"].data_type) == (TITLE, "s")
    assert written == {label: (text, "s") for label, text in WRITTEN.items()}
    assert formulas == []


@pytest.mark.parametrize("format_name", ["csv", "txt"])
def test_a_quoted_plan_reads_back_as_it_was_written(world: World, format_name: str) -> None:
    content = download(world, format_name)

    parsed = parse_plan(content, f"计划.{format_name}")

    first = parsed.tasks[0]
    assert parsed.title == TITLE
    assert (first.name, first.items, first.lead_department) == (
        WRITTEN["抽查任务名称"],
        (WRITTEN["抽查事项"],),
        WRITTEN["发起部门"],
    )
