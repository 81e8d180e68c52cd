"""The open-data files of published results (CSV and JSON), read for streaming.

A province publishes hundreds of thousands of results. Building a model per result, with its
entity, task, plan and department joined in and its categories prefetched per chunk, took
0.5 ms a row (86 s for 175,085 rows). Here the rows are plain tuples from one server-side
cursor (`values_list(...).iterator(chunk_size=…)`), the categories are read once (a few dozen)
and each chunk's chosen categories in one query, so memory stays one chunk whatever the size
of the file. The rows are `services.public_rows`'s, field for field (a test compares them).
"""

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from shuangsuiji.inspections.models import Inspection, ResultCategory

CHUNK = 2_000  # rows per fetch from the cursor and per query of their categories
COLUMNS = (
    "pk",
    "visit__entity__name",
    "visit__entity__uscc",
    "task__plan__title",
    "task__plan__year",
    "task__name",
    "task__lead_department__name",
    "inspected_on",
    "published_at",
)


def stream_rows(found: QuerySet[Inspection], chunk: int = CHUNK) -> Iterator[dict[str, Any]]:
    """The public rows of `found` (published results, in its order), one chunk at a time."""
    names = {
        pk: (f"{parent}：{name}" if parent else name, code)
        for pk, name, parent, code in ResultCategory.objects.values_list(
            "pk", "name", "parent__name", "code"
        )
    }
    chosen = Inspection.results.through.objects
    cursor = found.values_list(*COLUMNS).iterator(chunk_size=chunk)
    while batch := list(islice(cursor, chunk)):
        results: dict[int, list[tuple[str, str]]] = defaultdict(list)
        pairs = chosen.filter(inspection_id__in=[row[0] for row in batch]).values_list(
            "inspection_id", "resultcategory_id"
        )
        for inspection_id, category_id in pairs:
            results[inspection_id].append(names[category_id])
        for pk, entity, uscc, plan, year, task, department, inspected, published in batch:
            yield {
                "entity": entity,
                "uscc": uscc,
                "plan": plan,
                "year": year,
                "task": task,
                "department": department or "",
                # ordered as ResultCategory is (by code), as the model path lists them
                "results": "；".join(name for name, _ in sorted(results[pk], key=_by_code)),
                "date": inspected.isoformat() if inspected else "",
                "published": timezone.localtime(published).isoformat(timespec="seconds")
                if published
                else "",
            }


def _by_code(category: tuple[str, str]) -> str:
    return category[1]
