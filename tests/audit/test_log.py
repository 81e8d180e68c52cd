"""Every change is on the record, chained so that an edited or removed entry is found."""

import hashlib
import importlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.audit.chain import first_break
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.core.draw import commitment
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import add_commitment, freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db
GUARD = importlib.import_module("shuangsuiji.audit.migrations.0003_backfill_region_append_only")


@contextmanager
def guard_lifted() -> Iterator[None]:
    """What an intruder with the database's owner rights could do: lift the append-only
    triggers to edit or remove an entry. The chain must still tell."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for statement in GUARD.POSTGRES_REVERSE if postgres else GUARD.SQLITE_REVERSE:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for statement in GUARD.POSTGRES if postgres else GUARD.SQLITE:
            cursor.execute(statement)


def test_a_change_through_a_page_is_recorded_with_its_user_and_both_values(world: World) -> None:
    task = make_task(world, entities=120)
    draw = freeze_draw(task, actor=SYSTEM)
    client = logged_in(world.coordinator)

    client.post(
        reverse("draws:step", args=[draw.pk]),
        {
            "step": "commit",
            "commitment": commitment(draw.draw_id, "区市场监管局", "s"),  # its own body's
        },
    )

    entry = AuditEntry.objects.filter(model="draws.draw", action="update").latest("sequence")
    assert entry.username == "wangmin"
    assert entry.before == {"commitments": []}
    assert entry.after["commitments"][0]["party"] == "区市场监管局"
    created = AuditEntry.objects.get(model="draws.draw", action="create", object_id=str(draw.pk))
    # the population is a frozen artefact: the entry names it by the digest of its bytes
    population = draw.population_csv.encode()
    assert created.after["population_artefact_id"] == hashlib.sha256(population).hexdigest()


def test_the_chain_holds_and_breaks_where_an_entry_is_edited_or_removed(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    add_commitment(draw, actor=SYSTEM, party="甲", commitment=commitment(draw.draw_id, "甲", "x"))
    entries = AuditEntry.objects.order_by("sequence")
    assert first_break(entries) is None
    middle = entries[len(entries) // 2]

    with guard_lifted():
        AuditEntry.objects.filter(pk=middle.pk).update(after={"forged": True})
        assert first_break(AuditEntry.objects.order_by("sequence")) == (
            f"第 {middle.sequence} 条的内容与其摘要不符（被改动）"
        )
        AuditEntry.objects.filter(pk=middle.pk).delete()
        assert "缺失" in (first_break(AuditEntry.objects.order_by("sequence")) or "")


def test_the_database_refuses_to_edit_an_entry_and_on_postgresql_to_delete_one(
    world: World,
) -> None:
    make_task(world)
    entry = AuditEntry.objects.order_by("sequence").first()
    assert entry is not None

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(after={"forged": True})
    if connection.vendor == "postgresql":  # SQLite's flush deletes row by row
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).after == entry.after


def test_deleting_a_user_leaves_the_entries_that_name_it_as_they_were(world: World) -> None:
    clerk = make_user("clerk", "协调员", world.market)
    with acting_as(clerk):
        make_task(world)
    named = AuditEntry.objects.filter(username="clerk")
    clerk_id = clerk.pk
    assert set(named.values_list("user_id", flat=True)) == {clerk_id}

    clerk.delete()

    assert set(named.values_list("user_id", flat=True)) == {clerk_id}
    assert first_break(AuditEntry.objects.order_by("sequence")) is None


def test_the_log_page_is_for_the_coordinator_and_auditor_and_shows_the_check(world: World) -> None:
    make_task(world)

    page = logged_in(world.auditor).get(reverse("audit"))

    assert page.status_code == 200
    assert page.context["broken"] is None
    assert page.context["total"] == AuditEntry.objects.count() > 0
    assert logged_in(world.education_admin).get(reverse("audit")).status_code == 403
    assert Client().get(reverse("audit")).status_code == 302
    assert Draw.objects.count() == 0


def test_a_password_is_recorded_by_digest_never_its_hash(world: World) -> None:
    world.coordinator.set_password("a-new-secret-phrase")
    world.coordinator.save()

    created = AuditEntry.objects.get(
        model="accounts.user", action="create", object_id=str(world.coordinator.pk)
    )
    changed = AuditEntry.objects.filter(model="accounts.user", action="update").latest("sequence")

    for recorded in (created.after["password"], changed.after["password"]):
        assert set(recorded) == {"sha256", "length"}
    assert changed.before["password"] != changed.after["password"]
    assert world.coordinator.password not in str(changed.after)
