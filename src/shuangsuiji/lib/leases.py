"""Leases: a background step holds one while it runs, and the operating system or the database
lets go of it the moment the worker dies — kill -9, a crash, a lost connection.

So a page that finds a step "running" can ask whether anyone still runs it, with no clock to
guess: on PostgreSQL a session-level advisory lock (released when the worker's connection
closes), on SQLite an exclusive `flock` on a small file beside the database (released when the
worker's process ends; SQLite installations run on one machine). No heartbeat table, nothing to
sweep, and a step that is merely slow is never taken for dead.
"""

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

LEASE_DIR = "leases"


def _keys(kind: str, key: int) -> tuple[int, int]:
    """PostgreSQL's two-integer advisory lock key: the kind's CRC (signed), the record id."""
    return zlib.crc32(kind.encode()) - 2**31, key


def _path(kind: str, key: int) -> Path:
    folder = Path(settings.DATA_DIR) / LEASE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{kind}-{key}.lock"


@contextmanager
def held(kind: str, key: int) -> Iterator[None]:
    """Hold the lease of (`kind`, `key`) while the block runs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", _keys(kind, key))
        try:
            yield
        finally:
            if connection.connection is not None:  # a lost connection has let go already
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _keys(kind, key))
        return
    descriptor = os.open(_path(kind, key), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing lets go of the flock


@contextmanager
def held_apart(kind: str, key: int) -> Iterator[None]:
    """Hold a lease for a holder that outlives its connections: a worker, whose loop closes
    and reopens the thread's connection (`close_old_connections`), holds its own on PostgreSQL
    through a connection of its own. A database restart ends that connection and the lease
    with it while the worker lives; what the lease guards must tolerate that (see
    operations.claims)."""
    if connection.vendor != "postgresql":
        with held(kind, key):
            yield
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with own.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", _keys(kind, key))
        yield
    finally:
        own.close()


def key_of(name: str) -> int:
    """A lease key for a name (a worker's id): its CRC, signed as PostgreSQL's keys are."""
    return zlib.crc32(name.encode()) - 2**31


def is_held(kind: str, key: int) -> bool:
    """Whether a live process holds the lease now (a dead one's is already released)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = %s::oid AND objid = %s::oid AND objsubid = 2",
                [k % 2**32 for k in _keys(kind, key)],
            )
            row = cursor.fetchone()
        return bool(row and row[0])
    path = _path(kind, key)
    if not path.exists():
        return False
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return False
    finally:
        os.close(descriptor)
