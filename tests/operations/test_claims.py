"""A queued job whose task a worker took is given up only when that worker's lease is free."""

from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from shuangsuiji.draws.tasks import run_draw_job_task
from shuangsuiji.lib.leases import held, key_of
from shuangsuiji.operations.claims import WORKER_LEASE, claimed_by_a_dead_worker

pytestmark = pytest.mark.django_db(transaction=True)  # leases outlive a test's transaction


@pytest.fixture(autouse=True)
def leases_here(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def claimed(job_id: int, worker_id: str) -> str:
    """Queue the job's task and claim it as worker `worker_id` would; its result id."""
    result = run_draw_job_task.enqueue(job_id)
    DBTaskResult.objects.get(id=result.id).claim(worker_id)
    return str(result.id)


def test_a_task_claimed_by_a_worker_whose_lease_is_free_is_abandoned() -> None:
    result_id = claimed(7, "gone")

    assert claimed_by_a_dead_worker(result_id) is True


def test_a_task_claimed_by_a_live_worker_or_not_yet_claimed_is_not() -> None:
    alive = claimed(7, "alive")
    waiting = str(run_draw_job_task.enqueue(8).id)

    with held(WORKER_LEASE, key_of("alive")):
        answers = [claimed_by_a_dead_worker(result_id) for result_id in (alive, waiting)]

    assert answers == [False, False]
