"""kill -9 of the background worker in the middle of an entity import's write, a freeze and a
completion, then a new worker: the job ends failed with its reason on its page, the task is free
for the step to be started again (and the new worker finishes it), and nothing is half-written —
no entity of the import, no draw of the freeze, the draw still frozen after the completion, the
audit chain whole.

The worker is killed at a known point (`processes.Stop`): "writing", its step's transaction open
with rows written (the draw saved, the entities inserted); and, on PostgreSQL, "recording", the
rows written and the job's "done" sent but not committed — the step and its record commit
together, or a kill between two commits would leave a written draw under a job failed as
"nothing written".
"""

import csv
import io
import json
import socket
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.artefacts.models import Artefact
from shuangsuiji.audit.anchor import check_against
from shuangsuiji.audit.models import AuditEntry, AuditHead
from shuangsuiji.directory import import_jobs
from shuangsuiji.directory.enums import ImportStatus
from shuangsuiji.directory.importers import CATEGORIES, ENTITY_COLUMNS, NAME, REGION, STATUS, USCC
from shuangsuiji.directory.models import Entity, EntityImport, ScopeCategory
from shuangsuiji.directory.records import NewEntity
from shuangsuiji.directory.services import insert_entities
from shuangsuiji.draws import jobs
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import freeze_draw
from shuangsuiji.lib.leases import held
from shuangsuiji.operations.heartbeat import live_workers
from shuangsuiji.operations.jobs import LEASE
from shuangsuiji.operations.models import Job, JobKind, JobState
from shuangsuiji.plans.models import PlanTask
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import lucheng, next_uscc
from tests.operations.processes import (
    Child,
    Lock,
    Stop,
    children,
    kill,
    running,
    shared_database,
    wait_for,
    waiting_in,
    worker,
)

pytestmark = pytest.mark.django_db(transaction=True)

# A step on SQLite must last long enough to be seen holding the write lock (about 0.2 s here,
# polled without pause); on PostgreSQL locks stop it, so a small population does.
POPULATION = {"postgresql": 300, "sqlite": 20_000}
IMPORT_ROWS = {"postgresql": 300, "sqlite": 10_000}

# The stage the page shows when the worker is killed writing: SQLite's single writer lets a step
# report no progress until it ends (operations.jobs.reporter), so it shows the first.
STAGE_WRITING = {
    JobKind.FREEZE: {"postgresql": "写入记录", "sqlite": "读取名录"},
    JobKind.COMPLETE: {"postgresql": "写入记录", "sqlite": "读取名单"},
}

# Where a step waits on PostgreSQL: a draw step once it has saved the draw (its audit entry);
# an import's write once the entities are inserted (their categories); its check once every row
# is read (the directory, for duplicates); and each step recording its job done (`row_lock`).
AUDIT_HEAD = Lock("SELECT 1 FROM audit_audithead WHERE id = 1 FOR UPDATE", [], "audit_audithead")
CATEGORY_LINKS = Lock(
    "LOCK TABLE directory_entity_categories IN SHARE MODE", [], "directory_entity_categories"
)
DIRECTORY = Lock("LOCK TABLE directory_entity IN ACCESS EXCLUSIVE MODE", [], "directory_entity")


def row_lock(table: str, pk: int) -> Lock:
    """The row locked against an update (not against a foreign key pointing at it)."""
    return Lock(f"SELECT 1 FROM {table} WHERE id = %s FOR NO KEY UPDATE", [pk], table)


MOMENTS = [
    "writing",
    pytest.param(
        "recording",
        marks=pytest.mark.skipif(
            "connection.vendor != 'postgresql'",
            reason="stopping a step between two statements takes PostgreSQL's row locks",
        ),
    ),
]


