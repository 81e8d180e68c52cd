"""Benchmark: a task's draw in the app on PostgreSQL, against selecting its population.

Run by hand (results go to docs/benchmarks.md); needs a PostgreSQL server on which --admin-url's
role may create databases:

    .venv/bin/python benchmarks/draw_app.py                          # 1,000,000 entities
    .venv/bin/python benchmarks/draw_app.py --entities 100000 --repeat 1 --profile

The goal: in the app, a draw over 1,000,000 in-scope entities on PostgreSQL takes at most 3×
the time of selecting those entities' codes and classes.

A scratch database (shuangsuiji_bench_<random hex>) is created on --admin-url's server, set as
DATABASE_URL before django.setup(), migrated, and dropped at the end (--keep keeps it). It holds
one county (长治市潞城区) with --entities active entities (存续 2 : 在业 1; 企业 45 %, 个体工商户
55 %, valid 统一社会信用代码 from core.uscc.make_uscc), all tagged with one scope category (企业),
risk classes A 35 %, B 45 %, C 12 %, D 5 %, unclassified 3 %, and 2 % more entities that are
注销 (in scope, so excluded with their reason), loaded with directory.services.insert_entities
in chunks, then VACUUM ANALYZE. One plan holds one task per draw, all with the same scope: ratio
0.3 with escalation, March–October, led by 区市场监管局, scope category 企业. A drawn draw is
immutable (database triggers), so every run draws a new task.

Everything runs in this one process. Each of --repeat runs measures, in this order (the best
run counts, the first is shown too; peak RSS is the highest VmHWM during the step, reset before
it through /proc/self/clear_refs, so it includes what the process already held):

- select ORM    the baseline: list(Entity.objects.filter(<the task's scope>, status active)
                .values_list("uscc", "risk_class")), the scope as task_population writes it
- unordered     the same with .order_by() (Entity's Meta.ordering adds ORDER BY uscc)
- select SQL    the same rows by hand-written SQL through a cursor, fetchall (reference)
- pop. SQL      task_population's own query (uscc, status, risk_class, DISTINCT, no status
                filter) through a cursor, fetchall: its database and transfer share
- pop. SQL −D   the same without DISTINCT
- population    task_population(task)
- freeze        freeze_draw(task) on a new task
- ceremony      two add_commitment and two add_reveal (two parties, core.draw.commitment)
- complete      complete_draw(draw, public_value=20 dice, public_source=…)
- draw total    freeze + ceremony + complete of that run; its ratio to the baseline is the goal

Then the parts of the rule on the population in memory (no database), a Draw row read, the
stored sizes of the draw's columns, the SQL statements of the fastest run's draw with their
execute time (server and transfer; rows become Python objects after execute), the process's
peak RSS, and with --profile a cProfile of one more full draw (top 15 by cumulative and by
own time).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import platform
import pstats
import resource
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_PREFIX = "shuangsuiji_bench_"
YEAR = 2026
RATIO = Decimal("0.3")
DEREGISTERED = 0.02  # of --entities, added on top, status 注销
RISK = (("A", 35), ("B", 45), ("C", 12), ("D", 5), ("", 3))  # per cent; "" = unclassified
CATEGORY = ("企业", "F5199")
LEAD = ("长治市潞城区市场监督管理局", "区市场监管局")
PARTIES = ("区市场监管局", "联席会议办公室")
PUBLIC_SOURCE = "基准测试：模拟联席会议掷骰20次"
CHUNK = 50_000
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
BODY_SPACE = 31**7
BODY_STEP = 2_654_435_761  # coprime with 31: (i + 1) × step mod 31**7 gives distinct bodies
TRADES = ("便利", "百货", "商贸", "餐饮", "五金", "建材", "科技", "服饰")
PEOPLE = ("王敏", "李强", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴娟")
STREETS = ("潞华街", "黄山路", "东大街", "西关路", "迎宾街", "府后街", "新建路", "长兴路")

STEPS = (
    ("select_orm", "**select (ORM)**: `values_list(uscc, risk_class)` of the scope, the baseline"),
    ("select_orm_unordered", "select (ORM) with `.order_by()`: no ORDER BY uscc (Meta.ordering)"),
    ("select_sql", "select (SQL): the same by cursor, `fetchall`"),
    ("population_sql", "`task_population`'s query by cursor (DISTINCT, with status)"),
    ("population_sql_nodistinct", "the same query without DISTINCT"),
    ("population", "`task_population(task)`"),
    ("freeze", "`freeze_draw(task)`"),
    ("ceremony", "ceremony: 2 × `add_commitment`, 2 × `add_reveal`"),
    ("complete", "`complete_draw(…)`"),
    ("total", "**draw total** (freeze + ceremony + complete)"),
)
PARTS = (
    ("freeze_record", "`rule.freeze_record` (digest, sizes)"),
    ("write_csv", "`rule.write_population_csv`"),
    ("read_csv", "`rule.read_population_csv` (csv.DictReader)"),
    ("run_draw", "`rule.run_draw` (freeze record again, seed, ranking)"),
    ("draw_rounds", "`rule.draw_rounds` alone (the selection itself)"),
    ("fast_freeze", "`fastdraw.freeze_and_listing` (record and listing, numpy, one process)"),
    ("fast_run_draw", "`fastdraw.run_draw`, one process (the same bundle)"),
    ("bundle_json", "`json.dumps(bundle)` (as the JSONField adapts it)"),
    ("row_read", "one Draw row read (`Draw.objects.get`, as each step's `_frozen`)"),
)


# --- memory --------------------------------------------------------------------------------------


def reset_peak() -> None:
    """Reset VmHWM (Linux ≥ 4.0), so the next reading is the peak of what follows."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_mib() -> float | None:
    """VmHWM: the peak resident set size since the last reset_peak()."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def process_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- the scratch database ------------------------------------------------------------------------


def create_database(admin_url: str) -> tuple[str, str]:
    """Create an empty database with a random name; return its name and its URL."""
    import psycopg
    from psycopg import sql

    name = DB_PREFIX + secrets.token_hex(4)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name, urlsplit(admin_url)._replace(path=f"/{name}").geturl()


def drop_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# --- the directory and the plan ------------------------------------------------------------------


@dataclass
class Scope:
    region: Any
    category: Any
    lead: Any
    plan: Any
    active: int
    deregistered: int
    tasks: int = 0


def entity_records(
    count: int, deregistered: int, region: Any, category_id: int, seed: int
) -> Iterator[Any]:
    """`count` active and `deregistered` 注销 entities of one county and category, shuffled."""
    from shuangsuiji.core.pinyin import combine_initials, pinyin_initials
    from shuangsuiji.core.uscc import make_uscc
    from shuangsuiji.directory.records import NewEntity

    rng = Random(seed)
    total = count + deregistered
    gone = set(rng.sample(range(total), deregistered))
    place = region.name
    place_initials = pinyin_initials(place)
    trade_initials = {trade: pinyin_initials(trade) for trade in TRADES}
    suffixes = {"企业": "有限公司", "个体工商户": "店"}
    suffix_initials = {form: pinyin_initials(suffix) for form, suffix in suffixes.items()}
    risks, weights = zip(*RISK, strict=True)
    address_prefix = "山西省长治市" + place
    for index in range(total):
        individual = rng.random() < 0.55
        legal_form = "个体工商户" if individual else "企业"
        serial = (index + 1) * BODY_STEP % BODY_SPACE
        body = ""
        for _ in range(7):
            serial, digit = divmod(serial, 31)
            body = USCC_ALPHABET[digit] + body
        code = make_uscc("9", "2" if individual else "1", region.code, "MA" + body)
        active = "在业" if rng.random() < 1 / 3 else "存续"
        status = "注销" if index in gone else active
        risk = rng.choices(risks, weights)[0]
        trade = TRADES[index % len(TRADES)]
        yield NewEntity(
            uscc=code,
            name=f"{place}{trade}{index:07d}{suffixes[legal_form]}",
            name_initials=combine_initials(
                place_initials, trade_initials[trade], suffix_initials[legal_form]
            ),
            legal_form=legal_form,
            legal_representative=rng.choice(PEOPLE),
            address=f"{address_prefix}{rng.choice(STREETS)}{rng.randint(1, 399)}号",
            region_id=region.pk,
            industry_code=CATEGORY[1],
            registered_capital=None
            if individual
            else Decimal(rng.lognormvariate(4.6, 2.0)).quantize(Decimal("0.01")),
            established_on=date(1995, 1, 1) + timedelta(days=rng.randrange(365 * 30)),
            status=status,
            risk_class=risk,
            risk_classified_on=date(YEAR, 1, 15) if risk else None,
            risk_source="企业信用风险分类管理系统" if risk else "",
            category_ids=(category_id,),
        )


def load(count: int, seed: int) -> Scope:
    """Region chain, category, lead department, plan, and the entities; then VACUUM ANALYZE."""
    from itertools import islice

    from django.db import connection, transaction
    from django.utils import timezone

    from shuangsuiji.demo.catalog import LUCHENG
    from shuangsuiji.directory.models import Department, ScopeCategory
    from shuangsuiji.directory.services import ensure_region_chain, insert_entities
    from shuangsuiji.plans.models import Plan

    region = ensure_region_chain(LUCHENG.province, LUCHENG.city, LUCHENG.county)
    category = ScopeCategory.objects.create(name=CATEGORY[0], industry_code=CATEGORY[1])
    lead = Department.objects.create(
        name=LEAD[0], short_name=LEAD[1], region=region, is_coordinator=True
    )
    plan = Plan.objects.create(
        title=f"潞城区{YEAR}年度双随机抽查基准计划",
        year=YEAR,
        region=region,
        published_at=timezone.now(),  # a draft's tasks are not drawn
    )
    deregistered = round(count * DEREGISTERED)
    records = entity_records(count, deregistered, region, category.pk, seed)
    created = 0
    started = time.perf_counter()
    while chunk := list(islice(records, CHUNK)):
        with transaction.atomic():
            created += insert_entities(chunk)
        if created % (10 * CHUNK) == 0 or created == count + deregistered:
            elapsed = time.perf_counter() - started
            print(f"  loaded {created:,} entities in {elapsed:.0f}s", flush=True)
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        cursor.execute("VACUUM ANALYZE")
    return Scope(region, category, lead, plan, count, deregistered)


def new_task(scope: Scope) -> Any:
    """A fresh task of the plan with the benchmark's scope (a drawn draw cannot be redone)."""
    from shuangsuiji.plans.enums import RiskRuleKind
    from shuangsuiji.plans.models import PlanTask

    scope.tasks += 1
    task = PlanTask.objects.create(
        plan=scope.plan,
        position=scope.tasks,
        seq=scope.tasks,
        name=f"企业登记事项检查（基准第{scope.tasks}次）",
        items=["企业公示信息的检查"],
        scope="辖区内各类企业",
        ratio_min=RATIO,
        risk_kind=RiskRuleKind.ESCALATE,
        risk_text="按信用风险分类递加抽查比例",
        window_start=f"{YEAR}-03",
        window_end=f"{YEAR}-10",
        lead_department=scope.lead,
        lead_department_text=scope.lead.short_name,
    )
    task.scope_categories.set([scope.category])
    return PlanTask.objects.select_related("plan", "plan__region").get(pk=task.pk)


