"""The `shuangsuiji` command: `demo`, `serve`, and every Django management command.

shuangsuiji demo [--entities N] [--no-serve] [--rebuild] [--port P]
shuangsuiji serve [--port P] [--host H] [--workers W] [--with-worker]
shuangsuiji draw run … | verify …   (the draw from files, no database: shuangsuiji.drawcli)
shuangsuiji migrate | plan | draw freeze … | assign | publish | report | …   (Django's commands;
    every `draw` step but `run` is the database command draws/management/commands/draw.py)
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

DEFAULT_DEMO_ENTITIES = 20_000


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangsuiji.settings")
    command = args[0] if args else "help"
    if command == "demo":
        return _demo(args[1:])
    if command == "serve":
        return _serve(args[1:])
    if command == "draw" and args[1:2] == ["run"]:
        from shuangsuiji.drawcli import run_main

        return run_main(args[2:])
    if command == "verify":
        from shuangsuiji.drawcli import verify_main

        return verify_main(args[1:])
    if command == "manage":
        args = args[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["shuangsuiji", *args])
    return 0


def _server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数（默认 2）")


def _demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shuangsuiji demo", description="建立演示数据库并启动服务"
    )
    parser.add_argument(
        "--entities",
        type=int,
        default=DEFAULT_DEMO_ENTITIES,
        help=f"每个区县的检查对象户数（默认 {DEFAULT_DEMO_ENTITIES}）",
    )
    parser.add_argument("--no-serve", action="store_true", help="只建库，不启动服务")
    parser.add_argument("--rebuild", action="store_true", help="清空数据库后重建演示数据")
    _server_arguments(parser)
    options = parser.parse_args(argv)
    os.environ.setdefault("DEMO", "true")  # the demo's printed password signs in (settings.DEMO)

    import django
    from django.core.management import call_command

    django.setup()
    rebuild = options.rebuild and not _remove_sqlite_database()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", entities=options.entities, rebuild=rebuild)
    if options.no_serve:
        return 0
    return _run_server(options, with_worker=True)


def _remove_sqlite_database() -> bool:
    """Start a SQLite demo from an empty file: published draws refuse deletion row by row (a
    database trigger), so a rebuild replaces the file instead of flushing it. PostgreSQL's flush
    truncates, which row triggers do not see. Returns whether the file was removed."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return False
    connection.close()
    name = Path(str(connection.settings_dict["NAME"]))
    for path in (name, name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")):
        path.unlink(missing_ok=True)
    return True


def _serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="shuangsuiji serve", description="启动服务")
    _server_arguments(parser)
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="同时运行后台任务进程（单机使用；多台服务器时另行运行 db_worker）",
    )
    options = parser.parse_args(argv)

    import django

    django.setup()
    return _run_server(options, with_worker=options.with_worker)


def _run_server(options: argparse.Namespace, *, with_worker: bool = False) -> int:
    """Serve with gunicorn (static files by WhiteNoise), refusing an unmigrated database;
    `with_worker` (the demo, `serve --with-worker`) also runs the background task worker, so
    imports and large draws proceed on one machine without a second command."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        print(
            "数据库尚未迁移：请先运行 `shuangsuiji migrate` 或 `shuangsuiji demo`。",
            file=sys.stderr,
        )
        return 1
    call_command("collectstatic", interactive=False, verbosity=0)
    address = f"{options.host}:{options.port}"
    print(f"双随机抽查平台已启动：http://{address}/  （Ctrl+C 停止）", flush=True)
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "shuangsuiji.wsgi:application",
        "--bind",
        address,
        "--workers",
        str(options.workers),
        # a .doc/.wps plan is converted by LibreOffice inside the request (up to 120 s):
        # gunicorn's default of 30 s would kill the worker first (deploy/ sets the same)
        "--timeout",
        "150",
        "--access-logfile",
        "-",
    ]
    if not with_worker:
        os.execv(sys.executable, gunicorn)
    return _run_with_worker(gunicorn)


def _run_with_worker(gunicorn: list[str]) -> int:
    """gunicorn and `db_worker` as children. A worker that dies (killed, out of memory, a lost
    database) is started again after a pause that doubles up to a minute, and said on stderr:
    the site stays up. When gunicorn stops, or this process is asked to (Ctrl+C reaches all
    three; SIGTERM is passed on), both children stop."""
    server = subprocess.Popen(gunicorn)
    worker = _start_worker()
    started, pause = time.monotonic(), WORKER_FIRST_PAUSE
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while server.poll() is None:
            time.sleep(0.5)
            if worker.poll() is None:
                continue
            if time.monotonic() - started > WORKER_LAST_PAUSE:
                pause = WORKER_FIRST_PAUSE  # it had run a while: not a crash loop
            print(
                f"后台任务进程已退出（代码 {worker.returncode}），{pause:g} 秒后重新启动",
                file=sys.stderr,
                flush=True,
            )
            time.sleep(pause)
            worker, started = _start_worker(), time.monotonic()
            pause = min(pause * 2, WORKER_LAST_PAUSE)
        return server.returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        for child in (server, worker):
            if child.poll() is None:
                child.terminate()
        for child in (server, worker):
            child.wait(timeout=30)


WORKER_FIRST_PAUSE, WORKER_LAST_PAUSE = 1.0, 60.0


def _start_worker() -> subprocess.Popen[bytes]:
    """The worker as this process's own child. Never under the autoreloader (`db_worker`'s
    default when DEBUG is on): the child would then be the reloader and the worker a grandchild,
    so a killed or stopped child left the worker running, orphaned, beside the one started
    again (kill -9 test, tests/operations/test_kill_worker.py)."""
    return subprocess.Popen([sys.executable, "-m", "shuangsuiji", "db_worker", "--no-reload"])