@pytest.fixture
def site(world: World, settings: Any, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A worker's environment on the test's database, every draw step sent to the worker."""
    settings.DATA_DIR = tmp_path
    settings.DRAW_BACKGROUND_FROM = 0
    with shared_database(tmp_path, Path(settings.MEDIA_ROOT)) as environment:
        yield environment


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def large_task(world: World) -> PlanTask:
    """make_task's 旅馆 task with POPULATION in-scope entities, inserted at bulk speed."""
    task = make_task(world, entities=0)
    hotels = task.scope_categories.get()
    region = lucheng()
    records = [
        NewEntity(
            uscc=next_uscc(),
            name=f"潞城区第{n}旅馆",
            legal_form="",
            legal_representative="",
            address="",
            region_id=region.pk,
            industry_code="H6110",
            registered_capital=None,
            established_on=None,
            status="存续",
            risk_class="ABCD"[n % 4],
            risk_classified_on=None,
            risk_source="",
            category_ids=(hotels.pk,),
            name_initials="LG",
        )
        for n in range(POPULATION[connection.vendor])
    ]
    with transaction.atomic():
        insert_entities(records)
    return task


def marked_running(job: Job) -> Callable[[], bool]:
    """The job is marked running and that change is in the audit chain (so on SQLite the write
    lock taken next is the step's own)."""
    return lambda: AuditEntry.objects.filter(
        model="operations.job", object_id=str(job.pk), after__state=JobState.RUNNING
    ).exists()


def ended(client: Client, job: Job) -> str:
    """Poll the job as its page does until it ends; the page it then sends the user to."""

    def target() -> str:
        response = client.get(reverse("draws:job", args=[job.pk]))
        return str(response["Location"]) if response.status_code == 302 else ""

    return wait_for(target, f"the end of {job}")


def after_entering(moment: str, job: Job) -> list[Lock]:
    """Where a draw step waits once it has saved the draw (for its audit entry), and then for
    recording its job done."""
    if moment == "recording":
        return [AUDIT_HEAD, row_lock("operations_job", job.pk)]
    return [AUDIT_HEAD]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_killed_freeze_fails_on_its_page_writes_no_draw_and_can_be_started_again(
    world: World, site: dict[str, str], tmp_path: Path, moment: str
) -> None:
    task = large_task(world)
    client = logged_in(world.coordinator)
    log = tmp_path / "worker.log"
    assert AuditHead.objects.filter(pk=1).exists()  # a row for the PostgreSQL lock

    with worker(site, log) as first, Stop(row_lock("plans_plantask", task.pk)) as stop:
        client.post(reverse("draws:task", args=[task.pk]))
        job = Job.objects.get()
        then = after_entering(moment, job)
        doing = stop.kill(first, log, running=marked_running(job), then=then)
    at_kill = Job.objects.values_list("state", "stage").get(pk=job.pk)
    draws_after_kill = (Draw.objects.count(), Artefact.objects.count())
    with worker(site, log) as second:
        page = client.get(ended(client, job))
        again = client.post(reverse("draws:task", args=[task.pk]))
        rerun = Job.objects.exclude(pk=job.pk).get()
        wait_for(lambda: ended(client, rerun), "the freeze started again", alive=second, log=log)
        workers = live_workers()

    job.refresh_from_db()
    rerun.refresh_from_db()
    assert doing.startswith("UPDATE") == (moment == "recording"), doing
    assert at_kill == (JobState.RUNNING, STAGE_WRITING[JobKind.FREEZE][connection.vendor])
    assert (job.state, job.message, draws_after_kill) == (JobState.FAILED, jobs.ABANDONED, (0, 0))
    assert jobs.ABANDONED in page.content.decode()
    assert again.status_code == 302  # not refused: 本任务已有一个抽取步骤正在进行
    assert (rerun.kind, rerun.state, rerun.draw) == (
        JobKind.FREEZE,
        JobState.DONE,
        Draw.objects.get(),
    )
    assert workers == 2  # the new one, and the killed one whose last beat is recent
    assert check_against([]) == []


def test_a_freeze_whose_task_a_killed_worker_took_fails_on_its_page_and_frees_the_task(
    world: World, site: dict[str, str], tmp_path: Path
) -> None:
    """Killed after claiming the task and before starting the step (the step's lease, held here,
    keeps it there): no worker takes a claimed task again, so the job would stay 排队中 and its
    task locked forever; the dead worker's lease (operations.claims) says no one will run it."""
    task = large_task(world)
    client = logged_in(world.coordinator)
    log = tmp_path / "worker.log"
    client.post(reverse("draws:task", args=[task.pk]))
    job = Job.objects.get()
    claimed = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)

    with held(LEASE, job.pk), worker(site, log) as first:
        wait_for(claimed.exists, "the task taken", alive=first, log=log)
        if connection.vendor == "postgresql":
            wait_for(lambda: waiting_in("pg_advisory_lock"), "the step's lease", log=log)
        kill(first)
    at_kill = (Job.objects.get(pk=job.pk).state, claimed.count())
    with worker(site, log) as second:
        page = client.get(ended(client, job))
        again = client.post(reverse("draws:task", args=[task.pk]))
        rerun = Job.objects.exclude(pk=job.pk).get()
        wait_for(lambda: ended(client, rerun), "the freeze started again", alive=second, log=log)

    job.refresh_from_db()
    rerun.refresh_from_db()
    assert at_kill == (JobState.QUEUED, 1)
    assert (job.state, job.message) == (JobState.FAILED, jobs.ABANDONED)
    assert jobs.ABANDONED in page.content.decode()
    assert (again.status_code, rerun.state, Draw.objects.count()) == (302, JobState.DONE, 1)


