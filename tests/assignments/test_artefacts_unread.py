"""Lists and the pages inspectors and reviewers open all day never read a frozen artefact: the
populations, bundles and freeze records live in `artefacts_artefact`, and these pages' SQL
names neither that table nor its `content` (issue 17: an 18 MB bundle joined per row once
took publishing down)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.draws.models import Draw
from tests.assignments.conftest import client_for

pytestmark = pytest.mark.django_db
LUCHENG = "140406"


def _read(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, [q["sql"] for q in captured.captured_queries]


def _touching_artefacts(statements: list[str]) -> list[str]:
    return [sql for sql in statements if "artefacts_artefact" in sql or '"content"' in sql]


def test_the_inspectors_visit_list_reads_no_artefact(demo: DemoSummary) -> None:
    status, statements = _read(client_for("lucheng-inspector"), reverse("assignments:mine"))

    assert status == 200
    assert [sql for sql in statements if "assignments_assignment" in sql] != []  # joined
    assert _touching_artefacts(statements) == []


def test_the_review_queue_reads_no_artefact(demo: DemoSummary) -> None:
    status, statements = _read(client_for("lucheng-coordinator"), reverse("inspections:review"))

    assert status == 200
    assert [sql for sql in statements if "inspections_inspection" in sql] != []
    assert _touching_artefacts(statements) == []


def test_a_tasks_draws_and_the_public_draw_lists_read_no_artefact(demo: DemoSummary) -> None:
    draw = Draw.objects.filter(task__plan__region__code=LUCHENG).order_by("pk").first()
    pages = [
        (client_for("lucheng-coordinator"), reverse("draws:task", args=[draw.task_id])),
        (client_for("lucheng-coordinator"), reverse("home")),
        (Client(), reverse("disclosure:index")),
        (Client(), reverse("disclosure:feed")),
    ]

    for client, url in pages:
        status, statements = _read(client, url)
        assert (url, status) == (url, 200)
        assert [sql for sql in statements if "draws_draw" in sql] != [], url
        assert (url, _touching_artefacts(statements)) == (url, [])


def test_a_draws_own_page_reads_its_bundle_as_one_artefact(demo: DemoSummary) -> None:
    """The other side: a page that shows the bundle reads it, by digest, content only."""
    draw = Draw.objects.filter(task__plan__region__code=LUCHENG, state="drawn").first()
    status, statements = _read(
        client_for("lucheng-coordinator"), reverse("draws:detail", args=[draw.pk])
    )

    reads = _touching_artefacts(statements)
    assert status == 200
    assert len(reads) == 1
    assert '"artefacts_artefact"."content"' in reads[0]
