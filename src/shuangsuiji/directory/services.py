"""Actions on the directory, shared by the admin, CLI, importers and demo builder."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from django.db import transaction

from shuangsuiji.core.pinyin import pinyin_initials
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
from shuangsuiji.lib.tables import TableError, read_table

BATCH_SIZE = 2_000


class ImportRejected(ValueError):
    """The file has problems; nothing was written. `problems` names each row, column and value."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "；".join(str(problem) for problem in self.problems[:20])
        more = f"；另有{len(self.problems) - 20}处问题" if len(self.problems) > 20 else ""
        super().__init__(f"导入失败，未写入任何数据。{shown}{more}")


@dataclass(frozen=True)
class ImportResult:
    created: int


def import_entities_file(file: IO[bytes], filename: str) -> ImportResult:
    """Import entities from an .xlsx or .csv in the template's columns, all or nothing."""
    try:
        table = read_table(file, filename)
    except TableError as error:
        raise ImportRejected([Problem(0, "文件", filename, str(error))]) from error
    problems = missing_columns(set(table.header))
    if problems:
        raise ImportRejected(problems)
    parsed: list[EntityValues] = []
    for row in table.rows:
        values, row_problems = parse_entity_row(row)
        problems.extend(row_problems)
        if values is not None:
            parsed.append(values)
    problems.extend(_reference_problems(parsed))
    if problems:
        raise ImportRejected(sorted(problems, key=lambda problem: problem.row))
    return ImportResult(created=_create_entities(parsed))


def _reference_problems(parsed: list[EntityValues]) -> list[Problem]:
    """Duplicates within the file and against the directory, unknown regions and categories."""
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for values in parsed:
        if values.uscc in first_row:
            message = f"与第{first_row[values.uscc]}行的统一社会信用代码重复"
            problems.append(Problem(values.row, USCC, values.uscc, message))
        first_row.setdefault(values.uscc, values.row)
    existing = _existing_usccs(list(first_row))
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


def _existing_usccs(codes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(codes), BATCH_SIZE):
        chunk = codes[start : start + BATCH_SIZE]
        found.update(Entity.objects.filter(uscc__in=chunk).values_list("uscc", flat=True))
    return found


def _create_entities(parsed: list[EntityValues]) -> int:
    region_ids = dict(Region.objects.values_list("code", "pk"))
    category_ids = dict(ScopeCategory.objects.values_list("name", "pk"))
    entities = [
        Entity(
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
        )
        for v in parsed
    ]
    links = [[category_ids[name] for name in v.categories] for v in parsed]
    with transaction.atomic():
        bulk_insert_entities(entities, links)
    return len(entities)


def bulk_insert_entities(entities: list[Entity], category_ids: Iterable[list[int]]) -> None:
    """Insert new entities and their categories in batches, computing the search initials.

    Bypasses Entity.save(), so it fills `name_initials` itself; callers own the transaction.
    """
    for entity in entities:
        if not entity.name_initials:
            entity.name_initials = pinyin_initials(entity.name)
    Entity.objects.bulk_create(entities, batch_size=BATCH_SIZE)
    through = Entity.categories.through
    links = [
        through(entity_id=entity.pk, scopecategory_id=category_id)
        for entity, ids in zip(entities, category_ids, strict=True)
        for category_id in ids
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE * 2)
