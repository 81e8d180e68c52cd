"""Published results in the 国家企业信用信息公示系统's 抽查检查结果信息 layout (issue 20, item 7):
the publicity system's columns, one row per published result and none for a result not yet
published, the same rows as CSV, .xlsx and through the API."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.disclosure.publicity import COLUMNS
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.assignments.conftest import demo  # noqa: F401 (fixture)
from tests.disclosure.test_results import body

pytestmark = pytest.mark.django_db


def csv_rows(response: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))  # type: ignore[arg-type]


def test_the_csv_has_the_publicity_systems_columns_and_one_row_per_published_result(
    demo: DemoSummary,  # noqa: F811
) -> None:
    published = Inspection.objects.filter(state=InspectionState.PUBLISHED)
    newest = published.select_related("visit__entity", "task__lead_department").latest(
        "published_at", "pk"
    )

    rows = csv_rows(Client().get(reverse("disclosure:publicity_data", args=["csv"])))

    assert rows[0] == [
        "序号",
        "统一社会信用代码",
        "企业名称",
        "检查实施机关",
        "类型",
        "日期",
        "结果",
    ]
    assert len(rows) - 1 == published.count() > 0
    day = newest.inspected_on
    assert rows[1] == [
        "1",
        newest.visit.entity.uscc,
        newest.visit.entity.name,
        newest.task.lead_department.name,
        "抽查",
        f"{day.year}年{day.month:02d}月{day.day:02d}日",
        "；".join(newest.results.values_list("name", flat=True)),
    ]
    unpublished = Inspection.objects.exclude(state=InspectionState.PUBLISHED)
    listed = {row[1] for row in rows[1:]}
    only_unpublished = {
        i.visit.entity.uscc
        for i in unpublished.select_related("visit__entity")
        if not published.filter(visit__entity=i.visit.entity).exists()
    }
    assert listed & only_unpublished == set()


def test_the_xlsx_and_the_api_give_the_same_rows_as_the_csv(
    demo: DemoSummary,  # noqa: F811
) -> None:
    client = Client()
    from_csv = csv_rows(client.get(reverse("disclosure:publicity_data", args=["csv"])))
    book = load_workbook(
        io.BytesIO(client.get(reverse("disclosure:publicity_data", args=["xlsx"])).content)
    )
    from_xlsx = [[str(v) if v is not None else "" for v in row] for row in book.active.values]
    from_api = csv_rows(client.get("/api/v1/results/publicity.csv"))

    assert from_xlsx == from_csv == from_api
    assert tuple(from_csv[0]) == COLUMNS


def test_the_search_narrows_the_export_as_it_narrows_the_results_page(
    demo: DemoSummary,  # noqa: F811
) -> None:
    one = (
        Inspection.objects.filter(state=InspectionState.PUBLISHED)
        .select_related("visit__entity")
        .first()
    )
    code = one.visit.entity.uscc

    rows = csv_rows(Client().get(reverse("disclosure:publicity_data", args=["csv"]), {"q": code}))

    assert {row[1] for row in rows[1:]} == {code}
    assert Client().get(reverse("disclosure:publicity_data", args=["pdf"])).status_code == 404
