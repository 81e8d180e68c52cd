"""Publication of results (一公开): due dates in Chinese working days, the deliberate step of
publishing, and what the public may see of a result."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.core import workdays
from shuangsuiji.disclosure.models import WorkdayOverride
from shuangsuiji.inspections.models import Inspection, InspectionState


class PublicationError(ValueError):
    """A publication refused (not approved yet, or not the coordinator)."""


def overrides() -> dict[date, bool]:
    return dict(WorkdayOverride.objects.values_list("day", "is_working_day"))


@dataclass
class Due:
    inspection: Inspection
    due: date
    overdue: bool
    covered: bool  # whether chinesecalendar knew every year counted


def publication_due(inspections: QuerySet[Inspection]) -> list[Due]:
    """Approved results not yet published, each due PUBLISH_WITHIN_WORKING_DAYS working days
    after its approval; overdue when that day has passed."""
    table = overrides()
    today = timezone.localdate()
    result = []
    for inspection in inspections.filter(state=InspectionState.APPROVED).order_by("reviewed_at"):
        approved = timezone.localdate(inspection.reviewed_at) if inspection.reviewed_at else today
        due = workdays.add_working_days(approved, settings.PUBLISH_WITHIN_WORKING_DAYS, table)
        known = workdays.covered(approved.year) and workdays.covered(due.year)
        result.append(Due(inspection, due, due < today, known))
    return result


@transaction.atomic
def publish(inspections: QuerySet[Inspection], *, actor: Any) -> int:
    """Publish approved results, recording who and when. Only the coordinator publishes."""
    if role_of(actor) is not Role.COORDINATOR:
        raise PublicationError("只有协调员可以公示检查结果")
    chosen = list(Inspection.objects.select_for_update().filter(pk__in=inspections.values("pk")))
    unapproved = [i for i in chosen if i.state != InspectionState.APPROVED]
    if unapproved:
        raise PublicationError(f"有 {len(unapproved)} 项结果未审核通过，不能公示")
    now = timezone.now()
    for inspection in chosen:
        inspection.state, inspection.published_at, inspection.published_by = (
            InspectionState.PUBLISHED,
            now,
            actor,
        )
    Inspection.objects.bulk_update(chosen, ["state", "published_at", "published_by"])
    return len(chosen)


PUBLIC_FIELDS = (
    "entity",
    "uscc",
    "plan",
    "year",
    "task",
    "department",
    "results",
    "date",
    "published",
)


def with_public_relations(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """What public_rows reads, fetched with the results in a few queries."""
    return inspections.select_related(
        "visit__entity", "task__plan", "task__lead_department"
    ).prefetch_related("results__parent")


def public_rows(inspections: Iterable[Inspection]) -> list[dict[str, Any]]:
    """A published result as the public sees it: entity, task, department, result categories,
    inspection and publication dates — never notes, attachments, inspectors or reviewers.
    Give it inspections fetched through with_public_relations."""
    rows = []
    for i in inspections:
        results = [f"{c.parent.name}：{c.name}" if c.parent else c.name for c in i.results.all()]
        rows.append(
            {
                "entity": i.visit.entity.name,
                "uscc": i.visit.entity.uscc,
                "plan": i.task.plan.title,
                "year": i.task.plan.year,
                "task": i.task.name,
                "department": i.task.lead_department.name if i.task.lead_department else "",
                "results": "；".join(results),
                "date": i.inspected_on.isoformat() if i.inspected_on else "",
                "published": timezone.localtime(i.published_at).isoformat(timespec="seconds")
                if i.published_at
                else "",
            }
        )
    return rows
