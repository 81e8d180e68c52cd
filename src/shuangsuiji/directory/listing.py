"""Keyset pagination for directory lists of a million rows.

`Paginator` runs COUNT(*) over the whole filtered set on every page and then OFFSET, which
reads and throws away every earlier row: at 1,000,000 entities both grow with the table and
page 2,000 costs as much as a full scan. Here a page is "the next 50 rows after this key",
which an index answers in the same time for page 1 and page 20,000. What is lost is the page
number and the total; the total is asked for separately (`capped_count`) so a slow count
never holds up the rows.

The key is a tuple compared as a row value, `(region_id, id) < (3, 41817)`, in the order of
an index (entities: region, then id; the newest first within a region). Ordering by id alone
looks the same to a county's user, but PostgreSQL then walks the primary key from the newest
row and discards every other county's rows on the way, half a million of them in the demo;
for the same reason PostgreSQL compares and orders entities by `(region_id, id + 0)`, see
`region_then_id`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BigIntegerField, Expression, F, Func, QuerySet
from django.db.models.fields.tuple_lookups import (  # Django's own, for composite keys
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    next_after: str | None  # the key to pass as ?after= for the next page, None on the last
    previous_before: str | None  # the key to pass as ?before= for the previous page

    @property
    def is_first(self) -> bool:
        return self.previous_before is None


def keyset_page(
    queryset: QuerySet[Any],
    *,
    after: str | None,
    before: str | None,
    keys: Sequence[str] = ("id",),
    order: Sequence[Expression] | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """Rows in descending `keys` order; `after` moves forward, `before` back one page.

    `keys` are the rows' attributes that make the cursor; `order`, if given, the SQL the rows
    are ordered and compared by, one expression per key with the same values (default: the
    key's column)."""
    expressions = list(order) if order is not None else [F(key) for key in keys]
    if len(expressions) != len(keys):
        raise ValueError("one order expression per key")
    columns = Tuple(*expressions)

    def key(row: Any) -> str:
        return ".".join(str(getattr(row, name)) for name in keys)

    if (cursor := _parse(before, len(keys))) is not None:
        newer = queryset.filter(TupleGreaterThan(columns, cursor)).order_by(
            *(expression.asc() for expression in expressions)
        )
        rows = list(newer[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows=rows,
            next_after=key(rows[-1]) if rows else None,
            previous_before=key(rows[0]) if rows and has_newer else None,
        )
    cursor = _parse(after, len(keys))
    if cursor is not None:
        queryset = queryset.filter(TupleLessThan(columns, cursor))
    rows = list(queryset.order_by(*(expression.desc() for expression in expressions))[: size + 1])
    has_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        next_after=key(rows[-1]) if rows and has_older else None,
        previous_before=key(rows[0]) if rows and cursor is not None else None,
    )


def region_then_id(queryset: QuerySet[Any]) -> list[Expression]:
    """The entity list's order, `(region_id, id)`, as SQL for `queryset`'s database.

    On PostgreSQL the id is written `id + 0` (same values), which only the index
    `entity_region_listing` on `(region_id, (id + 0))` gives in order (migration 0006). Why:
    when the rows are limited to one region (a county coordinator whose county has no
    sub-regions, `region_id IN (3)`, or the region filter), PostgreSQL takes `region_id = 3` as
    a constant and drops it from `ORDER BY region_id DESC, id DESC`; the primary key then gives
    the remaining `id DESC` order too, and the planner, which supposes a county's rows spread
    evenly over the ids, walks it from the newest row, filtering. Counties are imported one
    after the other, so it reads every newer county's rows first: 500,000 rows, 150–450 ms
    for a page of 50 in the demo. A per-region `UNION ALL` has the same plan in each branch.
    With `id + 0` the primary key no longer gives the order and the index is read from the
    county's newest row: under a millisecond. Several regions (`region_id = ANY(…)`) keep the
    index's order too, since the array is on its leading column.

    SQLite keeps the columns (the index is PostgreSQL only, like the trigram indexes).
    """
    if connections[queryset.db].vendor != "postgresql":
        return [F("region_id"), F("id")]
    opaque_id = Func(F("id"), template="(%(expressions)s + 0)", output_field=BigIntegerField())
    return [F("region_id"), opaque_id]


def _parse(text: str | None, length: int) -> tuple[int, ...] | None:
    parts = (text or "").split(".")
    if len(parts) != length or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def capped_count(queryset: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """(count, exceeded): counts at most `cap` + 1 rows, so a broad search stays cheap."""
    found = queryset.order_by()[: cap + 1].count()
    return min(found, cap), found > cap
