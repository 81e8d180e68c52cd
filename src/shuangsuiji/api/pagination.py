"""Limit/offset pages: `{"count", "limit", "offset", "items"}`, at most MAX_LIMIT items."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet

from shuangsuiji.api.schemas import PageQuery


def paginate(
    rows: QuerySet[Any],
    page: PageQuery,
    shape: Callable[[Iterable[Any]], list[Any]],
    *,
    count: int | None = None,
) -> dict[str, Any]:
    """One page of `rows` (which must be ordered), each shaped by `shape`."""
    items = rows[page.offset : page.offset + page.limit]
    return {
        "count": rows.count() if count is None else count,
        "limit": page.limit,
        "offset": page.offset,
        "items": shape(items),
    }
