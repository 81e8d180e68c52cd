"""Frozen artefacts: stored once under the SHA-256 of their bytes, read back checked, and
never changed or removed — the database refuses it on SQLite and PostgreSQL alike."""

import hashlib
import zlib

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from shuangsuiji.artefacts.models import Artefact, ArtefactKind
from shuangsuiji.artefacts.services import ArtefactCorrupt, read, store, store_json

pytestmark = pytest.mark.django_db
LISTING = b"uscc,class,salt\n91140406MA0000000X,B,00ff\n"


def _sql(statement: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_artefact_is_named_by_the_sha256_of_its_bytes_and_reads_back_whole() -> None:
    artefact = store(ArtefactKind.POPULATION, LISTING)

    stored = Artefact.objects.get(pk=artefact.digest)
    assert (stored.digest, stored.kind, stored.size) == (
        hashlib.sha256(LISTING).hexdigest(),
        "population",
        len(LISTING),
    )
    assert zlib.decompress(stored.content) == LISTING
    assert read(artefact.digest) == LISTING


def test_storing_the_same_bytes_twice_keeps_one_row() -> None:
    first = store_json(ArtefactKind.DRAW_BUNDLE, {"seed": "ab", "rounds": []})
    second = store_json(ArtefactKind.DRAW_BUNDLE, {"seed": "ab", "rounds": []})

    assert first.digest == second.digest
    assert Artefact.objects.count() == 1


def test_the_default_manager_leaves_the_content_unread() -> None:
    artefact = store(ArtefactKind.POPULATION, LISTING)

    assert Artefact.objects.get(pk=artefact.digest).get_deferred_fields() == {"content"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE artefacts_artefact SET content = %s WHERE digest = %s",
        "UPDATE artefacts_artefact SET kind = 'draw-bundle' WHERE digest = %s",
        "DELETE FROM artefacts_artefact WHERE digest = %s",
    ],
)
def test_changing_or_deleting_an_artefact_in_sql_is_refused(statement: str) -> None:
    artefact = store(ArtefactKind.POPULATION, LISTING)
    forged = zlib.compress(b"uscc,class,salt\n")
    params: list[object] = [artefact.digest]
    if "content" in statement:
        params.insert(0, forged)

    with pytest.raises(DatabaseError, match="append-only"):
        _sql(statement, params)

    assert read(artefact.digest) == LISTING


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncating_the_artefacts_is_refused() -> None:
    store(ArtefactKind.POPULATION, LISTING)

    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        _sql("TRUNCATE artefacts_artefact CASCADE", [])

    assert Artefact.objects.count() == 1


def test_bytes_that_do_not_hash_to_their_name_are_refused_on_reading() -> None:
    """A row added under a digest its content does not have (insertion is allowed) is caught
    where it is read, not served."""
    digest = hashlib.sha256(LISTING).hexdigest()
    _sql(
        "INSERT INTO artefacts_artefact (digest, kind, size, content, created_at)"
        " VALUES (%s, 'population', 1, %s, %s)",
        [digest, zlib.compress(b"forged"), "2026-01-01 00:00:00+00:00"],
    )

    with pytest.raises(ArtefactCorrupt, match="与摘要不符"):
        read(digest)


def test_flush_still_empties_the_artefacts_and_keeps_their_guards() -> None:
    store(ArtefactKind.POPULATION, LISTING)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            if connection.vendor == "postgresql"
            else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
        before = {name for (name,) in cursor.fetchall() if name.startswith("artefacts_")}

    call_command("flush", interactive=False, verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            if connection.vendor == "postgresql"
            else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
        after = {name for (name,) in cursor.fetchall() if name.startswith("artefacts_")}
    assert Artefact.objects.count() == 0
    assert after == before
    assert before in (
        {"artefacts_artefact_append_only", "artefacts_artefact_no_truncate"},
        {"artefacts_artefact_no_update", "artefacts_artefact_no_delete"},
    )
