"""The directory tally: current only until the directory changes, whatever path changes it.

The triggers of migration 0007 are what these tests check on each database: an ORM save, a
queryset update, a bulk insert, a tag added or removed and raw SQL all make the tally stale.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from shuangsuiji.directory import tally
from shuangsuiji.directory.models import (
    DirectoryChanges,
    Entity,
    EntityTally,
    ScopeCategory,
    TallyStamp,
)
from shuangsuiji.directory.records import NewEntity
from shuangsuiji.directory.services import insert_entities
from shuangsuiji.directory.tasks import rebuild_tally_task
from tests.factories import EntityFactory, lucheng, next_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotels() -> ScopeCategory:
    category = ScopeCategory.objects.create(name="旅馆", industry_code="H6110")
    for risk_class in ("A", "A", "B"):
        EntityFactory(risk_class=risk_class, industry_code="H6110").categories.add(category)
    return category


def new_entity(category: ScopeCategory) -> NewEntity:
    return NewEntity(
        uscc=next_uscc(),
        name="新开旅馆",
        legal_form="企业",
        legal_representative="",
        address="",
        region_id=lucheng().pk,
        industry_code="H6110",
        registered_capital=Decimal(10),
        established_on=date(2023, 1, 1),
        status="存续",
        risk_class="C",
        risk_classified_on=None,
        risk_source="",
        category_ids=(category.pk,),
    )


def raw_status_change() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_entity SET status = '注销' WHERE risk_class = 'B'")


CHANGES: dict[str, Callable[[ScopeCategory], object]] = {
    "an entity saved": lambda c: EntityFactory(risk_class="D"),
    "a risk class updated by queryset": lambda c: Entity.objects.update(risk_class="C"),
    "a status changed by raw SQL": lambda c: raw_status_change(),
    "entities bulk-inserted": lambda c: insert_entities([new_entity(c)]),
    "a category tag added": lambda c: (
        Entity.objects.filter(categories=None).first().categories.add(c)
    ),
    "a category tag removed": lambda c: c.entities.first().categories.remove(c),
    "an entity deleted": lambda c: Entity.objects.filter(risk_class="A").first().delete(),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_to_what_it_counts_makes_the_tally_stale(
    world: object, hotels: ScopeCategory, change: Callable[[ScopeCategory], object]
) -> None:
    tally.rebuild()
    assert tally.is_current()

    change(hotels)

    assert not tally.is_current()


def test_changing_what_it_does_not_count_keeps_the_tally_current(
    world: object, hotels: ScopeCategory
) -> None:
    tally.rebuild()

    Entity.objects.update(name="改名后的旅馆", address="新地址")

    assert tally.is_current()


def test_a_rebuild_counts_each_combination_once(world: object, hotels: ScopeCategory) -> None:
    rich, poor, _ = hotels.entities.order_by("pk")
    Entity.objects.filter(pk=rich.pk).update(registered_capital=Decimal("750"))  # band 500
    Entity.objects.filter(pk=poor.pk).update(registered_capital=Decimal("0.5"))  # band 0

    tally.rebuild()

    rows = {
        (t.risk_class, t.industry_code, t.category_key, t.capital_from): t.entities
        for t in EntityTally.objects.all()
    }
    key = f",{hotels.pk},"
    # 甲公司 (world's company, untagged, class B, capital unknown) and the three hotels.
    assert rows == {
        ("B", "", "", None): 1,
        ("A", "H6110", key, Decimal(500)): 1,
        ("A", "H6110", key, Decimal(0)): 1,
        ("B", "H6110", key, None): 1,
    }


def test_a_tally_that_was_never_made_is_not_current(world: object) -> None:
    assert not tally.is_current()


def test_a_stale_tally_queues_one_rebuild_until_it_is_rebuilt_and_changed_again(
    world: object, hotels: ScopeCategory, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = tally.request_rebuild()
        again = tally.request_rebuild()
    queued = DBTaskResult.objects.filter(task_path=rebuild_tally_task.module_path).count()

    assert (first, again, queued) == (True, False, 1)

    tally.rebuild()
    EntityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert tally.request_rebuild()


def test_the_queued_task_brings_the_tally_up_to_date(world: object, hotels: ScopeCategory) -> None:
    rebuild_tally_task.call()

    assert tally.is_current()
    assert TallyStamp.objects.get().tallied_at is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement triggers")
def test_postgresql_counts_a_transactions_changes_once(
    world: object, hotels: ScopeCategory
) -> None:
    """A bulk insert sends one statement per row; bumping the counter row for each would cost
    quadratic time in one transaction."""
    tally.rebuild()
    before = DirectoryChanges.objects.get().changes

    insert_entities([new_entity(hotels) for _ in range(50)])
    Entity.objects.update(risk_class="D")

    assert DirectoryChanges.objects.get().changes == before + 1


def test_a_flushed_stamp_still_queues_a_rebuild(world: object) -> None:
    TallyStamp.objects.all().delete()

    assert tally.request_rebuild()
