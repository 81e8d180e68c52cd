"""The demo's approvals step: most visits approved before their window by their lead body's
head, one carried out as an emergency and approved within the time, the last few left for the
pending list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.approvals.models import VisitApproval
from shuangsuiji.approvals.services import pending_visits
from shuangsuiji.demo.approvals import approve_demo_visits
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_the_demo_approves_most_visits_and_one_emergency_afterwards(demo: DemoSummary) -> None:
    plan = Plan.objects.get(region__code="140406")
    visits = plan.assignments.get().visits.count()

    counts = approve_demo_visits(plan)

    standings = VisitApproval.objects.filter(visit__assignment__plan=plan).select_related(
        "approval", "visit"
    )
    emergency = [s for s in standings if s.emergency]
    assert counts["approved"] + counts["emergency"] + counts["pending"] == visits
    assert counts["emergency"] == 1
    assert len(emergency) == 1
    assert 0 < counts["pending"] < counts["approved"]
    assert emergency[0].approval is not None
    assert not emergency[0].late
    assert emergency[0].approval.approved_at - emergency[0].started_at == timedelta(hours=5)
    for standing in standings:
        if not standing.emergency:  # approved before the window opened
            start = standing.visit.window_start
            assert timezone.localtime(standing.approval.approved_at).strftime("%Y-%m") < start
    admin = User.objects.get(username="lucheng-dept-admin")
    assert pending_visits(admin).exists()