def test_a_killed_completion_fails_on_its_page_leaves_the_draw_frozen_and_can_be_run_again(
    world: World, site: dict[str, str], tmp_path: Path
) -> None:
    draw = freeze_draw(large_task(world), actor=SYSTEM)
    artefacts = Artefact.objects.count()  # the frozen population's, once draws keep theirs there
    client = logged_in(world.coordinator)
    log = tmp_path / "worker.log"
    complete = {
        "step": "complete",
        "public_value": "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5",
        "public_source": "掷骰",
    }

    with worker(site, log) as first, Stop(row_lock("draws_draw", draw.pk)) as stop:
        client.post(reverse("draws:step", args=[draw.pk]), complete)
        job = Job.objects.get()
        then = after_entering("writing", job)
        stop.kill(first, log, running=marked_running(job), then=then)
    at_kill = Job.objects.values_list("state", "stage").get(pk=job.pk)
    after_kill = (
        *Draw.objects.values_list("state", "seed").get(pk=draw.pk),
        Artefact.objects.count() - artefacts,
    )
    with worker(site, log) as second:
        page = client.get(ended(client, job))
        client.post(reverse("draws:step", args=[draw.pk]), complete)
        rerun = Job.objects.exclude(pk=job.pk).get()
        wait_for(lambda: ended(client, rerun), "the completion run again", alive=second, log=log)

    job.refresh_from_db()
    rerun.refresh_from_db()
    draw.refresh_from_db()
    assert at_kill == (JobState.RUNNING, STAGE_WRITING[JobKind.COMPLETE][connection.vendor])
    assert (job.state, job.message, after_kill) == (
        JobState.FAILED,
        jobs.ABANDONED,
        ("frozen", "", 0),
    )
    assert jobs.ABANDONED in page.content.decode()
    assert (rerun.state, draw.state, len(draw.seed)) == (JobState.DONE, "drawn", 64)
    assert check_against([]) == []


def entities_csv(rows: int) -> io.BytesIO:
    """An entity file of `rows` 旅馆 of 潞城区, as a spreadsheet saves it."""
    text = io.StringIO()
    out = csv.writer(text)
    out.writerow(ENTITY_COLUMNS)
    blank = dict.fromkeys(ENTITY_COLUMNS, "")
    for n in range(rows):
        values = {
            **blank,
            USCC: next_uscc(),
            NAME: f"潞城区第{n}旅馆",
            REGION: "140406",
            STATUS: "存续",
            CATEGORIES: "旅馆",
        }
        out.writerow([values[column] for column in ENTITY_COLUMNS])
    file = io.BytesIO(text.getvalue().encode("utf-8-sig"))
    file.name = "名录.csv"
    return file


def reaped(job: EntityImport) -> bool:
    return import_jobs.reap(job).status not in ImportStatus.running()


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_killed_import_write_fails_on_its_page_and_writes_no_entity(
    world: World, site: dict[str, str], tmp_path: Path, moment: str
) -> None:
    ScopeCategory.objects.create(name="旅馆", industry_code="H6110")
    before = (Entity.objects.count(), Entity.categories.through.objects.count())
    client = logged_in(world.coordinator)
    log = tmp_path / "worker.log"
    rows = IMPORT_ROWS[connection.vendor]

    with worker(site, log) as first:
        client.post(reverse("directory:import-upload"), {"file": entities_csv(rows)})
        job = EntityImport.objects.get()
        checked = EntityImport.objects.filter(pk=job.pk, status=ImportStatus.CHECKED)
        wait_for(checked.exists, "the check", alive=first, log=log)
        with Stop(CATEGORY_LINKS) as stop:  # waited on once the entities are inserted
            client.post(reverse("directory:import-confirm", args=[job.pk]))
            writing = Job.objects.filter(
                entity_import=job, kind=JobKind.WRITE, state=JobState.RUNNING
            )
            then = [row_lock("directory_entityimport", job.pk)] if moment == "recording" else []
            doing = stop.kill(first, log, running=writing.exists, then=then)
    after_kill = (Entity.objects.count(), Entity.categories.through.objects.count())
    with worker(site, log):
        wait_for(lambda: reaped(EntityImport.objects.get(pk=job.pk)), "the write's end")
        page = client.get(reverse("directory:import", args=[job.pk]))

    job.refresh_from_db()
    assert doing.startswith("UPDATE") == (moment == "recording"), doing
    assert after_kill == before
    assert (job.status, job.message) == (ImportStatus.FAILED, import_jobs.ABANDONED_WRITE)
    assert import_jobs.ABANDONED_WRITE in page.content.decode()
    assert check_against([]) == []


