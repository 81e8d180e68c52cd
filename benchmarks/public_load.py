"""Benchmark: the public result search (抽查结果公告) under load, with 1,000,000 published results.

Run by hand (results go to docs/benchmarks.md); needs PostgreSQL (a role that may create
databases) and wrk (Debian package `wrk`):

    .venv/bin/python benchmarks/public_load.py                        # 1,000,000 results
    .venv/bin/python benchmarks/public_load.py --results 100000 --seconds 10

A scratch database is created, migrated and loaded as benchmarks/draw_app.py loads one county
(its `load`: --results active entities of 长治市潞城区, risk classes A–D and unclassified, plus 2 %
注销), then, by SQL, one assigned Assignment with one Visit per active entity and one published
Inspection per visit, spread over four tasks of two lead departments, published over the year
2026; results by a hash of the id (so independent of the publication order): 01 未发现问题
80 %, 0201 8 %, 0203 2 %, 03 已改正 6 %, 04 4 %; VACUUM ANALYZE. The app is served by gunicorn
(--workers sync workers, DEBUG off, static files by WhiteNoise after collectstatic) on
127.0.0.1, the production path, and wrk (--connections over 2 threads, --seconds each after a
3 s warm-up) asks, in turn:

- static       /static/css/site.css through WhiteNoise: the same server's ceiling, the baseline
- newest       /public/results/: the newest 50 of 1,000,000, capped count
- by code      /public/results/?q=<统一社会信用代码>, a random published entity's code per request
- by name      /public/results/?q=<name fragment>, e.g. 便利00123 (about a dozen matches)
- by result    /public/results/?result=0203 (2 % of results, via the category EXISTS)
- by year+dept /public/results/?year=2026&department=<lead>

Each line reports requests/second, latency p50/p90/p99 and the ratio of the static page's
requests/second to the line's. The server and wrk share the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from draw_app import DEFAULT_ADMIN_URL, create_database, in_scratch_database, load

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2026
SECOND_LEAD = ("长治市潞城区卫生健康局", "区卫健局")
SAMPLE = 5_000  # paths per search kind, chosen at random before the run

LUA = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local out = io.open("%(out)s", "w")
  out:write(string.format(
    '{"requests": %%d, "seconds": %%f, "errors": %%d, "non2xx": %%d, '
    .. '"p50": %%f, "p90": %%f, "p99": %%f, "max": %%f}',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
  out:close()
end
"""


