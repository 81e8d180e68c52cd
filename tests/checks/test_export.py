"""The ledger export for 行政执法监督 bodies: every check of the year in the reader's scope,
and the companies a body checked more often than its cap, as CSV, JSON and .xlsx."""

import json
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.checks.services import set_cap
from tests.checks.test_ledger import checked
from tests.conftest import World

pytestmark = pytest.mark.django_db


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def export(user: object, fmt: str) -> bytes:
    response = client_of(user).get(reverse("checks:export", args=[fmt]) + "?year=2023")
    assert response.status_code == 200
    return response.content


@pytest.fixture
def over_the_cap(world: World) -> World:
    """区公安分局 publishes a cap of one and checks 甲公司 twice; 区教育局 checks it once."""
    set_cap(world.police, year=2023, limit=1, source="区公安分局公告", actor=SYSTEM)
    checked(world, world.company, world.police, "2023-03-01")
    checked(world, world.company, world.police, "2023-04-01", basis="投诉举报 2023-017")
    checked(world, world.company, world.education, "2023-05-01", basis="区教育局专项方案")
    return world


def test_the_coordinator_exports_every_check_and_the_breach(over_the_cap: World) -> None:
    data = json.loads(export(over_the_cap.coordinator, "json"))

    assert [(c["检查主体"], c["检查日期"], c["检查依据"]) for c in data["checks"]] == [
        ("区公安分局", "2023-03-01", "区公安分局2023年专项行动方案"),
        ("区公安分局", "2023-04-01", "投诉举报 2023-017"),
        ("区教育局", "2023-05-01", "区教育局专项方案"),
    ]
    assert data["breaches"] == [
        {
            "检查主体": "区公安分局",
            "年度": "2023",
            "上限（次）": "1",
            "企业名称": "甲公司",
            "统一社会信用代码": over_the_cap.company.uscc,
            "检查次数": "2",
            "公布依据": "区公安分局公告",
        }
    ]


def test_a_department_exports_its_own_checks_only(over_the_cap: World) -> None:
    data = json.loads(export(over_the_cap.education_admin, "json"))

    assert [c["检查主体"] for c in data["checks"]] == ["区教育局"]
    assert data["breaches"] == []  # 区公安分局's cap is not its to see


def test_the_workbook_has_the_checks_and_the_breaches_and_the_csv_opens_in_excel(
    over_the_cap: World,
) -> None:
    book = load_workbook(BytesIO(export(over_the_cap.auditor, "xlsx")))
    text = export(over_the_cap.auditor, "csv")

    assert book.sheetnames == ["检查", "超过上限"]
    assert book["检查"].max_row == 4  # the header and three checks
    assert [c.value for c in book["超过上限"][2]][3:6] == ["甲公司", over_the_cap.company.uscc, "2"]
    assert text.startswith("\ufeff检查码,检查编号,企业名称".encode())


def test_inspectors_cannot_export_and_an_unknown_format_is_404(world: World) -> None:
    inspector = client_of(world.inspector_user)
    coordinator = client_of(world.coordinator)

    assert inspector.get(reverse("checks:export", args=["csv"])).status_code == 403
    assert coordinator.get(reverse("checks:export", args=["pdf"])).status_code == 404
