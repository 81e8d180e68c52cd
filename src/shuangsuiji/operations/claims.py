"""A job whose task a worker took and then died before starting: found by the worker's lease.

A worker claims a task (django-tasks-db marks its row RUNNING and commits) before it takes the
job's own lease (`lib.leases`) and marks the job running. Killed in between — or its database
gone in between, so that neither the job nor the task could be marked failed — it leaves the job
"queued" forever: the task is RUNNING, so no worker takes it again, and for a draw the task's
"one step at a time" lock stays held. So each worker holds a lease of its own for as long as it
lives (`operations.heartbeat` starts it), and a page that finds a job still queued asks whether
its task was claimed by a worker whose lease is free.
"""

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shuangsuiji.lib.leases import is_held, key_of

WORKER_LEASE = "worker"


def claimed_by_a_dead_worker(task_path: str, job_id: int) -> bool:
    """Whether the task `task_path` of job `job_id` was taken by a worker that no longer lives.
    Tasks running at a time are few, so they are read and matched here."""
    running = DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.RUNNING)
    return any(
        args_kwargs.get("args") == [job_id]
        and worker_ids
        and not is_held(WORKER_LEASE, key_of(worker_ids[-1]))
        for args_kwargs, worker_ids in running.values_list("args_kwargs", "worker_ids")
    )
