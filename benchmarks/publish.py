"""Benchmark: publishing approved results in one step (一公开), against the bare UPDATE.

Run by hand (results go to docs/benchmarks.md):

    .venv/bin/python benchmarks/publish.py --results 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssj_bench .venv/bin/python benchmarks/publish.py

Each measurement runs in its own process on a fresh database (a temporary SQLite file, or the
PostgreSQL database named by DATABASE_URL, dropped and created anew): the demo at a small size,
then `--results` approved results added to 潞城's assignment (tests.factories.approved_results,
so the test dependencies must be installed). `publish` is the platform's step: the scope check,
the locked read, one UPDATE and the chained audit entries. `bare` is the floor: the same rows
set to published by one UPDATE with no check and no audit entry.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(mode: str, count: int) -> float:
    """Seconds taken by one measurement, in a child process on a fresh database."""
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, SHUANGSUIJI_DATA_DIR=data_dir, PYTHONPATH=str(ROOT))
        env["DJANGO_SETTINGS_MODULE"] = "shuangsuiji.settings"
        if url.startswith("postgres"):
            name = url.rsplit("/", 1)[1]
            for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                subprocess.run(
                    ["psql", url.rsplit("/", 1)[0] + "/postgres", "-q", "-c", sql], check=True
                )
        output = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(count)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return float(json.loads(output.strip().splitlines()[-1])["seconds"])


def child(mode: str, count: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from shuangsuiji.accounts.models import User
    from shuangsuiji.audit.recorder import acting_as
    from shuangsuiji.demo.build import build_demo
    from shuangsuiji.disclosure.services import publish
    from shuangsuiji.inspections.models import Inspection, InspectionState
    from tests.factories import approved_results

    build_demo(entities_per_district=600)
    chosen = Inspection.objects.filter(pk__in=approved_results(count))
    coordinator = User.objects.get(username="lucheng-coordinator")
    started = time.perf_counter()
    if mode == "publish":
        with acting_as(coordinator):
            assert publish(chosen, actor=coordinator) == count
    else:
        chosen.update(state=InspectionState.PUBLISHED, published_by=coordinator)
    print(json.dumps({"seconds": time.perf_counter() - started}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=int, default=10_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    bare = measure("bare", args.results)
    ours = measure("publish", args.results)
    print(
        f"{engine}, publish {args.results} results: bare UPDATE {bare:.2f}s, "
        f"publish {ours:.2f}s, ratio {ours / bare:.1f}x"
    )


if __name__ == "__main__":
    main()
