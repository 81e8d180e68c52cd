"""The entity import format: its columns, and turning one row of text into checked values.

The same column names are used by the downloadable template, the export and the demo data, so a
file exported from Shuangsuiji imports back unchanged.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from shuangsuiji.core.errors import ShuangsuijiError
from shuangsuiji.core.risk import parse_risk_class
from shuangsuiji.core.uscc import validate_uscc
from shuangsuiji.directory.enums import EntityStatus, LegalForm
from shuangsuiji.directory.models import Entity
from shuangsuiji.directory.validators import INDUSTRY_CODE
from shuangsuiji.lib.tables import Row, TableError

USCC = "统一社会信用代码"
NAME = "名称"
LEGAL_FORM = "主体类型"
LEGAL_REPRESENTATIVE = "法定代表人"
ADDRESS = "住所"
REGION = "行政区划代码"
INDUSTRY = "行业代码"
CAPITAL = "注册资本（万元）"
ESTABLISHED = "成立日期"
STATUS = "登记状态"
CATEGORIES = "检查对象类别"
RISK_CLASS = "信用风险分类"
RISK_DATE = "分类日期"
RISK_SOURCE = "分类来源"

ENTITY_COLUMNS = (
    USCC,
    NAME,
    LEGAL_FORM,
    LEGAL_REPRESENTATIVE,
    ADDRESS,
    REGION,
    INDUSTRY,
    CAPITAL,
    ESTABLISHED,
    STATUS,
    CATEGORIES,
    RISK_CLASS,
    RISK_DATE,
    RISK_SOURCE,
)
REQUIRED_COLUMNS = (USCC, NAME, REGION)
# The directory's text columns and their lengths: PostgreSQL refuses a longer value at the
# write (a crash for the person importing), so the check names it first.
TEXT_LIMITS = {
    column: Entity._meta.get_field(field).max_length or 0
    for column, field in (
        (NAME, "name"),
        (LEGAL_REPRESENTATIVE, "legal_representative"),
        (ADDRESS, "address"),
        (RISK_SOURCE, "risk_source"),
    )
}
CATEGORY_SEPARATORS = re.compile(r"[、,，;；|\s]+")
DATE_FORMATS = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, as a user would look for it in the file."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行“{self.column}”列" if self.row else f"“{self.column}”列"
        return (
            f"{where}（{self.value}）：{self.message}" if self.value else f"{where}：{self.message}"
        )


@dataclass(frozen=True)
class EntityValues:
    """A row's values after checking; names of regions and categories are resolved later."""

    row: int
    uscc: str
    name: str
    legal_form: str
    legal_representative: str
    address: str
    region_code: str
    industry_code: str
    registered_capital: Decimal | None
    established_on: date | None
    status: str
    categories: tuple[str, ...]
    risk_class: str
    risk_classified_on: date | None
    risk_source: str


def repeated_in_file(keyed: Iterable[tuple[int, str]], column: str, what: str) -> list[Problem]:
    """A problem for each (row, value) whose value an earlier row already gave."""
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for row, value in keyed:
        if value in first_row:
            message = f"与第{first_row[value]}行的{what}重复"
            problems.append(Problem(row, column, value, message))
        first_row.setdefault(value, row)
    return problems


def table_problem(error: TableError, filename: str) -> Problem:
    """A file that could not be read: at its cell when the reader names one, else the file."""
    if error.row:
        return Problem(error.row, error.column or "文件", "", error.reason)
    return Problem(0, "文件", filename, error.reason)


def missing_columns(header: set[str]) -> list[Problem]:
    return [
        Problem(1, column, "", "缺少必填列") for column in REQUIRED_COLUMNS if column not in header
    ]


def parse_entity_row(row: Row) -> tuple[EntityValues | None, list[Problem]]:
    """Check every cell of a row; return the values, or None with every problem found."""
    problems: list[Problem] = []
    cell = row.cells.get

    def fail(column: str, message: str) -> None:
        problems.append(Problem(row.number, column, cell(column, "") or "", message))

    uscc = ""
    try:
        uscc = validate_uscc(cell(USCC, ""))
    except ShuangsuijiError as error:
        fail(USCC, str(error))
    name = cell(NAME, "")
    if not name:
        fail(NAME, "名称不能为空")
    legal_form = cell(LEGAL_FORM, "") or LegalForm.ENTERPRISE
    if legal_form not in LegalForm.values:
        fail(LEGAL_FORM, f"应为 {'/'.join(LegalForm.values)} 之一")
    region_code = cell(REGION, "")
    if not re.fullmatch(r"\d{6}", region_code):
        fail(REGION, "行政区划代码应为6位数字（GB/T 2260）")
    industry_code = cell(INDUSTRY, "").upper()
    if industry_code and not INDUSTRY_CODE.match(industry_code):
        fail(INDUSTRY, "应为 GB/T 4754 门类字母加2至4位数字，如 H6110")
    capital = _decimal(cell(CAPITAL, ""), lambda message: fail(CAPITAL, message))
    established = _date(cell(ESTABLISHED, ""), lambda message: fail(ESTABLISHED, message))
    status = cell(STATUS, "") or EntityStatus.EXISTING
    if status not in EntityStatus.values:
        fail(STATUS, f"应为 {'/'.join(EntityStatus.values)} 之一")
    risk_class = ""
    try:
        parsed = parse_risk_class(cell(RISK_CLASS, ""))
        risk_class = parsed.value if parsed else ""
    except ShuangsuijiError as error:
        fail(RISK_CLASS, str(error))
    risk_date = _date(cell(RISK_DATE, ""), lambda message: fail(RISK_DATE, message))
    categories = tuple(c for c in CATEGORY_SEPARATORS.split(cell(CATEGORIES, "")) if c)
    for column, limit in TEXT_LIMITS.items():
        text = cell(column, "")
        if len(text) > limit:
            message = f"过长（{len(text)}个字符，最多{limit}个字符）"
            problems.append(Problem(row.number, column, f"{text[:20]}…", message))

    if problems:
        return None, problems
    values = EntityValues(
        row=row.number,
        uscc=uscc,
        name=name,
        legal_form=legal_form,
        legal_representative=cell(LEGAL_REPRESENTATIVE, ""),
        address=cell(ADDRESS, ""),
        region_code=region_code,
        industry_code=industry_code,
        registered_capital=capital,
        established_on=established,
        status=status,
        categories=categories,
        risk_class=risk_class,
        risk_classified_on=risk_date,
        risk_source=cell(RISK_SOURCE, ""),
    )
    return values, []


def _decimal(text: str, fail: Callable[[str], None]) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "").removesuffix("万元").removesuffix("万"))
    except InvalidOperation:
        fail("应为数字（单位：万元）")
        return None
    if value < 0 or not value.is_finite():
        fail("不能为负数")
        return None
    return value


def _date(text: str, fail: Callable[[str], None]) -> date | None:
    if not text:
        return None
    match = DATE_FORMATS.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    fail("日期无效，应写作 2023-03-01")
    return None
