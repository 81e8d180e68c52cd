"""A worker's heartbeat: a daemon thread that stamps the worker's row every HEARTBEAT_SECONDS
with its own database connection, so a long job does not silence it and a dead process stops
it. Rows of workers gone longer than FORGET_AFTER are removed by the next worker to start."""

import os
import socket
import threading
from datetime import timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

from shuangsuiji.operations.models import WorkerHeartbeat

HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)  # missed two beats: dead or cut off
FORGET_AFTER = timedelta(days=7)


def beat(worker_id: str, started_at: object) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def start(worker_id: str, stop: threading.Event) -> threading.Thread:
    """Beat now, then every HEARTBEAT_SECONDS until `stop` is set."""
    started_at = timezone.now()
    try:
        WorkerHeartbeat.objects.filter(last_seen__lt=started_at - FORGET_AFTER).delete()
        beat(worker_id, started_at)
    except DatabaseError:
        pass  # the database is away at start: the thread beats once it is back

    def run() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                beat(worker_id, started_at)
            except DatabaseError:
                pass  # the database is away: the worker's own loop says so and reconnects
            finally:
                connection.close()  # this thread's connection: a fresh one next beat

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    return thread


def live_workers() -> int:
    return WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - STALE_AFTER).count()
