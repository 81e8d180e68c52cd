"""Entity import through the API: the same all-or-nothing importer, in the request or in the
background; problems by row and column; nothing written on a refusal."""

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from shuangsuiji.api.services import create_token
from shuangsuiji.directory.enums import ImportStatus
from shuangsuiji.directory.models import Entity, EntityImport, ScopeCategory
from shuangsuiji.directory.services import (
    ImportRejected,
    check_entities_file,
    create_entities,
    import_entities_file,
)
from tests.api.conftest import bearer
from tests.conftest import World
from tests.directory.test_import_entities import entity_row, workbook
from tests.directory.test_import_pages import IMMEDIATE
from tests.factories import next_uscc

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(world: World, rows: list[list[str]]) -> tuple[int, dict[str, object]]:
    _, raw = create_token(world.coordinator, name="名录同步")
    file = SimpleUploadedFile("名录.xlsx", workbook(rows).getvalue(), content_type=XLSX)
    response = Client().post("/api/v1/entities/import", {"file": file}, **bearer(raw))
    return response.status_code, response.json()


@pytest.fixture
def categories() -> None:
    ScopeCategory.objects.create(name="网吧", industry_code="R9013")


def test_import_creates_the_entities(world: World, categories: None) -> None:
    codes = [next_uscc(), next_uscc()]

    status, body = upload(world, [entity_row(统一社会信用代码=code) for code in codes])

    assert (status, body) == (201, {"created": 2})
    assert set(Entity.objects.filter(uscc__in=codes).values_list("uscc", flat=True)) == set(codes)


def test_import_errors_name_row_and_column_and_write_nothing(
    world: World, categories: None
) -> None:
    good = next_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = Entity.objects.count()

    status, body = upload(
        world,
        [entity_row(), entity_row(统一社会信用代码=bad), entity_row(行政区划代码="999999")],
    )

    assert status == 400
    assert body["detail"] == "导入失败，未写入任何数据：2处问题"
    assert [(e["row"], e["column"], e["value"]) for e in body["errors"]] == [
        (3, "统一社会信用代码", bad),
        (4, "行政区划代码", "999999"),
    ]
    assert Entity.objects.count() == before


def test_import_is_refused_to_a_department_admin(world: World, categories: None) -> None:
    _, raw = create_token(world.education_admin, name="名录同步")
    file = SimpleUploadedFile("名录.xlsx", workbook([entity_row()]).getvalue(), content_type=XLSX)

    response = Client().post("/api/v1/entities/import", {"file": file}, **bearer(raw))

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "只有协调员可以导入检查对象"},
    )


def start(world: World, rows: list[list[str]]) -> tuple[str, dict[str, Any]]:
    """A background import through the API; tasks run at once (the immediate backend)."""
    _, raw = create_token(world.coordinator, name="名录同步")
    file = SimpleUploadedFile("名录.xlsx", workbook(rows).getvalue(), content_type=XLSX)
    response = Client().post("/api/v1/entities/imports", {"file": file}, **bearer(raw))
    assert response.status_code == 202, response.content
    return raw, response.json()


def test_a_background_import_is_checked_then_written_without_a_confirmation(
    world: World, categories: None, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    codes = [next_uscc(), next_uscc(), next_uscc()]

    raw, started = start(world, [entity_row(统一社会信用代码=code) for code in codes])
    polled = Client().get(f"/api/v1/entities/imports/{started['id']}", **bearer(raw)).json()

    assert started["filename"] == "名录.xlsx"
    assert (polled["status"], polled["status_label"]) == ("done", "已导入")
    assert (polled["total_rows"], polled["created"], polled["problem_count"]) == (3, 3, 0)
    assert set(Entity.objects.filter(uscc__in=codes).values_list("uscc", flat=True)) == set(codes)


def test_a_background_import_with_problems_writes_nothing_and_lists_them(
    world: World, categories: None, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    before = Entity.objects.count()

    raw, started = start(world, [entity_row(), entity_row(行政区划代码="999999")])
    polled = Client().get(f"/api/v1/entities/imports/{started['id']}", **bearer(raw)).json()

    assert (polled["status"], polled["created"], polled["problem_count"]) == ("rejected", 0, 1)
    assert [(p["row"], p["column"], p["value"]) for p in polled["problems"]] == [
        (3, "行政区划代码", "999999")
    ]
    assert Entity.objects.count() == before


def test_the_web_import_still_waits_for_a_person_to_confirm(
    world: World, categories: None, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    file = SimpleUploadedFile("名录.xlsx", workbook([entity_row()]).getvalue(), content_type=XLSX)
    client = Client()
    client.force_login(world.coordinator)

    client.post(reverse("directory:import-upload"), {"file": file})

    assert EntityImport.objects.get().status == ImportStatus.CHECKED


def test_a_write_that_loses_a_race_is_refused_as_the_duplicate_it_met(
    world: World, categories: None
) -> None:
    code = next_uscc()
    mine = check_entities_file(
        workbook([entity_row(统一社会信用代码=code), entity_row()]),
        "名录.xlsx",
        actor=world.coordinator,
    )
    import_entities_file(
        workbook([entity_row(统一社会信用代码=code)]), "他人.xlsx", actor=world.coordinator
    )
    before = Entity.objects.count()

    with pytest.raises(ImportRejected) as raised:
        create_entities(mine.rows, actor=world.coordinator)

    assert [str(p) for p in raised.value.problems] == [
        f"第2行“统一社会信用代码”列（{code}）：该统一社会信用代码已在名录库中"
    ]
    assert Entity.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_api_import_losing_a_race_to_another_import_answers_json(
    world: World, categories: None
) -> None:
    """Two imports of one code at once: the other commits between this request's check and
    its write (a thread with its own connection, started as this request's INSERT is sent)."""
    if connection.vendor != "postgresql":
        pytest.skip("a second connection writing mid-transaction; SQLite serialises writers")
    code = next_uscc()
    _, raw = create_token(world.coordinator, name="名录同步")
    file = SimpleUploadedFile("名录.xlsx", workbook([entity_row(统一社会信用代码=code)]).getvalue())
    raced: list[int] = []

    def competitor() -> None:
        other = workbook([entity_row(统一社会信用代码=code)])
        raced.append(import_entities_file(other, "他人.xlsx", actor=world.coordinator).created)
        connection.close()

    def race(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not raced and sql.startswith('INSERT INTO "directory_entity"'):
            thread = threading.Thread(target=competitor)
            thread.start()
            thread.join()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(race):
        response = Client().post("/api/v1/entities/import", {"file": file}, **bearer(raw))

    assert raced == [1]
    assert (response.status_code, response["Content-Type"], response.json()) == (
        400,
        "application/json; charset=utf-8",
        {
            "detail": "导入失败，未写入任何数据：1处问题",
            "errors": [
                {
                    "row": 2,
                    "column": "统一社会信用代码",
                    "value": code,
                    "message": "该统一社会信用代码已在名录库中",
                }
            ],
        },
    )
    assert Entity.objects.filter(uscc=code).count() == 1
