"""An assigned visit and its team against the database's owner: rows refused in SQL, and a row
changed past the guards shown as a discrepancy with the published assignment, not served."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.artefacts.models import ArtefactKind
from shuangsuiji.artefacts.services import store_json
from shuangsuiji.assignments import integrity
from shuangsuiji.assignments.models import Assignment, TeamMember, Visit
from shuangsuiji.assignments.services import bundle_with_recusals, record_recusal
from shuangsuiji.core import assign as rule
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.directory.models import Inspector
from shuangsuiji.inspections.models import Inspection, ResultCategory
from tests.assignments.conftest import client_for

pytestmark = pytest.mark.django_db
COORDINATOR = "lucheng-coordinator"


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        if statement.startswith("TRUNCATE"):  # not while the test's own FK checks are pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement, params)


def _outsider(visit: Visit) -> Inspector:
    """An inspector of the visit's region who is not on its team."""
    return (
        Inspector.objects.filter(department__region=visit.assignment.plan.region)
        .exclude(memberships__visit=visit)
        .order_by("pk")
        .first()
    )


def _a_visit() -> Visit:
    return Visit.objects.filter(assignment__plan__region__code="140406").order_by("code").first()


def test_swapping_deleting_or_moving_an_assigned_visits_rows_in_sql_is_refused(
    demo: DemoSummary,
) -> None:
    visit = _a_visit()
    member = visit.members.get(slot=1)
    attacks = [
        (
            "UPDATE assignments_teammember SET inspector_id = %s WHERE id = %s",
            [_outsider(visit).pk, member.pk],
        ),
        ("DELETE FROM assignments_teammember WHERE id = %s", [member.pk]),
        ("UPDATE assignments_visit SET window_end = '2099-12' WHERE id = %s", [visit.pk]),
        ("DELETE FROM assignments_visit_departments WHERE visit_id = %s", [visit.pk]),
        ("DELETE FROM assignments_visit_tasks WHERE visit_id = %s", [visit.pk]),
    ]

    for statement, params in attacks:
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            _sql(statement, params)

    assert visit.members.get(slot=1).inspector_id == member.inspector_id


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncating_assigned_teams_visits_or_assignments_is_refused(demo: DemoSummary) -> None:
    members = TeamMember.objects.count()

    for table in ("assignments_teammember", "assignments_visit", "assignments_assignment"):
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
            _sql(f"TRUNCATE {table} CASCADE", [])

    assert TeamMember.objects.count() == members


def test_a_recusal_still_replaces_its_member_through_the_guard(demo: DemoSummary) -> None:
    visit = _a_visit()
    member = visit.members.get(slot=1)

    recusal = record_recusal(member, actor=SYSTEM, reason="曾为该企业提供咨询")

    assert visit.members.get(slot=1).inspector_id == recusal.replacement_id
    response = client_for(COORDINATOR).get(reverse("assignments:visit", args=[visit.pk]))
    assert response.status_code == 200


def test_visit_pages_read_their_assignments_bundle_once_then_only_its_index(
    demo: DemoSummary,
) -> None:
    """The check of a visit against the bundle reads the bundle artefact the first time, and
    the next visit page of the same assignment reads no artefact at all (the index is kept by
    digest, which always names the same bytes)."""
    visit, other = Visit.objects.filter(assignment__plan__region__code="140406").order_by("code")[
        :2
    ]
    client = client_for(COORDINATOR)
    integrity._indexed.cache_clear()

    with CaptureQueriesContext(connection) as first:
        shown = client.get(reverse("assignments:visit", args=[visit.pk]))
    with CaptureQueriesContext(connection) as second:
        again = client.get(reverse("assignments:visit", args=[other.pk]))

    assert (shown.status_code, again.status_code) == (200, 200)
    assert [q["sql"] for q in first if "artefacts_artefact" in q["sql"]] != []
    assert [q["sql"] for q in second if "artefacts_artefact" in q["sql"]] == []


def test_repointing_an_assigned_assignments_bundle_or_freeze_in_sql_is_refused(
    demo: DemoSummary,
) -> None:
    assignment = Assignment.objects.filter(state="assigned").order_by("pk").first()
    forged = store_json(ArtefactKind.ASSIGNMENT_BUNDLE, {**assignment.bundle, "seed": "0" * 64})

    for column in ("bundle_artefact_id", "freeze_artefact_id"):
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            _sql(
                f"UPDATE assignments_assignment SET {column} = %s WHERE id = %s",
                [forged.digest, assignment.pk],
            )

    stored = Assignment.objects.get(pk=assignment.pk)
    assert (stored.bundle_artefact_id, stored.freeze_artefact_id) == (
        assignment.bundle_artefact_id,
        assignment.freeze_artefact_id,
    )


def test_an_inspector_swapped_past_the_guards_is_shown_as_a_discrepancy_not_served(
    demo: DemoSummary,
) -> None:
    visit = _a_visit()
    member = visit.members.get(slot=1)
    outsider = _outsider(visit)
    # The database's owner lifts the guard and puts someone else on the team.
    lift = (
        "DROP TRIGGER assignments_teammember_immutable ON assignments_teammember"
        if connection.vendor == "postgresql"
        else "DROP TRIGGER assignments_teammember_no_update"
    )
    _sql(lift, [])
    _sql(
        "UPDATE assignments_teammember SET inspector_id = %s, department_id = %s WHERE id = %s",
        [outsider.pk, outsider.department_id, member.pk],
    )
    client = client_for(COORDINATOR)

    page = client.get(reverse("assignments:visit", args=[visit.pk]))
    results = client.get(reverse("inspections:visit", args=[visit.pk]))
    sheet = client.get(reverse("assignments:sheet", args=[visit.pk, "pdf"]))

    assert (page.status_code, results.status_code, sheet.status_code) == (409, 409, 409)
    assert page.context["discrepancies"] == [
        f"检查组第 1 岗位：本平台记为 {member.role} {outsider.certificate_no}"
        f"（{outsider.department.name}{'，' + member.qualification if member.qualification else ''}），"  # noqa: E501
        f"分派记录为 {member.role} {member.inspector.certificate_no}"
        f"（{member.department.name}{'，' + member.qualification if member.qualification else ''}）"
    ]
    assert "与已公布的分派记录" in page.content.decode()
    # assignment.json, read from the bundle, still verifies: only the page's check finds it.
    assert rule.verify(bundle_with_recusals(Assignment.objects.get(pk=visit.assignment_id))) == []


def test_a_member_added_in_sql_blocks_recording_on_the_visit(demo: DemoSummary) -> None:
    visit = (
        Visit.objects.filter(assignment__plan__region__code="140406", inspections__isnull=True)
        .order_by("code")
        .first()
    )
    outsider = _outsider(visit)
    _sql(  # inserts are not refused (the lay-out inserts after assigning): the page finds it
        "INSERT INTO assignments_teammember (visit_id, slot, inspector_id, department_id, role,"
        " qualification) VALUES (%s, 99, %s, %s, '组员', '')",
        [visit.pk, outsider.pk, outsider.department_id],
    )
    inspection = Inspection.objects.create(visit=visit, task=visit.tasks.order_by("pk").first())
    client = client_for(COORDINATOR)

    response = client.post(
        reverse("inspections:step", args=[inspection.pk]),
        {
            "step": "submit",
            "inspected_on": visit.window_start + "-01",
            "results": [ResultCategory.objects.get(code="01").pk],
        },
    )

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.state, inspection.inspected_on) == ("pending", None)
