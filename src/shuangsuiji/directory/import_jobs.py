"""The entity import as a person does it on the web: upload → checked preview → confirm.

Checking and writing run as background tasks (`directory.tasks`, django-tasks with the
database backend), so a file of 100,000 rows neither holds a web worker nor times out; the
page polls the `EntityImport` row, and its check's or write's `operations.Job` for progress.
Each step here is a plain function, so the tasks stay thin and tests can call the steps
directly.
"""

import uuid
from dataclasses import asdict
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.directory import tally
from shuangsuiji.directory.enums import ImportStatus
from shuangsuiji.directory.importers import (
    CATEGORIES,
    INDUSTRY,
    NAME,
    REGION,
    RISK_CLASS,
    STATUS,
    USCC,
    EntityValues,
    Problem,
)
from shuangsuiji.directory.models import EntityImport
from shuangsuiji.directory.services import (
    CheckedFile,
    ImportRejected,
    Progress,
    check_entities_file,
    create_entities,
    import_jurisdiction,
)
from shuangsuiji.operations import jobs
from shuangsuiji.operations.models import Job, JobKind, JobState

UPLOADS = "entity-uploads"
PROBLEMS_KEPT = 1_000  # a file with more problems is fixed from the first thousand
PREVIEW_ROWS = 20
FILENAME_MAX = 200  # EntityImport.filename; the end of a long name keeps its suffix
PREVIEW_COLUMNS = (USCC, NAME, REGION, STATUS, RISK_CLASS, INDUSTRY, CATEGORIES)


def start_import(
    upload: IO[bytes], filename: str, *, actor: User, confirm_when_checked: bool = False
) -> EntityImport:
    """Store the upload and queue its check; the caller's page then polls the returned row.
    `confirm_when_checked` (the API) queues the write as soon as the check passes. The file is
    checked and written as `actor` (its jurisdiction), who must be allowed to import at all."""
    from shuangsuiji.directory.tasks import check_import_task

    import_jurisdiction(actor)
    name = PurePath(filename).name[-FILENAME_MAX:]
    path = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}/{name}", File(upload, name))
    record = EntityImport.objects.create(
        created_by=actor, filename=name, path=path, confirm_when_checked=confirm_when_checked
    )
    jobs.enqueue(_step(record, JobKind.CHECK, actor), check_import_task)
    return record


def confirm_import(job: EntityImport, *, actor: User) -> bool:
    """Queue the write of a checked file; False if the file is not (or no longer) waiting.
    `actor` must be allowed to import and to change the job (its uploader's region or above);
    the write itself is checked again as the uploader, whose jurisdiction is the narrower."""
    from shuangsuiji.directory.tasks import commit_import_task

    import_jurisdiction(actor)
    if not EntityImport.objects.visible_to(actor, "change").filter(pk=job.pk).exists():
        raise PermissionDenied("无权确认这次导入")
    queued = EntityImport.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING
    )
    if queued:
        jobs.enqueue(_step(job, JobKind.WRITE, actor), commit_import_task)
    return bool(queued)


def _step(record: EntityImport, kind: str, actor: User) -> Job:
    """The file's next background step, in its uploader's region (the file's own scope)."""
    uploader = record.created_by
    region = uploader.department.region_id if uploader.department_id else None
    return Job.objects.create(kind=kind, entity_import=record, region_id=region, created_by=actor)


ABANDONED = "后台进程在检查文件时停止（被终止、重启或崩溃），未写入任何数据，请重新上传"
ABANDONED_WRITE = (
    "后台进程在写入时停止（被终止、重启或崩溃），未写入任何数据（写入是一个整体），请重新上传"
)


def reap(job: EntityImport) -> EntityImport:
    """A check or a write whose worker died (`operations.jobs.reap`) fails the file with the
    reason, so its page stops at "检查中" or "写入中" no longer."""
    step = job.step()
    if job.status not in ImportStatus.running() or step is None or not step.is_running:
        return job
    reason = ABANDONED if step.kind == JobKind.CHECK else ABANDONED_WRITE
    if jobs.reap(step, reason).state == JobState.FAILED:
        EntityImport.objects.filter(pk=job.pk, status__in=ImportStatus.running()).update(
            status=ImportStatus.FAILED, message=step.message, finished_at=step.finished_at
        )
        job.refresh_from_db()
    return job


def check_import(job_id: int) -> None:
    """Read and check the stored file, reporting progress, holding the check's lease."""
    with jobs.leased(job_id):
        _check_import(job_id)