def publish_everything(scope: Any) -> dict[str, Any]:
    """One visit and one published result per active entity, by SQL (the ORM would take an
    hour); returns what the searches need."""
    from django.db import connection, transaction
    from draw_app import new_task

    from shuangsuiji.artefacts.models import ArtefactKind
    from shuangsuiji.artefacts.services import store_json
    from shuangsuiji.assignments.models import Assignment, AssignmentState, Visit
    from shuangsuiji.directory.models import Department, Entity
    from shuangsuiji.inspections.models import Inspection, ResultCategory
    from shuangsuiji.plans.models import PlanTask

    second = Department.objects.create(
        name=SECOND_LEAD[0], short_name=SECOND_LEAD[1], region=scope.region
    )
    tasks = [new_task(scope) for _ in range(4)]
    PlanTask.objects.filter(pk__in=[tasks[2].pk, tasks[3].pk]).update(lead_department=second)
    categories = dict(ResultCategory.objects.values_list("code", "pk"))
    with transaction.atomic():
        assignment = Assignment.objects.create(
            plan=scope.plan,
            number=1,
            assignment_id="BENCH-ASSIGN",
            state=AssignmentState.ASSIGNED,
            freeze_artefact=store_json(ArtefactKind.ASSIGNMENT_FREEZE, {}),
            seed="0" * 64,
        )
        visit, inspection = Visit._meta.db_table, Inspection._meta.db_table
        results = Inspection.results.through._meta.db_table
        entity = Entity._meta.db_table
        task_ids = "ARRAY[" + ",".join(str(t.pk) for t in tasks) + "]"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {visit} (assignment_id, code, entity_id, window_start,
                    window_end, lead_department_id, qualifications)
                SELECT %s, 'B' || lpad(id::text, 8, '0'), id, %s, %s, %s, '[]'
                FROM {entity} WHERE status <> '注销'""",
                [assignment.pk, f"{YEAR}-03", f"{YEAR}-10", scope.lead.pk],
            )
            cursor.execute(
                f"""INSERT INTO {inspection} (visit_id, task_id, state, inspected_on, measures,
                    notes, return_reason, follow_up, follow_up_note, published_at)
                SELECT id, ({task_ids})[1 + id %% 4], 'published',
                    DATE '{YEAR}-03-01' + (id %% 200)::int,
                    '', '', '', '', '',
                    TIMESTAMPTZ '{YEAR}-03-20 09:00+08' + (id %% 250) * INTERVAL '1 day'
                        + (id %% 28800) * INTERVAL '1 second'
                FROM {visit} WHERE assignment_id = %s""",
                [assignment.pk],
            )
            cursor.execute(
                f"""INSERT INTO {results} (inspection_id, resultcategory_id)
                SELECT id, CASE WHEN h < 80 THEN %s WHEN h < 88 THEN %s
                    WHEN h < 90 THEN %s WHEN h < 96 THEN %s ELSE %s END
                FROM (SELECT id, abs(hashint8(id)) %% 100 AS h FROM {inspection}) AS hashed""",
                [categories[c] for c in ("01", "0201", "0203", "03", "04")],
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {**already_published(), "departments": [scope.lead.name, second.name]}


def already_published() -> dict[str, Any]:
    """What the searches need, read from a database loaded by an earlier --keep run."""
    from shuangsuiji.directory.models import Department, Entity
    from shuangsuiji.inspections.models import Inspection

    rng = Random(1)
    codes = list(
        Entity.objects.exclude(status="注销").order_by("?").values_list("uscc", flat=True)[:SAMPLE]
    )
    names = list(
        Entity.objects.exclude(status="注销").order_by("?").values_list("name", flat=True)[:SAMPLE]
    )
    fragments = [name[3:5] + name[5:10] for name in names]  # trade + 5 digits: a dozen or so
    rng.shuffle(fragments)
    leads = Department.objects.filter(led_tasks__isnull=False).distinct()
    return {
        "published": Inspection.objects.count(),
        "codes": codes,
        "fragments": fragments,
        "departments": list(leads.values_list("name", flat=True)),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(workers: int, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "shuangsuiji.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/public/", timeout=5).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer")


def run_wrk(base: str, paths: list[str], seconds: int, connections: int, work: Path) -> dict:
    listing, out, script = work / "paths.txt", work / "out.json", work / "paths.lua"
    listing.write_text("\n".join(paths) + "\n")
    script.write_text(LUA % {"paths": listing, "out": out})
    wrk = ["wrk", "-t2", f"-c{connections}", "-s", str(script), "--timeout", "10s", base]
    subprocess.run([*wrk[:1], "-d3s", *wrk[1:]], check=True, capture_output=True)  # warm-up
    subprocess.run([*wrk[:1], f"-d{seconds}s", *wrk[1:]], check=True, capture_output=True)
    result = json.loads(out.read_text())
    result["rps"] = result["requests"] / result["seconds"]
    return result


def check_pages(base: str, data: dict[str, Any]) -> None:
    """Each kind of search answers 200 and finds what it should, before it is timed."""
    page = urllib.request.urlopen(f"{base}/public/results/?q={data['codes'][0]}").read().decode()
    assert data["codes"][0] in page, "the code search found nothing"
    page = urllib.request.urlopen(f"{base}/public/results/").read().decode()
    assert "1000 条以上" in page, "the newest page should show the capped count"


def benchmark(args: argparse.Namespace, url: str) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if args.database:
        data = already_published()
    else:
        started = time.perf_counter()
        scope = load(args.results, args.seed)
        print(f"loaded entities in {time.perf_counter() - started:.0f}s", flush=True)
        started = time.perf_counter()
        data = publish_everything(scope)
        print(
            f"published {data['published']:,} results in {time.perf_counter() - started:.0f}s",
            flush=True,
        )
    static_root = Path(tempfile.mkdtemp(prefix="shuangsuiji-static-"))
    work = Path(tempfile.mkdtemp(prefix="shuangsuiji-wrk-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SHUANGSUIJI_DATA_DIR": str(static_root.parent / (static_root.name + "-data")),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
    }
    Path(env["SHUANGSUIJI_DATA_DIR"]).mkdir()
    subprocess.run(
        [str(ROOT / ".venv/bin/shuangsuiji"), "collectstatic", "--noinput", "-v", "0"],
        env=env,
        check=True,
    )
    server, base = serve(args.workers, env)
    try:
        check_pages(base, data)
        year, dept = YEAR, data["departments"]
        kinds = [
            ("static", "/static/css/site.css", ["/static/css/site.css"]),
            ("newest", "/public/results/", ["/public/results/"]),
            (
                "by code",
                "/public/results/?q=<code>",
                [f"/public/results/?q={c}" for c in data["codes"]],
            ),
            (
                "by name",
                "/public/results/?q=<便利00123>",
                [f"/public/results/?q={quote(f)}" for f in data["fragments"]],
            ),
            ("by result", "/public/results/?result=0203", ["/public/results/?result=0203"]),
            (
                "by year+dept",
                "/public/results/?year=2026&department=<lead>",
                [f"/public/results/?year={year}&department={quote(d)}" for d in dept],
            ),
        ]
        rows = []
        for name, shown, paths in kinds:
            result = run_wrk(base, paths, args.seconds, args.connections, work)
            rows.append((name, shown, result))
            print(
                f"  {name:13} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
                f"p90 {result['p90']:7.1f} ms  p99 {result['p99']:7.1f} ms  "
                f"errors {result['errors'] + result['non2xx']}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(env["SHUANGSUIJI_DATA_DIR"], ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    static_rps = rows[0][2]["rps"]
    print()
    print(
        f"{data['published']:,} published results; gunicorn {args.workers} sync workers, "
        f"wrk 2 threads × {args.connections} connections, {args.seconds} s each; "
        f"{os.cpu_count()} CPUs, {platform.machine()}, Python {sys.version.split()[0]}"
    )
    print()
    print("| request | req/s | p50 ms | p90 ms | p99 ms | static ÷ this | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for _name, shown, r in rows:
        print(
            f"| `{shown}` | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} "
            f"| {static_rps / r['rps']:.1f}× | {r['errors'] + r['non2xx']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=int, default=1_000_000, help="published results")
    parser.add_argument("--seconds", type=int, default=20, help="wrk duration per request kind")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", help="reuse a database an earlier --keep run loaded")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", DEFAULT_ADMIN_URL),
        help="a PostgreSQL database URL whose role may create and drop databases",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    if args.database:
        name = args.database
        url = urlsplit(args.admin_url)._replace(path=f"/{name}").geturl()
        args.keep = True
    else:
        name, url = create_database(args.admin_url)
    in_scratch_database(args.admin_url, name, url, keep=args.keep, run=lambda: benchmark(args, url))


if __name__ == "__main__":
    main()
