"""The assignment pages: the coordinator runs it; inspectors see their own visits only."""

import json
import logging
from io import BytesIO
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Assignment, TeamMember, Visit
from shuangsuiji.core import assign as rule
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.directory.models import Entity, Inspector
from tests.assignments.conftest import client_for
from tests.factories import recusable_members

pytestmark = pytest.mark.django_db


def test_an_inspector_sees_only_visits_they_are_on(demo: DemoSummary) -> None:
    user = User.objects.get(username="lucheng-inspector")
    client = client_for(user.username)
    own = Visit.objects.filter(members__inspector=user.inspector).distinct()
    other = Visit.objects.exclude(members__inspector=user.inspector).first()

    mine = client.get(reverse("assignments:mine"))

    assert {m.visit_id for m in mine.context["members"]} == set(own.values_list("pk", flat=True))
    assert own.exists()
    assert client.get(reverse("assignments:visit", args=[own.first().pk])).status_code == 200
    assert client.get(reverse("assignments:visit", args=[other.pk])).status_code == 404


def test_a_department_admin_sees_its_own_departments_load(demo: DemoSummary) -> None:
    user = User.objects.get(username="lucheng-dept-admin")
    assignment = Assignment.objects.get(plan__region__code="140406")

    page = client_for(user.username).get(reverse("assignments:detail", args=[assignment.pk]))

    assert [row["department"] for row in page.context["loads"]] == [user.department.name]
    assert page.context["loads"][0]["reasons"]  # why its loads differ, in words
    assert "工作量差距的原因" in page.content.decode()
    assert all(
        user.department in visit.departments.all() for visit in page.context["page"].object_list
    )


def test_an_inspector_declares_a_conflict_and_the_rule_names_the_replacement(
    demo: DemoSummary,
) -> None:
    user = User.objects.get(username="lucheng-inspector")
    member = recusable_members(user)[0]
    client = client_for(user.username)

    client.post(reverse("assignments:recuse", args=[member.pk]), {"reason": "配偶在该单位任职"})

    member.refresh_from_db()
    assert member.inspector_id != user.inspector.pk
    assignment = member.visit.assignment
    downloaded = client_for("lucheng-coordinator").get(
        reverse("assignments:file", args=[assignment.pk])
    )
    bundle = json.loads(downloaded.content)
    assert [r["reason"] for r in bundle["recusals"]] == ["配偶在该单位任职"]
    assert rule.verify(bundle) == []


def test_nobody_else_may_recuse_an_inspector(demo: DemoSummary) -> None:
    user = User.objects.get(username="lucheng-inspector")
    member = (
        TeamMember.objects.filter(
            visit__members__inspector=user.inspector, visit__assignment__plan__region__code="140406"
        )
        .exclude(inspector=user.inspector)
        .first()
    )

    response = client_for(user.username).post(
        reverse("assignments:recuse", args=[member.pk]), {"reason": "想换人"}
    )

    assert response.status_code == 403


def sheet_text(visit: Visit, kind: str) -> str:
    response = client_for("lucheng-coordinator").get(
        reverse("assignments:sheet", args=[visit.pk, kind])
    )
    assert response.status_code == 200
    if kind == "pdf":
        pages = PdfReader(BytesIO(response.content)).pages
        # pypdf reads fpdf2's two-byte CID text with a NUL before each character
        text = "".join(page.extract_text() for page in pages).replace("\x00", "")
        return "".join(text.split())  # table cells wrap long items over lines
    document = Document(BytesIO(response.content))
    return "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_task_sheet_names_entity_team_and_items(demo: DemoSummary, kind: str) -> None:
    visit = Visit.objects.filter(assignment__plan__region__code="140406").first()

    text = sheet_text(visit, kind)

    assert visit.entity.uscc in text
    for member in visit.members.select_related("inspector"):
        assert member.inspector.name in text
    for task in visit.tasks.all():
        assert "".join(task.items[0].split()) in text


def test_anyone_may_download_the_verifier_which_is_the_rule_itself(db: None) -> None:
    response = Client().get(reverse("assignments:verifier"))

    assert response.content == Path(rule.__file__).read_bytes()


def test_an_inspectors_visit_list_reads_no_frozen_artefact(demo: DemoSummary) -> None:
    client = client_for("lucheng-inspector")

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("assignments:mine"))

    columns = [q["sql"] for q in captured.captured_queries if "assignments_assignment" in q["sql"]]
    assert response.status_code == 200
    assert columns  # the plan's title comes through the assignment
    assert [sql for sql in columns if '"bundle"' in sql or '"freeze"' in sql] == []


def visits_for(inspector_id: int, count: int, start: int) -> None:
    """`count` more visits of 潞城's assignment with this inspector as 组长, written directly
    (inserts into an assigned assignment are allowed; only updates and deletes are refused)."""
    assignment = Assignment.objects.get(plan__region__code="140406")
    inspector = Inspector.objects.get(pk=inspector_id)
    entities = list(Entity.objects.filter(region=assignment.plan.region)[:count])
    visits = Visit.objects.bulk_create(
        Visit(
            assignment=assignment,
            code=f"LOAD-{start + n:05d}",
            entity=entities[n % len(entities)],
            window_start="2023-05",
            window_end="2023-10",
            lead_department=inspector.department,
        )
        for n in range(count)
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            visit=v, slot=1, inspector=inspector, department=inspector.department, role="组长"
        )
        for v in visits
    )


def test_an_inspectors_visit_list_takes_as_many_queries_for_500_visits_as_for_5(
    demo: DemoSummary,
) -> None:
    user = User.objects.get(username="lucheng-inspector")
    client = client_for(user.username)

    visits_for(user.inspector_id, 5, start=0)
    with CaptureQueriesContext(connection) as few:
        small = client.get(reverse("assignments:mine"))
    visits_for(user.inspector_id, 495, start=5)
    with CaptureQueriesContext(connection) as many:
        large = client.get(reverse("assignments:mine"))

    assert large.content.decode().count("LOAD-") >= 500
    assert small.status_code == large.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    read = " ".join(q["sql"] for q in many.captured_queries)
    assert '"bundle"' not in read
    assert '"freeze"' not in read
    assert "population_csv" not in read


def test_a_pdf_leaves_no_font_subsetting_lines_in_the_server_log(
    demo: DemoSummary, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    visit = Visit.objects.filter(assignment__plan__region__code="140406").first()

    sheet_text(visit, "pdf")

    assert [r.getMessage() for r in caplog.records if r.name.startswith("fontTools")] == []
