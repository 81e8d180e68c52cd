"""Data exchange with the registration and credit systems (issue 20, item 7): the directory
refreshed from a registration-system export, and the monthly credit-risk classes.

Both are incremental and two-step. `preview_*` reads and checks the file and says what would
change (new entities, changed fields, entities deregistered; classes changed), writing nothing;
`apply_*` computes the same changes again in one transaction and writes them only if they are
still the ones previewed (the preview's `fingerprint`), so what a person confirmed is what is
written, and a directory changed in between is refused, not overwritten. Entities the file
does not name, and fields the file has no column for, are not touched.

Every entity changed is saved through the model, so the audit log holds its before and after:
that is the history of its registration fields and of its class and class date. A draw is
unaffected: its population (codes and the classes at its freeze) is a frozen artefact.

The same functions serve the command (`exchange`), the API (`/entities/registration/…`,
`/entities/risk-classes/…`) and the page; who may do it is decided here
(`import_jurisdiction`), as for the template import.
"""

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.db import transaction

from shuangsuiji.core.draw import canonical_json, sha256_hex
from shuangsuiji.core.errors import ShuangsuijiError
from shuangsuiji.core.risk import parse_risk_class
from shuangsuiji.core.uscc import validate_uscc
from shuangsuiji.directory import tally
from shuangsuiji.directory.enums import EntityStatus, LegalForm
from shuangsuiji.directory.importers import ADDRESS as ADDRESS_COLUMN
from shuangsuiji.directory.importers import (
    DATE_FORMATS,
    TEXT_LIMITS,
    Problem,
    repeated_in_file,
    table_problem,
)
from shuangsuiji.directory.importers import LEGAL_REPRESENTATIVE as REPRESENTATIVE_COLUMN
from shuangsuiji.directory.importers import NAME as NAME_COLUMN
from shuangsuiji.directory.models import Department, DepartmentAlias, Entity, Region
from shuangsuiji.directory.records import NewEntity
from shuangsuiji.directory.services import (
    ImportRejected,
    Jurisdiction,
    import_jurisdiction,
    insert_entities,
)
from shuangsuiji.lib.bulk import LOOKUP_CHUNK
from shuangsuiji.lib.tables import Row, TableError, read_table

MAX_FILE_BYTES = 50 * 1024 * 1024  # the upload limit of the entity import page (forms.py)

# Each field and the column names the registration and credit systems' exports give it, first
# match wins. The 市场监管 registration system writes 统一社会信用代码 and, for old entities,
# 注册号; 企业名称 for companies, 主体名称 / 名称 in combined exports; 住所 for companies,
# 经营场所 for 个体工商户 and branches; 法定代表人, 负责人 (branches), 经营者 (个体).
ALIASES: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "统一社会信用代码/注册号", "社会信用代码", "注册号"),
    "name": ("企业名称", "主体名称", "名称", "市场主体名称", "企业（机构）名称"),
    "legal_form": ("企业类型", "主体类型", "市场主体类型", "类型"),
    "legal_representative": (
        "法定代表人",
        "法定代表人/负责人",
        "负责人",
        "经营者",
        "投资人",
        "执行事务合伙人",
    ),
    "address": ("住所", "住所/经营场所", "经营场所", "地址"),
    "region_code": ("行政区划代码", "住所所在行政区划", "所属行政区划代码"),
    "authority": ("管辖单位", "登记机关"),
    "industry_code": ("行业代码", "国民经济行业代码"),
    "established_on": ("成立日期", "注册日期"),
    "status": ("登记状态", "经营状态", "企业状态"),
}
REQUIRED = ("uscc", "name")
UPDATABLE = (
    "name",
    "legal_form",
    "legal_representative",
    "address",
    "region_id",
    "industry_code",
    "established_on",
    "status",
)
FIELD_LABELS = {
    "name": "名称",
    "legal_form": "主体类型",
    "legal_representative": "法定代表人/负责人",
    "address": "住所/经营场所",
    "region_id": "行政区划",
    "industry_code": "行业代码",
    "established_on": "成立日期",
    "status": "登记状态",
    "risk_class": "信用风险分类",
    "risk_classified_on": "分类日期",
}
# 登记状态 as the registration system writes it → ours. 吊销 first: "吊销，未注销" is revoked.
STATUS_WORDS = (
    ("吊销", EntityStatus.REVOKED),
    ("注销", EntityStatus.DEREGISTERED),
    ("撤销", EntityStatus.DEREGISTERED),
    ("迁出", EntityStatus.MOVED_OUT),
    ("在业", EntityStatus.OPERATING),
    ("存续", EntityStatus.EXISTING),
    ("在营", EntityStatus.EXISTING),
    ("开业", EntityStatus.EXISTING),
    ("在册", EntityStatus.EXISTING),
    ("迁入", EntityStatus.EXISTING),
)
INACTIVE = (EntityStatus.DEREGISTERED, EntityStatus.REVOKED)
# 企业类型 → 主体类型: the registration system's types are long (有限责任公司（自然人独资）);
# what the draw needs is the broad form.
LEGAL_FORM_WORDS = (
    ("个体", LegalForm.INDIVIDUAL),
    ("事业单位", LegalForm.PUBLIC_INSTITUTION),
    ("社会团体", LegalForm.SOCIAL_ORGANISATION),
    ("民办非企业", LegalForm.SOCIAL_ORGANISATION),
    ("基金会", LegalForm.SOCIAL_ORGANISATION),
    ("社会组织", LegalForm.SOCIAL_ORGANISATION),
    ("机关", LegalForm.GOVERNMENT),
    ("农民专业合作", LegalForm.OTHER),
)
REGISTRATION_NUMBER = re.compile(r"^\d{13}$|^\d{15}$")


