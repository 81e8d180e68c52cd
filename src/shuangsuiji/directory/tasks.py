"""Background tasks (django-tasks; the database backend runs them in `shuangsuiji db_worker`).

Thin wrappers: the work is in `import_jobs`, which the tests and the CLI can call directly.
"""

from django_tasks import task

from shuangsuiji.directory import import_jobs, tally


@task()
def check_import_task(job_id: int) -> None:
    try:
        import_jobs.check_import(job_id)
    except Exception as error:
        import_jobs.fail_import(job_id, error)
        raise


@task()
def commit_import_task(job_id: int) -> None:
    try:
        import_jobs.commit_import(job_id)
    except Exception as error:
        import_jobs.fail_import(job_id, error)
        raise


@task()
def rebuild_tally_task() -> None:
    """Bring the directory tally up to date, unless a rebuild since the request already has."""
    if not tally.is_current():
        tally.rebuild()
