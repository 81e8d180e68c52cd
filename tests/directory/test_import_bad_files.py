"""Files that used to crash the entity import (a 500, or "处理失败…Error" on the page): a NUL
byte, a cell over the csv module's 128 KB limit, a name longer than the directory stores, an
encrypted workbook. Each is replayed as the coordinator who uploads it, through the page, the
API and the command: a Chinese message naming the row and column, and nothing written."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from shuangsuiji.api.services import create_token
from shuangsuiji.directory.enums import ImportStatus
from shuangsuiji.directory.importers import ENTITY_COLUMNS
from shuangsuiji.directory.models import Entity, EntityImport
from tests.api.conftest import bearer
from tests.conftest import World
from tests.directory.test_import_pages import IMMEDIATE, row

pytestmark = pytest.mark.django_db
ENCRYPTED = (
    "文件是设有打开密码（已加密）的 .xlsx 文件，或旧版 .xls 格式："
    "请取消密码，或另存为 .xlsx 后再上传"
)


def csv_bytes(rows: list[list[str]]) -> bytes:
    lines = [",".join(ENTITY_COLUMNS), *(",".join(f'"{v}"' for v in r) for r in rows)]
    return ("\n".join(lines) + "\n").encode()


def bad_files() -> list[tuple[str, bytes, dict[str, Any]]]:
    """(file name, content, the one problem expected) for each file that used to crash."""
    return [
        (
            "名录.csv",
            csv_bytes([row(), row(名称="乙公\x00司")]),
            {
                "row": 3,
                "column": "名称",
                "value": "",
                "message": "含有空字符（NUL，\\x00），文件可能已损坏或不是文本文件",
            },
        ),
        (
            "名录.csv",
            csv_bytes([row(住所="路" * (128 * 1024 + 1))]),
            {
                "row": 2,
                "column": "住所",
                "value": "",
                "message": "内容过长（一个单元格最多2000个字符）",
            },
        ),
        (
            "名录.csv",
            csv_bytes([row(名称="甲" * 201)]),
            {
                "row": 2,
                "column": "名称",
                "value": f"{'甲' * 20}…",
                "message": "过长（201个字符，最多200个字符）",
            },
        ),
        (
            "名录.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088),
            {"row": 0, "column": "文件", "value": "名录.xlsx", "message": ENCRYPTED},
        ),
    ]


IDS = ["nul", "128kb-cell", "long-name", "encrypted-xlsx"]


@pytest.mark.parametrize(("name", "content", "problem"), bad_files(), ids=IDS)
def test_api_import_of_a_bad_file_answers_json_and_writes_nothing(
    world: World, name: str, content: bytes, problem: dict[str, Any]
) -> None:
    _, raw = create_token(world.coordinator, name="名录同步")
    before = Entity.objects.count()

    response = Client().post(
        "/api/v1/entities/import", {"file": SimpleUploadedFile(name, content)}, **bearer(raw)
    )

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "导入失败，未写入任何数据：1处问题", "errors": [problem]},
    )
    assert Entity.objects.count() == before


@pytest.mark.parametrize(("name", "content", "problem"), bad_files(), ids=IDS)
def test_page_import_of_a_bad_file_is_rejected_with_the_problem(
    world: World, settings: Any, name: str, content: bytes, problem: dict[str, Any]
) -> None:
    settings.TASKS = IMMEDIATE
    client = Client()
    client.force_login(world.coordinator)
    before = Entity.objects.count()

    client.post(reverse("directory:import-upload"), {"file": SimpleUploadedFile(name, content)})

    job = EntityImport.objects.get()
    assert (job.status, job.problems) == (ImportStatus.REJECTED, [problem])
    assert Entity.objects.count() == before


@pytest.mark.parametrize(("name", "content", "problem"), bad_files(), ids=IDS)
def test_command_import_of_a_bad_file_names_the_problem(
    world: World, tmp_path: Path, name: str, content: bytes, problem: dict[str, Any]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()
    before = Entity.objects.count()

    with pytest.raises(CommandError) as raised:
        call_command("import_entities", str(path), "--user", "wangmin", stderr=err)

    assert str(raised.value) == "导入失败：1处问题，未写入任何数据"
    assert err.getvalue().strip().endswith(problem["message"])
    assert Entity.objects.count() == before
