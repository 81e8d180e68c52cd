"""A job whose task a worker took and then died before starting: found by the worker's lease.

A worker claims a task (django-tasks-db marks its row RUNNING and commits) before it takes the
job's own lease (`lib.leases`) and marks the job running. Killed in between — or its database
gone in between, so that neither the job nor the task could be marked failed — it leaves the job
"queued" forever: the task is RUNNING, so no worker takes it again, and for a draw the task's
"one step at a time" lock stays held. So each worker holds a lease of its own for as long as it
lives (`operations.heartbeat` starts it), and a page that finds a job still queued asks whether
its task (by the result id the job keeps) was claimed by a worker whose lease is free.
"""

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shuangsuiji.lib.leases import is_held, key_of

WORKER_LEASE = "worker"


def claimed_by_a_dead_worker(result_id: str) -> bool:
    """Whether the task whose django-tasks result is `result_id` was taken by a worker that no
    longer lives."""
    worker_ids = (
        DBTaskResult.objects.filter(id=result_id, status=TaskResultStatus.RUNNING)
        .values_list("worker_ids", flat=True)
        .first()
    )
    return bool(worker_ids) and not is_held(WORKER_LEASE, key_of(worker_ids[-1]))
