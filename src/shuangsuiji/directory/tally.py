"""The directory tally: entities counted by what a population filter reads, kept beside the
directory so a task's live population count need not join 1,000,000 entities with their tags.

Each `EntityTally` row is one combination of region, status, risk class, industry code, set
of categories and band of registered capital, with how many entities have it; a filter
either takes a row whole or not at all, so summing the rows it takes counts every entity
once, whatever tags overlap. The tally is rebuilt whole (one INSERT … SELECT … GROUP BY) in
the background worker and trusted only while it is current: made at the `DirectoryChanges`
count that database triggers bump on every change to what it summarises. A stale tally is
never read; the count is then taken from the directory itself and a rebuild is queued.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, Subquery, Sum
from django.utils import timezone

from shuangsuiji.directory.enums import EntityStatus
from shuangsuiji.directory.models import DirectoryChanges, Entity, EntityTally, TallyStamp

# 万元. Plans set minimum capitals in round amounts (注册资本500万元以上); a minimum that is
# one of these is a sum of whole bands, any other is counted from the directory.
CAPITAL_EDGES = tuple(
    Decimal(n)
    for n in (0, 1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000)
)

REBUILD_LOCK = 0x5461_6C6C  # the PostgreSQL advisory lock one rebuild holds at a time
# Set by the PostgreSQL trigger once it has bumped `DirectoryChanges` in a transaction
# (migration 0007); a rebuild clears it so that a later change in the transaction counts.
BUMPED = "shuangsuiji.directory_changed"

# An entity's categories as one key, ",3,17," (ids between commas), so "tagged 17" is a LIKE.
_CATEGORY_KEY = {
    "postgresql": (
        "',' || string_agg(scopecategory_id::text, ',' ORDER BY scopecategory_id) || ','"
    ),
    # group_concat's order is not guaranteed; an unordered key only splits a row in two,
    # since a filter matches each id on its own.
    "sqlite": "',' || group_concat(scopecategory_id, ',') || ','",
}


def _current_changes() -> Subquery:
    return Subquery(DirectoryChanges.objects.values("changes")[:1])


def covers_capital(minimum: Decimal | None) -> bool:
    """Whether the tally can answer a filter with this minimum capital (None: no minimum)."""
    return minimum is None or minimum in CAPITAL_EDGES


def is_current() -> bool:
    """Whether the tally was made at the directory's present state (one query)."""
    return TallyStamp.objects.filter(tallied=_current_changes()).exists()


def rebuild() -> int:
    """Replace the tally with one made from the directory now; returns its number of rows.

    The change count is read before the directory is summed, so a change committed meanwhile
    leaves the tally marked older than it is (rebuilt again), never newer. Rebuilds wait for
    each other on an advisory lock, not on a row: the triggers bump `DirectoryChanges` and a
    count may mark `TallyStamp` as requested while a rebuild runs, neither waiting for it.
    """
    with transaction.atomic():
        postgresql = connection.vendor == "postgresql"
        if postgresql:  # SQLite runs one writer at a time anyway
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REBUILD_LOCK])
        stamp = TallyStamp.objects.first() or TallyStamp.objects.create()
        changes = DirectoryChanges.objects.values_list("changes", flat=True).first()
        if changes is None:  # the row was flushed with the tables (tests); start again at 0
            changes = DirectoryChanges.objects.create(changes=0).changes
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', true)", [BUMPED])
        with connection.cursor() as cursor:
            # Not QuerySet.delete(): with the audit's signal receivers it deletes row by row.
            cursor.execute(f"DELETE FROM {EntityTally._meta.db_table}")
            cursor.execute(_rebuild_sql())
            rows = cursor.rowcount
        TallyStamp.objects.filter(pk=stamp.pk).update(tallied=changes, tallied_at=timezone.now())
    return rows


def request_rebuild() -> bool:
    """Queue one background rebuild for the directory's present state, unless one was queued
    for it already; returns whether this call queued it."""
    if not TallyStamp.objects.exists():  # flushed with the tables (`demo --rebuild`, tests)
        TallyStamp.objects.create()
    changes = _current_changes()
    asked = TallyStamp.objects.filter(Q(requested__isnull=True) | Q(requested__lt=changes))
    if not asked.update(requested=changes):
        return False
    # The task module imports the import jobs, which ask for rebuilds: import when needed.
    from shuangsuiji.directory.tasks import rebuild_tally_task

    transaction.on_commit(rebuild_tally_task.enqueue)
    return True


def _rebuild_sql() -> str:
    entity = Entity._meta.db_table
    tags = Entity.categories.through._meta.db_table
    tally = EntityTally._meta.db_table
    category_key = _CATEGORY_KEY[connection.vendor]
    band = _capital_band()
    return f"""
        INSERT INTO {tally}
            (region_id, status, risk_class, industry_code, category_key, capital_from, entities)
        SELECT e.region_id, e.status, e.risk_class, e.industry_code,
               COALESCE(t.category_key, ''), {band} AS band, COUNT(*)
        FROM {entity} e
        LEFT JOIN (
            SELECT entity_id, {category_key} AS category_key FROM {tags} GROUP BY entity_id
        ) t ON t.entity_id = e.id
        GROUP BY e.region_id, e.status, e.risk_class, e.industry_code, t.category_key, band
    """


def _capital_band() -> str:
    """SQL: the band of `e.registered_capital`, the largest edge not above it (a capital
    below 0, which validation refuses, falls in the lowest band)."""
    steps = " ".join(
        f"WHEN e.registered_capital >= {edge} THEN {edge}" for edge in reversed(CAPITAL_EDGES[1:])
    )
    return f"CASE WHEN e.registered_capital IS NULL THEN NULL {steps} ELSE 0 END"


def active_risk_counts(user: Any) -> dict[str, int]:
    """Active (存续, 在业) entities the user may see, per risk class ("" unclassified): a sum
    over the tally's rows while it is current, else the directory's own count (and a rebuild
    is queued), which at 1,000,000 entities takes most of a second."""
    active = EntityStatus.active()
    if is_current():
        tallied = EntityTally.objects.visible_to(user).filter(status__in=active)
        rows = tallied.values_list("risk_class").annotate(n=Sum("entities"))
    else:
        request_rebuild()
        listed = Entity.objects.visible_to(user).filter(status__in=active)
        rows = listed.values_list("risk_class").annotate(n=Count("pk"))
    return dict(rows.order_by())
