"""Keyset pagination for directory lists of a million rows.

`Paginator` runs COUNT(*) over the whole filtered set on every page and then OFFSET, which
reads and throws away every earlier row: at 1,000,000 entities both grow with the table and
page 2,000 costs as much as a full scan. Here a page is "the next 50 rows after this id",
which an index on the primary key answers in the same time for page 1 and page 20,000. What
is lost is the page number and the total; the total is asked for separately (`capped_count`)
so a slow count never holds up the rows.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

PAGE_SIZE = 50


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    next_after: int | None  # the id to pass as ?after= for the next page, None on the last
    previous_before: int | None  # the id to pass as ?before= for the previous page

    @property
    def is_first(self) -> bool:
        return self.previous_before is None


def keyset_page(
    queryset: QuerySet[Any], *, after: int | None, before: int | None, size: int = PAGE_SIZE
) -> KeysetPage:
    """Rows newest first (descending id); `after` moves forward, `before` back one page."""
    if before is not None:
        rows = list(queryset.filter(pk__gt=before).order_by("pk")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows=rows,
            next_after=rows[-1].pk if rows else None,
            previous_before=rows[0].pk if rows and has_newer else None,
        )
    if after is not None:
        queryset = queryset.filter(pk__lt=after)
    rows = list(queryset.order_by("-pk")[: size + 1])
    has_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        next_after=rows[-1].pk if rows and has_older else None,
        previous_before=rows[0].pk if rows and after is not None else None,
    )


def capped_count(queryset: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """(count, exceeded): counts at most `cap` + 1 rows, so a broad search stays cheap."""
    found = queryset.order_by()[: cap + 1].count()
    return min(found, cap), found > cap
