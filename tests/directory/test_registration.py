"""The directory refreshed from a registration-system export (issue 20, item 7): its column
names, GBK CSV and .xls as well as .xlsx, incremental (new, changed, deregistered; nothing else
touched), shown before it is written, and written only as shown."""

import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from shuangsuiji.directory.enums import EntityStatus, LegalForm
from shuangsuiji.directory.models import Entity
from shuangsuiji.directory.registration import (
    PreviewOutdated,
    apply_registration,
    preview_registration,
)
from tests.conftest import World
from tests.factories import EntityFactory, next_uscc

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "登记机关", "企业类型", "成立日期", "登记状态", "住所"]
NEW_CODE, GONE_CODE = next_uscc(), next_uscc()


def export_rows(world: World) -> tuple[list[list[object]], dict[str, Entity]]:
    """Directory: 甲公司 (moves house), 乙商店 (deregistered), 丙酒店 (not in the file),
    丁茶馆 (in the file, unchanged). File: those, a new 戊饭店, a revoked 己 never listed."""
    shop = EntityFactory(name="乙商店", address="潞华路1号")
    hotel = EntityFactory(name="丙酒店", address="府后街3号")
    tea = EntityFactory(name="丁茶馆", address="长安街5号")
    bureau = world.market.name  # 长治市潞城区市场监督管理局
    rows: list[list[object]] = [
        [world.company.uscc, world.company.name, bureau, "有限责任公司", "", "存续", "新建路8号"],
        [shop.uscc, "乙商店", bureau, "", "", "注销", ""],
        [tea.uscc, "丁茶馆", bureau, "", "", "在业" if tea.status == "在业" else "存续", ""],
        [NEW_CODE, "戊饭店", bureau, "有限责任公司（自然人独资）", date(2020, 5, 6),
         "存续（在营、开业、在册）", "太行路2号"],
        [GONE_CODE, "己小吃", bureau, "个体工商户", "", "吊销，未注销", ""],
    ]  # fmt: skip
    return rows, {"shop": shop, "hotel": hotel, "tea": tea}


def gbk_csv(rows: list[list[object]]) -> bytes:
    lines = [",".join(HEADER)] + [
        ",".join(v.isoformat() if isinstance(v, date) else str(v) for v in row) for row in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls(rows: list[list[object]], tmp_path: Path) -> bytes:
    """A real Excel 97-2003 file: the .xlsx converted by LibreOffice."""
    source = tmp_path / "export.xlsx"
    source.write_bytes(xlsx(rows))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "xls:MS Excel 97", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return (tmp_path / "export.xls").read_bytes()


def test_a_gbk_csv_is_previewed_as_new_changed_and_deregistered_and_nothing_is_written(
    world: World,
) -> None:
    rows, _ = export_rows(world)
    before = list(Entity.objects.order_by("uscc").values())

    preview = preview_registration(io.BytesIO(gbk_csv(rows)), "导出.csv", actor=world.coordinator)

    summary = preview.summary()
    assert (summary["new"], summary["changed"], summary["deregistered"]) == (1, 1, 1)
    assert (summary["unchanged"], summary["skipped"], summary["problem_count"]) == (1, 1, 0)
    assert summary["new_rows"] == [{"uscc": NEW_CODE, "name": "戊饭店"}]
    assert summary["changed_rows"][0]["changes"] == {
        "住所/经营场所": [world.company.address, "新建路8号"]
    }
    assert summary["deregistered_rows"][0]["changes"] == {"登记状态": ["存续", "注销"]}
    assert summary["skipped_rows"][0]["value"] == "吊销"
    assert list(Entity.objects.order_by("uscc").values()) == before


def test_confirming_writes_exactly_the_preview_and_touches_nothing_else(world: World) -> None:
    rows, named = export_rows(world)
    data = gbk_csv(rows)
    preview = preview_registration(io.BytesIO(data), "导出.csv", actor=world.coordinator)
    hotel_before = Entity.objects.filter(pk=named["hotel"].pk).values().get()

    applied = apply_registration(
        io.BytesIO(data), "导出.csv", actor=world.coordinator, fingerprint=preview.fingerprint
    )

    assert (applied.created, applied.changed, applied.deregistered) == (1, 1, 1)
    new = Entity.objects.get(uscc=NEW_CODE)
    assert (new.name, new.region.code, new.legal_form, new.established_on, new.status) == (
        "戊饭店", "140406", LegalForm.ENTERPRISE, date(2020, 5, 6), EntityStatus.EXISTING
    )  # fmt: skip
    assert Entity.objects.get(pk=world.company.pk).address == "新建路8号"
    assert Entity.objects.get(pk=named["shop"].pk).status == EntityStatus.DEREGISTERED
    assert Entity.objects.filter(pk=named["hotel"].pk).values().get() == hotel_before
    assert not Entity.objects.filter(uscc=GONE_CODE).exists()


def test_a_directory_changed_after_the_preview_is_not_written(world: World) -> None:
    rows, named = export_rows(world)
    data = gbk_csv(rows)
    preview = preview_registration(io.BytesIO(data), "导出.csv", actor=world.coordinator)
    Entity.objects.filter(pk=world.company.pk).update(address="另一处")

    with pytest.raises(PreviewOutdated):
        apply_registration(
            io.BytesIO(data), "导出.csv", actor=world.coordinator, fingerprint=preview.fingerprint
        )

    assert not Entity.objects.filter(uscc=NEW_CODE).exists()
    assert Entity.objects.get(pk=named["shop"].pk).status != EntityStatus.DEREGISTERED


def test_an_xls_and_an_xlsx_read_as_the_gbk_csv_does(world: World, tmp_path: Path) -> None:
    rows, _ = export_rows(world)
    actor = world.coordinator
    from_csv = preview_registration(io.BytesIO(gbk_csv(rows)), "a.csv", actor=actor)

    from_xlsx = preview_registration(io.BytesIO(xlsx(rows)), "a.xlsx", actor=actor)
    from_xls = preview_registration(io.BytesIO(xls(rows, tmp_path)), "a.xls", actor=actor)

    assert from_xlsx.summary() == from_csv.summary()
    assert from_xls.summary() == from_csv.summary()


def test_an_inspector_may_not_preview_an_export(world: World) -> None:
    rows, _ = export_rows(world)

    with pytest.raises(Exception, match="只有协调员可以导入检查对象"):
        preview_registration(io.BytesIO(gbk_csv(rows)), "a.csv", actor=world.inspector_user)


def test_the_command_previews_then_writes_with_the_fingerprint(
    world: World, tmp_path: Path
) -> None:
    rows, _ = export_rows(world)
    path = tmp_path / "导出.csv"
    path.write_bytes(gbk_csv(rows))
    shown = io.StringIO()
    call_command("exchange", "registration", str(path), "--user", "wangmin", stdout=shown)
    fingerprint = shown.getvalue().rsplit("--confirm ", 1)[1].strip()
    assert not Entity.objects.filter(uscc=NEW_CODE).exists()

    written = io.StringIO()
    call_command(
        "exchange", "registration", str(path), "--user", "wangmin", "--confirm", fingerprint,
        stdout=written,
    )  # fmt: skip

    assert written.getvalue() == "已写入：新增 1 户，变更 1 户，注销/吊销 1 户\n"
    assert Entity.objects.filter(uscc=NEW_CODE).exists()
