"""Open data with formula-like names: the CSV quotes them, the .xlsx holds them as text, the
JSON is data and carries them unchanged. An entity or a department that registers such a name
must not put a live formula on a citizen's or a journalist's computer."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.directory.models import Department, Entity
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.assignments.conftest import demo  # noqa: F401 (fixture)
from tests.disclosure.test_results import body

pytestmark = pytest.mark.django_db

# NUL is left out: PostgreSQL refuses it in text, so no stored name can hold it.
FORMULA_NAMES = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
DEPARTMENT_NAME = '=HYPERLINK("http://x","区教育局")'


def rename_published_entities_and_a_department() -> dict[str, str]:
    """uscc → formula-like name, for entities with a published result; and the lead department
    of one published task renamed. Returns the renamed entities."""
    published = Inspection.objects.filter(state=InspectionState.PUBLISHED)
    codes = list(
        published.order_by("visit__entity__uscc")
        .values_list("visit__entity__uscc", flat=True)
        .distinct()[: len(FORMULA_NAMES)]
    )
    renamed = dict(zip(codes, FORMULA_NAMES, strict=True))
    for code, name in renamed.items():
        Entity.objects.filter(uscc=code).update(name=name)
    lead = published.exclude(task__lead_department=None).values("task__lead_department")[:1]
    Department.objects.filter(pk__in=lead).update(name=DEPARTMENT_NAME)
    return renamed


def test_open_data_csv_quotes_formula_like_names(demo: DemoSummary) -> None:  # noqa: F811
    renamed = rename_published_entities_and_a_department()

    response = Client().get(reverse("disclosure:results_data", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"), newline="")))

    names = {row["uscc"]: row["entity"] for row in rows if row["uscc"] in renamed}
    departments = {row["department"] for row in rows if "HYPERLINK" in row["department"]}
    assert names == {code: "'" + name for code, name in renamed.items()}
    assert departments == {"'" + DEPARTMENT_NAME}


def test_open_data_xlsx_holds_formula_like_names_as_text(demo: DemoSummary) -> None:  # noqa: F811
    renamed = rename_published_entities_and_a_department()

    response = Client().get(reverse("disclosure:results_data", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["抽查结果"]
    rows = list(sheet.iter_rows(min_row=3))

    names = {
        row[1].value: (row[0].value, row[0].data_type) for row in rows if row[1].value in renamed
    }
    departments = {
        (row[5].value, row[5].data_type) for row in rows if "HYPERLINK" in (row[5].value or "")
    }
    formulas = [
        cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert names == {code: (name, "s") for code, name in renamed.items()}
    assert departments == {(DEPARTMENT_NAME, "s")}
    assert formulas == []


def test_open_data_json_carries_formula_like_names_unchanged(demo: DemoSummary) -> None:  # noqa: F811
    renamed = rename_published_entities_and_a_department()

    response = Client().get(reverse("disclosure:results_data", args=["json"]))
    rows = json.loads(body(response))["results"]

    names = {row["uscc"]: row["entity"] for row in rows if row["uscc"] in renamed}
    assert names == renamed
