"""Migration operations 0003 moves every background step into `Job`: a draw step keeps its id,
an entity file gets its check and, once confirmed, its write, each in the state its page
showed."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shuangsuiji.draws.services import freeze_draw
from shuangsuiji.operations.models import Job
from tests.conftest import World
from tests.draws.test_services import make_task

pytestmark = pytest.mark.django_db(transaction=True)  # migrations cannot run in a transaction

BEFORE = [("operations", "0002_job"), ("draws", "0007_frozen_artefacts")]
AFTER = [("operations", "0003_move_jobs"), ("draws", "0008_draw_jobs_moved")]
AFTER += [("directory", "0010_import_progress_moved")]
THEN = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 30, 9, 5, tzinfo=UTC)


def migrate(targets: list[tuple[str, str]]) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_steps_become_jobs_in_the_state_their_pages_showed(world: World) -> None:
    task = make_task(world)
    draw = freeze_draw(task, actor=world.coordinator)
    old = migrate([*BEFORE, ("directory", "0009_import_write_started")])
    DrawJob = old.get_model("draws", "DrawJob")
    EntityImport = old.get_model("directory", "EntityImport")
    DrawJob.objects.create(
        pk=41,
        task_id=task.pk,
        step="freeze",
        draw_id=draw.pk,
        state="done",
        progress=100,
        stage="完成",
        params={"reason": ""},
        created_by_id=world.coordinator.pk,
        finished_at=LATER,
    )
    DrawJob.objects.filter(pk=41).update(created_at=THEN)
    uploads = {}
    for status, started in [
        ("checking", None),
        ("rejected", None),
        ("importing", None),
        ("importing", LATER),
        ("done", LATER),
        ("failed", None),
        ("failed", LATER),
    ]:
        upload = EntityImport.objects.create(
            created_by_id=world.coordinator.pk,
            filename=f"{status}.xlsx",
            path="-",
            status=status,
            total_rows=4000,
            checked_rows=1000 if status == "checking" else 4000,
            message=f"{status}的说明",
            write_started_at=started,
            finished_at=LATER if status in ("rejected", "done", "failed") else None,
        )
        uploads[upload.pk] = (status, started is not None)

    migrate(AFTER)

    draw_jobs = list(
        Job.objects.filter(task=task).values_list(
            "pk", "kind", "region__code", "draw", "state", "stage", "created_by", "created_at"
        )
    )
    import_steps = sorted(
        (uploads[upload], kind, state, progress, done, total, message)
        for upload, kind, state, progress, done, total, message in Job.objects.filter(
            entity_import__isnull=False
        ).values_list("entity_import", "kind", "state", "progress", "done", "total", "message")
    )
    assert draw_jobs == [
        (41, "draw-freeze", "140406", draw.pk, "done", "完成", world.coordinator.pk, THEN)
    ]
    assert import_steps == [
        (("checking", False), "import-check", "running", 25, 1000, 4000, ""),
        (("done", True), "import-check", "done", 100, 4000, 4000, ""),
        (("done", True), "import-write", "done", 100, 0, 4000, ""),
        (("failed", False), "import-check", "failed", 99, 4000, 4000, "failed的说明"),
        (("failed", True), "import-check", "done", 100, 4000, 4000, ""),
        (("failed", True), "import-write", "failed", 0, 0, 4000, "failed的说明"),
        (("importing", False), "import-check", "done", 100, 4000, 4000, ""),
        (("importing", False), "import-write", "queued", 0, 0, 4000, ""),
        (("importing", True), "import-check", "done", 100, 4000, 4000, ""),
        (("importing", True), "import-write", "running", 0, 0, 4000, ""),
        (("rejected", False), "import-check", "done", 100, 4000, 4000, ""),
    ]
    assert Job.objects.create(kind="draw-freeze", task=task, region_id=task.plan.region_id).pk > 41