@dataclass(frozen=True)
class RegistrationRow:
    """One row of a registration export, checked; `given` names the fields it had a column for."""

    row: int
    uscc: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One entity's changed fields: {field: (before, after)} as shown to the person confirming."""

    uscc: str
    name: str
    fields: dict[str, tuple[Any, Any]]
    display: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # e.g. region names

    def shown(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "name": self.name,
            "changes": {
                FIELD_LABELS.get(key, key): [_shown(v) for v in self.display.get(key, pair)]
                for key, pair in self.fields.items()
            },
        }


@dataclass
class Preview:
    """What a file would change, written nowhere yet. `fingerprint` names exactly these
    changes; apply refuses when the changes computed again differ."""

    kind: str
    total_rows: int
    problems: list[Problem] = field(default_factory=list)
    new: list[RegistrationRow] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    deregistered: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)  # rows left out, each with its reason

    @property
    def fingerprint(self) -> str:
        return sha256_hex(
            canonical_json(
                {
                    "kind": self.kind,
                    "new": [[r.uscc, _plain(r.values)] for r in self.new],
                    "changed": [c.shown() for c in self.changed],
                    "deregistered": [c.shown() for c in self.deregistered],
                }
            )
        )

    def summary(self, shown: int = 20) -> dict[str, Any]:
        """The counts and the first `shown` of each list, for a page, the API and the command."""
        return {
            "kind": self.kind,
            "fingerprint": self.fingerprint,
            "total_rows": self.total_rows,
            "new": len(self.new),
            "changed": len(self.changed),
            "deregistered": len(self.deregistered),
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "problem_count": len(self.problems),
            "problems": [_problem(p) for p in self.problems[:shown]],
            "new_rows": [
                {"uscc": r.uscc, "name": r.values.get("name", "")} for r in self.new[:shown]
            ],
            "changed_rows": [c.shown() for c in self.changed[:shown]],
            "deregistered_rows": [c.shown() for c in self.deregistered[:shown]],
            "skipped_rows": [_problem(p) for p in self.skipped[:shown]],
        }


@dataclass(frozen=True)
class Applied:
    created: int
    changed: int
    deregistered: int


class PreviewOutdated(ValueError):
    """The directory changed since the preview: the changes are no longer those confirmed."""


OUTDATED = "名录库在预览之后有变化，要写入的内容已与预览不同，未写入任何数据：请重新预览后再确认"


# ---------------------------------------------------------------- registration exports


def preview_registration(file: IO[bytes], filename: str, *, actor: Any) -> Preview:
    """What a registration export would change in the directory; writes nothing."""
    jurisdiction = import_jurisdiction(actor)
    rows, preview = _read(file, filename, "registration", ALIASES, _registration_rows)
    if preview.problems:
        return preview
    return _registration_changes(rows, preview, jurisdiction)


def apply_registration(file: IO[bytes], filename: str, *, actor: Any, fingerprint: str) -> Applied:
    """Write the previewed changes in one transaction, if they are still those previewed."""
    with transaction.atomic():
        preview = preview_registration(file, filename, actor=actor)
        _require_same(preview, fingerprint)
        regions = dict(Region.objects.values_list("code", "pk"))
        created = insert_entities(
            [
                NewEntity(
                    uscc=r.uscc,
                    name=r.values["name"],
                    legal_form=r.values.get("legal_form") or LegalForm.ENTERPRISE,
                    legal_representative=r.values.get("legal_representative", ""),
                    address=r.values.get("address", ""),
                    region_id=regions[r.values["region_code"]],
                    industry_code=r.values.get("industry_code", ""),
                    registered_capital=None,
                    established_on=r.values.get("established_on"),
                    status=r.values.get("status") or EntityStatus.EXISTING,
                    risk_class="",
                    risk_classified_on=None,
                    risk_source="",
                    category_ids=(),
                )
                for r in preview.new
            ]
        )
        _save_changes([*preview.changed, *preview.deregistered])
    tally.request_rebuild()
    return Applied(created, len(preview.changed), len(preview.deregistered))


