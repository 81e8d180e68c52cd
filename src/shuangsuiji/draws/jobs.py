"""The draw's two slow steps as a person starts them on the web: freezing the population and
completing the draw take 2–3 s each at 1,000,000 entities, so they run as background tasks
(`draws.tasks`, django-tasks with the database backend, `shuangsuiji db_worker`) and the page
polls a `DrawJob` row for the stage and percent.

The step itself is the service (`freeze_draw`, `complete_draw`), unchanged and one transaction:
a failed job leaves nothing written and keeps the reason. A step over a population below
settings.DRAW_BACKGROUND_FROM entities takes well under a second and runs in the request, so a
small district needs no worker.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

from shuangsuiji.accounts.permissions import NotAllowed, require
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.core import draw as rule
from shuangsuiji.draws.models import Draw, DrawJob, JobState, JobStep
from shuangsuiji.draws.rules import may_draw
from shuangsuiji.draws.services import (
    DRAW_REFUSED,
    DrawStepError,
    Progress,
    complete_draw,
    freeze_draw,
    refuse_unpublished,
)
from shuangsuiji.lib.leases import held, is_held
from shuangsuiji.operations.claims import claimed_by_a_dead_worker
from shuangsuiji.plans.models import PlanTask
from shuangsuiji.plans.population import PopulationFilter, listed


class JobRefused(DrawStepError):
    """A start refused at once: a second start while a step of the same task is queued or
    running, or a task whose plan is a draft or withdrawn."""


def start_freeze(
    task: PlanTask, *, actor: Any, supersedes: Draw | None = None, reason: str = ""
) -> DrawJob:
    """Queue (or, for a small population, run) freezing the task's population."""
    require(may_draw(actor, task), DRAW_REFUSED)  # at once, not first when the job runs
    try:
        refuse_unpublished(task.plan)
    except DrawStepError as error:
        raise JobRefused(str(error)) from error
    params = {"reason": reason}
    job = _create(task, JobStep.FREEZE, actor, supersedes=supersedes, params=params)
    size = listed(PopulationFilter.of_task(task)).count()
    return _run_or_enqueue(job, size)


def start_complete(
    draw: Draw, *, actor: Any, public_value: str, public_source: str, system: bool = False
) -> DrawJob:
    """Queue (or, for a small population, run) completing the draw with the public value."""
    require(may_draw(actor, draw.task), DRAW_REFUSED)
    params = {"public_value": public_value, "public_source": public_source, "system": system}
    job = _create(draw.task, JobStep.COMPLETE, actor, draw=draw, params=params)
    return _run_or_enqueue(job, int(draw.freeze.get("population_size", 0)))


def latest_job(task: PlanTask) -> DrawJob | None:
    """The task's most recent step: the page shows it while it runs and if it failed."""
    job = task.draw_jobs.first()
    return reap(job) if job is not None else None


LEASE = "drawjob"
ABANDONED = "后台进程在此步骤进行中停止（被终止、重启或崩溃），此步骤未写入任何内容，可以重新开始"


def reap(job: DrawJob) -> DrawJob:
    """A step left "running" by a worker that died is failed with the reason, so its page
    stops waiting and the task is free again. A running step holds its lease
    (`lib.leases`) from before it is marked running until after it is marked done or failed,
    so a running step without one has no worker. A step still "queued" whose task a worker
    took and died before starting (`operations.claims`) is failed alike: no worker takes a
    claimed task again, so it would wait, and lock its task, forever."""
    from shuangsuiji.draws.tasks import run_draw_job_task

    dead = (job.state == JobState.RUNNING and not is_held(LEASE, job.pk)) or (
        job.state == JobState.QUEUED
        and claimed_by_a_dead_worker(run_draw_job_task.module_path, job.pk)
    )
    if dead:
        DrawJob.objects.filter(pk=job.pk, state=job.state).update(
            state=JobState.FAILED, message=ABANDONED, finished_at=timezone.now()
        )
        job.refresh_from_db()
    return job


