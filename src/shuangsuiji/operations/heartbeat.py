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
RETRY_SECONDS = 2  # after a beat the database refused
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
    """Beat now, then every HEARTBEAT_SECONDS until `stop` is set; after a beat the database
    refused, again within RETRY_SECONDS, so that a worker which lived through a database
    restart shows as alive as soon as the database is back, not up to a period later."""
    started_at = timezone.now()
    try:
        WorkerHeartbeat.objects.filter(last_seen__lt=started_at - FORGET_AFTER).delete()
        beat(worker_id, started_at)
        wait = HEARTBEAT_SECONDS
    except DatabaseError:
        wait = RETRY_SECONDS  # the database is away at start: beat once it is back

    def run() -> None:
        delay = wait
        while not stop.wait(delay):
            try:
                beat(worker_id, started_at)
                delay = HEARTBEAT_SECONDS
            except DatabaseError:
                delay = RETRY_SECONDS  # away: the worker's own loop says so and reconnects
            finally:
                connection.close()  # this thread's connection: a fresh one next beat

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    return thread


def live_workers() -> int:
    return WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - STALE_AFTER).count()
