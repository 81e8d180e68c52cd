import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shuangsuiji.directory.importers import ENTITY_COLUMNS
from shuangsuiji.directory.models import Entity
from tests.conftest import World
from tests.factories import next_uscc

pytestmark = pytest.mark.django_db


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [",".join(ENTITY_COLUMNS)]
    lines += [",".join(row.get(column, "") for column in ENTITY_COLUMNS) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_entities_command_reports_the_count(world: World, tmp_path: Path) -> None:
    file = write_csv(
        tmp_path / "ok.csv",
        [
            {"统一社会信用代码": next_uscc(), "名称": "甲公司", "行政区划代码": "140406"},
            {"统一社会信用代码": next_uscc(), "名称": "乙公司", "行政区划代码": "140406"},
        ],
    )
    out = io.StringIO()

    call_command("import_entities", str(file), "--user", "wangmin", stdout=out)

    assert out.getvalue().strip() == "已导入 2 户检查对象"
    assert Entity.objects.count() == 3  # 甲公司 of the world, and these two


def test_import_entities_command_lists_problems_and_writes_nothing(
    world: World, tmp_path: Path
) -> None:
    file = write_csv(
        tmp_path / "bad.csv",
        [
            {"统一社会信用代码": next_uscc(), "名称": "甲公司", "行政区划代码": "140406"},
            {"统一社会信用代码": next_uscc(), "名称": "乙公司", "行政区划代码": "140999"},
        ],
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="导入失败：1处问题，未写入任何数据"):
        call_command("import_entities", str(file), "--user", "wangmin", stderr=err)

    assert err.getvalue().strip() == "第3行“行政区划代码”列（140999）：未知的行政区划代码"
    assert Entity.objects.count() == 1
