"""Publication of results (一公开): due dates in Chinese working days, the deliberate step of
publishing, and what the public may see of a result."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from shuangsuiji.accounts.permissions import require
from shuangsuiji.audit.recorder import append_many
from shuangsuiji.core import workdays
from shuangsuiji.core.uscc import looks_like_uscc
from shuangsuiji.disclosure.models import WorkdayOverride
from shuangsuiji.disclosure.rules import may_publish, publishable
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from shuangsuiji.plans.models import PlanTask


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


def publication_due(inspections: QuerySet[Inspection], limit: int | None = None) -> list[Due]:
    """Approved results not yet published, oldest approval first (the first `limit` of them
    if given), each due PUBLISH_WITHIN_WORKING_DAYS working days after its approval; overdue
    when that day has passed. Due dates are counted once per approval day, not once per
    result: a province holds about 100,000 approved results over a few hundred days."""
    table = overrides()
    today = timezone.localdate()
    approved = inspections.filter(state=InspectionState.APPROVED).order_by("reviewed_at", "pk")
    if limit is not None:
        approved = approved[:limit]
    by_day: dict[date, tuple[date, bool]] = {}
    result = []
    for inspection in approved:
        day = timezone.localdate(inspection.reviewed_at) if inspection.reviewed_at else today
        if day not in by_day:
            due = workdays.add_working_days(day, settings.PUBLISH_WITHIN_WORKING_DAYS, table)
            by_day[day] = (due, workdays.covered(day.year) and workdays.covered(due.year))
        due, known = by_day[day]
        result.append(Due(inspection, due, due < today, known))
    return result


@dataclass(frozen=True)
class DueCount:
    due: int
    overdue: int


def publication_due_count(inspections: QuerySet[Inspection]) -> DueCount:
    """How many results `publication_due` lists and how many of them are overdue, in one
    COUNT: due dates grow with the approval day, so a result is overdue exactly when it was
    approved before the first day whose due date is not yet past."""
    table = overrides()
    today = timezone.localdate()
    within = settings.PUBLISH_WITHIN_WORKING_DAYS
    first_on_time = today
    while workdays.add_working_days(first_on_time - timedelta(days=1), within, table) >= today:
        first_on_time -= timedelta(days=1)
    start = datetime.combine(first_on_time, time.min, tzinfo=timezone.get_current_timezone())
    counts = inspections.filter(state=InspectionState.APPROVED).aggregate(
        due=Count("pk"), overdue=Count("pk", filter=Q(reviewed_at__lt=start))
    )
    return DueCount(due=counts["due"], overdue=counts["overdue"])


PUBLISHED_FIELDS = ["state", "published_at", "published_by"]


@transaction.atomic
def publish(inspections: QuerySet[Inspection], *, actor: Any) -> int:
    """Publish approved results, recording who and when. Only the coordinator publishes.

    One UPDATE for all and one chained run of audit entries (`append_many`, a few INSERTs),
    since an UPDATE sends no signals: 10,000 results are one step, not 10,000 saves. The rows
    are read as plain values (id, state, region), never as models dragging their relations."""
    require(may_publish(actor), "只有协调员可以公示检查结果")
    chosen = Inspection.objects.filter(pk__in=inspections.values("pk"))
    outside = chosen.count() - publishable(chosen, actor).count()
    require(outside == 0, f"有 {outside} 项结果不在本辖区，不能公示")
    rows = list(
        chosen.select_for_update(of=("self",))
        .order_by("pk")
        .values_list(
            "pk", "state", "published_at", "published_by_id", "visit__assignment__plan__region_id"
        )
    )
    unapproved = sum(1 for _, state, *_ in rows if state != InspectionState.APPROVED)
    if unapproved:
        raise PublicationError(f"有 {unapproved} 项结果未审核通过，不能公示")
    now = timezone.now()
    updated = chosen.update(state=InspectionState.PUBLISHED, published_at=now, published_by=actor)
    if updated != len(rows):  # the rows are locked: only a concurrent writer on SQLite gets here
        raise PublicationError("公示期间结果被他人改动，请刷新后重试")
    after = {"state": InspectionState.PUBLISHED.value, "published_at": now.isoformat()}
    append_many(
        "update",
        (
            (
                LABEL,
                str(pk),
                region_id,
                {"state": state, "published_at": _iso(at), "published_by_id": by},
                {**after, "published_by_id": actor.pk},
            )
            for pk, state, at, by, region_id in rows
        ),
    )
    return len(rows)


LABEL = Inspection._meta.label_lower


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


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


# The columns public_rows reads: a page of 50 results then builds no task's JSON columns.
PUBLIC_COLUMNS = (
    "inspected_on",
    "published_at",
    "visit__entity__name",
    "visit__entity__uscc",
    "task__name",
    "task__plan__title",
    "task__plan__year",
    "task__lead_department__name",
)


def with_public_relations(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """What public_rows reads, fetched with the results in a few queries."""
    return (
        inspections.select_related("visit__entity", "task__plan", "task__lead_department")
        .only(*PUBLIC_COLUMNS)
        .prefetch_related("results__parent")
    )


def public_rows(inspections: Iterable[Inspection]) -> list[dict[str, Any]]:
    """A published result as the public sees it: entity, task, department, result categories,
    inspection and publication dates — never notes, attachments, inspectors or reviewers.
    Give it inspections fetched through with_public_relations."""
    return list(iter_public_rows(inspections))


def iter_public_rows(inspections: Iterable[Inspection]) -> Iterator[dict[str, Any]]:
    """public_rows one at a time, for open-data files streamed from a million rows."""
    for i in inspections:
        results = [f"{c.parent.name}：{c.name}" if c.parent else c.name for c in i.results.all()]
        yield {
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


def search_published(filters: Mapping[str, str]) -> QuerySet[Inspection]:
    """Published results matching the public's search, newest first.

    q is a 统一社会信用代码 (exact, any case) or a part of the entity's name; department,
    year and result (a category's code, or its parent's) narrow it. The small tables are asked
    first (which tasks, which categories), so the million-row one is filtered by plain ids:
    no join multiplies rows, no DISTINCT is needed, and the partial index on published_at
    serves the order.
    """
    filters = {k: v.replace("\x00", "") for k, v in filters.items()}  # PostgreSQL refuses NUL
    results = Inspection.objects.filter(state=InspectionState.PUBLISHED)
    query = filters.get("q", "").strip()
    if looks_like_uscc(query):
        results = results.filter(visit__entity__uscc=query.upper())
    elif query:
        results = results.filter(visit__entity__name__contains=query)
    tasks = PlanTask.objects.all()
    if department := filters.get("department", "").strip():
        tasks = tasks.filter(lead_department__name=department)
    year = filters.get("year", "").strip()
    year_given = year.isdecimal() and len(year) <= 4  # what int() reads: not ², not 5,000 digits
    if year_given:
        tasks = tasks.filter(plan__year=int(year))
    if department or year_given:
        results = results.filter(task_id__in=list(tasks.values_list("pk", flat=True)))
    if result := filters.get("result", "").strip():
        categories = ResultCategory.objects.filter(Q(code=result) | Q(parent__code=result))
        chosen = Inspection.results.through.objects.filter(
            inspection=OuterRef("pk"),
            resultcategory_id__in=list(categories.values_list("pk", flat=True)),
        )
        results = results.filter(Exists(chosen))
    return results.order_by("-published_at", "-pk")


def published_choices() -> tuple[list[str], list[int]]:
    """The departments and years that have published results, for the search form: read from
    the tasks (a few hundred), each asked whether one published result exists."""
    published = Inspection.objects.filter(task=OuterRef("pk"), state=InspectionState.PUBLISHED)
    tasks = PlanTask.objects.filter(Exists(published)).values_list(
        "lead_department__name", "plan__year"
    )
    departments = {name for name, _ in tasks if name}
    years = {year for _, year in tasks}
    return sorted(departments), sorted(years, reverse=True)


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most CAP rows: the public sees "1000 条以上" instead of the database
    counting a million rows on every search (a filter matching 2 % of them would scan half the
    table to count 10,000), and no page lies deeper than the cap; the open-data files carry
    everything."""

    CAP = 1_000

    @cached_property
    def count(self) -> int:
        # Unordered: counting needs no ORDER BY, and without it PostgreSQL may start from the
        # small side (the category's rows) instead of walking the date index (17 vs 172 ms for
        # a 2 % result filter over 1,000,000 published results).
        unordered = self.object_list.order_by()  # type: ignore[union-attr]
        return len(unordered[: self.CAP + 1].values_list("pk", flat=True))

    @property
    def capped(self) -> bool:
        return self.count > self.CAP
