"""One progress reporter for every background step: what a step reports is on its page at once,
whether the step is one transaction (a draw step) or not (a file's check)."""

import threading

import pytest
from django.db import connection, transaction

from shuangsuiji.operations.jobs import reporter
from shuangsuiji.operations.models import Job
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import draw_job

pytestmark = pytest.mark.django_db(transaction=True)  # a second connection reads the row


def as_seen_elsewhere(job: Job) -> tuple[str, int, int, int]:
    """The job's progress as another connection (the page's request) reads it now."""
    seen: list[tuple[str, int, int, int]] = []

    def read() -> None:
        seen.append(Job.objects.values_list("stage", "progress", "done", "total").get(pk=job.pk))
        connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return seen[0]


def test_a_step_outside_a_transaction_is_seen_at_once(world: World) -> None:
    job = draw_job(make_task(world), stage="检查中")

    with reporter(job.pk) as report:
        report("检查中", 25, done=1000, total=4000)
        seen = as_seen_elsewhere(job)

    assert seen == ("检查中", 25, 1000, 4000)


def test_a_step_inside_its_transaction_is_seen_at_once_on_postgresql(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: the step's transaction holds it")
    job = draw_job(make_task(world), stage="读取名录")

    with transaction.atomic(), reporter(job.pk) as report:
        report("写入记录", 80)
        seen = as_seen_elsewhere(job)

    assert seen == ("写入记录", 80, 0, 0)


def test_a_step_inside_its_transaction_keeps_its_first_stage_on_sqlite(world: World) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL reports through a second connection")
    job = draw_job(make_task(world), stage="读取名录")

    with transaction.atomic(), reporter(job.pk) as report:
        report("写入记录", 80)

    assert Job.objects.values_list("stage", "progress").get(pk=job.pk) == ("读取名录", 0)
