"""Real worker processes for the fault tests: a database they share with the test, starting one,
waiting on evidence (never on a clock), and catching a step in the middle of its write.

A worker is a separate process, so it must see the test's data: on PostgreSQL the test database
itself (the test is transactional); on SQLite the in-memory test database is copied into a file
(SQLite's backup API) and the test's connection is pointed at that file while the test runs.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from django.db import connection, connections

CLI = [sys.executable, "-m", "shuangsuiji"]
WAIT = 60.0  # seconds: generous, since CI machines are shared; a pass never waits this long

T = TypeVar("T")


@contextmanager
def shared_database(data_dir: Path, media_root: Path) -> Iterator[dict[str, str]]:
    """The environment of a worker that works on the test's own database, data directory (the
    SQLite leases live there) and uploads."""
    environment = {
        **os.environ,
        "SHUANGSUIJI_DATA_DIR": str(data_dir),
        "MEDIA_ROOT": str(media_root),
    }
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        environment["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        )
        yield environment
        return
    path = data_dir / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    original = connections["default"]
    copy = type(original)({**original.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = copy
    environment["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        yield environment
    finally:
        copy.close()
        connections["default"] = original


@contextmanager
def running(command: list[str], environment: dict[str, str], log: Path) -> Iterator[Any]:
    """A child process (its output in `log`), stopped if still alive when the block ends: asked
    first (`serve` then stops its own children), killed if it does not stop."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*CLI, *command], env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                kill(process)


def worker(environment: dict[str, str], log: Path) -> Any:
    """`shuangsuiji db_worker`, polling often so the test does not wait for it."""
    return running(["db_worker", "--interval", "0.1", "--no-startup-delay"], environment, log)


def kill(process: Any) -> int:
    """kill -9, as the kernel's out-of-memory killer or an operator would."""
    process.send_signal(signal.SIGKILL)
    return int(process.wait(timeout=30))


def wait_for(
    condition: Callable[[], T],
    what: str,
    *,
    alive: Any = None,
    log: Path | None = None,
    every: float = 0.05,
) -> T:
    """Poll `condition` every `every` seconds until it gives something true, and return that;
    fail after WAIT seconds or as soon as `alive` (a process) has exited, saying what was
    awaited and what it printed. `every=0` catches a state that lasts a fraction of a second."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        answer = condition()
        if answer:
            return answer
        if alive is not None and alive.poll() is not None:
            break
        time.sleep(every)
    said = log.read_text("utf-8", errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"waited in vain for {what}\n{said}")


def sqlite_writing() -> bool:
    """Whether another process holds SQLite's write lock now (inside a write transaction):
    taking it without waiting fails."""
    probe = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


@contextmanager
def holding(sql: str, params: list[Any]) -> Iterator[None]:
    """PostgreSQL: a lock taken by `sql` in a transaction of the test's own, held while the
    block runs, so a worker that needs it waits at a known point of its step."""
    side = connections.create_connection("default")
    try:
        side.set_autocommit(False)
        with side.cursor() as cursor:
            cursor.execute(sql, params)
        yield
    finally:
        side.rollback()
        side.close()


def waiting_on_lock() -> str:
    """PostgreSQL: the statement of a backend (of this database) waiting for a lock, or ""."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        rows = cursor.fetchall()
    return " | ".join(row[0] for row in rows)


def waiting_in(part: str) -> str:
    """The statement waiting for a lock if it names `part` (a table), else ""."""
    statement = waiting_on_lock()
    return statement if part in statement else ""


class Lock(NamedTuple):
    """A lock the test takes (`sql`, `params`) and the statement the worker then waits in."""

    sql: str
    params: list[Any]
    waited_in: str


class Stop:
    """Stops a worker's step at known points and kills it there (kill -9).

    PostgreSQL: `first`, a lock the step takes on entering its transaction, is held from before
    the step is queued (`with Stop(first):`) until the worker waits for it; `kill` then takes
    each next lock before letting the one before go, so the worker moves on to wait at the next
    point, and kills it waiting at the last. SQLite: a step holds the database's write lock from
    its first statement to its commit, so the worker is killed once it is `running` and the
    write lock is taken; the locks are not used.
    """

    def __init__(self, first: Lock) -> None:
        self.first = first
        self.held = ExitStack()

    def __enter__(self) -> "Stop":
        if connection.vendor == "postgresql":
            self.held.enter_context(holding(self.first.sql, self.first.params))
        return self

    def __exit__(self, *exception: object) -> None:
        self.held.close()

    def kill(
        self,
        process: Any,
        log: Path,
        *,
        running: Callable[[], bool],
        then: list[Lock],
        in_transaction: bool = True,
    ) -> str:
        """Kill the worker at the last point; the statement it was waiting in (SQLite: "").
        `in_transaction=False`: a step that reads (a file's check) is killed on SQLite as soon
        as it is `running`."""
        if connection.vendor != "postgresql":
            wait_for(
                lambda: running() and (sqlite_writing() or not in_transaction),
                "the step's write transaction",
                alive=process,
                log=log,
                every=0,
            )
            kill(process)
            return ""
        doing = wait_for(
            lambda: waiting_in(self.first.waited_in) if running() else "",
            f"the worker waiting in {self.first.waited_in}",
            alive=process,
            log=log,
        )
        for lock in then:
            following = ExitStack()
            following.enter_context(holding(lock.sql, lock.params))
            self.held.close()
            self.held = following
            doing = wait_for(
                lambda: waiting_in(lock.waited_in),  # noqa: B023
                f"the worker waiting in {lock.waited_in}",
                alive=process,
                log=log,
            )
        kill(process)
        return doing


class Child:
    """A process our child started (the `db_worker` of `serve --with-worker`), by its id: what
    `kill` and `wait_for(alive=...)` need of a Popen."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        """None while it runs; its parent reaps it once dead, or it lingers as a zombie."""
        try:
            state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return -signal.SIGKILL
        return None if state != "Z" else -signal.SIGKILL

    def send_signal(self, number: int) -> None:
        os.kill(self.pid, number)

    def wait(self, timeout: float) -> int:
        return int(wait_for(self.poll, f"process {self.pid} to end") or 0)


def children(pid: int, named: bytes) -> list[int]:
    """The live child processes of `pid` whose command line holds `named`."""
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if named in command and Child(int(child)).poll() is None:
            found.append(int(child))
    return found
