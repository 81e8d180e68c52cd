"""The open-data files are streamed from plain values: the same rows the model path gives,
a bounded number of queries per chunk, and the whole search in the file."""

import csv
import io
from math import ceil

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.disclosure.opendata import stream_rows
from shuangsuiji.disclosure.services import public_rows, search_published, with_public_relations
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from tests.assignments.conftest import demo  # noqa: F401 (fixture)
from tests.factories import approved_results

pytestmark = pytest.mark.django_db


def published_in_bulk(count: int) -> list[int]:
    """`count` more published results, each with a result category or two."""
    chosen = approved_results(count)
    categories = list(ResultCategory.objects.filter(children__isnull=True).order_by("-code")[:2])
    Inspection.results.through.objects.bulk_create(
        Inspection.results.through(inspection_id=pk, resultcategory=category)
        for n, pk in enumerate(chosen)
        for category in categories[: 1 + n % 2]
    )
    Inspection.objects.filter(pk__in=chosen).update(
        state=InspectionState.PUBLISHED, published_at=timezone.now()
    )
    return chosen


def test_the_streamed_rows_are_the_model_paths_rows(demo: DemoSummary) -> None:  # noqa: F811
    published_in_bulk(30)
    found = search_published({})

    streamed = list(stream_rows(found, chunk=7))

    assert len(streamed) == found.count() > 30
    assert streamed == public_rows(with_public_relations(found))


def test_a_chunk_costs_one_query_whatever_the_rows(demo: DemoSummary) -> None:  # noqa: F811
    published_in_bulk(2500)
    found = search_published({})
    total = found.count()

    with CaptureQueriesContext(connection) as queries:
        rows = sum(1 for _ in stream_rows(found, chunk=500))

    assert rows == total
    # the categories once, the results' cursor once, each chunk's chosen categories once
    assert len(queries.captured_queries) == 2 + ceil(total / 500)


def test_the_csv_is_streamed_with_every_published_result(demo: DemoSummary) -> None:  # noqa: F811
    published_in_bulk(2500)

    response = Client().get(reverse("disclosure:results_data", args=["csv"]))
    chunks = list(response.streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))

    assert response.streaming
    assert len(chunks) > 2
    assert len(rows) == Inspection.objects.filter(state=InspectionState.PUBLISHED).count()