def _check_import(job_id: int) -> None:
    """Keep the file's problems and a preview; confirm it when asked to on a clean check."""
    step = Job.objects.select_related("entity_import").get(pk=job_id)
    if not jobs.start(step, "检查中"):
        return  # already taken (a retried task)
    job = step.entity_import
    job.status = ImportStatus.CHECKING
    job.save(update_fields=["status"])
    with jobs.reporter(step.pk) as report:

        def progress(done: int, total: int) -> None:
            percent = min(99, done * 100 // total) if total else 0
            report("检查中", percent, done=done, total=total)

        try:
            checked = _check(job, progress)
        except PermissionDenied as error:  # the uploader lost its role or department meanwhile
            _refuse(job, step, ImportStatus.REJECTED, error)
            return
    job.total_rows = checked.total_rows
    job.preview = [_preview_row(values) for values in checked.rows[:PREVIEW_ROWS]]
    _record_problems(job, checked.problems)
    if checked.problems:
        job.status = ImportStatus.REJECTED
        job.message = f"发现{len(checked.problems)}处问题，未写入任何数据。请改正后重新上传。"
        job.finished_at = timezone.now()
    else:
        job.status = ImportStatus.CHECKED
        job.message = f"全部{checked.total_rows}行检查通过，确认后写入。"
    step.done = step.total = checked.total_rows
    with transaction.atomic():  # apart, a crash between them would leave one of them running
        job.save()
        jobs.finish(step, JobState.DONE, fields=("done", "total"))
    if job.status == ImportStatus.CHECKED and job.confirm_when_checked:
        confirm_import(job, actor=job.created_by)


def commit_import(job_id: int) -> None:
    """Write a confirmed file, holding the step's lease (see `reap`)."""
    with jobs.leased(job_id):
        step = Job.objects.select_related("entity_import").get(pk=job_id)
        if jobs.start(step, "写入中"):
            _commit_import(step)


def _commit_import(step: Job) -> None:
    """Check the file again (the directory may have changed since the preview) and write it
    in one transaction; any problem or conflict leaves the directory as it was.

    The entities, the file's "done" and its write's commit together: committed apart, a worker
    killed between the commits would leave the entities written under a job that `reap` then
    fails as "未写入任何数据，请重新上传", and the upload again would be refused as duplicates
    (kill -9 tests, tests/operations/test_kill_worker.py). The file is deleted once they have
    committed."""
    job = step.entity_import
    try:
        checked = _check(job, lambda done, total: None)
        if checked.problems:
            raise ImportRejected(checked.problems)
        with transaction.atomic():
            job.created_count = create_entities(checked.rows, actor=job.created_by)
            job.status = ImportStatus.DONE
            job.message = f"已导入{job.created_count}户检查对象。"
            job.finished_at = timezone.now()
            job.save()
            jobs.finish(step, JobState.DONE)
    except PermissionDenied as error:
        _refuse(job, step, ImportStatus.FAILED, error)
        return
    except ImportRejected as error:  # changed since the check, or lost a race to another import
        _record_problems(job, error.problems)
        job.status = ImportStatus.FAILED
        job.message = f"确认时重新检查发现{len(error.problems)}处问题，未写入任何数据。"
        job.finished_at = timezone.now()
        with transaction.atomic():
            job.save()
            jobs.finish(step, JobState.FAILED, message=job.message)
        return
    default_storage.delete(job.path)
    tally.request_rebuild()  # the worker brings the population counts' tally up to date


def fail_import(job_id: int, error: BaseException) -> None:
    """A step crashed (a lost file, a dead database): say so instead of polling forever."""
    message = f"处理失败，未写入任何数据：{error.__class__.__name__}"
    jobs.fail(job_id, message)
    EntityImport.objects.filter(jobs__pk=job_id).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )


def _check(job: EntityImport, progress: Progress) -> CheckedFile:
    with default_storage.open(job.path, "rb") as file:
        return check_entities_file(file, job.filename, actor=job.created_by, progress=progress)


def _refuse(job: EntityImport, step: Job, status: str, error: PermissionDenied) -> None:
    job.status = status
    job.message = f"{error}，未写入任何数据。"
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save()
        jobs.finish(step, JobState.FAILED, message=job.message)


def _record_problems(job: EntityImport, problems: list[Problem]) -> None:
    job.problem_count = len(problems)
    job.problems = [asdict(problem) for problem in problems[:PROBLEMS_KEPT]]


def _preview_row(values: EntityValues) -> dict[str, Any]:
    """The row as the file's columns show it, for the preview table."""
    return {
        "row": values.row,
        "cells": [
            values.uscc,
            values.name,
            values.region_code,
            values.status,
            values.risk_class,
            values.industry_code,
            "、".join(values.categories),
        ],
    }
