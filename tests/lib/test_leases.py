"""A lease is held while its holder lives and let go the moment it dies (kill -9 included);
a draw step left running by a dead worker is failed with its reason and frees its task."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from shuangsuiji.directory.enums import ImportStatus
from shuangsuiji.directory.import_jobs import ABANDONED as IMPORT_ABANDONED
from shuangsuiji.directory.import_jobs import ABANDONED_WRITE as IMPORT_ABANDONED_WRITE
from shuangsuiji.directory.import_jobs import reap
from shuangsuiji.directory.models import EntityImport
from shuangsuiji.draws.jobs import ABANDONED, latest_job, start_freeze
from shuangsuiji.lib.leases import held, is_held
from shuangsuiji.operations.jobs import LEASE
from shuangsuiji.operations.models import JobKind, JobState
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import draw_job, import_step

pytestmark = pytest.mark.django_db(transaction=True)

HOLDER = """
import sys, time, django
django.setup()
from shuangsuiji.lib.leases import held
with held(sys.argv[1], int(sys.argv[2])):
    print("held", flush=True)
    time.sleep(120)
"""


def holder_process(data_dir: Path, lease: tuple[str, int] = ("test", 7)) -> subprocess.Popen[str]:
    """Another process, as a worker would be, holding the lease (by default ("test", 7))."""
    environment = {**os.environ, "SHUANGSUIJI_DATA_DIR": str(data_dir)}
    if connection.vendor == "postgresql":
        database = connection.settings_dict
        environment["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        )
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, lease[0], str(lease[1])],
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_lease_is_let_go_when_its_holder_is_killed(tmp_path: Path, settings_: None) -> None:
    process = holder_process(Path(settings.DATA_DIR))

    while_alive = is_held("test", 7)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    after_kill = is_held("test", 7)

    assert (while_alive, after_kill) == (True, False)


def test_a_running_step_whose_worker_died_is_failed_and_frees_the_task(
    world: World, settings_: None
) -> None:
    task = make_task(world)
    draw_job(task, state=JobState.RUNNING, progress=50)

    job = latest_job(task)
    again = start_freeze(task, actor=world.coordinator)

    assert (job.state, job.message) == (JobState.FAILED, ABANDONED)
    assert again.state == JobState.DONE  # a small population runs at once


def test_a_start_refused_by_a_dead_step_goes_ahead(world: World, settings_: None) -> None:
    task = make_task(world)
    dead = draw_job(task, state=JobState.RUNNING)

    job = start_freeze(task, actor=world.coordinator)

    dead.refresh_from_db()
    assert (dead.state, job.state) == (JobState.FAILED, JobState.DONE)


def test_a_step_whose_worker_lives_is_left_running(world: World, settings_: None) -> None:
    task = make_task(world)
    running = draw_job(task, state=JobState.RUNNING)

    with held(LEASE, running.pk):
        shown = latest_job(task)

    assert shown.state == JobState.RUNNING


def test_a_queued_step_is_not_taken_for_dead(world: World, settings_: None) -> None:
    task = make_task(world)
    draw_job(task, state=JobState.QUEUED)

    assert latest_job(task).state == JobState.QUEUED


@pytest.fixture
def settings_(settings: object, tmp_path: Path) -> None:
    """Leases beside this test's own data directory."""
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]


def test_a_file_check_whose_worker_died_is_failed_on_its_page(
    world: World, settings_: None
) -> None:
    job = EntityImport.objects.create(
        created_by=world.coordinator, filename="名录.xlsx", path="-", status=ImportStatus.CHECKING
    )
    import_step(job, JobKind.CHECK, state=JobState.RUNNING)
    client = Client()
    client.force_login(world.coordinator)

    page = client.get(reverse("directory:import", args=[job.pk]))

    job.refresh_from_db()
    assert (job.status, job.message) == (ImportStatus.FAILED, IMPORT_ABANDONED)
    assert IMPORT_ABANDONED in page.content.decode()


def test_a_write_whose_worker_died_is_failed_on_its_page_and_a_queued_one_is_not(
    world: World, settings_: None
) -> None:
    started = EntityImport.objects.create(
        created_by=world.coordinator, filename="名录.xlsx", path="-", status=ImportStatus.IMPORTING
    )
    import_step(started, JobKind.WRITE, state=JobState.RUNNING)
    queued = EntityImport.objects.create(
        created_by=world.coordinator, filename="名录.xlsx", path="-", status=ImportStatus.IMPORTING
    )
    import_step(queued, JobKind.WRITE)
    client = Client()
    client.force_login(world.coordinator)

    page = client.get(reverse("directory:import", args=[started.pk]))
    client.get(reverse("directory:import", args=[queued.pk]))

    started.refresh_from_db()
    queued.refresh_from_db()
    assert (started.status, started.message) == (ImportStatus.FAILED, IMPORT_ABANDONED_WRITE)
    assert IMPORT_ABANDONED_WRITE in page.content.decode()
    assert queued.status == ImportStatus.IMPORTING


def test_a_write_whose_worker_lives_is_left_writing(
    world: World, settings_: None, tmp_path: Path
) -> None:
    job = EntityImport.objects.create(
        created_by=world.coordinator, filename="名录.xlsx", path="-", status=ImportStatus.IMPORTING
    )
    write = import_step(job, JobKind.WRITE, state=JobState.RUNNING)
    process = holder_process(tmp_path, (LEASE, write.pk))
    try:
        reap(job)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()

    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING
