"""The ledger for 行政执法监督 bodies (《行政执法监督条例》): every check of the year in the
reader's scope — spot-check visits and other checks — with type, body, method, dates, items,
basis, team and code, and the companies checked more often than a body's cap allows, as CSV,
JSON or .xlsx. Columns are named in docs/compliance.md."""

import csv
import json
from collections.abc import Iterator
from io import BytesIO, StringIO
from typing import Any

from openpyxl import Workbook

from shuangsuiji.assignments.models import Visit
from shuangsuiji.checks.codes import shown
from shuangsuiji.checks.ledger import SPOT_CHECK, item_methods, visit_method, yearly_counts
from shuangsuiji.checks.models import CheckCap, CheckKind, OtherCheck
from shuangsuiji.directory.models import Entity
from shuangsuiji.inspections.models import Inspection

CHECK_COLUMNS = [
    "检查码",
    "检查编号",
    "企业名称",
    "统一社会信用代码",
    "检查主体",
    "牵头部门",
    "检查类型",
    "检查方式",
    "检查日期",
    "检查时段",
    "检查事项",
    "检查依据",
    "检查人员",
    "计入频次上限",
]
BREACH_COLUMNS = [
    "检查主体",
    "年度",
    "上限（次）",
    "企业名称",
    "统一社会信用代码",
    "检查次数",
    "公布依据",
]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_rows(user: Any, year: int) -> Iterator[dict[str, str]]:
    """Every check of `year` the user may see: visits first (by code), then other checks."""
    visits = (
        Visit.objects.visible_to(user)
        .filter(assignment__plan__year=year, assignment__superseded_by__isnull=True)
        .select_related("entity", "lead_department", "assignment__plan", "check_code")
        .prefetch_related("departments", "tasks", "members__inspector")
        .distinct()
        .order_by("code")
    )
    days: dict[int, str] = {}
    for visit_id, day in (
        Inspection.objects.filter(visit__in=visits, inspected_on__isnull=False)
        .order_by("-inspected_on")
        .values_list("visit_id", "inspected_on")
    ):
        days[visit_id] = f"{day:%Y-%m-%d}"
    methods: dict[int, dict[str, str]] = {}  # region → item → method, one query a region
    for visit in visits:
        code = getattr(visit, "check_code", None)
        yield {
            "检查码": shown(code.code) if code else "",
            "检查编号": visit.code,
            "企业名称": visit.entity.name,
            "统一社会信用代码": visit.entity.uscc,
            "检查主体": "、".join(d.short_name for d in visit.departments.all()),
            "牵头部门": visit.lead_department.short_name,
            "检查类型": SPOT_CHECK,
            "检查方式": visit_method(
                (item for task in visit.tasks.all() for item in task.items),
                _methods_of(methods, visit.assignment.plan.region_id),
            ),
            "检查日期": days.get(visit.pk, ""),
            "检查时段": f"{visit.window_start} 至 {visit.window_end}",
            "检查事项": "；".join(t.name for t in visit.tasks.all()),
            "检查依据": visit.assignment.assignment_id,
            "检查人员": "、".join(
                f"{m.inspector.name}（{m.inspector.certificate_no}）" for m in visit.members.all()
            ),
            "计入频次上限": "是",
        }
    others = (
        OtherCheck.objects.visible_to(user)
        .filter(checked_on__year=year)
        .select_related("entity", "department")
        .order_by("checked_on", "pk")
    )
    for check in others:
        yield {
            "检查码": "",
            "检查编号": "",
            "企业名称": check.entity.name,
            "统一社会信用代码": check.entity.uscc,
            "检查主体": check.department.short_name,
            "牵头部门": check.department.short_name,
            "检查类型": check.kind,
            "检查方式": check.method,
            "检查日期": f"{check.checked_on:%Y-%m-%d}",
            "检查时段": "",
            "检查事项": check.items,
            "检查依据": check.basis,
            "检查人员": "",
            "计入频次上限": "否" if check.kind == CheckKind.UPPER_SPECIAL else "是",
        }


def _methods_of(known: dict[int, dict[str, str]], region_id: int) -> dict[str, str]:
    if region_id not in known:
        known[region_id] = item_methods(region_id)
    return known[region_id]


def breach_rows(user: Any, year: int) -> list[dict[str, str]]:
    """Companies a body checked (or is set to check) more often than its published cap."""
    rows = []
    visible = Entity.objects.visible_to(user)
    for cap in CheckCap.objects.visible_to(user).filter(year=year).select_related("department"):
        over = {
            code: n for code, n in yearly_counts(cap.department_id, year).items() if n > cap.limit
        }
        for entity in visible.filter(uscc__in=over).order_by("uscc"):
            rows.append(
                {
                    "检查主体": cap.department.short_name,
                    "年度": str(year),
                    "上限（次）": str(cap.limit),
                    "企业名称": entity.name,
                    "统一社会信用代码": entity.uscc,
                    "检查次数": str(over[entity.uscc]),
                    "公布依据": cap.source,
                }
            )
    return rows


def export(user: Any, year: int, fmt: str) -> bytes:
    checks, breaches = list(check_rows(user, year)), breach_rows(user, year)
    if fmt == "json":
        data = {"year": year, "checks": checks, "breaches": breaches}
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "csv":
        return _csv(checks, CHECK_COLUMNS).encode("utf-8-sig")  # Excel opens it as UTF-8
    book = Workbook(write_only=True)
    for title, rows, columns in (
        ("检查", checks, CHECK_COLUMNS),
        ("超过上限", breaches, BREACH_COLUMNS),
    ):
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            sheet.append([row[c] for c in columns])
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _csv(rows: list[dict[str, str]], columns: list[str]) -> str:
    out = StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
