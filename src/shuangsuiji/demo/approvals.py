"""The demo's approvals: each lead body's head approves its visits of the plan in one batch
before the year's checks start, except the last visits of the year (by window), left for the
department admin's pending list; one visit carried out was an emergency, reported when it
started and approved five hours later.

The demo's plans are of past years, so the approvals are dated as they would have been made:
a week before the earliest window of the batch (the emergency: on the day of its visit).
Written through the services (the rule and the checks apply), then dated directly."""

from datetime import datetime, time, timedelta
from itertools import groupby

from django.utils import timezone

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.approvals.models import Approval, VisitApproval
from shuangsuiji.approvals.services import approve_visits, report_emergency
from shuangsuiji.assignments.models import Visit
from shuangsuiji.inspections.models import Inspection
from shuangsuiji.plans.models import Plan

LEFT_PENDING = 0.1  # the share of each body's visits (latest windows) not yet approved
HEAD_TITLE = "局长"
EMERGENCY_REASON = "接群众举报该单位存在安全隐患，需当场核查（演示数据）"


def approve_demo_visits(plan: Plan) -> dict[str, int]:
    """Approvals for the plan's visits; the counts of approved, emergency and pending."""
    visits = sorted(
        Visit.objects.filter(assignment__plan=plan, assignment__superseded_by__isnull=True)
        .select_related("lead_department")
        .order_by(),
        key=lambda v: (v.lead_department.name, v.window_start, v.code),
    )
    emergency = _emergency(visits)
    counts = {"approved": 0, "emergency": 0, "pending": 0}
    for _, group in groupby(visits, key=lambda v: v.lead_department.name):
        batch = [v for v in group if v != emergency]
        # at least one left for the pending list of every body leading more than one
        left = max(1, round(len(batch) * LEFT_PENDING)) if len(batch) > 1 else 0
        kept = len(batch) - left
        chosen, counts["pending"] = batch[:kept], counts["pending"] + len(batch) - kept
        if not chosen:
            continue
        body = chosen[0].lead_department
        approval = approve_visits(
            chosen,
            approver=f"{body.short_name}负责人",
            approver_title=HEAD_TITLE,
            opinion="同意按计划实施检查",
            actor=SYSTEM,
        )
        start = min(v.window_start for v in chosen)
        day = datetime(int(start[:4]), int(start[5:7]), 1, 9) - timedelta(days=7)
        Approval.objects.filter(pk=approval.pk).update(approved_at=timezone.make_aware(day))
        counts["approved"] += len(chosen)
    if emergency is not None:
        _approve_emergency(emergency)
        counts["emergency"] = 1
    return counts


def _emergency(visits: list[Visit]) -> Visit | None:
    """The first visit (by code) carried out: the emergency."""
    done = set(
        Inspection.objects.filter(visit__in=visits, inspected_on__isnull=False).values_list(
            "visit_id", flat=True
        )
    )
    return min((v for v in visits if v.pk in done), key=lambda v: v.code, default=None)


def _approve_emergency(visit: Visit) -> None:
    day = (
        Inspection.objects.filter(visit=visit, inspected_on__isnull=False)
        .order_by("inspected_on")
        .values_list("inspected_on", flat=True)
        .first()
    )
    assert day is not None
    started = timezone.make_aware(datetime.combine(day, time(9)))
    report_emergency(visit, reason=EMERGENCY_REASON, started_at=started, actor=SYSTEM)
    VisitApproval.objects.filter(visit=visit).update(reported_at=started + timedelta(hours=1))
    approval = approve_visits(
        [visit],
        approver=f"{visit.lead_department.short_name}负责人",
        approver_title=HEAD_TITLE,
        opinion="情况紧急，同意先行检查，补办审批",
        actor=SYSTEM,
    )
    Approval.objects.filter(pk=approval.pk).update(approved_at=started + timedelta(hours=5))
