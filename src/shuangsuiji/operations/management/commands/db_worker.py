"""`shuangsuiji db_worker`: django-tasks-db's worker, kept alive across database faults.

The library's worker skips a locked SQLite database while it looks for a task, but any other
database error (PostgreSQL restarted, the connection cut, SQLite locked while a task's result is
written) ends the process, and with it every background step until someone restarts it. Here
the loop is started again after a pause that doubles up to a minute, with fresh connections,
saying so on stderr; a job whose step was cut off is found by its lease (lib/leases.py) and
marked failed with its reason. This app comes before django_tasks_db in INSTALLED_APPS, so
this command is the one `db_worker` runs.
"""

import sys
import threading
import time
from contextlib import ExitStack, suppress
from typing import Any

from django.db import DatabaseError, connections
from django_tasks_db.management.commands import db_worker

from shuangsuiji.lib.leases import held_apart, key_of
from shuangsuiji.operations import heartbeat
from shuangsuiji.operations.claims import WORKER_LEASE

FIRST_PAUSE, LAST_PAUSE = 1.0, 60.0


class ResilientWorker(db_worker.Worker):
    """The library's worker, whose loop survives database errors, whose heartbeat
    (`operations.heartbeat`) tells `/health/` it lives, and whose lease (`operations.claims`)
    tells a page that a job whose task it took and never started has no one to run it."""

    def run(self) -> None:
        stop = threading.Event()
        try:
            heartbeat.start(self.worker_id, stop)
            with ExitStack() as lease:
                # the database away at start: no lease; the loop says so and reconnects
                with suppress(DatabaseError):
                    lease.enter_context(held_apart(WORKER_LEASE, key_of(self.worker_id)))
                self._run()
        finally:
            stop.set()

    def _run(self) -> None:
        pause = FIRST_PAUSE
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # --batch or --max-tasks: done
            except DatabaseError as error:
                if time.monotonic() - started > LAST_PAUSE:
                    pause = FIRST_PAUSE  # it had run a while: a new fault, not the same one
                print(
                    f"后台任务进程：数据库出错（{type(error).__name__}：{error}），"
                    f"{pause:g} 秒后重新连接",
                    file=sys.stderr,
                    flush=True,
                )
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, LAST_PAUSE)


class Command(db_worker.Command):
    help = "运行后台任务（抽取、导入）；数据库重启或断开后自动重连"

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
