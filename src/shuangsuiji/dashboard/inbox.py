"""What waits for a user, in one list: the workbench shows it first, and `shuangsuiji notify`
sends it out (email, SMS gateway, 政务微信/钉钉 robot) so nobody learns of a pending step only
by opening the site (issue 21, item 4).

Computed from the records' states each time, not stored: an item disappears the moment the
step is done, whoever did it, and two app servers can never disagree about it."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.assignments.models import Visit
from shuangsuiji.disclosure.services import publication_due_count
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection, InspectionState
from shuangsuiji.inspections.rules import reviewable
from shuangsuiji.plans.capacity import plan_capacity
from shuangsuiji.plans.models import Plan

CAPACITY_PLANS = 3  # the latest plans in scope whose draws are still to come


@dataclass(frozen=True)
class Waiting:
    """One thing a user has to do: what, where, and whether it is already late."""

    kind: str  # a stable key: ceremony, review, returned, visits, publication, capacity
    text: str
    url: str
    urgent: bool = False


def inbox_for(user: Any, *, counts: "Counts | None" = None) -> list[Waiting]:
    """The user's waiting items, the late ones first; `counts` when the caller already has
    them (the workbench shows them too: counted once, shown the same)."""
    role = role_of(user)
    if role is None:
        return []
    counts = counts or counts_for(user, role)
    items = [
        *ceremonies_awaiting(user),
        *_to_review(counts.to_review),
        *_returned(user),
        *_visits(user),
        *_publication(counts.publication),
        *_capacity(user, role),
    ]
    return sorted(items, key=lambda item: not item.urgent)


def ceremonies_awaiting(user: Any) -> list[Waiting]:
    """For a department admin: frozen draws whose task its department leads or partners, with
    what the department still has to do (commit, or reveal)."""
    department = getattr(user, "department", None)
    if role_of(user) is not Role.DEPARTMENT_ADMIN or department is None:
        return []
    draws = (
        Draw.objects.filter(state=DrawState.FROZEN)
        .filter(Q(task__lead_department=department) | Q(task__partner_departments=department))
        .select_related("task")
        .defer("exclusions", "freeze")
        .distinct()
        .order_by("created_at")
    )
    waiting = []
    for draw in draws:
        committed = {c["party"] for c in draw.commitments}
        revealed = {r["party"] for r in draw.reveals}
        if department.short_name not in committed and not draw.reveals:
            action = "提交承诺"
        elif department.short_name in committed - revealed:
            action = "揭示秘密"
        else:
            continue
        waiting.append(
            Waiting(
                "ceremony",
                f"抽取仪式 {draw.draw_id}（{draw.task.name}）：本部门待{action}",
                reverse("draws:detail", args=[draw.pk]),
                urgent=action == "揭示秘密",  # the others wait for this department's secret
            )
        )
    return waiting


@dataclass(frozen=True)
class Counts:
    to_review: int
    publication: Any  # disclosure.services' due count, or None for all but coordinators


def counts_for(user: Any, role: Role | None) -> Counts:
    """Results the user may review, and (a coordinator's) results due for publication."""
    submitted = Inspection.objects.visible_to(user).filter(state=InspectionState.SUBMITTED)
    due = None
    if role is Role.COORDINATOR:
        due = publication_due_count(Inspection.objects.visible_to(user))
    return Counts(to_review=reviewable(submitted, user).count(), publication=due)


def _to_review(count: int) -> list[Waiting]:
    if not count:
        return []
    return [Waiting("review", f"待审核的检查结果 {count} 项", reverse("inspections:review"))]


def _returned(user: Any) -> list[Waiting]:
    """Results the user recorded that a reviewer sent back, each to its visit's page."""
    returned = (
        Inspection.objects.filter(recorded_by_id=user.pk, state=InspectionState.RETURNED)
        .select_related("visit__entity", "task")
        .order_by("pk")
    )
    return [
        Waiting(
            "returned",
            f"被退回的检查结果：{result.visit.entity.name}（{result.task.name}）"
            f"{'：' + result.return_reason if result.return_reason else ''}",
            reverse("inspections:visit", args=[result.visit_id]),
            urgent=True,
        )
        for result in returned[:20]
    ]


def unrecorded_visits(inspector_id: int) -> QuerySet[Visit]:
    """An inspector's visits in current assignments with a result still to record: none
    opened yet, or one waiting to be entered or returned for correction. The workbench's list
    and the inbox's counts both come from here."""
    return (
        Visit.objects.filter(
            members__inspector_id=inspector_id, assignment__superseded_by__isnull=True
        )
        .filter(
            Q(inspections__isnull=True)
            | Q(inspections__state__in=[InspectionState.PENDING, InspectionState.RETURNED])
        )
        .distinct()
    )


def _visits(user: Any) -> list[Waiting]:
    """An inspector's visits still to record: those whose window is open now, and those
    already past it."""
    inspector_id = getattr(user, "inspector_id", None)
    if not inspector_id:
        return []
    month = timezone.localdate().strftime("%Y-%m")
    open_visits = unrecorded_visits(inspector_id)
    late = open_visits.filter(window_end__lt=month).count()
    now = open_visits.filter(window_start__lte=month, window_end__gte=month).count()
    url = reverse("assignments:mine")
    items = []
    if late:
        items.append(Waiting("visits", f"已过检查期仍未录入结果的检查 {late} 户", url, urgent=True))
    if now:
        items.append(Waiting("visits", f"本月可检查、尚未录入结果的检查 {now} 户", url))
    return items


def _publication(counted: Any) -> list[Waiting]:
    if counted is None or not counted.due:
        return []
    text = f"待公示的检查结果 {counted.due} 项"
    if counted.overdue:
        text += f"，其中 {counted.overdue} 项已超过公示期限"
    return [Waiting("publication", text, reverse("publication"), urgent=bool(counted.overdue))]


def _capacity(user: Any, role: Role) -> list[Waiting]:
    """Departments whose inspectors cannot carry the draws still to come of the latest plans:
    said while there is time to change the plan or add inspectors."""
    if role not in (Role.COORDINATOR, Role.DEPARTMENT_ADMIN):
        return []
    own = getattr(user, "department", None) if role is Role.DEPARTMENT_ADMIN else None
    plans = (
        Plan.objects.visible_to(user)
        .filter(published_at__isnull=False, withdrawn_at__isnull=True)
        .filter(tasks__draws__isnull=True)
        .distinct()
        .order_by("-year", "title")[:CAPACITY_PLANS]
    )
    items = []
    for plan in plans:
        for load in plan_capacity(plan).over:
            if own is not None and load.department != own.name:
                continue
            items.append(
                Waiting(
                    "capacity",
                    f"{plan.title}：{load.department}在{load.busiest_month}需检查人员"
                    f" {load.busiest_places} 人次，超过 {load.inspectors} 名执法人员"
                    f"每月可承受的 {load.monthly_capacity} 人次",
                    reverse("plans:detail", args=[plan.pk]),
                )
            )
    return items
