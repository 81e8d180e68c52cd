"""Actions on the directory, shared by the admin, CLI, importers and demo builder."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from shuangsuiji.accounts.permissions import regions_in_jurisdiction
from shuangsuiji.core.pinyin import pinyin_initials
from shuangsuiji.directory.enums import RegionLevel
from shuangsuiji.directory.importers import (
    CATEGORIES,
    REGION,
    USCC,
    EntityValues,
    Problem,
    missing_columns,
    parse_entity_row,
    repeated_in_file,
    table_problem,
)
from shuangsuiji.directory.models import Entity, Region, ScopeCategory
from shuangsuiji.directory.records import NewEntity
from shuangsuiji.lib.bulk import LOOKUP_CHUNK, ids_by_key, insert_rows
from shuangsuiji.lib.tables import TableError, read_table


class ImportRejected(ValueError):
    """The file has problems; nothing was written. `problems` names each row, column and value."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "；".join(str(problem) for problem in self.problems[:20])
        more = f"；另有{len(self.problems) - 20}处问题" if len(self.problems) > 20 else ""
        super().__init__(f"导入失败，未写入任何数据。{shown}{more}")


def ensure_region_chain(*levels: tuple[str, str]) -> Region:
    """Get or create (code, name) regions from province down; returns the last (the county)."""
    region = None
    for (code, name), level in zip(levels, RegionLevel.values, strict=False):
        region, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": region}
        )
    if region is None:
        raise ValueError("ensure_region_chain needs at least one region")
    return region


@dataclass(frozen=True)
class ImportResult:
    created: int


@dataclass(frozen=True)
class CheckedFile:
    """A file read and checked but not written: its rows' values, or every problem found."""

    total_rows: int
    rows: list[EntityValues]
    problems: list[Problem]


Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1_000  # rows between progress reports while checking


IMPORT_PERMISSION = "directory.add_entity"


@dataclass(frozen=True)
class Jurisdiction:
    """Where an importing user may file entities: `region_ids` None means everywhere (the
    installation's superuser); `name` is what a refused row is told."""

    name: str
    region_ids: frozenset[int] | None

    def holds(self, region_id: int) -> bool:
        return self.region_ids is None or region_id in self.region_ids


def import_jurisdiction(actor: Any) -> Jurisdiction:
    """The regions `actor` may import entities into: its department's region and those below.
    Raises PermissionDenied for a user who may not import at all."""
    if not getattr(actor, "is_active", False) or not actor.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied("只有协调员可以导入检查对象")
    if actor.is_superuser:
        return Jurisdiction("全部行政区划", None)
    department = getattr(actor, "department", None)
    if department is None:
        raise PermissionDenied("用户没有所属部门，无法确定可导入的行政区划")
    ids = regions_in_jurisdiction(Region.objects.all(), actor).values_list("pk", flat=True)
    return Jurisdiction(department.region.name, frozenset(ids))


def import_entities_file(file: IO[bytes], filename: str, *, actor: Any) -> ImportResult:
    """Import entities from an .xlsx or .csv in the template's columns, all or nothing, as
    `actor`: every row's region must lie in the actor's jurisdiction.

    Two imports racing for the same code: the loser's insert meets the unique constraint, its
    transaction rolls back whole, and it is refused like a checked duplicate (ImportRejected).
    """
    checked = check_entities_file(file, filename, actor=actor)
    if checked.problems:
        raise ImportRejected(checked.problems)
    return ImportResult(created=create_entities(checked.rows, actor=actor))


def check_entities_file(
    file: IO[bytes],
    filename: str,
    *,
    actor: Any,
    progress: Progress = lambda done, total: None,
) -> CheckedFile:
    """Read and check every row against the format, the directory and `actor`'s jurisdiction
    (PermissionDenied if it may not import at all); write nothing.

    `progress(done, total)` is called every PROGRESS_EVERY rows, so a page can show how far a
    large file has come. Problems come sorted by row, as a user reads the file.
    """
    jurisdiction = import_jurisdiction(actor)
    try:
        table = read_table(file, filename)
    except TableError as error:
        return CheckedFile(0, [], [table_problem(error, filename)])
    total = len(table.rows)
    problems = missing_columns(set(table.header))
    if problems:
        return CheckedFile(total, [], problems)
    parsed: list[EntityValues] = []
    for done, row in enumerate(table.rows, start=1):
        values, row_problems = parse_entity_row(row)
        problems.extend(row_problems)
        if values is not None:
            parsed.append(values)
        if done % PROGRESS_EVERY == 0:
            progress(done, total)
    problems.extend(_reference_problems(parsed, jurisdiction))
    progress(total, total)
    return CheckedFile(total, parsed, sorted(problems, key=lambda problem: problem.row))


# A code registered in another district cannot be imported (the code is unique), so its
# existence there is learnable by anyone who can import; the message says no more than that:
# not which district, nor the entity's name.
ELSEWHERE = "该统一社会信用代码已在其他辖区登记，不能导入；如属迁入，请联系上级协调员办理"
IN_DIRECTORY = "该统一社会信用代码已在名录库中"