# --- the measured steps --------------------------------------------------------------------------


def baseline_queryset(task: Any) -> Any:
    """The task's in-scope active entities, the scope written as task_population writes it."""
    from shuangsuiji.accounts.permissions import in_region_subtree
    from shuangsuiji.directory.enums import EntityStatus
    from shuangsuiji.directory.models import Entity

    return Entity.objects.filter(
        in_region_subtree("region", task.plan.region_id),
        categories__in=task.scope_categories.all(),
        status__in=EntityStatus.active(),
    ).values_list("uscc", "risk_class")


def population_queryset(task: Any, *, distinct: bool) -> Any:
    """task_population's query (draws.services), mirrored to run it without the Python loop."""
    from shuangsuiji.accounts.permissions import in_region_subtree
    from shuangsuiji.directory.models import Entity

    entities = Entity.objects.filter(
        in_region_subtree("region", task.plan.region_id),
        categories__in=task.scope_categories.all(),
    ).values_list("uscc", "status", "risk_class")
    return entities.distinct() if distinct else entities


def bare_sql(task: Any) -> tuple[str, list[Any]]:
    """SELECT uscc, risk_class of the same rows, by hand: region ids looked up beforehand."""
    from shuangsuiji.accounts.permissions import in_region_subtree
    from shuangsuiji.directory.enums import EntityStatus
    from shuangsuiji.directory.models import Entity, Region

    regions = list(
        Region.objects.filter(in_region_subtree("", task.plan.region_id)).values_list(
            "pk", flat=True
        )
    )
    categories = list(task.scope_categories.values_list("pk", flat=True))
    entity = Entity._meta.db_table
    link = Entity.categories.through._meta.db_table
    query = (
        f"SELECT e.uscc, e.risk_class FROM {entity} e "
        f"JOIN {link} c ON c.entity_id = e.id "
        "WHERE c.scopecategory_id = ANY(%s) AND e.region_id = ANY(%s) AND e.status = ANY(%s)"
    )
    return query, [categories, regions, [str(s) for s in EntityStatus.active()]]


