"""The pending list a body's admin approves from, the approval panel on the visit's page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.approvals.models import VisitApproval
from shuangsuiji.approvals.services import approve_visits, pending_visits
from shuangsuiji.assignments.models import Visit
from tests.approvals.conftest import Scene, client_for, lucheng_visits

pytestmark = pytest.mark.django_db


def led_by(scene: Scene) -> list[Visit]:
    return [v for v in lucheng_visits() if v.lead_department_id == scene.admin.department_id]


def leave_pending(visits: list[Visit], count: int) -> None:
    approve_visits(
        visits[count:], approver="李明", approver_title="局长", opinion="同意", actor=SYSTEM
    )


def test_a_body_s_admin_lists_only_the_visits_it_leads_and_approves_them_in_a_batch(
    scene: Scene,
) -> None:
    visits = led_by(scene)
    leave_pending(visits, 2)
    client = client_for("lucheng-dept-admin")

    page = client.get(reverse("approvals:pending")).content.decode()
    response = client.post(
        reverse("approvals:approve"),
        {
            "visits": [v.pk for v in visits[:2]],
            "approver": "李明",
            "approver_title": "局长",
            "opinion": "同意",
        },
    )

    assert page.count('name="visits"') == 2
    assert all(v.code in page for v in visits[:2])
    assert response.status_code == 302
    standings = VisitApproval.objects.filter(visit__in=visits[:2])
    assert len({s.approval_id for s in standings}) == 1
    assert standings.count() == 2


def test_the_coordinator_reads_the_region_s_pending_visits_without_approving(
    scene: Scene,
) -> None:
    coordinator = User.objects.get(username="lucheng-coordinator")
    page = client_for("lucheng-coordinator").get(reverse("approvals:pending")).content.decode()

    assert 'name="visits"' not in page
    assert page.count('href="/assignments/visit/') == min(50, pending_visits(coordinator).count())
    assert {scene.led, scene.joined} <= set(pending_visits(coordinator))


def test_the_pending_list_reads_the_same_number_of_queries_for_1_and_3_visits(
    scene: Scene,
) -> None:
    visits = led_by(scene)
    client = client_for("lucheng-dept-admin")
    counts = []
    for pending in (3, 1):
        VisitApproval.objects.filter(visit__in=visits).delete()
        leave_pending(visits, pending)
        client.get(reverse("approvals:pending"))  # the session and the role, read once
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("approvals:pending")).content.decode()
        assert page.count('name="visits"') == pending
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_visit_page_shows_the_approval_and_links_the_three_documents(scene: Scene) -> None:
    page = client_for("lucheng-inspector").get(reverse("assignments:visit", args=[scene.led.pk]))
    text = page.content.decode()

    assert "尚未经检查主体负责人审批：审批前不得实施检查" in text
    for name in ("approval", "notice", "record"):
        assert reverse("approvals:document", args=[scene.led.pk, name, "pdf"]) in text
    assert reverse("approvals:emergency", args=[scene.led.pk]) in text  # on the team
