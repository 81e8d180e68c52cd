"""The database guards around published records, seen from the application: SQLite connections
that let REPLACE fire the delete triggers, and the one sanctioned way past the guards — Django's
`flush` (tests between transactional tests, `demo --rebuild`), which empties every table.

The guards themselves are triggers written by migrations: drawn draws (draws 0002, 0005),
assigned assignments, recusals, visits and teams (assignments 0002, 0003), published results
(inspections 0005) and the audit log (audit 0003, 0005)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

# The flag the PostgreSQL TRUNCATE guard lets through (audit migration 0005).
FLUSH_SETTING = "shuangsuiji.flush"


def recursive_triggers(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """SQLite runs no delete trigger for the row an INSERT OR REPLACE removes unless recursive
    triggers are on: without this, REPLACE rewrote a drawn draw's seed past its guard."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers = ON")


def connect() -> None:
    connection_created.connect(recursive_triggers, dispatch_uid="sqlite-recursive-triggers")


@contextmanager
def flushing(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Inside a transaction: let a flush through the guards, then put them back. PostgreSQL's
    TRUNCATE guard reads a setting local to this transaction; SQLite's flush deletes row by row,
    so its guarding triggers (every trigger that aborts) are dropped and recreated as they were."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [FLUSH_SETTING])
            yield
            return
        if connection.vendor != "sqlite":
            yield
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
            ["%RAISE(ABORT%"],
        )
        lifted = cursor.fetchall()
        for name, _ in lifted:
            cursor.execute(f'DROP TRIGGER "{name}"')
        yield
        for _, sql in lifted:
            cursor.execute(sql)
