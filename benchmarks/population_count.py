"""Benchmark: a task's live population count (plans.population.risk_counts) on PostgreSQL.

Run by hand (results go to docs/benchmarks.md); needs a PostgreSQL server on which --admin-url's
role may create databases:

    .venv/bin/python benchmarks/population_count.py                  # 1,000,000 entities
    .venv/bin/python benchmarks/population_count.py --entities 100000 --explain
    .venv/bin/python benchmarks/population_count.py --template shuangsuiji_bench_fdf62233

--template copies a database that `draw_app.py --keep` left (CREATE DATABASE … TEMPLATE, a few
seconds instead of the load) and counts in the copy; the kept database is not changed.

The goal: the count the population page asks for on every change of the filter answers within
a few hundred milliseconds at 1,000,000 entities, so typing in the form feels live. Each filter
is counted from the directory itself (`_counted`, what a stale tally falls back to) and through
`risk_counts` with the directory tally current (rebuilt first, timed); the two must agree.

The directory is `benchmarks/draw_app.py`'s (one county, --entities active entities of one
category 企业 and industry code F5199, 2 % more 注销, risk classes A 35 / B 45 / C 12 / D 5 /
unclassified 3 %), plus a second category 旅馆 tagged on every 100th entity. Each filter is
counted --repeat times (best counts): the category covering everyone, the same by industry-code
prefix, the small category, the small category or the prefix, and everyone with a minimum
capital. Then the whole request (GET /plans/tasks/<id>/population/count/ as a coordinator,
through Django's test client, template included) for the largest filter, and with --explain
the plan PostgreSQL chose for each count.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import draw_app  # the scratch database and the directory are draw_app's

SMALL_EVERY = 100  # every 100th entity is also a 旅馆


def filters(scope: Any, hotels: Any) -> dict[str, Any]:
    from shuangsuiji.plans.population import PopulationFilter

    region = scope.region.pk
    return {
        "category 企业 (everyone)": PopulationFilter(region, category_ids=(scope.category.pk,)),
        "industry prefix F51 (everyone)": PopulationFilter(region, industry_prefixes=("F51",)),
        "category 旅馆 (1 %)": PopulationFilter(region, category_ids=(hotels.pk,)),
        "旅馆 or prefix H61 (1 %)": PopulationFilter(
            region, category_ids=(hotels.pk,), industry_prefixes=("H61",)
        ),
        "企业 with capital ≥ 500 万元": PopulationFilter(
            region, category_ids=(scope.category.pk,), min_capital=Decimal(500)
        ),
        "企业 with capital ≥ 450 万元 (no band edge)": PopulationFilter(
            region, category_ids=(scope.category.pk,), min_capital=Decimal(450)
        ),
    }


def kept_scope() -> Any:
    """The Scope of a directory `draw_app.load` built earlier (one county, 企业, one plan)."""
    from shuangsuiji.directory.models import Department, Entity, ScopeCategory
    from shuangsuiji.plans.models import Plan

    first = Entity.objects.select_related("region").order_by("pk").first()
    assert first is not None, "the template database has no entities"
    lead = Department.objects.get(is_coordinator=True, region=first.region)
    return draw_app.Scope(
        region=first.region,
        category=ScopeCategory.objects.get(name=draw_app.CATEGORY[0]),
        lead=lead,
        plan=Plan.objects.filter(region=first.region).order_by("pk").first(),
        active=Entity.objects.exclude(status="注销").count(),
        deregistered=Entity.objects.filter(status="注销").count(),
        tasks=1000,
    )


def copy_database(admin_url: str, template: str) -> tuple[str, str]:
    """A scratch database copied from `template` (which must have no open connections)."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    name = draw_app.DB_PREFIX + secrets.token_hex(4)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    return name, urlsplit(admin_url)._replace(path=f"/{name}").geturl()


