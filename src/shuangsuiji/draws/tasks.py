"""Background tasks (django-tasks; the database backend runs them in `shuangsuiji db_worker`).

A thin wrapper: the work is in `draws.jobs`, which the pages and tests can call directly.
"""

from django_tasks import task

from shuangsuiji.draws import jobs


@task()
def run_draw_job_task(job_id: int) -> None:
    try:
        jobs.run_job(job_id)
    except Exception as error:
        jobs.fail_job(job_id, error)
        raise
