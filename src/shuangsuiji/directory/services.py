"""Actions on the directory, shared by the admin, CLI, importers and demo builder."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

from django.db import connection, transaction
from django.utils import timezone

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
)
from shuangsuiji.directory.models import Entity, Region, ScopeCategory
from shuangsuiji.directory.records import NewEntity
from shuangsuiji.lib.bulk import ids_by_key, insert_rows
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


def import_entities_file(file: IO[bytes], filename: str) -> ImportResult:
    """Import entities from an .xlsx or .csv in the template's columns, all or nothing."""
    checked = check_entities_file(file, filename)
    if checked.problems:
        raise ImportRejected(checked.problems)
    return ImportResult(created=create_entities(checked.rows))


def check_entities_file(
    file: IO[bytes], filename: str, *, progress: Progress = lambda done, total: None
) -> CheckedFile:
    """Read and check every row against the format and the directory; write nothing.

    `progress(done, total)` is called every PROGRESS_EVERY rows, so a page can show how far a
    large file has come. Problems come sorted by row, as a user reads the file.
    """
    try:
        table = read_table(file, filename)
    except TableError as error:
        return CheckedFile(0, [], [Problem(0, "文件", filename, str(error))])
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
    problems.extend(_reference_problems(parsed))
    progress(total, total)
    return CheckedFile(total, parsed, sorted(problems, key=lambda problem: problem.row))


def _reference_problems(parsed: list[EntityValues]) -> list[Problem]:
    """Duplicates within the file and against the directory, unknown regions and categories."""
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for values in parsed:
        if values.uscc in first_row:
            message = f"与第{first_row[values.uscc]}行的统一社会信用代码重复"
            problems.append(Problem(values.row, USCC, values.uscc, message))
        first_row.setdefault(values.uscc, values.row)
    existing = ids_by_key(Entity, "uscc", list(first_row))
    problems += [
        Problem(v.row, USCC, v.uscc, "该统一社会信用代码已在名录库中")
        for v in parsed
        if v.uscc in existing
    ]
    regions = set(
        Region.objects.filter(code__in={v.region_code for v in parsed}).values_list(
            "code", flat=True
        )
    )
    problems += [
        Problem(v.row, REGION, v.region_code, "未知的行政区划代码")
        for v in parsed
        if v.region_code not in regions
    ]
    known = set(ScopeCategory.objects.values_list("name", flat=True))
    problems += [
        Problem(v.row, CATEGORIES, name, "未知的检查对象类别，请先在“检查对象类别”中添加")
        for v in parsed
        for name in v.categories
        if name not in known
    ]
    return problems


def create_entities(parsed: Sequence[EntityValues]) -> int:
    """Write checked rows in one transaction; a code added meanwhile fails the whole file
    (the unique constraint), so the import stays all or nothing."""
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
    ]
    with transaction.atomic():
        return insert_entities(records)


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