def tag_small_category(scope: Any) -> Any:
    """A second category on every SMALL_EVERY-th entity, by one INSERT … SELECT."""
    from django.db import connection

    from shuangsuiji.directory.models import Entity, ScopeCategory

    hotels = ScopeCategory.objects.create(name="旅馆", industry_code="H6110")
    through = Entity.categories.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {through} (entity_id, scopecategory_id) "
            f"SELECT id, %s FROM directory_entity WHERE id %% {SMALL_EVERY} = 0",
            [hotels.pk],
        )
        cursor.execute("ANALYZE")
    return hotels


BASELINE = "SELECT risk_class, count(*) FROM directory_entity GROUP BY risk_class"


def fetch_all(query: str) -> list[Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def best_of(repeat: int, step: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - started)
    return best, result


def explain(population: Any) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shuangsuiji.plans.population import risk_counts

    with CaptureQueriesContext(connection) as queries:
        risk_counts(population)
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def benchmark(args: argparse.Namespace) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from django import get_version
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from shuangsuiji.accounts.models import User
    from shuangsuiji.directory import tally
    from shuangsuiji.plans.population import _add_rows, _counted, risk_counts

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(f"Django {get_version()}, PostgreSQL {server}, {os.cpu_count()} CPUs", flush=True)
    started = time.perf_counter()
    scope = kept_scope() if args.template else draw_app.load(args.entities, args.seed)
    hotels = tag_small_category(scope)
    print(f"loaded in {time.perf_counter() - started:.0f}s", flush=True)

    seconds, rows = best_of(1, tally.rebuild)
    print(f"directory tally: {rows:,} rows, rebuilt in {seconds:.1f} s", flush=True)

    print("\n| filter | listed | from the directory | from the tally | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    seconds, rows = best_of(args.repeat, lambda: fetch_all(BASELINE))
    print(
        f"| baseline: every entity, GROUP BY risk_class | {sum(n for _, n in rows):,} | "
        f"{seconds * 1000:.0f} ms | | |",
        flush=True,
    )
    plans: dict[str, str] = {}
    for name, population in filters(scope, hotels).items():
        direct, counted = best_of(
            args.repeat, lambda p=population: _add_rows(dict.fromkeys("ABCDU", 0), _counted(p))
        )
        assert tally.is_current()
        summed, counts = best_of(args.repeat, lambda p=population: risk_counts(p))
        assert counts == counted, (name, counts, counted)
        print(
            f"| {name} | {sum(counts.values()):,} | {direct * 1000:.0f} ms | "
            f"{summed * 1000:.1f} ms | {direct / summed:.0f}× |",
            flush=True,
        )
        if args.explain:
            plans[name] = explain(population)

    for name, plan in plans.items():
        print(f"\n{name}:\n{plan}", flush=True)

    task = draw_app.new_task(scope)
    user = User.objects.create_superuser("bench", password=secrets.token_urlsafe(12))
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    url = reverse("plans:population_count", args=[task.pk])
    query = {"scope_categories": [scope.category.pk], "scope_statuses": ["存续", "在业"]}
    seconds, response = best_of(args.repeat, lambda: client.get(url, query))
    assert response.status_code == 200, response.status_code
    print(f"| request `{url}` (企业, template included) | — | {seconds * 1000:.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000, help="active entities")
    parser.add_argument("--repeat", type=int, default=5, help="runs per count; best counts")
    parser.add_argument("--explain", action="store_true", help="print each count's plan")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--template",
        metavar="DATABASE",
        help="copy this kept draw_app.py database instead of loading (--entities is ignored)",
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", draw_app.DEFAULT_ADMIN_URL),
        help="a PostgreSQL database URL whose role may create and drop databases",
    )
    args = parser.parse_args()

    if args.template:
        name, url = copy_database(args.admin_url, args.template)
    else:
        name, url = draw_app.create_database(args.admin_url)
    draw_app.in_scratch_database(
        args.admin_url, name, url, keep=args.keep, run=lambda: benchmark(args)
    )


if __name__ == "__main__":
    main()
