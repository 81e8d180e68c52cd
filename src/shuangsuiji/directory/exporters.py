"""The entity directory as .xlsx: the blank import template and the export of a list.

Both use the import's own columns (`importers.ENTITY_COLUMNS`), so an exported file imports
back unchanged (after removing the rows already in the directory).
"""

from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook

from shuangsuiji.core.celltext import xlsx_row
from shuangsuiji.directory.enums import EntityStatus, LegalForm
from shuangsuiji.directory.importers import ENTITY_COLUMNS, REQUIRED_COLUMNS
from shuangsuiji.directory.models import Entity

COLUMN_NOTES = {
    "统一社会信用代码": "18位，校验位须正确",
    "名称": "营业执照上的全称",
    "主体类型": "、".join(LegalForm.values) + "；留空为企业",
    "行政区划代码": "6位 GB/T 2260 代码，如 140406（长治市潞城区）",
    "行业代码": "GB/T 4754-2017，如 H6110",
    "注册资本（万元）": "数字，单位万元",
    "成立日期": "如 2015-06-01",
    "登记状态": "、".join(EntityStatus.values) + "；留空为存续",
    "检查对象类别": "多个类别用顿号分隔，如 旅馆、网吧；须是平台中已有的类别",
    "信用风险分类": "A、B、C、D，或 低风险、一般风险、较高风险、高风险；留空为未分类",
    "分类日期": "如 2023-01-15",
}


def write_template(file: IO[bytes]) -> None:
    """An empty first sheet with the header row, and a second sheet explaining each column."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("检查对象")
    sheet.append(list(ENTITY_COLUMNS))
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for column in ENTITY_COLUMNS:
        required = "必填" if column in REQUIRED_COLUMNS else ""
        notes.append([column, required, COLUMN_NOTES.get(column, "")])
    workbook.save(file)


def write_entities(entities: Iterable[Entity], file: IO[bytes]) -> int:
    """Write entities (with `region` and `categories` fetched) in the import's columns."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("检查对象")
    sheet.append(list(ENTITY_COLUMNS))
    written = 0
    for entity in entities:
        sheet.append(xlsx_row(sheet, _row(entity)))  # a name like =HYPERLINK(…) stays text
        written += 1
    workbook.save(file)
    return written


def _row(entity: Entity) -> list[Any]:
    return [
        entity.uscc,
        entity.name,
        entity.legal_form,
        entity.legal_representative,
        entity.address,
        entity.region.code,
        entity.industry_code,
        entity.registered_capital,
        entity.established_on,
        entity.status,
        "、".join(category.name for category in entity.categories.all()),
        entity.risk_class,
        entity.risk_classified_on,
        entity.risk_source,
    ]
