"""The draw's two slow steps as a person starts them on the web: freezing the population and
completing the draw take 2–3 s each at 1,000,000 entities, so they run as background tasks
(`draws.tasks`, django-tasks with the database backend, `shuangsuiji db_worker`) and the page
polls its `operations.Job` row for the stage and percent.

The step itself is the service (`freeze_draw`, `complete_draw`), unchanged and one transaction:
a failed job leaves nothing written and keeps the reason. A step over a population below
settings.DRAW_BACKGROUND_FROM entities takes well under a second and runs in the request, so a
small district needs no worker.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from shuangsuiji.accounts.permissions import NotAllowed, require
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.core import draw as rule
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.rules import may_draw
from shuangsuiji.draws.services import (
    DRAW_REFUSED,
    DrawStepError,
    complete_draw,
    freeze_draw,
    refuse_unpublished,
)
from shuangsuiji.operations import jobs
from shuangsuiji.operations.models import Job, JobKind, JobState
from shuangsuiji.plans.models import PlanTask
from shuangsuiji.plans.population import PopulationFilter, listed


class JobRefused(DrawStepError):
    """A start refused at once: a second start while a step of the same task is queued or
    running, or a task whose plan is a draft or withdrawn."""


def start_freeze(
    task: PlanTask, *, actor: Any, supersedes: Draw | None = None, reason: str = ""
) -> Job:
    """Queue (or, for a small population, run) freezing the task's population."""
    require(may_draw(actor, task), DRAW_REFUSED)  # at once, not first when the job runs
    try:
        refuse_unpublished(task.plan)
    except DrawStepError as error:
        raise JobRefused(str(error)) from error
    params = {"reason": reason}
    job = _create(task, JobKind.FREEZE, actor, supersedes=supersedes, params=params)
    size = listed(PopulationFilter.of_task(task)).count()
    return _run_or_enqueue(job, size)


def start_complete(
    draw: Draw, *, actor: Any, public_value: str, public_source: str, system: bool = False
) -> Job:
    """Queue (or, for a small population, run) completing the draw with the public value."""
    require(may_draw(actor, draw.task), DRAW_REFUSED)
    params = {"public_value": public_value, "public_source": public_source, "system": system}
    job = _create(draw.task, JobKind.COMPLETE, actor, draw=draw, params=params)
    return _run_or_enqueue(job, int(draw.freeze.get("population_size", 0)))


def latest_job(task: PlanTask) -> Job | None:
    """The task's most recent step: the page shows it while it runs and if it failed."""
    job = task.draw_jobs.first()
    return reap(job) if job is not None else None


ABANDONED = "后台进程在此步骤进行中停止（被终止、重启或崩溃），此步骤未写入任何内容，可以重新开始"


def reap(job: Job) -> Job:
    """A step whose worker died is failed with the reason (`operations.jobs.reap`), so its
    page stops waiting and the task is free again."""
    return jobs.reap(job, ABANDONED)


def run_job(job_id: int) -> None:
    """Take the step as the person who started it, holding its lease throughout."""
    with jobs.leased(job_id):
        _run(job_id)


def _run(job_id: int) -> None:
    """Record done with its draw, or failed with the reason (the service's transaction has
    then written nothing).

    The step and its "done" commit in one transaction: committed apart, a worker killed between
    the two commits would leave a written draw under a job that `reap` then fails as "此步骤未写入
    任何内容" (kill -9 tests, tests/operations/test_kill_worker.py)."""
    job = Job.objects.select_related("task", "created_by").get(pk=job_id)
    freeze = job.kind == JobKind.FREEZE
    if not jobs.start(job, "读取名录" if freeze else "读取名单"):
        return  # already taken (a retried task)
    params = job.params
    actor = job.created_by or AnonymousUser()  # a deleted starter may no longer draw
    try:
        with acting_as(job.created_by), transaction.atomic(), jobs.reporter(job.pk) as report:
            if freeze:
                draw = freeze_draw(
                    job.task,
                    actor=actor,
                    supersedes=job.supersedes,
                    reason=params.get("reason", ""),
                    progress=report,
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
                    progress=report,
                )
            job.draw = draw
            jobs.finish(job, JobState.DONE, fields=("draw",))
    except (DrawStepError, rule.DrawError, NotAllowed) as error:
        jobs.finish(job, JobState.FAILED, message=str(error))


def fail_job(job_id: int, error: BaseException) -> None:
    """The step crashed (a dead database, a killed worker): say so instead of polling forever."""
    jobs.fail(job_id, f"处理中断：{error.__class__.__name__}")


def _create(task: PlanTask, kind: str, actor: Any, **fields: Any) -> Job:
    try:
        with transaction.atomic():
            return Job.objects.create(
                task=task,
                kind=kind,
                region_id=task.plan.region_id,
                created_by=actor if getattr(actor, "pk", None) else None,
                **fields,
            )
    except IntegrityError as error:
        running = task.draw_jobs.filter(state__in=JobState.running())
        if not any(reap(job).state == JobState.FAILED for job in running):
            raise JobRefused("本任务已有一个抽取步骤正在进行，请等它完成后再试") from error
    return _create(task, kind, actor, **fields)  # the step in the way had no worker


def _run_or_enqueue(job: Job, population_size: int) -> Job:
    from shuangsuiji.draws.tasks import run_draw_job_task

    if population_size < settings.DRAW_BACKGROUND_FROM:
        run_job(job.pk)
    else:
        jobs.enqueue(job, run_draw_job_task)
    job.refresh_from_db()
    return job
