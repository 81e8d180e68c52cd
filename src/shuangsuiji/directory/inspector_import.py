"""Importing inspectors (执法检查人员名录库) from .xlsx or .csv, as the entity importer does:
the same table reading, every problem named by row, column and value, all or nothing.

Columns (header row 1, any order): 姓名*, 部门* (full name, short name or alias in the
region), 执法证号*, 有效期起*, 有效期止* (of the 执法证), 资格 (qualification names, separated
by 、 or commas), 状态 or 在岗 (在岗/是 or 离岗/否; blank is 在岗).

A coordinator imports for any department of its region and the regions below; a department
admin only for its own. A region outside the user's jurisdiction is refused before the file
is read, a certificate number held in another district is refused without saying where.
Rows are saved one by one (a department has tens of inspectors, not a million), so each new
inspector is an entry in the audit log under the importing user.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from shuangsuiji.accounts.permissions import (
    Role,
    assignable_departments,
    regions_in_jurisdiction,
    role_of,
)
from shuangsuiji.directory.importers import (
    CATEGORY_SEPARATORS,
    Problem,
    _date,
    repeated_in_file,
    table_problem,
)
from shuangsuiji.directory.models import Department, Inspector, Qualification, Region
from shuangsuiji.directory.services import ImportRejected
from shuangsuiji.lib.bulk import ids_by_key
from shuangsuiji.lib.tables import Row, TableError, read_table

NAME = "姓名"
DEPARTMENT = "部门"
CERTIFICATE = "执法证号"
VALID_FROM = "有效期起"
VALID_UNTIL = "有效期止"
QUALIFICATIONS = "资格"
STATUS = "状态"
ACTIVE = "在岗"

INSPECTOR_COLUMNS = (NAME, DEPARTMENT, CERTIFICATE, VALID_FROM, VALID_UNTIL, QUALIFICATIONS, STATUS)
REQUIRED_COLUMNS = (NAME, DEPARTMENT, CERTIFICATE, VALID_FROM, VALID_UNTIL)
IN_DIRECTORY = "该执法证号已在执法人员名录库中"
ELSEWHERE = "该执法证号已在其他辖区登记，不能导入"  # unique: its existence is learnable, no more
ACTIVE_WORDS = {"": True, "在岗": True, "是": True, "离岗": False, "不在岗": False, "否": False}


@dataclass(frozen=True)
class InspectorValues:
    row: int
    name: str
    department: Department
    certificate_no: str
    valid_from: date
    valid_until: date
    qualifications: tuple[Qualification, ...]
    is_active: bool


def import_inspectors(
    file: IO[bytes], filename: str, *, actor: Any, region: Region | None = None
) -> int:
    """Check every row, then create the inspectors in one transaction; any problem rejects the
    whole file (ImportRejected). Departments are resolved in `region`, by default the actor's.
    Returns how many were created."""
    role = role_of(actor)
    if role not in (Role.COORDINATOR, Role.DEPARTMENT_ADMIN):
        shown = role.value if role else "（无）"
        raise PermissionDenied(f"角色为{shown}：只有协调员或部门管理员可以导入执法人员")
    home = getattr(getattr(actor, "department", None), "region", None)
    region = region or home
    if region is None:
        raise ImportRejected([Problem(0, "行政区划", "", "无法确定部门所在的行政区划")])
    if not regions_in_jurisdiction(Region.objects.filter(pk=region.pk), actor).exists():
        raise PermissionDenied(
            f"{region.full_name}不在本辖区（{home.name if home else '无'}）内，"
            "不能为其部门导入执法人员"
        )
    rows = check_inspectors(file, filename, actor=actor, region=region)
    with transaction.atomic():
        for values in rows:
            inspector = Inspector.objects.create(
                name=values.name,
                department=values.department,
                certificate_no=values.certificate_no,
                certificate_valid_from=values.valid_from,
                certificate_valid_until=values.valid_until,
                is_active=values.is_active,
            )
            inspector.qualifications.set(values.qualifications)
    return len(rows)


def check_inspectors(
    file: IO[bytes], filename: str, *, actor: Any, region: Region
) -> list[InspectorValues]:
    """Every row's values, or ImportRejected with every problem, sorted by row."""
    try:
        table = read_table(file, filename)
    except TableError as error:
        raise ImportRejected([table_problem(error, filename)]) from error
    header = set(table.header)
    problems = [Problem(1, c, "", "缺少必填列") for c in REQUIRED_COLUMNS if c not in header]
    if problems:
        raise ImportRejected(problems)
    known = {q.name: q for q in Qualification.objects.all()}
    allowed = set(
        assignable_departments(Department.objects.all(), actor).values_list("pk", flat=True)
    )
    parsed: list[InspectorValues] = []
    for row in table.rows:
        values, row_problems = _parse_row(row, region, known, allowed)
        problems += row_problems
        if values is not None:
            parsed.append(values)
    problems += _duplicates(parsed, actor)
    if problems:
        raise ImportRejected(sorted(problems, key=lambda problem: problem.row))
    return parsed


def _parse_row(
    row: Row, region: Region, known: dict[str, Qualification], allowed: set[int]
) -> tuple[InspectorValues | None, list[Problem]]:
    problems: list[Problem] = []
    cell = row.cells.get

    def fail(column: str, message: str, value: str | None = None) -> None:
        """A problem in `column`, showing the cell (or `value`, one part of it)."""
        shown = cell(column, "") if value is None else value
        problems.append(Problem(row.number, column, shown or "", message))

    name, certificate = cell(NAME, ""), cell(CERTIFICATE, "").upper()
    if not name:
        fail(NAME, "姓名不能为空")
    if not certificate:
        fail(CERTIFICATE, "执法证号不能为空")
    department = _department(cell(DEPARTMENT, ""), region, fail)
    if department is not None and department.pk not in allowed:
        fail(DEPARTMENT, "部门管理员只能导入本部门的执法人员")
    valid_from = _date(cell(VALID_FROM, ""), lambda message: fail(VALID_FROM, message))
    valid_until = _date(cell(VALID_UNTIL, ""), lambda message: fail(VALID_UNTIL, message))
    for column, value in ((VALID_FROM, valid_from), (VALID_UNTIL, valid_until)):
        if value is None and not cell(column, ""):
            fail(column, "日期不能为空")
    if valid_from and valid_until and valid_until < valid_from:
        fail(VALID_UNTIL, "有效期止早于有效期起")
    qualifications = []
    for text in CATEGORY_SEPARATORS.split(cell(QUALIFICATIONS, "")):
        if text and text not in known:
            fail(QUALIFICATIONS, "未知的执法资格，请先在“执法资格”中添加", text)
        elif text:
            qualifications.append(known[text])
    status_column = STATUS if STATUS in row.cells else ACTIVE
    is_active = ACTIVE_WORDS.get(cell(status_column, ""))
    if is_active is None:
        fail(status_column, "应为 在岗 或 离岗")
    if problems or department is None or valid_from is None or valid_until is None:
        return None, problems
    values = InspectorValues(
        row=row.number,
        name=name,
        department=department,
        certificate_no=certificate,
        valid_from=valid_from,
        valid_until=valid_until,
        qualifications=tuple(qualifications),
        is_active=bool(is_active),
    )
    return values, []


def _department(text: str, region: Region, fail: Callable[[str, str], None]) -> Department | None:
    if not text:
        fail(DEPARTMENT, "部门不能为空")
        return None
    try:
        return Department.objects.resolve(region.pk, text)  # type: ignore[no-any-return]
    except Department.DoesNotExist:
        fail(DEPARTMENT, f"{region.full_name}没有这个部门（全称、简称或别称）")
    except Department.MultipleObjectsReturned:
        fail(DEPARTMENT, "对应到多个部门，请写全称")
    return None


def _duplicates(parsed: Sequence[InspectorValues], actor: Any) -> list[Problem]:
    """执法证号 twice in the file, or already in the directory: in the actor's jurisdiction,
    or (saying no more than that: not where, nor whose) in another."""
    problems = repeated_in_file(
        ((v.row, v.certificate_no) for v in parsed), CERTIFICATE, "执法证号"
    )
    numbers = list(dict.fromkeys(v.certificate_no for v in parsed))
    existing = ids_by_key(Inspector, "certificate_no", numbers)
    ours = set(
        Inspector.objects.filter(
            certificate_no__in=list(existing),
            department__region__in=regions_in_jurisdiction(Region.objects.all(), actor),
        ).values_list("certificate_no", flat=True)
    )
    problems += [
        Problem(v.row, CERTIFICATE, v.certificate_no, IN_DIRECTORY)
        if v.certificate_no in ours
        else Problem(v.row, CERTIFICATE, v.certificate_no, ELSEWHERE)
        for v in parsed
        if v.certificate_no in existing
    ]
    return problems
