"""Command 1 end to end: `shuangsuiji demo` builds a database and `serve` serves it."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "shuangsuiji"]


def cli_env(data_dir: Path) -> dict[str, str]:
    """A laptop install: SQLite in its own data directory, whatever database the suite uses."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SHUANGSUIJI_DATA_DIR"] = str(data_dir)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [*CLI, "demo", "--no-serve", "--entities", "400"],
        env=cli_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (data_dir / "demo.log").write_text(result.stdout, "utf-8")
    return data_dir


@pytest.fixture
def server(demo_dir: Path) -> Iterator[str]:
    port = free_port()
    log = (demo_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "1"],
        env=cli_env(demo_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_demo_prints_counts_for_both_districts_and_the_accounts(demo_dir: Path) -> None:
    log = (demo_dir / "demo.log").read_text("utf-8")

    counts = re.findall(r"(\S+)：检查对象 (\d+) 户", log)

    assert counts == [("长治市潞城区", "400"), ("晋城市城区", "400")]
    assert re.findall(r"^  (\S+-coordinator) ", log, re.M) == [
        "lucheng-coordinator",
        "chengqu-coordinator",
    ]


def test_demo_a_second_time_keeps_the_data(demo_dir: Path) -> None:
    result = subprocess.run(
        [*CLI, "demo", "--no-serve"],
        env=cli_env(demo_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert result.stdout.strip() == "数据库中已有数据，跳过演示数据生成（如需重建请加 --rebuild）。"


def test_serve_answers_the_login_page_with_its_static_files(server: str) -> None:
    status, page = fetch(f"{server}/login/")
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', page)

    assert status == 200
    assert stylesheet is not None
    assert fetch(server + stylesheet.group(1))[0] == 200


def test_serve_refuses_a_database_that_was_never_migrated(tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "serve", "--port", str(free_port())],
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "数据库尚未迁移" in result.stderr


def test_django_management_commands_pass_through(demo_dir: Path) -> None:
    result = subprocess.run(
        [*CLI, "showmigrations", "directory"],
        env=cli_env(demo_dir),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = result.stdout.split("\n")
    assert (lines[0], lines[1]) == ("directory", " [X] 0001_initial")
    assert [line for line in lines[1:] if line and not line.startswith(" [X] ")] == []


def shell(data_dir: Path, code: str) -> str:
    result = subprocess.run(
        [*CLI, "shell", "-c", code],
        env=cli_env(data_dir),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_serve_with_worker_runs_the_background_tasks_and_stops_with_them(
    demo_dir: Path,
) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "1", "--with-worker"],
        env=cli_env(demo_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    task = "from shuangsuiji.directory.tasks import rebuild_tally_task as t"
    try:
        queued = shell(demo_dir, f"{task}; print(t.enqueue().id)")
        deadline, status = time.monotonic() + 60, ""
        while time.monotonic() < deadline and status != "SUCCESSFUL":
            time.sleep(0.5)
            status = shell(demo_dir, f"{task}; print(t.get_result('{queued}').status)")
    finally:
        process.terminate()
        code = process.wait(timeout=30)

    assert status == "SUCCESSFUL"
    assert code == 0


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def worker_of(server_pid: int) -> int:
    """The `db_worker` child of a `serve --with-worker` process (the other child is gunicorn)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for child in children_of(server_pid):
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\x00")
            if b"db_worker" in command:
                return child
        time.sleep(0.2)
    raise AssertionError("no db_worker child")


def test_a_killed_worker_is_started_again_and_the_site_stays_up(demo_dir: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "1", "--with-worker"],
        env=cli_env(demo_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    task = "from shuangsuiji.directory.tasks import rebuild_tally_task as t"
    try:
        first = worker_of(process.pid)
        os.kill(first, signal.SIGKILL)
        queued = shell(demo_dir, f"{task}; print(t.enqueue().id)")
        deadline, status = time.monotonic() + 60, ""
        while time.monotonic() < deadline and status != "SUCCESSFUL":
            time.sleep(0.5)
            status = shell(demo_dir, f"{task}; print(t.get_result('{queued}').status)")
        second = worker_of(process.pid)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10)
        health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/health/").read())
    finally:
        process.terminate()
        process.wait(timeout=30)
    said = process.stderr.read() if process.stderr else ""

    assert status == "SUCCESSFUL"
    assert second != first
    assert page.status == 200
    assert health["status"] == "ok", health  # the database, migrations, a beating worker, the chain
    assert "后台任务进程已退出（代码 -9），1 秒后重新启动" in said