def _reference_problems(parsed: list[EntityValues], jurisdiction: Jurisdiction) -> list[Problem]:
    """Duplicates within the file and against the directory, regions unknown or outside the
    importing user's jurisdiction, unknown categories."""
    problems = _duplicate_problems(parsed, jurisdiction)
    regions = dict(
        Region.objects.filter(code__in={v.region_code for v in parsed}).values_list("code", "pk")
    )
    outside = f"不在本辖区（{jurisdiction.name}）内，不能导入"
    problems += [
        Problem(v.row, REGION, v.region_code, "未知的行政区划代码")
        if v.region_code not in regions
        else Problem(v.row, REGION, v.region_code, outside)
        for v in parsed
        if v.region_code not in regions or not jurisdiction.holds(regions[v.region_code])
    ]
    known = set(ScopeCategory.objects.values_list("name", flat=True))
    problems += [
        Problem(v.row, CATEGORIES, name, "未知的检查对象类别，请先在“检查对象类别”中添加")
        for v in parsed
        for name in v.categories
        if name not in known
    ]
    return problems


def _duplicate_problems(
    parsed: Sequence[EntityValues], jurisdiction: Jurisdiction
) -> list[Problem]:
    """Codes twice in the file, or already in the directory (in the jurisdiction or not)."""
    problems = repeated_in_file(((v.row, v.uscc) for v in parsed), USCC, "统一社会信用代码")
    existing = _regions_of_codes(list(dict.fromkeys(v.uscc for v in parsed)))
    problems += [
        Problem(
            v.row, USCC, v.uscc, IN_DIRECTORY if jurisdiction.holds(existing[v.uscc]) else ELSEWHERE
        )
        for v in parsed
        if v.uscc in existing
    ]
    return problems


def _regions_of_codes(codes: Sequence[str]) -> dict[str, int]:
    """The region id of each code already in the directory (in chunks, like ids_by_key)."""
    found: dict[str, int] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found.update(Entity.objects.filter(uscc__in=chunk).values_list("uscc", "region_id"))
    return found


def create_entities(parsed: Sequence[EntityValues], *, actor: Any) -> int:
    """Write checked rows in one transaction. A code added meanwhile (an import racing this
    one) meets the unique constraint: the transaction rolls back whole and the rows are
    refused as duplicates (ImportRejected), so the import stays all or nothing."""
    jurisdiction = import_jurisdiction(actor)
    region_ids = dict(Region.objects.values_list("code", "pk"))
    category_ids = dict(ScopeCategory.objects.values_list("name", "pk"))
    records = [
        NewEntity(
            uscc=v.uscc,
            name=v.name,
            legal_form=v.legal_form,
            legal_representative=v.legal_representative,
            address=v.address,
            region_id=region_ids[v.region_code],
            industry_code=v.industry_code,
            registered_capital=v.registered_capital,
            established_on=v.established_on,
            status=v.status,
            risk_class=v.risk_class,
            risk_classified_on=v.risk_classified_on,
            risk_source=v.risk_source,
            category_ids=tuple(category_ids[name] for name in v.categories),
        )
        for v in parsed
        if jurisdiction.holds(region_ids[v.region_code])
    ]
    if len(records) != len(parsed):  # the caller skipped the check: refuse, never narrow
        raise PermissionDenied("文件中有不在本辖区的行，未写入任何数据")
    try:
        with transaction.atomic():
            return insert_entities(records)
    except IntegrityError as error:
        raise ImportRejected(
            _duplicate_problems(parsed, jurisdiction) or [Problem(0, "文件", "", RACED)]
        ) from error


RACED = "写入时与同时进行的修改冲突，未写入任何数据，请重新导入"


ENTITY_INSERT_COLUMNS = (
    "uscc",
    "name",
    "name_initials",
    "legal_form",
    "legal_representative",
    "address",
    "region_id",
    "industry_code",
    "registered_capital",
    "established_on",
    "status",
    "risk_class",
    "risk_classified_on",
    "risk_source",
    "updated_at",
)


def insert_entities(records: Sequence[NewEntity]) -> int:
    """Insert new entities and their categories at bulk speed; the caller owns the transaction.

    Fills `name_initials` where the record has none (Entity.save() is not called).
    """
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    rows = (
        (
            r.uscc,
            r.name,
            r.name_initials or pinyin_initials(r.name),
            r.legal_form,
            r.legal_representative,
            r.address,
            r.region_id,
            r.industry_code,
            ops.adapt_decimalfield_value(r.registered_capital, 14, 2),
            ops.adapt_datefield_value(r.established_on),
            r.status,
            r.risk_class,
            ops.adapt_datefield_value(r.risk_classified_on),
            r.risk_source,
            now,
        )
        for r in records
    )
    inserted = insert_rows(Entity, ENTITY_INSERT_COLUMNS, rows)
    ids = ids_by_key(Entity, "uscc", [r.uscc for r in records if r.category_ids])
    links = ((ids[r.uscc], category_id) for r in records for category_id in r.category_ids)
    insert_rows(Entity.categories.through, ("entity_id", "scopecategory_id"), links)
    return inserted