def fetch_all(query: str, params: Any) -> list[Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def ceremony(draw: Any, rng: Random) -> Any:
    """Two parties commit, then reveal (the demo's ceremony)."""
    from shuangsuiji.accounts.permissions import SYSTEM
    from shuangsuiji.core.draw import commitment
    from shuangsuiji.draws.services import add_commitment, add_reveal

    chosen = {party: f"{rng.getrandbits(128):032x}" for party in PARTIES}
    for party, secret in chosen.items():
        draw = add_commitment(
            draw, actor=SYSTEM, party=party, commitment=commitment(draw.draw_id, party, secret)
        )
    for party, secret in chosen.items():
        draw = add_reveal(draw, actor=SYSTEM, party=party, secret=secret)
    return draw


def dice(rng: Random) -> str:
    return " ".join(str(rng.randint(1, 6)) for _ in range(20))


@dataclass
class Timings:
    seconds: dict[str, list[float]] = field(default_factory=dict)
    peaks: dict[str, list[float]] = field(default_factory=dict)

    def measure(self, name: str, step: Callable[[], Any]) -> Any:
        reset_peak()
        started = time.perf_counter()
        result = step()
        self.add(name, time.perf_counter() - started, peak_mib())
        return result

    def add(self, name: str, seconds: float, peak: float | None) -> None:
        self.seconds.setdefault(name, []).append(seconds)
        if peak is not None:
            self.peaks.setdefault(name, []).append(peak)

    def best(self, name: str) -> float:
        return min(self.seconds[name])

    def peak(self, name: str) -> float | None:
        return max(self.peaks[name]) if self.peaks.get(name) else None


@dataclass
class Statement:
    sql: str
    seconds: float
    many: bool


class Tracer:
    """A connection.execute_wrapper recording each statement's execute time."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            text = " ".join(sql.split())
            self.statements.append(Statement(text, time.perf_counter() - started, many))


def run_draw_steps(
    scope: Scope, timings: Timings, rng: Random, checks: dict[str, Any]
) -> tuple[Any, list[Statement]]:
    """One draw on a new task: freeze, ceremony, complete, each timed; their sum as the total."""
    from django.db import connection

    from shuangsuiji.accounts.permissions import SYSTEM
    from shuangsuiji.draws.services import complete_draw, freeze_draw

    task = new_task(scope)
    tracer = Tracer()
    with connection.execute_wrapper(tracer):
        draw = timings.measure("freeze", lambda: freeze_draw(task, actor=SYSTEM))
        draw = timings.measure("ceremony", lambda: ceremony(draw, rng))
        value = dice(rng)
        draw = timings.measure(
            "complete",
            lambda: complete_draw(
                draw, actor=SYSTEM, public_value=value, public_source=PUBLIC_SOURCE
            ),
        )
    parts = [timings.seconds[name][-1] for name in ("freeze", "ceremony", "complete")]
    peaks = [timings.peaks.get(name, [0.0])[-1] for name in ("freeze", "ceremony", "complete")]
    timings.add("total", sum(parts), max(peaks) if timings.peaks else None)
    checks["population_size"] = draw.freeze["population_size"]
    checks["exclusions"] = len(draw.exclusions)
    rounds = draw.bundle["rounds"]
    checks["selected"] = sum(len(s["selected"]) for r in rounds for s in r["strata"].values())
    checks["reserve"] = sum(len(s["reserve"]) for r in rounds for s in r["strata"].values())
    return draw, tracer.statements


def measure_parts(scope: Scope, draw: Any, repeat: int, timings: Timings) -> dict[str, int]:
    """The rule's parts on the population in memory, a Draw row read, and stored sizes."""
    from django.db import connection

    from shuangsuiji.core import draw as rule
    from shuangsuiji.core import fastdraw
    from shuangsuiji.draws.models import Draw
    from shuangsuiji.draws.services import task_parameters, task_population

    task = draw.task
    population, exclusions = task_population(task)
    parameters = task_parameters(task)
    info = draw.freeze["task"]
    ceremony_record = draw.bundle["ceremony"]
    frozen = {"frozen_at": draw.freeze.get("frozen_at")}  # both engines freeze at the draw's time

    def once() -> None:
        freeze = timings.measure(
            "freeze_record",
            lambda: rule.freeze_record(draw.draw_id, parameters, population, exclusions, info),
        )
        text = timings.measure("write_csv", lambda: rule.write_population_csv(population))
        timings.measure("read_csv", lambda: rule.read_population_csv(text))
        bundle = timings.measure(
            "run_draw",
            lambda: rule.run_draw(
                draw.draw_id, parameters, population, ceremony_record, exclusions, info, **frozen
            ),
        )
        timings.measure("draw_rounds", lambda: rule.draw_rounds(freeze, bundle["seed"], population))
        # the bulk engine as the app's worker runs it: one process (its heartbeat is a thread)
        timings.measure(
            "fast_freeze",
            lambda: fastdraw.freeze_and_listing(
                draw.draw_id, parameters, population, exclusions, info, processes=1
            ),
        )
        fast = timings.measure(
            "fast_run_draw",
            lambda: fastdraw.run_draw(
                draw.draw_id,
                parameters,
                population,
                ceremony_record,
                exclusions,
                info,
                processes=1,
                **frozen,
            ),
        )
        if fast != bundle:  # same inputs and freeze time: the same bundle
            raise SystemExit("fastdraw.run_draw and rule.run_draw differ")
        timings.measure("bundle_json", lambda: json.dumps(bundle))
        timings.measure("row_read", lambda: Draw.objects.get(pk=draw.pk))

    for _ in range(repeat):
        once()
    with connection.cursor() as cursor:
        cursor.execute(  # the population and bundle are artefacts: size, then stored (zlib)
            "SELECT p.size, pg_column_size(p.content), "
            'octet_length(d."freeze"::text), octet_length(d.exclusions::text), '
            "pg_column_size(d.exclusions), b.size, pg_column_size(b.content) "
            f"FROM {Draw._meta.db_table} d JOIN artefacts_artefact p"
            " ON p.digest = d.population_artefact_id"
            " JOIN artefacts_artefact b ON b.digest = d.bundle_artefact_id WHERE d.id = %s",
            [draw.pk],
        )
        row = cursor.fetchone()
    keys = (
        "population_csv",
        "population_csv stored",
        "freeze",
        "exclusions",
        "exclusions stored",
        "bundle",
        "bundle stored",
    )
    return dict(zip(keys, row, strict=True))


# --- the report ----------------------------------------------------------------------------------


def cell(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def report(
    scope: Scope,
    repeat: int,
    timings: Timings,
    checks: dict[str, Any],
    sizes: dict[str, int],
    statements: list[Statement],
) -> None:
    orm, bare = timings.best("select_orm"), timings.best("select_sql")
    print(
        f"\n{scope.active:,} in-scope active entities (+{scope.deregistered:,} 注销); "
        f"seconds: best of {repeat}; ratios: seconds ÷ the select's\n"
    )
    print("| step | s | first run s | ÷ select ORM | ÷ select SQL | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, label in STEPS:
        best, first = timings.best(name), timings.seconds[name][0]
        cells = [f"{best:.2f}", f"{first:.2f}", f"{best / orm:.2f}", f"{best / bare:.2f}"]
        print(f"| {label} | {' | '.join(cells)} | {cell(timings.peak(name), 0)} |")
    print(f"\nchecks: {json.dumps(checks)}")

    print("\nparts, no database except the row read (same population; best of runs):\n")
    print("| part | s | ÷ select ORM | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: |")
    for name, label in PARTS:
        best = timings.best(name)
        print(f"| {label} | {best:.2f} | {best / orm:.2f} | {cell(timings.peak(name), 0)} |")
    print(
        "\nstored sizes of the draw (bytes): " + ", ".join(f"{k} {v:,}" for k, v in sizes.items())
    )

    database = sum(s.seconds for s in statements)
    total = timings.best("total")
    print(
        f"\nSQL of the fastest run's draw: {len(statements)} statements, execute {database:.2f}s "
        f"of its {total:.2f}s (server + transfer; converting rows to Python comes after)"
    )
    for statement in sorted(statements, key=lambda s: -s.seconds)[:8]:
        text = statement.sql if len(statement.sql) <= 110 else statement.sql[:107] + "…"
        print(f"  {statement.seconds:7.3f}s  {text}")

    ratio = total / orm
    verdict = "met" if ratio <= 3 else "missed"
    unordered = timings.best("select_orm_unordered")
    print(
        f"\ngoal, a draw within 3× of selecting the codes and classes: {verdict} "
        f"(draw total {total:.2f}s = {ratio:.1f}× select ORM {orm:.2f}s; "
        f"{total / unordered:.1f}× unordered {unordered:.2f}s; "
        f"{total / bare:.1f}× select SQL {bare:.2f}s)"
    )
    print(f"load average at the end (1, 5, 15 min): {os.getloadavg()}")
    print(f"peak RSS of the process: {process_peak_mib():,.0f} MiB")
    print("\n" + json.dumps({"seconds": timings.seconds, "peak_mib": timings.peaks, **sizes}))


def profile_draw(scope: Scope, rng: Random) -> None:
    """cProfile of one more full draw (freeze, ceremony, complete) on a new task."""
    from shuangsuiji.accounts.permissions import SYSTEM
    from shuangsuiji.draws.services import complete_draw, freeze_draw

    task = new_task(scope)
    value = dice(rng)
    profiler = cProfile.Profile()
    profiler.enable()
    draw = freeze_draw(task, actor=SYSTEM)
    draw = ceremony(draw, rng)
    complete_draw(draw, actor=SYSTEM, public_value=value, public_source=PUBLIC_SOURCE)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        print(f"\n--- profile of one full draw, top 15 by {order} ---")
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(order)
        stats.print_stats(15)


# --- main ----------------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f}s", flush=True)

    from django import get_version
    from django.db import connection

    from shuangsuiji.draws.services import task_population

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"Python {sys.version.split()[0]}, Django {get_version()}, PostgreSQL {server}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}, load average {os.getloadavg()}"
    )
    started = time.perf_counter()
    scope = load(args.entities, args.seed)
    loaded = time.perf_counter() - started
    total = scope.active + scope.deregistered
    print(f"loaded {total:,} entities in {loaded:.1f}s ({total / loaded:,.0f}/s)", flush=True)

    timings = Timings()
    checks: dict[str, Any] = {}
    rng = Random(args.seed)
    fastest: tuple[float, list[Statement]] | None = None
    draw = None
    task = new_task(scope)  # task_population reads and writes nothing: one task serves
    bare = bare_sql(task)
    population_sql = population_queryset(task, distinct=True).query.sql_with_params()
    nodistinct_sql = population_queryset(task, distinct=False).query.sql_with_params()
    for run in range(1, args.repeat + 1):
        draw = None  # the previous run's draw must not add to this run's memory
        for name, step in (
            ("select_orm", lambda: list(baseline_queryset(task))),
            ("select_orm_unordered", lambda: list(baseline_queryset(task).order_by())),
            ("select_sql", lambda: fetch_all(*bare)),
            ("population_sql", lambda: fetch_all(*population_sql)),
            ("population_sql_nodistinct", lambda: fetch_all(*nodistinct_sql)),
        ):
            checks[f"{name}_rows"] = len(timings.measure(name, step))
        checks["population_size"] = len(
            timings.measure("population", lambda: task_population(task))[0]
        )
        draw, statements = run_draw_steps(scope, timings, rng, checks)
        run_total = timings.seconds["total"][-1]
        if fastest is None or run_total < fastest[0]:
            fastest = (run_total, statements)
        print(
            f"  run {run}: select ORM {timings.seconds['select_orm'][-1]:.2f}s, "
            f"draw {run_total:.2f}s",
            flush=True,
        )
    assert draw is not None
    assert fastest is not None
    sizes = measure_parts(scope, draw, args.repeat, timings)
    report(scope, args.repeat, timings, checks, sizes, fastest[1])
    if args.profile:
        profile_draw(scope, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000, help="active in-scope entities")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best counts")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--profile", action="store_true", help="cProfile one more full draw")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", DEFAULT_ADMIN_URL),
        help="a PostgreSQL database URL whose role may create and drop databases",
    )
    args = parser.parse_args()

    name, url = create_database(args.admin_url)
    in_scratch_database(args.admin_url, name, url, keep=args.keep, run=lambda: benchmark(args))


def in_scratch_database(
    admin_url: str, name: str, url: str, *, keep: bool, run: Callable[[], None]
) -> None:
    """Run a benchmark with Django pointed at the database `name`, then close its connections
    and drop it unless it is to be kept (for a later run's --template or --database)."""
    print(f"scratch database {name}", flush=True)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuangsuiji.settings"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # no key file in ./var
    try:
        run()
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if keep:
            print(f"kept {name}: DATABASE_URL={url}")
        else:
            drop_database(admin_url, name)
            print(f"dropped {name}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
