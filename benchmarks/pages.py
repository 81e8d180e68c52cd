"""Benchmark: the home page and the directory pages at 1,000,000 entities on PostgreSQL.

Run by hand (results go to docs/benchmarks.md); PostgreSQL on 127.0.0.1:5432, user postgres:

    .venv/bin/python benchmarks/pages.py                 # builds the database the first time
    .venv/bin/python benchmarks/pages.py --requests 200

The database (default `shuangsuiji_bench_pages`, outside the repository) is built once with
the demo builder (500,000 entities per district, both districts, no second random) and kept
for later runs. Each case is a GET through Django's test Client, in process: every
middleware, the session and the permission checks, the template, but no network. A baseline
measured in the same run is the plain `SELECT … ORDER BY id DESC LIMIT 50` the list is built
on, sent through the same database connection. Reported: p50, p95 and max of `--requests`
requests per case, after five unmeasured ones.

The home page (工作台) runs first: what every user opens, with the directory's active
entities by risk class (from the tally; the second baseline is the directory count it
replaced), the plans' stages and the queues.

The population counts (GET /plans/tasks/<id>/population/count/, what the task's population
page asks on every change of its filter) run for a province-wide task (made once, both
districts) as the superuser and for a 潞城区 task as its coordinator. The directory tally is
made current first (timed), as the worker would after an import; each case's count is
checked against the directory's own count before it is timed, and the baseline is that
directory count for the broadest category.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

TARGET_MS = 300


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="shuangsuiji_bench_pages")
    parser.add_argument("--entities", type=int, default=500_000, help="per district (two)")
    parser.add_argument("--requests", type=int, default=100, help="measured requests per case")
    parser.add_argument("--only", default="", help="run only the cases whose label has this")
    args = parser.parse_args()

    _ensure_database(args.database)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuangsuiji.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Templates name static files; the production manifest exists only after collectstatic.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }

    call_command("migrate", verbosity=0)
    _ensure_entities(args.entities)
    _ensure_tally()
    run(args.requests, args.only)


def _ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            db.execute(f'CREATE DATABASE "{name}"')


def _ensure_entities(per_district: int) -> None:
    from django.db import connection

    from shuangsuiji.demo.build import build_demo
    from shuangsuiji.directory.models import Entity

    if Entity.objects.exists():
        return
    print(f"building the demo: {per_district:,} entities per district …", flush=True)
    started = time.perf_counter()
    build_demo(entities_per_district=per_district, assign=False)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def _ensure_tally() -> None:
    """Make the directory tally current (the worker would after an import), timing it."""
    from shuangsuiji.directory import tally

    if tally.is_current():
        return
    started = time.perf_counter()
    rows = tally.rebuild()
    print(f"directory tally: {rows:,} rows, rebuilt in {time.perf_counter() - started:.1f} s")


def _province_task() -> int:
    """A task of a province-wide plan (山西省, both districts' 1,000,000 entities): the
    population count's largest scope. Made once, kept in the database."""
    from shuangsuiji.directory.models import Department, Region
    from shuangsuiji.plans.models import Plan, PlanTask

    province = Region.objects.get(code="140000")
    plan, _ = Plan.objects.get_or_create(title="山西省基准测试计划", year=2024, region=province)
    lead = Department.objects.filter(is_coordinator=True).order_by("pk").first()
    task, _ = PlanTask.objects.get_or_create(
        plan=plan, position=1, defaults={"seq": 1, "name": "全省抽查", "lead_department": lead}
    )
    return task.pk


def population_cases() -> list[tuple[str, dict[str, object]]]:
    """Filters for the live population count, as the task's population page sends them."""
    from shuangsuiji.directory.enums import EntityStatus
    from shuangsuiji.directory.models import ScopeCategory

    ids = dict(ScopeCategory.objects.values_list("name", "pk"))
    company, trader, food = ids["企业"], ids["个体工商户"], ids["餐饮服务单位"]
    cases: list[tuple[str, dict[str, object]]] = [
        ("category 企业 (26 %)", {"scope_categories": [company]}),
        ("category 个体工商户 (53 %)", {"scope_categories": [trader]}),
        ("企业 or 个体工商户", {"scope_categories": [company, trader]}),
        ("category 餐饮服务单位 (3 %)", {"scope_categories": [food]}),
        ("industry prefix F52", {"scope_industry_codes": "F52"}),
        ("餐饮服务单位 or prefix H62", {"scope_categories": [food], "scope_industry_codes": "H62"}),
        ("企业, status 存续 only", {"scope_categories": [company], "scope_statuses": ["存续"]}),
        ("企业, capital ≥ 500 万元", {"scope_categories": [company], "scope_min_capital": "500"}),
        (
            "企业, capital ≥ 450 万元 (no band edge: directory)",
            {"scope_categories": [company], "scope_min_capital": "450"},
        ),
    ]
    return [(label, {"scope_statuses": EntityStatus.active(), **params}) for label, params in cases]


def run(requests: int, only: str = "") -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from shuangsuiji.accounts.models import User
    from shuangsuiji.directory.models import Entity, Region, ScopeCategory
    from shuangsuiji.plans.models import PlanTask
    from shuangsuiji.plans.population import PopulationFilter, _counted

    total = Entity.objects.count()
    sample = Entity.objects.order_by("?").values("pk", "uscc", "name", "name_initials").first()
    assert sample is not None
    lucheng = Region.objects.get(code="140406")
    internet_cafe = ScopeCategory.objects.get(name="网吧")
    trade = sample["name"].removeprefix("潞城区").removeprefix("城区")[:4]
    # The list's cursor is "region.id"; halfway down the county (the superuser's 3/4).
    in_lucheng = Entity.objects.filter(region=lucheng).order_by("-pk")
    middle = f"{lucheng.pk}.{in_lucheng.values_list('pk', flat=True)[in_lucheng.count() // 2]}"
    admin, _ = User.objects.get_or_create(
        username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    users = {
        "superuser (1,000,000 in scope)": admin,
        "潞城区 coordinator (500,000)": User.objects.get(username="lucheng-coordinator"),
    }
    # The population counts: a province-wide task for the superuser, a 潞城区 one otherwise.
    lucheng_task = PlanTask.objects.filter(plan__region=lucheng).order_by("pk").first()
    assert lucheng_task is not None
    population_tasks = {
        admin: _province_task(),
        users["潞城区 coordinator (500,000)"]: lucheng_task.pk,
    }
    entities = reverse("directory:entities")
    count = reverse("directory:entity-count")
    cases: list[tuple[str, str, dict[str, str]]] = [
        ("home page (工作台: directory by risk class, plans, deadlines)", reverse("home"), {}),
        ("list, first page", entities, {}),
        ("list, a page halfway down the county (after=)", entities, {"after": middle}),
        (f"search name, rare fragment “{trade}”", entities, {"q": trade}),
        ("search name, common fragment “便利店”", entities, {"q": "便利店"}),
        ("search code prefix (12 chars)", entities, {"q": sample["uscc"][:12]}),
        ("search code, whole", entities, {"q": sample["uscc"]}),
        ("search initials, trade name “tjwj”", entities, {"q": "tjwj"}),
        ("search initials, 2 letters “xy”", entities, {"q": "xy"}),
        ("filter status 注销 + risk D", entities, {"status": "注销", "risk": "D"}),
        ("filter industry prefix F52", entities, {"industry": "F52"}),
        ("filter industry R9013 (rare)", entities, {"industry": "R9013"}),
        ("filter category 网吧", entities, {"category": str(internet_cafe.pk)}),
        ("filter region 潞城区 + 存续 + C", entities, {"region": str(lucheng.pk), "risk": "C"}),
        ("count, no filter (exact)", count, {}),
        ("count, status 存续 + risk C (exact)", count, {"status": "存续", "risk": "C"}),
        ("count, category 网吧 (exact)", count, {"category": str(internet_cafe.pk)}),
        ("count, name “便利店” (capped 10,000)", count, {"q": "便利店"}),
    ]

    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM directory_entity ORDER BY id DESC LIMIT 50 OFFSET %s", [0]
            )
            cursor.fetchall()

    print(f"{total:,} entities; {requests} requests per case; target p95 < {TARGET_MS} ms")
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(_line("baseline: SELECT * … ORDER BY id DESC LIMIT 50", _time(baseline, requests)))
    province = Region.objects.get(code="140000").pk
    company = ScopeCategory.objects.get(name="企业").pk

    def directory_count() -> None:
        list(_counted(PopulationFilter(province, category_ids=(company,))))

    label = "baseline: 企业 province-wide, counted from the directory"
    print(_line(label, _time(directory_count, max(5, requests // 10))))

    def active_by_class() -> None:  # what the home page counted before the tally
        active = Entity.objects.filter(status__in=["存续", "在业"])
        list(active.values_list("risk_class").annotate(n=Count("pk")).order_by())

    label = "baseline: active entities by risk class, counted from the directory"
    print(_line(label, _time(active_by_class, max(5, requests // 10))))
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        print(f"\n{role}")
        population = reverse("plans:population_count", args=[population_tasks[user]])
        counts = [
            (f"population count, {label}", population, params)
            for label, params in population_cases()
        ]
        for label, url, params in cases + counts:
            if only not in label:
                continue
            if url == population:
                _check_count(population_tasks[user], params)

            def get(
                url: str = url, params: dict[str, str] = params, client: Client = client
            ) -> None:
                response = client.get(url, params)
                assert response.status_code == 200, (url, params, response.status_code)

            print(_line(label, _time(get, requests)), flush=True)
    print("\nload average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def _check_count(task_pk: int, params: dict[str, object]) -> None:
    """The page's count (from the tally where it can) equals the directory's own count."""
    from shuangsuiji.plans.forms import PopulationForm
    from shuangsuiji.plans.models import PlanTask
    from shuangsuiji.plans.population import _add_rows, _counted, risk_counts

    form = PopulationForm(params, task=PlanTask.objects.get(pk=task_pk))
    assert form.is_valid(), form.errors
    scope = form.scope()
    counted = _add_rows(dict.fromkeys("ABCDU", 0), _counted(scope))
    assert risk_counts(scope) == counted, (params, risk_counts(scope), counted)


def _time(call: Callable[[], None], requests: int) -> list[float]:
    for _ in range(5):
        call()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _line(label: str, times: list[float]) -> str:
    times.sort()
    p50 = statistics.median(times)
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    flag = "" if p95 < TARGET_MS else "  MISSED"
    return f"  {label:<48} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {times[-1]:7.1f} ms{flag}"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