def test_a_killed_import_check_fails_on_its_page_at_the_row_it_reached(
    world: World, site: dict[str, str], tmp_path: Path
) -> None:
    ScopeCategory.objects.create(name="旅馆", industry_code="H6110")
    client = logged_in(world.coordinator)
    log = tmp_path / "worker.log"
    rows = max(IMPORT_ROWS[connection.vendor], 2_000)  # progress is written every 1,000 rows

    with worker(site, log) as first, Stop(DIRECTORY) as stop:
        client.post(reverse("directory:import-upload"), {"file": entities_csv(rows)})
        job = EntityImport.objects.get()
        checking = Job.objects.filter(
            entity_import=job, kind=JobKind.CHECK, state=JobState.RUNNING, done__gt=0
        )
        stop.kill(first, log, running=checking.exists, then=[], in_transaction=False)
    check = Job.objects.get(entity_import=job)
    at_kill = (EntityImport.objects.get(pk=job.pk).status, check.done, check.total)
    with worker(site, log):
        wait_for(lambda: reaped(EntityImport.objects.get(pk=job.pk)), "the check's end")
        page = client.get(reverse("directory:import", args=[job.pk]))

    job.refresh_from_db()
    assert (at_kill[0], at_kill[2], at_kill[1] % 1_000) == (ImportStatus.CHECKING, rows, 0)
    assert (job.status, job.message) == (ImportStatus.FAILED, import_jobs.ABANDONED)
    assert import_jobs.ABANDONED in page.content.decode()


def answers(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except OSError:
        return 0


def test_serve_with_worker_starts_a_killed_worker_again_and_keeps_the_site_up(
    world: World, site: dict[str, str], tmp_path: Path
) -> None:
    """The issue's other kill: the `db_worker` child of `serve --with-worker` killed during a
    freeze. The parent says so, starts a new one after a pause, and gunicorn never stops."""
    task = large_task(world)
    client = logged_in(world.coordinator)
    log = tmp_path / "serve.log"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"http://127.0.0.1:{port}"
    serve = ["serve", "--port", str(port), "--workers", "1", "--with-worker"]
    # DEBUG: static files collected without hashing and compressing (seconds saved); and
    # `db_worker`'s autoreloader on, which `serve` must not use (cli._start_worker).
    debug = {**site, "DEBUG": "true"}

    with running(serve, debug, log) as server:
        wait_for(lambda: answers(f"{address}/login/") == 200, "the site", alive=server, log=log)
        first = wait_for(lambda: children(server.pid, b"db_worker"), "its worker", log=log)
        with Stop(row_lock("plans_plantask", task.pk)) as stop:
            client.post(reverse("draws:task", args=[task.pk]))
            job = Job.objects.get()
            stop.kill(Child(first[0]), log, running=marked_running(job), then=[AUDIT_HEAD])
            right_after = answers(f"{address}/login/")
        second = wait_for(
            lambda: [pid for pid in children(server.pid, b"db_worker") if pid != first[0]],
            "a new worker",
            alive=server,
            log=log,
        )
        page = client.get(ended(client, job))
        client.post(reverse("draws:task", args=[task.pk]))
        rerun = Job.objects.exclude(pk=job.pk).get()
        wait_for(lambda: ended(client, rerun), "the freeze started again", alive=server, log=log)
        health = json.loads(urllib.request.urlopen(f"{address}/health/", timeout=10).read())
        alive = server.poll() is None
    said = log.read_text("utf-8", errors="replace")

    rerun.refresh_from_db()
    assert (alive, right_after, len(second)) == (True, 200, 1)
    assert "后台任务进程已退出（代码 -9），1 秒后重新启动" in said
    assert jobs.ABANDONED in page.content.decode()
    assert (rerun.state, Draw.objects.count()) == (JobState.DONE, 1)
    assert (health["checks"]["worker"]["ok"], health["checks"]["audit_chain"]["ok"]) == (True, True)
