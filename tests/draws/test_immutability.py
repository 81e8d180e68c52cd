"""A drawn draw against its database owner: REPLACE on SQLite, TRUNCATE on PostgreSQL, its
frozen artefacts re-pointed or deleted."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.artefacts.models import ArtefactKind
from shuangsuiji.artefacts.services import store_json
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import complete_draw, freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task

pytestmark = pytest.mark.django_db


def _settled() -> None:
    """PostgreSQL refuses TRUNCATE while this transaction's deferred foreign-key checks are
    pending (rows the test just wrote): run them now, as a committed database would have."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _drawn(world: World) -> Draw:
    return complete_draw(
        freeze_draw(make_task(world), actor=SYSTEM),
        actor=SYSTEM,
        public_value="1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
        public_source="演练",
    )


def test_rewriting_a_drawn_draws_seed_by_insert_or_replace_is_refused(world: World) -> None:
    draw = _drawn(world)
    columns = [connection.ops.quote_name(f.column) for f in Draw._meta.concrete_fields]
    values = ["'" + "0" * 64 + "'" if c.strip('"') == "seed" else c for c in columns]
    if connection.vendor == "sqlite":
        sql = f"INSERT OR REPLACE INTO draws_draw ({', '.join(columns)}) SELECT {', '.join(values)} FROM draws_draw WHERE id = %s"  # noqa: E501
    else:  # PostgreSQL's REPLACE: an upsert, which is an UPDATE
        sql = f"INSERT INTO draws_draw ({', '.join(columns)}) SELECT {', '.join(values)} FROM draws_draw WHERE id = %s ON CONFLICT (id) DO UPDATE SET seed = EXCLUDED.seed"  # noqa: E501

    with (
        pytest.raises(DatabaseError, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [draw.pk])

    draw.refresh_from_db()
    assert draw.seed == draw.bundle["seed"]


def test_repointing_a_drawn_draws_bundle_or_population_in_sql_is_refused(world: World) -> None:
    draw = _drawn(world)
    forged = store_json(ArtefactKind.DRAW_BUNDLE, {**draw.bundle, "seed": "0" * 64})

    for column in ("bundle_artefact_id", "population_artefact_id"):
        with (
            pytest.raises(DatabaseError, match="immutable"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"UPDATE draws_draw SET {column} = %s WHERE id = %s", [forged.digest, draw.pk]
            )

    stored = Draw.objects.get(pk=draw.pk)
    assert (stored.bundle_artefact_id, stored.population_artefact_id) == (
        draw.bundle_artefact_id,
        draw.population_artefact_id,
    )
    assert stored.bundle == draw.bundle


def test_a_drawn_draws_artefacts_cannot_be_deleted_under_it(world: World) -> None:
    draw = _drawn(world)

    for digest in (draw.bundle_artefact_id, draw.population_artefact_id):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM artefacts_artefact WHERE digest = %s", [digest])

    assert Draw.objects.get(pk=draw.pk).bundle == draw.bundle


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncating_drawn_draws_directly_or_by_cascade_is_refused(world: World) -> None:
    draw = _drawn(world)
    _settled()

    for statement in ("TRUNCATE draws_draw CASCADE", "TRUNCATE plans_plantask CASCADE"):
        with (
            pytest.raises(DatabaseError, match="TRUNCATE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)

    assert list(Draw.objects.values_list("pk", flat=True)) == [draw.pk]


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            if connection.vendor == "postgresql"
            else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
        return {name for (name,) in cursor.fetchall()}


def test_flush_still_empties_a_database_with_drawn_draws_and_keeps_the_guards(
    world: World,
) -> None:
    _drawn(world)
    guards = _triggers()
    _settled()

    call_command("flush", interactive=False, verbosity=0)

    assert (Draw.objects.count(), _triggers()) == (0, guards)
    assert {"draws_draw_no_truncate", "draws_draw_immutable"} <= guards or {
        "draws_draw_no_update",
        "draws_draw_no_delete",
    } <= guards
