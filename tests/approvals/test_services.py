"""Approval before inspection: the lead body's head (recorded by its department admin)
approves a batch of its visits; nobody else may, whatever they post. An emergency is reported
by the team or the lead body, carried out first and approved afterwards, in time or late as
the clock says, and recorded as such. Assistants are fixed before the approval."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import NotAllowed
from shuangsuiji.approvals.models import Approval, VisitApproval
from shuangsuiji.approvals.services import (
    ApprovalError,
    approve_visits,
    declare_assistant,
    pending_visits,
    report_emergency,
)
from shuangsuiji.approvals.standing import approval_line, standing_of
from shuangsuiji.assignments.models import Visit
from tests.approvals.conftest import USERS, Scene, client_for, lucheng_visits

pytestmark = pytest.mark.django_db

LOGIN, DONE, FORBIDDEN, MISSING = 302, "done", 403, 404


def approve(visits: list[Visit], actor: User) -> Approval:
    return approve_visits(
        visits, approver="李明", approver_title="局长", opinion="同意检查", actor=actor
    )


def test_the_lead_body_approves_a_batch_of_its_visits_under_one_number(scene: Scene) -> None:
    led = [v for v in lucheng_visits() if v.lead_department_id == scene.admin.department_id][:3]

    approval = approve(led, scene.admin)

    standings = VisitApproval.objects.filter(approval=approval).order_by("visit__code")
    assert [s.visit_id for s in standings] == [v.pk for v in led]
    assert [s.emergency for s in standings] == [False] * 3
    assert approval.department_id == scene.admin.department_id
    assert (approval.approver, approval.approver_title, approval.recorded_by) == (
        "李明",
        "局长",
        scene.admin,
    )
    day = timezone.localtime(approval.approved_at)
    assert approval_line(standing_of(led[0])) == (
        f"已经{approval.department.short_name}局长李明于 {day:%Y-%m-%d} 审批"
        f"（审批编号 {approval.number}）"
    )
    assert set(pending_visits(scene.admin).filter(pk__in=[v.pk for v in led])) == set()


def test_a_visit_is_approved_once_and_a_batch_is_one_body_s(scene: Scene) -> None:
    approve([scene.led], scene.admin)

    with pytest.raises(ApprovalError, match=scene.led.code):
        approve([scene.led], scene.admin)
    with pytest.raises(NotAllowed):  # another body leads it
        approve([scene.joined], scene.admin)
    with pytest.raises(ApprovalError, match="姓名和职务"):
        approve_visits(
            [v for v in lucheng_visits() if v.lead_department_id == scene.admin.department_id][1:2],
            approver=" ",
            approver_title="局长",
            opinion="同意",
            actor=scene.admin,
        )


def posted(path: str, data: dict[str, object], visit: Visit) -> list[object]:
    """Each user's answer to the same POST, each in a savepoint rolled back afterwards: DONE
    when the visit's standing was written, else the status."""
    answers: list[object] = []
    for username in USERS:
        with transaction.atomic():
            response = client_for(username).post(path, data)
            written = VisitApproval.objects.filter(visit=visit).exists()
            answers.append(DONE if written else response.status_code)
            transaction.set_rollback(True)
    return answers


def test_a_forged_approval_is_refused_to_every_role_but_the_lead_body_s_admin(
    scene: Scene,
) -> None:
    form = {"approver": "李明", "approver_title": "局长", "opinion": "同意"}
    path = reverse("approvals:approve")

    led = posted(path, {**form, "visits": [scene.led.pk]}, scene.led)
    joined = posted(path, {**form, "visits": [scene.joined.pk]}, scene.joined)

    # anon, coordinator, dept admin, inspector (on the team), auditor, other district ×2
    assert led == [LOGIN, FORBIDDEN, DONE, FORBIDDEN, FORBIDDEN, MISSING, MISSING]
    assert joined == [LOGIN, FORBIDDEN, FORBIDDEN, MISSING, FORBIDDEN, MISSING, MISSING]


def test_an_emergency_is_reported_only_by_the_team_or_the_lead_body(scene: Scene) -> None:
    started = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    form = {"reason": "群众举报存在安全隐患", "started_at": started}

    answers = posted(reverse("approvals:emergency", args=[scene.led.pk]), form, scene.led)

    assert answers == [LOGIN, FORBIDDEN, DONE, DONE, FORBIDDEN, MISSING, MISSING]


def test_an_emergency_approved_in_time_is_recorded_as_such(scene: Scene) -> None:
    started = timezone.now() - timedelta(hours=3)

    standing = report_emergency(
        scene.led, reason="群众举报存在安全隐患", started_at=started, actor=scene.inspector
    )
    waiting = approval_line(standing_of(scene.led))
    approval = approve([scene.led], scene.admin)

    standing.refresh_from_db()
    local = timezone.localtime(started)
    assert waiting == (
        f"紧急情况先行检查（{local:%Y-%m-%d %H:%M} 开始；群众举报存在安全隐患），"
        f"待负责人补办审批（应于 {local + timedelta(hours=24):%Y-%m-%d %H:%M} 前）"
    )
    assert (standing.emergency, standing.approval, standing.late) == (True, approval, False)
    assert standing.reported_by == scene.inspector
    assert "在规定时限内补办" in approval_line(standing_of(scene.led))
    assert list(pending_visits(scene.admin).filter(pk=scene.led.pk)) == []


def test_an_emergency_approved_after_its_time_is_recorded_as_late(scene: Scene) -> None:
    started = timezone.now() - timedelta(hours=30)
    report_emergency(scene.led, reason="现场发现险情", started_at=started, actor=scene.admin)

    assert list(pending_visits(scene.admin).filter(pk=scene.led.pk)) == [scene.led]
    approve([scene.led], scene.admin)

    standing = standing_of(scene.led)
    assert standing is not None
    assert standing.late
    assert "逾期补办" in approval_line(standing)


def test_an_emergency_must_say_why_have_started_and_come_before_an_approval(
    scene: Scene,
) -> None:
    now = timezone.now()
    with pytest.raises(ApprovalError, match="紧急情况"):
        report_emergency(scene.led, reason=" ", started_at=now, actor=scene.admin)
    with pytest.raises(ApprovalError, match="不能晚于现在"):
        report_emergency(
            scene.led, reason="险情", started_at=now + timedelta(hours=1), actor=scene.admin
        )
    approve([scene.led], scene.admin)
    with pytest.raises(ApprovalError, match="已经审批"):
        report_emergency(scene.led, reason="险情", started_at=now, actor=scene.admin)


def test_assistants_are_declared_before_the_approval_and_fixed_by_it(scene: Scene) -> None:
    declare_assistant(
        scene.led, name="王工", organisation="区检测中心", duty="现场检测", actor=scene.inspector
    )
    with pytest.raises(NotAllowed):
        declare_assistant(
            scene.led,
            name="赵工",
            organisation="区检测中心",
            duty="现场检测",
            actor=User.objects.get(username="lucheng-coordinator"),
        )
    approve([scene.led], scene.admin)

    with pytest.raises(ApprovalError, match="审批前确定"):
        declare_assistant(
            scene.led, name="赵工", organisation="区检测中心", duty="取样", actor=scene.admin
        )
    assert [str(a) for a in scene.led.assistants.all()] == ["王工（区检测中心）"]
