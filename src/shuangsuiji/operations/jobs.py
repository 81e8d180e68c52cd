"""One way for every background step (a draw's freeze or completion, an entity file's check or
write) to run, report progress and be found dead: the `Job` row its page polls.

A step runs holding its job's lease (`lib.leases`) from before it is marked running until
after it is marked done or failed, so a running job without one has no worker. A job still
queued whose django-tasks task a worker took and died before starting (`operations.claims`)
would wait, and hold its subject, forever: no worker takes a claimed task again. `reap` fails
both with the reason its kind gives, and is the only place that decides a job is dead.
"""

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from shuangsuiji.lib.leases import held, is_held
from shuangsuiji.operations.claims import claimed_by_a_dead_worker
from shuangsuiji.operations.models import Job, JobState

LEASE = "job"

# Every step's start, end and failure, with the traceback of a crash: the job's page keeps the
# message written for its users (in Chinese, without internals); the operator needs the rest.
log = logging.getLogger("shuangsuiji.jobs")


def _described(job: Job | int) -> dict[str, Any]:
    if isinstance(job, int):
        return {"job_id": job}
    return {"job_id": job.pk, "job_kind": job.kind}


class Report(Protocol):
    def __call__(self, stage: str, percent: int, *, done: int = 0, total: int = 0) -> None: ...


def enqueue(job: Job, task: Any) -> None:
    """Queue `task` for the job and keep its django-tasks result id (what a claim is found by).
    Saved with an UPDATE: a task run in-process has already finished the job by now."""
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))


@contextmanager
def leased(job_id: int) -> Iterator[None]:
    """Hold the job's lease while its step runs (see `reap`)."""
    with held(LEASE, job_id):
        yield


def start(job: Job, stage: str = "") -> bool:
    """Mark a queued job running (inside its lease); False if it is not queued (a retried
    task took it already)."""
    if job.state != JobState.QUEUED:
        return False
    job.state, job.stage, job.started_at = JobState.RUNNING, stage, timezone.now()
    job.save(update_fields=["state", "stage", "started_at"])
    log.info("job %s (%s) started", job.pk, job.kind, extra=_described(job))
    return True


def finish(job: Job, state: str, *, message: str = "", fields: tuple[str, ...] = ()) -> None:
    """Record the step's end; `fields` names other fields the step set on the job."""
    job.state, job.message, job.finished_at = state, message[:500], timezone.now()
    if state == JobState.DONE:
        job.progress, job.stage = 100, "完成"
    job.save(update_fields=["state", "message", "finished_at", "progress", "stage", *fields])
    took = (job.finished_at - job.started_at).total_seconds() if job.started_at else None
    extra = {**_described(job), "job_state": state, "duration_s": took}
    if state == JobState.DONE:
        log.info("job %s (%s) done", job.pk, job.kind, extra=extra)
    else:  # refused by a rule or a check: the reason is the message; any exception is shown
        log.warning(
            "job %s (%s) %s: %s",
            job.pk,
            job.kind,
            state,
            message,
            extra=extra,
            exc_info=sys.exc_info()[0] is not None,
        )


def fail(job_id: int, message: str) -> None:
    """The step crashed (a dead database, a lost file): say so instead of polling forever.
    Called from the task's `except`, so the log gets the exception's traceback; the job keeps
    `message` for its page."""
    log.error(
        "job %s failed: %s",
        job_id,
        message,
        extra=_described(job_id),
        exc_info=sys.exc_info()[0] is not None,
    )
    Job.objects.filter(pk=job_id, state__in=JobState.running()).update(
        state=JobState.FAILED, message=message[:500], finished_at=timezone.now()
    )


def reap(job: Job, reason: str) -> Job:
    """Fail a job whose worker died with `reason`, so its page stops waiting and its subject
    is free again; any other job is returned as it is."""
    dead = (job.state == JobState.RUNNING and not is_held(LEASE, job.pk)) or (
        job.state == JobState.QUEUED
        and bool(job.task_result_id)
        and claimed_by_a_dead_worker(job.task_result_id)
    )
    if dead:
        log.warning(
            "job %s (%s) abandoned by its worker: %s",
            job.pk,
            job.kind,
            reason,
            extra=_described(job),
        )
        Job.objects.filter(pk=job.pk, state=job.state).update(
            state=JobState.FAILED, message=reason[:500], finished_at=timezone.now()
        )
        job.refresh_from_db()
    return job


@contextmanager
def reporter(job_id: int) -> Iterator[Report]:
    """Stage, percent and counts written as the step goes, seen by its page at once.

    A step outside a transaction writes through its own connection. A step that is one
    transaction (a draw step) would be seen only at its end: on PostgreSQL a second connection
    writes the row at once; SQLite has one writer at a time (the step holds it from the start),
    so there the page shows the stage the job was started with."""
    table = connection.ops.quote_name(Job._meta.db_table)
    sql = f"UPDATE {table} SET stage = %s, progress = %s, done = %s, total = %s WHERE id = %s"
    if not connection.in_atomic_block:
        yield _writer(lambda: connection, sql, job_id)
        return
    if connection.vendor != "postgresql":
        yield lambda stage, percent, *, done=0, total=0: None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield _writer(lambda: side, sql, job_id)
    finally:
        side.close()


def _writer(through: Callable[[], Any], sql: str, job_id: int) -> Report:
    def report(stage: str, percent: int, *, done: int = 0, total: int = 0) -> None:
        with through().cursor() as cursor:
            cursor.execute(sql, [stage[:40], max(0, min(100, percent)), done, total, job_id])

    return report
