"""Every background step becomes a row of `operations.Job`: each draw step keeps its id (so a
page polling /draws/job/<id>/ across the upgrade finds it), each entity file gets its check and,
once confirmed, its write.

An import's steps are read back from its status: importing, done, or a failure after the write
started mean a write (and a check done before it); any other failure is the check's (or a write
that never began: the upload keeps its own message, which the page shows). Jobs are not moved
back by a reverse migration: they are transient, and what they made stays where it is."""

from django.core.management.color import no_style
from django.db import migrations


def _import_steps(upload):
    """(kind, state, finished_at) of each step the upload went through."""
    wrote = upload.status in ("importing", "done") or (
        upload.status == "failed" and upload.write_started_at is not None
    )
    if upload.status in ("queued", "checking"):
        check = ("import-check", "queued" if upload.status == "queued" else "running", None)
    elif upload.status == "failed" and not wrote:
        check = ("import-check", "failed", upload.finished_at)
    else:
        check = ("import-check", "done", upload.write_started_at or upload.finished_at)
    if not wrote:
        return [check]
    if upload.status == "importing":
        write = ("import-write", "running" if upload.write_started_at else "queued", None)
    else:
        write = ("import-write", upload.status, upload.finished_at)
    return [check, write]


def _percent(done, total):
    return min(99, done * 100 // total) if total else 0


def move(apps, schema_editor):
    DrawJob = apps.get_model("draws", "DrawJob")
    EntityImport = apps.get_model("directory", "EntityImport")
    Job = apps.get_model("operations", "Job")
    for old in DrawJob.objects.select_related("task__plan").order_by("pk"):
        job = Job.objects.create(
            pk=old.pk,
            kind=f"draw-{old.step}",
            region_id=old.task.plan.region_id,
            task_id=old.task_id,
            draw_id=old.draw_id,
            supersedes_id=old.supersedes_id,
            params=old.params,
            state=old.state,
            progress=old.progress,
            stage=old.stage,
            message=old.message,
            started_at=old.created_at if old.state != "queued" else None,  # not kept: about then
            created_by_id=old.created_by_id,
            finished_at=old.finished_at,
        )
        Job.objects.filter(pk=job.pk).update(created_at=old.created_at)  # not auto_now_add's
    for upload in EntityImport.objects.select_related("created_by__department").order_by("pk"):
        for kind, state, finished_at in _import_steps(upload):
            checked = upload.checked_rows if kind == "import-check" else 0
            job = Job.objects.create(
                kind=kind,
                region_id=getattr(upload.created_by.department, "region_id", None),
                entity_import_id=upload.pk,
                state=state,
                progress=100 if state == "done" else _percent(checked, upload.total_rows),
                done=checked,
                total=upload.total_rows,
                message=upload.message if state == "failed" else "",
                started_at=(
                    upload.write_started_at if kind == "import-write" else upload.created_at
                )
                if state != "queued"
                else None,
                created_by_id=upload.created_by_id,
                finished_at=finished_at,
            )
            Job.objects.filter(pk=job.pk).update(created_at=upload.created_at)
    # Draw steps kept their ids: move the id sequence past them.
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Job]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("operations", "0002_job")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
