"""The entity import as a coordinator of one district who tries to write into another, or to
learn what another district holds: refused row by row, in the page, the API and the command
alike, and nothing written. The installation's superuser may import for any region."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.api.services import create_token
from shuangsuiji.directory.enums import ImportStatus
from shuangsuiji.directory.importers import ENTITY_COLUMNS
from shuangsuiji.directory.models import Entity, EntityImport, Region
from shuangsuiji.directory.services import ImportRejected, import_entities_file
from tests.api.conftest import bearer
from tests.conftest import World
from tests.directory.test_import_pages import IMMEDIATE, row, upload_file
from tests.factories import (
    DepartmentFactory,
    EntityFactory,
    make_user,
    next_uscc,
    other_district_coordinator,
)

pytestmark = pytest.mark.django_db
OUTSIDE = "不在本辖区（潞城区）内，不能导入"
ELSEWHERE = "该统一社会信用代码已在其他辖区登记，不能导入；如属迁入，请联系上级协调员办理"


@pytest.fixture
def chengqu_entity(world: World) -> Entity:
    """甲公司's neighbour across the border: an entity of 晋城市城区, not 潞城区's to see."""
    other_district_coordinator()
    return EntityFactory(
        name="城区秘密有限公司", region=Region.objects.get(code="140502"), uscc=next_uscc("140502")
    )


def problems_of(user: User, rows: list[list[str]]) -> list[str]:
    with pytest.raises(ImportRejected) as raised:
        import_entities_file(upload_file(rows), "名录.xlsx", actor=user)
    return [str(problem) for problem in raised.value.problems]


def test_row_in_another_district_is_refused_naming_row_column_and_value(
    world: World, chengqu_entity: Entity
) -> None:
    before = Entity.objects.count()

    problems = problems_of(world.coordinator, [row(), row(行政区划代码="140502")])

    assert problems == [f"第3行“行政区划代码”列（140502）：{OUTSIDE}"]
    assert Entity.objects.count() == before


def test_code_held_by_another_district_is_refused_without_saying_where(
    world: World, chengqu_entity: Entity
) -> None:
    own = world.company.uscc

    problems = problems_of(
        world.coordinator, [row(统一社会信用代码=chengqu_entity.uscc), row(统一社会信用代码=own)]
    )

    assert problems == [
        f"第2行“统一社会信用代码”列（{chengqu_entity.uscc}）：{ELSEWHERE}",
        f"第3行“统一社会信用代码”列（{own}）：该统一社会信用代码已在名录库中",
    ]
    assert Entity.objects.get(uscc=chengqu_entity.uscc).name == "城区秘密有限公司"


def test_a_city_coordinator_imports_for_the_districts_below(world: World) -> None:
    city = make_user(
        "city-coord", "协调员", DepartmentFactory(region=Region.objects.get(code="140400"))
    )
    code = next_uscc()

    result = import_entities_file(
        upload_file([row(统一社会信用代码=code)]), "名录.xlsx", actor=city
    )

    assert (result.created, Entity.objects.get(uscc=code).region.code) == (1, "140406")


def test_a_department_admin_may_not_import(world: World) -> None:
    with pytest.raises(PermissionDenied) as raised:
        import_entities_file(upload_file([row()]), "名录.xlsx", actor=world.education_admin)

    assert str(raised.value) == "只有协调员可以导入检查对象"


def test_page_import_into_another_district_is_rejected(
    world: World, chengqu_entity: Entity, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    before = Entity.objects.count()
    client = Client()
    client.force_login(world.coordinator)

    client.post(
        reverse("directory:import-upload"), {"file": upload_file([row(行政区划代码="140502")])}
    )

    job = EntityImport.objects.get()
    assert (job.status, job.problems) == (
        ImportStatus.REJECTED,
        [{"row": 2, "column": "行政区划代码", "value": "140502", "message": OUTSIDE}],
    )
    assert Entity.objects.count() == before


def api_upload(user: User, url: str, rows: list[list[str]]) -> tuple[int, Any]:
    _, raw = create_token(user, name="名录同步")
    file = SimpleUploadedFile("名录.xlsx", upload_file(rows).getvalue())
    response = Client().post(url, {"file": file}, **bearer(raw))
    return response.status_code, response.json()


def test_api_import_into_another_district_is_refused_as_json(
    world: World, chengqu_entity: Entity
) -> None:
    before = Entity.objects.count()

    status, body = api_upload(
        world.coordinator,
        "/api/v1/entities/import",
        [row(行政区划代码="140502"), row(统一社会信用代码=chengqu_entity.uscc)],
    )

    assert (status, body) == (
        400,
        {
            "detail": "导入失败，未写入任何数据：2处问题",
            "errors": [
                {"row": 2, "column": "行政区划代码", "value": "140502", "message": OUTSIDE},
                {
                    "row": 3,
                    "column": "统一社会信用代码",
                    "value": chengqu_entity.uscc,
                    "message": ELSEWHERE,
                },
            ],
        },
    )
    assert Entity.objects.count() == before


def test_api_background_import_into_another_district_is_rejected(
    world: World, chengqu_entity: Entity, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    before = Entity.objects.count()

    status, body = api_upload(
        world.coordinator, "/api/v1/entities/imports", [row(行政区划代码="140502")]
    )

    assert (status, body["status"], body["created"]) == (202, "queued", 0)
    job = EntityImport.objects.get()
    assert (job.status, job.problem_count) == (ImportStatus.REJECTED, 1)
    assert Entity.objects.count() == before


def test_api_import_is_refused_to_a_department_admin(world: World) -> None:
    status, body = api_upload(world.education_admin, "/api/v1/entities/imports", [row()])

    assert (status, body) == (403, {"detail": "只有协调员可以导入检查对象"})
    assert EntityImport.objects.count() == 0


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    lines = [",".join(ENTITY_COLUMNS), *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_command_import_into_another_district_is_refused(
    world: World, chengqu_entity: Entity, tmp_path: Path
) -> None:
    file = write_csv(tmp_path / "名录.csv", [row(), row(行政区划代码="140502")])
    err = io.StringIO()
    before = Entity.objects.count()

    with pytest.raises(CommandError) as raised:
        call_command("import_entities", str(file), "--user", "wangmin", stderr=err)

    assert str(raised.value) == "导入失败：1处问题，未写入任何数据"
    assert err.getvalue().strip() == f"第3行“行政区划代码”列（140502）：{OUTSIDE}"
    assert Entity.objects.count() == before


def test_command_is_refused_to_a_department_admin(world: World, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "名录.csv", [row()])

    with pytest.raises(CommandError) as raised:
        call_command("import_entities", str(file), "--user", "edu-admin")

    assert str(raised.value) == "用户“edu-admin”：只有协调员可以导入检查对象"


def test_command_as_the_superuser_imports_for_every_district(
    world: World, chengqu_entity: Entity, tmp_path: Path
) -> None:
    User.objects.create_superuser("admin", password="pw-for-tests-only")
    codes = [next_uscc(), next_uscc("140502")]
    file = write_csv(
        tmp_path / "名录.csv",
        [row(统一社会信用代码=codes[0]), row(统一社会信用代码=codes[1], 行政区划代码="140502")],
    )
    out = io.StringIO()

    call_command("import_entities", str(file), "--user", "admin", stdout=out)

    assert out.getvalue().strip() == "已导入 2 户检查对象"
    assert sorted(Entity.objects.filter(uscc__in=codes).values_list("region__code", flat=True)) == [
        "140406",
        "140502",
    ]
