"""The inspector import as a user who tries to file inspectors under another district's
departments, or to learn which certificate numbers another district holds: refused, nothing
written."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from shuangsuiji.directory.inspector_import import INSPECTOR_COLUMNS, import_inspectors
from shuangsuiji.directory.models import Inspector, Region
from shuangsuiji.directory.services import ImportRejected
from tests.conftest import World
from tests.factories import InspectorFactory, other_district_coordinator

pytestmark = pytest.mark.django_db


def csv_file(rows: list[list[str]]) -> io.BytesIO:
    lines = [",".join(INSPECTOR_COLUMNS), *(",".join(row) for row in rows)]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def inspector(department: str, certificate: str = "14040610001") -> list[str]:
    return ["王五", department, certificate, "2024-01-01", "2028-12-31", "", "在岗"]


def test_coordinator_cannot_import_into_another_districts_departments(world: World) -> None:
    other_district_coordinator()
    chengqu = Region.objects.get(code="140502")
    before = Inspector.objects.count()

    with pytest.raises(PermissionDenied) as raised:
        import_inspectors(
            csv_file([inspector("城区市场监管局")]),
            "人员.csv",
            actor=world.coordinator,
            region=chengqu,
        )

    assert str(raised.value) == "晋城市城区不在本辖区（潞城区）内，不能为其部门导入执法人员"
    assert Inspector.objects.count() == before


def test_command_with_another_districts_region_is_refused(world: World, tmp_path: Path) -> None:
    other_district_coordinator()
    file = tmp_path / "人员.csv"
    file.write_bytes(csv_file([inspector("城区市场监管局")]).getvalue())
    before = Inspector.objects.count()

    with pytest.raises(CommandError) as raised:
        call_command("import_inspectors", str(file), "--user", "wangmin", "--region", "140502")

    assert str(raised.value) == "晋城市城区不在本辖区（潞城区）内，不能为其部门导入执法人员"
    assert Inspector.objects.count() == before


def test_certificate_held_in_another_district_is_refused_without_saying_where(
    world: World,
) -> None:
    coordinator = other_district_coordinator()
    InspectorFactory(name="城区秘密检查员", department=coordinator.department, certificate_no="C1")
    own = world.education_inspector.certificate_no

    with pytest.raises(ImportRejected) as raised:
        import_inspectors(
            csv_file([inspector("区教育局", "C1"), inspector("区教育局", own)]),
            "人员.csv",
            actor=world.coordinator,
        )

    assert [str(problem) for problem in raised.value.problems] == [
        "第2行“执法证号”列（C1）：该执法证号已在其他辖区登记，不能导入",
        f"第3行“执法证号”列（{own}）：该执法证号已在执法人员名录库中",
    ]