def run_job(job_id: int) -> None:
    """Take the step as the person who started it, holding its lease throughout."""
    with held(LEASE, job_id):
        _run(job_id)


def _run(job_id: int) -> None:
    """Record done with its draw, or failed with the reason (the service's transaction has
    then written nothing).

    The step and its "done" commit in one transaction: committed apart, a worker killed between
    the two commits would leave a written draw under a job that `reap` then fails as "此步骤未写入
    任何内容" (kill -9 tests, tests/operations/test_kill_worker.py)."""
    job = DrawJob.objects.select_related("task", "created_by").get(pk=job_id)
    if job.state != JobState.QUEUED:
        return  # already taken (a retried task)
    job.state = JobState.RUNNING
    job.stage = "读取名录" if job.step == JobStep.FREEZE else "读取名单"
    job.save(update_fields=["state", "stage"])
    params = job.params
    actor = job.created_by or AnonymousUser()  # a deleted starter may no longer draw
    try:
        with acting_as(job.created_by), _reporter(job.pk) as progress, transaction.atomic():
            if job.step == JobStep.FREEZE:
                draw = freeze_draw(
                    job.task,
                    actor=actor,
                    supersedes=job.supersedes,
                    reason=params.get("reason", ""),
                    progress=progress,
                )
            else:
                if job.draw is None:
                    raise DrawStepError("要完成的抽取已不存在")
                draw = complete_draw(
                    job.draw,
                    actor=actor,
                    public_value=params["public_value"],
                    public_source=params["public_source"],
                    system=params["system"],
                    progress=progress,
                )
            job.draw = draw
            _finish(job, JobState.DONE, message="")
    except (DrawStepError, rule.DrawError, NotAllowed) as error:
        _finish(job, JobState.FAILED, message=str(error))


def fail_job(job_id: int, error: BaseException) -> None:
    """The step crashed (a dead database, a killed worker): say so instead of polling forever."""
    DrawJob.objects.filter(pk=job_id, state__in=JobState.running()).update(
        state=JobState.FAILED,
        message=f"处理中断：{error.__class__.__name__}",
        finished_at=timezone.now(),
    )


def _create(task: PlanTask, step: str, actor: Any, **fields: Any) -> DrawJob:
    try:
        with transaction.atomic():
            return DrawJob.objects.create(
                task=task,
                step=step,
                created_by=actor if getattr(actor, "pk", None) else None,
                **fields,
            )
    except IntegrityError as error:
        running = task.draw_jobs.filter(state__in=JobState.running())
        if not any(reap(job).state == JobState.FAILED for job in running):
            raise JobRefused("本任务已有一个抽取步骤正在进行，请等它完成后再试") from error
    return _create(task, step, actor, **fields)  # the step in the way had no worker


def _run_or_enqueue(job: DrawJob, population_size: int) -> DrawJob:
    from shuangsuiji.draws.tasks import run_draw_job_task

    if population_size < settings.DRAW_BACKGROUND_FROM:
        run_job(job.pk)
    else:
        run_draw_job_task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _finish(job: DrawJob, state: str, *, message: str) -> None:
    job.state, job.message, job.finished_at = state, message[:500], timezone.now()
    if state == JobState.DONE:
        job.progress, job.stage = 100, "完成"
    job.save(update_fields=["state", "message", "finished_at", "progress", "stage", "draw"])


@contextmanager
def _reporter(job_id: int) -> Iterator[Progress]:
    """Stage and percent written as the step goes, through a connection of their own.

    The step is one transaction, so progress written through it would be seen only at the end.
    On PostgreSQL a second connection writes the job row at once. SQLite has one writer at a
    time (the step holds it from the start, IMMEDIATE), so there the page shows the first stage.
    """
    if connection.vendor != "postgresql":
        yield lambda stage, percent: None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = connection.ops.quote_name(DrawJob._meta.db_table)

    def report(stage: str, percent: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET stage = %s, progress = %s WHERE id = %s",
                [stage, percent, job_id],
            )

    try:
        yield report
    finally:
        side.close()