def _read(
    file: IO[bytes],
    filename: str,
    kind: str,
    aliases: dict[str, tuple[str, ...]],
    parse: Callable[[list[Row], dict[str, str], Preview], list[Any]],
) -> tuple[list[Any], Preview]:
    """The file read within the upload limit, its columns matched, each row checked."""
    preview = Preview(kind, 0)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        preview.problems = [
            Problem(
                0, "文件", filename, f"超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请分成几个文件"
            )
        ]
        return [], preview
    try:
        table = read_table(io.BytesIO(data), filename)
    except TableError as error:
        preview.problems = [table_problem(error, filename)]
        return [], preview
    preview.total_rows = len(table.rows)
    columns = _columns(table.header, aliases)
    rows = parse(table.rows, columns, preview)
    preview.problems.sort(key=lambda p: p.row)
    return rows, preview


def _columns(header: Sequence[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each field's column in this file (the first alias present)."""
    present = set(header)
    found = {}
    for key, names in aliases.items():
        for name in names:
            if name in present:
                found[key] = name
                break
    return found


def _registration_rows(
    rows: list[Row], columns: dict[str, str], preview: Preview
) -> list[RegistrationRow]:
    missing = [ALIASES[key][0] for key in REQUIRED if key not in columns]
    if missing:
        names = "、".join(f"{ALIASES[k][0]}（或{'/'.join(ALIASES[k][1:3])}）" for k in REQUIRED)
        preview.problems = [Problem(1, column, "", f"缺少必填列：{names}") for column in missing]
        return []
    authorities = _authority_regions()
    parsed = []
    for row in rows:
        values, problems = _registration_row(row, columns, authorities)
        preview.problems += problems
        if values is not None:
            parsed.append(values)
    code_column = columns["uscc"]
    preview.problems += repeated_in_file(
        ((r.row, r.uscc) for r in parsed), code_column, "统一社会信用代码"
    )
    return parsed


def _registration_row(
    row: Row, columns: dict[str, str], authorities: dict[str, str]
) -> tuple[RegistrationRow | None, list[Problem]]:
    problems: list[Problem] = []

    def cell(key: str) -> str:
        return row.cells.get(columns[key], "") if key in columns else ""

    def fail(key: str, message: str) -> None:
        problems.append(Problem(row.number, columns.get(key, key), cell(key), message))

    code = cell("uscc").upper()
    uscc = ""
    if REGISTRATION_NUMBER.match(code):
        fail("uscc", "只有注册号、没有统一社会信用代码的主体不能导入名录库，请先补全代码")
    else:
        try:
            uscc = validate_uscc(code)
        except ShuangsuijiError as error:
            fail("uscc", str(error))
    values: dict[str, Any] = {}
    name = cell("name")
    if not name:
        fail("name", "名称不能为空")
    values["name"] = name
    for key in ("legal_representative", "address"):
        if key in columns:
            values[key] = cell(key)
    for key, column in (
        ("name", NAME_COLUMN),
        ("legal_representative", REPRESENTATIVE_COLUMN),
        ("address", ADDRESS_COLUMN),
    ):
        text = values.get(key, "")
        if len(text) > TEXT_LIMITS[column]:
            fail(key, f"过长（{len(text)}个字符，最多{TEXT_LIMITS[column]}个字符）")
    if "legal_form" in columns:
        values["legal_form"] = _legal_form(cell("legal_form"))
    if "status" in columns:
        status = _status(cell("status"))
        if status is None:
            fail("status", "无法识别的登记状态（应含 存续、在业、注销、吊销 或 迁出）")
        values["status"] = status or ""
    if "established_on" in columns and cell("established_on"):
        values["established_on"] = _date(cell("established_on"))
        if values["established_on"] is None:
            fail("established_on", "日期无效，应写作 2023-03-01")
    if "industry_code" in columns:
        values["industry_code"] = cell("industry_code").upper()
    region = _region_code(cell("region_code"), cell("authority"), uscc, authorities)
    if region is None and uscc:
        fail("authority", "无法确定行政区划：请加“行政区划代码”列，或在部门中登记该机关名称")
    values["region_code"] = region or ""
    if problems:
        return None, problems
    return RegistrationRow(row.number, uscc, values), []


def _status(text: str) -> str | None:
    if not text:
        return EntityStatus.EXISTING
    for word, status in STATUS_WORDS:
        if word in text:
            return str(status)
    return None


def _legal_form(text: str) -> str:
    for word, form in LEGAL_FORM_WORDS:
        if word in text:
            return str(form)
    return str(LegalForm.ENTERPRISE) if text else ""


def _date(text: str) -> date | None:
    match = DATE_FORMATS.match(text.strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _authority_regions() -> dict[str, str]:
    """Each department's full name, short name and alias → its region's code: 管辖单位 and
    登记机关 name a market regulation bureau, whose region is the entity's."""
    names: dict[str, str] = {}
    for full, short, code in Department.objects.values_list("name", "short_name", "region__code"):
        names.setdefault(full, code)
        names.setdefault(short, code)
    for alias, code in DepartmentAlias.objects.values_list("name", "region__code"):
        names.setdefault(alias, code)
    return names


def _region_code(given: str, authority: str, uscc: str, authorities: dict[str, str]) -> str | None:
    """The entity's region: the file's 行政区划代码; else its 管辖单位/登记机关 as a known
    department; else the code's 3rd–8th characters, the registering authority's region
    (GB 32100-2015 §4.3)."""
    if re.fullmatch(r"\d{6}", given):
        return given
    if authority in authorities:
        return authorities[authority]
    if uscc and uscc[2:8].isdigit():
        return uscc[2:8]
    return None


def _registration_changes(
    rows: list[RegistrationRow], preview: Preview, jurisdiction: Jurisdiction
) -> Preview:
    existing = _existing([r.uscc for r in rows])
    regions = dict(Region.objects.values_list("code", "pk"))
    names = dict(Region.objects.values_list("pk", "name"))
    for r in rows:
        region_code = r.values["region_code"]
        region_id = regions.get(region_code)
        entity = existing.get(r.uscc)
        if entity is None:
            if r.values.get("status") in (*INACTIVE, EntityStatus.MOVED_OUT):
                preview.skipped.append(
                    Problem(r.row, "登记状态", r.values["status"], "名录库中没有该主体，不导入")
                )
                continue
            if region_id is None:
                preview.problems.append(
                    Problem(r.row, "行政区划", region_code, "未知的行政区划代码")
                )
            elif not jurisdiction.holds(region_id):
                preview.skipped.append(
                    Problem(r.row, "行政区划", region_code, f"不在本辖区（{jurisdiction.name}）")
                )
            else:
                preview.new.append(r)
            continue
        if not jurisdiction.holds(entity.region_id):
            preview.skipped.append(
                Problem(r.row, "统一社会信用代码", r.uscc, "该主体不在本辖区，未改动")
            )
            continue
        wanted = {key: value for key, value in r.values.items() if key != "region_code"}
        if region_id is not None and region_id != entity.region_id:
            if jurisdiction.holds(region_id):
                wanted["region_id"] = region_id
            else:
                message = "迁往本辖区以外，未改动：请由上级协调员办理"
                preview.skipped.append(Problem(r.row, "行政区划", region_code, message))
                continue
        fields = {
            key: (getattr(entity, key), value)
            for key, value in wanted.items()
            if key in UPDATABLE and value not in ("", None) and getattr(entity, key) != value
        }
        display = {}
        if "region_id" in fields:
            before, after = fields["region_id"]
            display["region_id"] = (names.get(before, before), names.get(after, after))
        if not fields:
            preview.unchanged += 1
            continue
        change = Change(r.uscc, entity.name, fields, display)
        becomes_inactive = (
            "status" in fields and fields["status"][1] in INACTIVE and entity.status not in INACTIVE
        )
        (preview.deregistered if becomes_inactive else preview.changed).append(change)
    preview.problems.sort(key=lambda p: p.row)
    return preview


def _existing(codes: Sequence[str]) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found.update((e.uscc, e) for e in Entity.objects.filter(uscc__in=chunk))
    return found


def _save_changes(changes: Iterable[Change]) -> None:
    """Each changed entity saved through the model (name initials, the audit entry)."""
    changes = list(changes)
    entities = _existing([c.uscc for c in changes])
    for change in changes:
        entity = entities[change.uscc]
        for key, (_, after) in change.fields.items():
            setattr(entity, key, after)
        entity.save(update_fields=[*change.fields, "name_initials", "updated_at"])


def _require_same(preview: Preview, fingerprint: str) -> None:
    if preview.problems:
        raise ImportRejected(preview.problems)
    if preview.fingerprint != fingerprint:
        raise PreviewOutdated(OUTDATED)


# ---------------------------------------------------------------- credit-risk classes

RISK_ALIASES: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "社会信用代码", "统一社会信用代码/注册号"),
    "risk_class": ("信用风险分类", "风险分类", "信用风险等级", "分类结果", "风险等级"),
    "risk_classified_on": ("分类日期", "评定日期", "分类时间", "更新日期"),
    "risk_source": ("分类来源", "来源"),
}
RISK_REQUIRED = ("uscc", "risk_class", "risk_classified_on")


def preview_risk_classes(
    file: IO[bytes], filename: str, *, actor: Any, source: str = ""
) -> Preview:
    """What a monthly class file (code → class, date) would change; writes nothing. A row
    older than the class the entity already has is left out: a late file does not undo a
    newer classification."""
    jurisdiction = import_jurisdiction(actor)

    def parse(rows: list[Row], columns: dict[str, str], preview: Preview) -> list[Any]:
        missing = [RISK_ALIASES[k][0] for k in RISK_REQUIRED if k not in columns]
        if missing:
            preview.problems = [Problem(1, name, "", "缺少必填列") for name in missing]
            return []
        parsed = [r for row in rows if (r := _risk_row(row, columns, preview, source))]
        keyed = ((r.row, r.uscc) for r in parsed)
        preview.problems += repeated_in_file(keyed, columns["uscc"], "统一社会信用代码")
        return parsed

    rows, preview = _read(file, filename, "risk", RISK_ALIASES, parse)
    if preview.problems:
        return preview
    existing = _existing([r.uscc for r in rows])
    for r in rows:
        entity = existing.get(r.uscc)
        if entity is None:
            preview.skipped.append(Problem(r.row, "统一社会信用代码", r.uscc, "名录库中没有该主体"))
        elif not jurisdiction.holds(entity.region_id):
            preview.skipped.append(
                Problem(r.row, "统一社会信用代码", r.uscc, "该主体不在本辖区，未改动")
            )
        elif (
            entity.risk_classified_on and r.values["risk_classified_on"] < entity.risk_classified_on
        ):
            message = f"早于现有分类的日期（{entity.risk_classified_on.isoformat()}），未改动"
            preview.skipped.append(
                Problem(r.row, "分类日期", r.values["risk_classified_on"].isoformat(), message)
            )
        else:
            fields = {
                key: (getattr(entity, key), value)
                for key, value in r.values.items()
                if getattr(entity, key) != value and (key != "risk_source" or value)
            }
            if set(fields) <= {"risk_source"}:
                preview.unchanged += 1
            else:
                preview.changed.append(Change(r.uscc, entity.name, fields))
    return preview


def _risk_row(
    row: Row, columns: dict[str, str], preview: Preview, source: str
) -> RegistrationRow | None:
    problems: list[Problem] = []

    def cell(key: str) -> str:
        return row.cells.get(columns[key], "") if key in columns else ""

    def fail(key: str, message: str) -> None:
        problems.append(Problem(row.number, columns[key], cell(key), message))

    uscc = risk = ""
    try:
        uscc = validate_uscc(cell("uscc"))
    except ShuangsuijiError as error:
        fail("uscc", str(error))
    try:
        parsed = parse_risk_class(cell("risk_class"))
        risk = parsed.value if parsed else ""
        if not risk:
            fail("risk_class", "分类不能为空")
    except ShuangsuijiError as error:
        fail("risk_class", str(error))
    day = _date(cell("risk_classified_on"))
    if day is None:
        fail("risk_classified_on", "日期无效，应写作 2023-03-01")
    preview.problems += problems
    if problems:
        return None
    values = {
        "risk_class": risk,
        "risk_classified_on": day,
        "risk_source": cell("risk_source") or source,
    }
    return RegistrationRow(row.number, uscc, values)


def apply_risk_classes(
    file: IO[bytes], filename: str, *, actor: Any, fingerprint: str, source: str = ""
) -> Applied:
    """Write the previewed class changes in one transaction, if still those previewed."""
    with transaction.atomic():
        preview = preview_risk_classes(file, filename, actor=actor, source=source)
        _require_same(preview, fingerprint)
        entities = _existing([c.uscc for c in preview.changed])
        for change in preview.changed:
            entity = entities[change.uscc]
            for key, (_, after) in change.fields.items():
                setattr(entity, key, after)
            entity.save(update_fields=[*change.fields, "updated_at"])
    tally.request_rebuild()
    return Applied(0, len(preview.changed), 0)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return _shown(value)


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "message": problem.message,
    }
