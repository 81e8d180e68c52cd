"""The annual report workbook with formula-like department names, downloaded as the
coordinator would: the names are string cells of the same text, the counts stay numbers."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.directory.models import Department
from tests.analysis.test_figures import Year, year  # noqa: F401 (fixture)
from tests.conftest import World

pytestmark = pytest.mark.django_db

RENAMED = {"甲局": '=HYPERLINK("http://x")', "乙局": "-2+3"}


def test_report_workbook_holds_formula_like_department_names_as_text(
    world: World,
    year: Year,  # noqa: F811
) -> None:
    for name, formula_like in RENAMED.items():
        Department.objects.filter(name=name).update(name=formula_like)
    client = Client()
    client.force_login(world.coordinator)

    response = client.get(reverse("analysis:report", args=[year.plan.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))

    workload = [[(c.value, c.data_type) for c in row] for row in book["执法人员工作量"]]
    formulas = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert workload[1:] == [
        [('=HYPERLINK("http://x")', "s"), *((n, "n") for n in (3, 7, 2.3, 1, 3))],
        [("-2+3", "s"), *((n, "n") for n in (2, 3, 1.5, 1, 2))],
    ]
    assert formulas == []
