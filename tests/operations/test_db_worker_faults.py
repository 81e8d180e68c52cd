"""The platform outlives a database that goes away: PostgreSQL restarted (every connection cut,
new ones refused for a while) under a running `db_worker`, and under `serve --with-worker`
(gunicorn and its worker), which then still answer pages and run the next task."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from shuangsuiji.operations.heartbeat import live_workers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a PostgreSQL restart; SQLite has no server to restart",
    ),
]

TASK = "shuangsuiji.directory.tasks"


def psql(sql: str) -> None:
    """Run `sql` as the superuser from the maintenance database, outside the test's connection."""
    settings = connection.settings_dict
    server = ["-h", settings["HOST"], "-p", str(settings["PORT"]), "-U", settings["USER"]]
    subprocess.run(["psql", *server, "-d", "postgres", "-q", "-c", sql], check=True)


def restart_as_seen_by_clients(database: str, down_for: float) -> None:
    """What a restart does to the worker: its connection is cut and, until the server is back,
    a new connection is refused. The test's own connection is spared (it holds the test
    database)."""
    connection.ensure_connection()
    own = connection.connection.info.backend_pid  # type: ignore[union-attr]
    psql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    try:
        psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> {own}"
        )
        time.sleep(down_for)
    finally:
        psql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')


def test_the_worker_reconnects_after_a_restart_and_runs_the_next_task(tmp_path: Path) -> None:
    from shuangsuiji.directory.tasks import rebuild_tally_task

    database = connection.settings_dict["NAME"]
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{database}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "shuangsuiji", "db_worker", "--interval", "0.2"],
        env=dict(os.environ, DATABASE_URL=url, SHUANGSUIJI_DATA_DIR=str(tmp_path)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = rebuild_tally_task.enqueue()
        _wait_for(lambda: rebuild_tally_task.get_result(first.id).status == "SUCCESSFUL")
        beating = live_workers()
        restart_as_seen_by_clients(database, down_for=3)
        second = rebuild_tally_task.enqueue()
        _wait_for(lambda: rebuild_tally_task.get_result(second.id).status == "SUCCESSFUL")
        alive = worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    said = worker.stderr.read() if worker.stderr else ""

    assert alive, said
    assert beating == 1  # its heartbeat row, which /health/ reads
    assert "后台任务进程：数据库出错" in said
    assert "秒后重新连接" in said


def _wait_for(condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.3)
    raise AssertionError("the worker did not run the task in time")


def test_serve_with_worker_keeps_serving_across_a_restart(tmp_path: Path) -> None:
    from shuangsuiji.directory.tasks import rebuild_tally_task

    database = connection.settings_dict["NAME"]
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{database}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve = ["serve", "--port", str(port), "--workers", "1", "--with-worker"]
    server = subprocess.Popen(
        [sys.executable, "-m", "shuangsuiji", *serve],
        env=dict(os.environ, DATABASE_URL=url, SHUANGSUIJI_DATA_DIR=str(tmp_path)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    site = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _status(f"{site}/login/") == 200)
        restart_as_seen_by_clients(database, down_for=3)
        _wait_for(lambda: _status(f"{site}/login/") == 200)
        queued = rebuild_tally_task.enqueue()
        _wait_for(lambda: rebuild_tally_task.get_result(queued.id).status == "SUCCESSFUL")
        health = _health(site)
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert alive
    assert health["checks"]["database"]["ok"] is True
    assert health["checks"]["worker"]["alive"] >= 1


def _health(site: str) -> Any:
    """/health/'s answer, 200 or 503 alike: this test asks for the database and the worker,
    and a 503 from another check (the audit chain read while an entry is appended) would
    otherwise hide which one failed."""
    try:
        body = urllib.request.urlopen(f"{site}/health/", timeout=10).read()
    except urllib.error.HTTPError as error:
        body = error.read()
    return json.loads(body)


def _status(url: str) -> int:
    try:
        return int(urllib.request.urlopen(url, timeout=5).status)
    except OSError:
        return 0
