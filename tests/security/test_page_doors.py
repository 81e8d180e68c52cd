"""The working pages as an attacker from 潞城区 would use them: forged POSTs naming the ids
of 城区's draw, inspections, team members and plan. Each is refused and changes nothing."""

from typing import Any

import pytest
from django.urls import reverse

from shuangsuiji.analysis.models import RiskProposal
from shuangsuiji.assignments.models import Recusal, TeamMember
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.core.draw import commitment
from shuangsuiji.draws.models import Draw
from shuangsuiji.inspections.models import Inspection, InspectionState
from shuangsuiji.plans.models import Plan
from tests.security.conftest import CHENGQU, LUCHENG, chengqu_frozen_draw

pytestmark = pytest.mark.django_db


def states(inspections: list[Inspection]) -> list[str]:
    return [Inspection.objects.get(pk=i.pk).state for i in inspections]


def test_a_department_admin_cannot_commit_in_the_other_districts_draw(signed_in: Any) -> None:
    draw = chengqu_frozen_draw()
    client = signed_in("lucheng-dept-admin")
    value = commitment(draw.draw_id, "区教育局", "5e" * 16)

    response = client.post(
        reverse("draws:step", args=[draw.pk]), {"step": "commit", "commitment": value}
    )

    draw.refresh_from_db()
    assert (response.status_code, draw.commitments, draw.state) == (404, [], "frozen")


def test_a_coordinator_cannot_complete_or_redraw_the_other_districts_draw(
    signed_in: Any,
) -> None:
    draw = chengqu_frozen_draw()
    client = signed_in("lucheng-coordinator")
    draws_before = Draw.objects.count()
    url = reverse("draws:step", args=[draw.pk])

    completed = client.post(url, {"step": "complete", "public_value": "12345"})
    redrawn = client.post(url, {"step": "redraw", "reason": "抢先重抽"})

    draw.refresh_from_db()
    assert (completed.status_code, redrawn.status_code) == (404, 404)
    assert (draw.state, draw.seed, Draw.objects.count()) == ("frozen", "", draws_before)


def test_publishing_the_other_districts_results_with_forged_ids_publishes_nothing(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-coordinator")
    theirs = list(
        Inspection.objects.filter(
            task__plan__region__code=CHENGQU, state=InspectionState.APPROVED
        ).order_by("pk")[:3]
    )
    before = states(theirs)

    response = client.post(reverse("publication"), {"publish": [i.pk for i in theirs]})

    assert (response.status_code, states(theirs)) == (302, before)
    assert before == [InspectionState.APPROVED] * 3


def test_reviewing_the_other_districts_result_is_not_found(signed_in: Any) -> None:
    client = signed_in("lucheng-coordinator")
    theirs = (
        Inspection.objects.filter(task__plan__region__code=CHENGQU, state=InspectionState.SUBMITTED)
        .order_by("pk")
        .first()
    )
    url = reverse("inspections:step", args=[theirs.pk])

    approved = client.post(url, {"step": "approve"})
    returned = client.post(url, {"step": "return", "reason": "退回"})

    assert (approved.status_code, returned.status_code) == (404, 404)
    assert states([theirs]) == [InspectionState.SUBMITTED]


def test_recording_the_other_districts_result_is_not_found(signed_in: Any) -> None:
    client = signed_in("lucheng-inspector")
    theirs = Inspection.objects.filter(task__plan__region__code=CHENGQU).order_by("pk").first()
    before = (theirs.state, theirs.notes, theirs.inspected_on)

    response = client.post(
        reverse("inspections:step", args=[theirs.pk]),
        {"step": "submit", "inspected_on": "2024-05-06", "notes": "伪造"},
    )

    theirs.refresh_from_db()
    assert (response.status_code, (theirs.state, theirs.notes, theirs.inspected_on)) == (
        404,
        before,
    )


def test_recusing_the_other_districts_team_member_is_not_found(signed_in: Any) -> None:
    member = (
        TeamMember.objects.filter(visit__assignment__plan__region__code=CHENGQU)
        .order_by("pk")
        .first()
    )
    recusals_before = Recusal.objects.count()
    answers = []
    for username in ("lucheng-coordinator", "lucheng-dept-admin", "lucheng-inspector"):
        client = signed_in(username)
        url = reverse("assignments:recuse", args=[member.pk])
        answers.append(client.post(url, {"reason": "亲属关系"}).status_code)

    assert answers == [404, 404, 404]
    assert Recusal.objects.count() == recusals_before


def test_risk_feedback_of_the_other_districts_plan_is_not_found(signed_in: Any) -> None:
    client = signed_in("lucheng-coordinator")
    plan = Plan.objects.get(region__code=CHENGQU)
    proposals_before = RiskProposal.objects.filter(plan=plan).count()
    url = reverse("analysis:risk", args=[plan.pk])

    shown = client.get(url)
    proposed = client.post(url, {"action": "propose"})

    assert (shown.status_code, proposed.status_code) == (404, 404)
    assert RiskProposal.objects.filter(plan=plan).count() == proposals_before


def test_exports_of_the_other_districts_plan_are_not_found(signed_in: Any) -> None:
    client = signed_in("lucheng-coordinator")
    plan = Plan.objects.get(region__code=CHENGQU)

    answers = [
        client.get(reverse("plans:export", args=[plan.pk, name])).status_code
        for name in ("xlsx", "csv", "txt")
    ] + [client.get(reverse("analysis:report", args=[plan.pk, "xlsx"])).status_code]

    assert answers == [404, 404, 404, 404]


def test_the_audit_log_filtered_to_another_districts_record_lists_nothing(
    signed_in: Any,
) -> None:
    client = signed_in("lucheng-auditor")
    theirs, ours = (Plan.objects.get(region__code=code) for code in (CHENGQU, LUCHENG))
    recorded = AuditEntry.objects.filter(model="plans.plan")

    counts = [
        client.get(reverse("audit"), {"model": "plans.plan", "object": str(plan.pk)})
        .context["page"]
        .paginator.count
        for plan in (theirs, ours)
    ]

    assert counts == [0, recorded.filter(object_id=str(ours.pk)).count()]
    assert recorded.filter(object_id=str(theirs.pk)).count() > 0
