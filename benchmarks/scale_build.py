"""The province-scale database of `benchmarks/scale.py`: built once, reused while its sizes match.

Two layers. The demo (`demo.build.build_demo`) makes 潞城区 and 晋城市城区 through the real
services: plans imported from their Word text, draws frozen and completed, the second random
assigned, results recorded, users of every role. Around it, bulk SQL (psycopg 3 `COPY`) adds a
province: counties under the 11 cities of 山西, entities made by the demo's own generator
(valid 统一社会信用代码, pinyin initials, category tags), city departments and inspectors, one
published city plan per city with its tasks, one assignment each with its visits, teams and
results. Bulk rows honour the schema: every constraint and trigger stays on (the directory's
change counter, the immutability of assigned assignments and published results: rows are
inserted, never updated); only the entity table's secondary indexes are dropped during the
load and created again from their own definitions. The bulk assignments are marked assigned
without a seed ceremony; their freeze and bundle artefacts are placeholders saying so, so the
visit page's bundle check is measured on the demo's real assignment, not on these.

The sizes are recorded as the database's comment; a later run with the same sizes reuses it.
"""

import dataclasses
import io
import json
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any

CITIES = [
    ("140100", "太原市"),
    ("140200", "大同市"),
    ("140300", "阳泉市"),
    ("140400", "长治市"),
    ("140500", "晋城市"),
    ("140600", "朔州市"),
    ("140700", "晋中市"),
    ("140800", "运城市"),
    ("140900", "忻州市"),
    ("141000", "临汾市"),
    ("141100", "吕梁市"),
]
CITY_DEPARTMENTS = [  # (short name, full-name suffix); the first coordinates
    ("市市场监管局", "市场监督管理局"),
    ("市税务局", "税务局"),
    ("市人社局", "人力资源和社会保障局"),
    ("市住建局", "住房和城乡建设局"),
    ("市教育局", "教育局"),
    ("市卫健委", "卫生健康委员会"),
    ("市应急局", "应急管理局"),
    ("市生态环境局", "生态环境局"),
]
# Result states of the bulk results and their shares; each city's plan gets enough approved
# ones for the 10,000-result publication.
STATES = [
    ("pending", 0.15),
    ("submitted", 0.20),
    ("returned", 0.05),
    ("approved", 0.25),
    ("published", 0.35),
]
RESULT_CODES = [("01", 0.80), ("0201", 0.08), ("0203", 0.02), ("03", 0.06), ("04", 0.04)]
YEAR = 2024
NOW = datetime(2024, 12, 20, 9, 0, tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class Sizes:
    entities: int = 3_000_000
    counties: int = 99
    tasks: int = 300
    visits: int = 200_000
    inspectors: int = 5_000
    results: int = 500_000
    demo_entities: int = 20_000  # per demo district (two), made by the real services

    def record(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


Say = Callable[[str], None]


def recorded_sizes(admin_url: str, name: str) -> str | None:
    """The sizes the database was built with (its comment), or None if it is not there."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as db:
        row = db.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else (row[0] or "")


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def mark_built(admin_url: str, name: str, sizes: Sizes) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f"COMMENT ON DATABASE \"{name}\" IS '{sizes.record()}'")


def build(sizes: Sizes, say: Say) -> dict[str, float]:
    """Everything after `migrate`: the demo, then the province around it. Returns timings."""
    from django.db import connection

    from shuangsuiji.demo.build import build_demo

    timings: dict[str, float] = {}
    started = time.perf_counter()
    say(f"demo (real services): {sizes.demo_entities:,} entities per district …")
    build_demo(entities_per_district=sizes.demo_entities, progress=lambda m: None)
    timings["demo"] = time.perf_counter() - started
    steps: list[tuple[str, Callable[[Sizes, Say], None]]] = [
        ("regions, departments, users", _regions_departments_users),
        ("entities", _entities),
        ("inspectors", _inspectors),
        ("plans and tasks", _plans),
        ("visits, teams, results", _visits_and_results),
    ]
    for label, step in steps:
        started = time.perf_counter()
        say(f"{label} …")
        step(sizes, say)
        timings[label] = time.perf_counter() - started
        say(f"  {label}: {timings[label]:.0f} s")
    started = time.perf_counter()
    from shuangsuiji.directory import tally

    tally.rebuild()
    timings["directory tally"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["VACUUM ANALYZE"] = time.perf_counter() - started
    return timings


# --- regions, departments, users -----------------------------------------------------------


def _counties(sizes: Sizes) -> list[tuple[str, str, str]]:
    """(county code, name, city code): the demo's two counties plus synthetic ones, spread
    evenly over the cities, to `sizes.counties` in all."""
    demo = {"140406", "140502"}
    per_city = -(-sizes.counties // len(CITIES))
    counties: list[tuple[str, str, str]] = []
    numerals = "一二三四五六七八九十"
    for number in range(1, per_city + 1):
        for city, city_name in CITIES:
            code = f"{city[:4]}{number + 20:02d}"  # 21.. never collides with a real code
            counties.append((code, f"{city_name[:-1]}{numerals[(number - 1) % 10]}县", city))
    return counties[: max(0, sizes.counties - len(demo))]


def _regions_departments_users(sizes: Sizes, say: Say) -> None:
    from shuangsuiji.accounts.permissions import Role
    from shuangsuiji.directory.enums import RegionLevel
    from shuangsuiji.directory.models import Department, Region

    province = Region.objects.get(code="140000")
    cities = {}
    for code, name in CITIES:
        cities[code], _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": RegionLevel.CITY, "parent": province}
        )
    Region.objects.bulk_create(
        Region(code=code, name=name, level=RegionLevel.COUNTY, parent=cities[city])
        for code, name, city in _counties(sizes)
    )
    province_office = Department.objects.create(
        name="山西省市场监督管理局（基准测试）",
        short_name="省市场监管局",
        region=province,
        is_coordinator=True,
    )
    for code, name in CITIES:
        for position, (short, suffix) in enumerate(CITY_DEPARTMENTS):
            Department.objects.create(
                name=f"{name}{suffix}",
                short_name=short,
                region=cities[code],
                is_coordinator=position == 0,
            )
    roles = {Role.COORDINATOR: "coordinator", Role.AUDITOR: "auditor"}
    for role, slug in roles.items():
        _user(f"province-{slug}", province_office, role)
    for code, _name in CITIES:
        departments = list(Department.objects.filter(region__code=code).order_by("pk"))
        for role, slug in {**roles, Role.DEPARTMENT_ADMIN: "dept-admin"}.items():
            department = departments[0] if role in roles else departments[1]
            _user(f"city{code}-{slug}", department, role)


def _user(username: str, department: Any, role: Any) -> Any:
    from django.contrib.auth.models import Group

    from shuangsuiji.accounts.models import User
    from shuangsuiji.accounts.permissions import STAFF_ROLES

    user = User(
        username=username,
        department=department,
        is_staff=role in STAFF_ROLES,
        last_name=f"基准{role.value}",
    )
    user.set_unusable_password()  # the benchmark signs in with force_login
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    return user


# --- entities --------------------------------------------------------------------------------


ENTITY_COLUMNS = (
    "id",
    "uscc",
    "name",
    "name_initials",
    "legal_form",
    "legal_representative",
    "address",
    "region_id",
    "industry_code",
    "registered_capital",
    "established_on",
    "status",
    "risk_class",
    "risk_classified_on",
    "risk_source",
    "updated_at",
)


def _entities(sizes: Sizes, say: Say) -> None:
    """The demo's generator per synthetic county (the 潞城区 catalogue, the county's own code
    and name, so codes stay unique), written by COPY with ids taken from the sequence."""
    from django.db import connection

    from shuangsuiji.demo.build import RISK_SOURCE
    from shuangsuiji.demo.catalog import DISTRICTS
    from shuangsuiji.demo.entities import EntityFactory
    from shuangsuiji.directory.models import Entity, Region, ScopeCategory

    counties = _counties(sizes)
    if not counties:
        return
    remaining = max(0, sizes.entities - Entity.objects.count())
    per_county = remaining // len(counties)
    template = DISTRICTS[0]
    regions = dict(
        Region.objects.filter(code__in=[c for c, _, _ in counties]).values_list("code", "pk")
    )
    city_names = dict(CITIES)
    category_ids = dict(ScopeCategory.objects.values_list("name", "pk"))
    stamp = NOW.isoformat()
    dropped = _drop_secondary_indexes("directory_entity")
    with connection.cursor() as cursor:
        raw = cursor.connection  # psycopg's own connection, for COPY
        for done, (code, name, city) in enumerate(counties, start=1):
            count = per_county + (1 if done <= remaining % len(counties) else 0)
            district = dataclasses.replace(
                template, city=(city, city_names[city]), county=(code, name)
            )
            factory = EntityFactory(district, seed=int(code), pool_size=1000)
            first = _reserve_ids(raw, "directory_entity", count)
            entity_lines = io.StringIO()
            link_lines = io.StringIO()
            for offset, demo in enumerate(factory.make(count)):
                pk = first + offset
                capital = "" if demo.registered_capital is None else str(demo.registered_capital)
                classified = demo.risk_classified_on.isoformat() if demo.risk_classified_on else ""
                entity_lines.write(
                    f"{pk}\t{demo.uscc}\t{demo.name}\t{demo.name_initials}\t{demo.legal_form}\t"
                    f"{demo.legal_representative}\t{demo.address}\t{regions[code]}\t"
                    f"{demo.industry_code}\t{_null(capital)}\t{demo.established_on.isoformat()}\t"
                    f"{demo.status}\t{demo.risk_class}\t{_null(classified)}\t"
                    f"{RISK_SOURCE if demo.risk_class else ''}\t{stamp}\n"
                )
                for category in demo.categories:
                    link_lines.write(f"{pk}\t{category_ids[category]}\n")
            _copy(raw, "directory_entity", ENTITY_COLUMNS, entity_lines.getvalue())
            _copy(
                raw,
                "directory_entity_categories",
                ("entity_id", "scopecategory_id"),
                link_lines.getvalue(),
            )
            raw.commit()
            if done % 10 == 0 or done == len(counties):
                say(f"  {done}/{len(counties)} counties, {per_county:,} entities each")
    started = time.perf_counter()
    _create_indexes(dropped)
    say(f"  entity indexes created again in {time.perf_counter() - started:.0f} s")


def _null(value: str) -> str:
    return value or "\\N"


def _reserve_ids(raw: Any, table: str, count: int) -> int:
    """The first of `count` ids taken from the table's own sequence (so later ORM inserts
    continue after them)."""
    sequence = raw.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()[0]
    last = raw.execute(
        f"SELECT setval('{sequence}', nextval('{sequence}') + %s - 1)", [count]
    ).fetchone()[0]
    return int(last) - count + 1


def _copy(raw: Any, table: str, columns: Iterable[str], text: str) -> None:
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        copy.write(text)


def _drop_secondary_indexes(table: str) -> list[str]:
    """Drop the table's indexes that back no constraint, returning their definitions."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i
               WHERE i.indrelid = %s::regclass
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [table],
        )
        rows = cursor.fetchall()
        for name, _definition in rows:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def _create_indexes(definitions: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)


# --- inspectors ------------------------------------------------------------------------------


def _inspectors(sizes: Sizes, say: Say) -> None:
    """Inspectors of the city departments, to `sizes.inspectors` in all; about one in three
    holds a qualification."""
    from django.db import connection

    from shuangsuiji.core.pinyin import pinyin_initials
    from shuangsuiji.directory.models import Department, Inspector, Qualification

    departments = list(
        Department.objects.filter(region__code__in=[c for c, _ in CITIES]).order_by("pk")
    )
    remaining = max(0, sizes.inspectors - Inspector.objects.count())
    if not departments or not remaining:
        return
    qualifications = list(Qualification.objects.values_list("pk", flat=True))
    rng = Random(17)
    family = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    with connection.cursor() as cursor:
        raw = cursor.connection
        first = _reserve_ids(raw, "directory_inspector", remaining)
        lines, links = io.StringIO(), io.StringIO()
        for offset in range(remaining):
            pk = first + offset
            department = departments[offset % len(departments)]
            name = rng.choice(family) + rng.choice(given) + rng.choice(given)
            lines.write(
                f"{pk}\t{name}\t{pinyin_initials(name)}\t{department.pk}\t"
                f"SJ{department.region.code}{offset:06d}\t2022-01-01\t2027-12-31\tt\n"
            )
            if qualifications and offset % 3 == 0:
                links.write(f"{pk}\t{qualifications[offset % len(qualifications)]}\n")
        columns = (
            "id",
            "name",
            "name_initials",
            "department_id",
            "certificate_no",
            "certificate_valid_from",
            "certificate_valid_until",
            "is_active",
        )
        _copy(raw, "directory_inspector", columns, lines.getvalue())
        _copy(
            raw,
            "directory_inspector_qualifications",
            ("inspector_id", "qualification_id"),
            links.getvalue(),
        )
        raw.commit()
    say(f"  {remaining:,} inspectors in {len(departments)} city departments")


# --- plans -----------------------------------------------------------------------------------


def _plans(sizes: Sizes, say: Say) -> None:
    """One published city plan per city, its tasks led by the city's departments in turn."""
    from shuangsuiji.directory.models import Department, Region, ScopeCategory
    from shuangsuiji.plans.models import Plan, PlanTask

    remaining = max(0, sizes.tasks - PlanTask.objects.count())
    categories = list(ScopeCategory.objects.order_by("pk"))
    months = [f"{YEAR}-{m:02d}" for m in range(3, 12)]
    for number, (code, name) in enumerate(CITIES):
        count = remaining // len(CITIES) + (1 if number < remaining % len(CITIES) else 0)
        region = Region.objects.get(code=code)
        departments = list(Department.objects.filter(region=region).order_by("pk"))
        plan = Plan.objects.create(
            title=f"{name}{YEAR}年度部门联合双随机抽查工作计划（基准测试）",
            locality=name,
            year=YEAR,
            region=region,
            published_at=NOW - timedelta(days=300),
            source_filename="scale.py",
        )
        tasks = PlanTask.objects.bulk_create(
            PlanTask(
                plan=plan,
                position=position,
                seq=position,
                name=f"{categories[position % len(categories)].name}抽查（第{position}项）",
                scope=categories[position % len(categories)].name,
                ratio_min="0.050000",
                window_start=months[position % 6],
                window_end=months[position % 6 + 3],
                lead_department=departments[position % len(departments)],
                lead_department_text=departments[position % len(departments)].short_name,
            )
            for position in range(1, count + 1)
        )
        for task in tasks:
            lead = task.lead_department
            partner = departments[(departments.index(lead) + 1) % len(departments)]
            task.partner_departments.add(partner)
            task.scope_categories.add(categories[task.position % len(categories)])
    say(f"  {remaining} tasks in {len(CITIES)} city plans")


# --- visits, teams, results ------------------------------------------------------------------


def _visits_and_results(sizes: Sizes, say: Say) -> None:
    """Per city plan: one assignment (placeholder artefacts), visits to distinct active
    entities of the city, each carrying two or three of the plan's tasks, teams of the lead
    and partner departments' inspectors, and one result per visit and task."""
    from django.db import connection

    from shuangsuiji.accounts.models import User
    from shuangsuiji.artefacts.models import ArtefactKind
    from shuangsuiji.artefacts.services import store_json
    from shuangsuiji.assignments.models import Assignment, AssignmentState, Visit
    from shuangsuiji.inspections.models import Inspection, ResultCategory
    from shuangsuiji.plans.models import Plan

    visits_left = max(0, sizes.visits - Visit.objects.count())
    results_left = max(0, sizes.results - Inspection.objects.count())
    plans = list(Plan.objects.filter(source_filename="scale.py").order_by("region__code"))
    if not plans or not visits_left:
        return
    result_ids = dict(ResultCategory.objects.values_list("code", "pk"))
    rng = Random(2024)
    with connection.cursor() as cursor:
        raw = cursor.connection
        for number, plan in enumerate(plans):
            visits = visits_left // len(plans) + (1 if number < visits_left % len(plans) else 0)
            results = results_left // len(plans) + (1 if number < results_left % len(plans) else 0)
            city = plan.region
            placeholder = {
                "spec": "scale-benchmark/placeholder",
                "note": "bulk-loaded by benchmarks/scale.py: no freeze, no seed ceremony",
                "plan": plan.pk,
            }
            assignment = Assignment.objects.create(
                plan=plan,
                number=1,
                assignment_id=f"FP-{city.code}-{YEAR}-SCALE-1",
                freeze_artefact=store_json(ArtefactKind.ASSIGNMENT_FREEZE, placeholder),
            )
            Assignment.objects.filter(pk=assignment.pk).update(
                state=AssignmentState.ASSIGNED,
                seed="0" * 64,
                bundle_artefact=store_json(ArtefactKind.ASSIGNMENT_BUNDLE, placeholder),
                assigned_at=NOW - timedelta(days=250),
            )
            users = {
                role: User.objects.get(username=f"city{city.code}-{role}")
                for role in ("coordinator", "dept-admin")
            }
            _city_visits(raw, plan, assignment.pk, visits, results, rng, result_ids, users)
            raw.commit()
            say(f"  {plan.region.name}: {visits:,} visits, {results:,} results")


def _city_visits(
    raw: Any,
    plan: Any,
    assignment_id: int,
    visits: int,
    results: int,
    rng: Random,
    result_ids: dict[str, int],
    users: dict[str, Any],
) -> None:
    tasks = list(
        plan.tasks.order_by("position").values_list(
            "pk", "lead_department_id", "window_start", "window_end"
        )
    )
    partners = dict(plan.tasks.values_list("pk", "partner_departments"))
    inspectors: dict[int, list[int]] = {}
    for pk, department in raw.execute(
        "SELECT i.id, i.department_id FROM directory_inspector i JOIN directory_department d "
        "ON d.id = i.department_id WHERE d.region_id = %s ORDER BY i.id",
        [plan.region_id],
    ):
        inspectors.setdefault(department, []).append(pk)
    entity_ids = [
        row[0]
        for row in raw.execute(
            "SELECT e.id FROM directory_entity e JOIN directory_region r ON r.id = e.region_id "
            "WHERE r.parent_id = %s AND e.status IN ('存续', '在业') "
            "ORDER BY md5(e.id::text) LIMIT %s",
            [plan.region_id, visits],
        )
    ]
    first_visit = _reserve_ids(raw, "assignments_visit", len(entity_ids))
    first_result = _reserve_ids(raw, "inspections_inspection", results)
    visit_lines, department_lines, task_lines = io.StringIO(), io.StringIO(), io.StringIO()
    member_lines, result_lines, category_lines = io.StringIO(), io.StringIO(), io.StringIO()
    per_visit = results / max(1, len(entity_ids))
    made = 0
    for offset, entity in enumerate(entity_ids):
        visit = first_visit + offset
        want = int(per_visit * (offset + 1)) - int(per_visit * offset)
        chosen = rng.sample(tasks, min(len(tasks), max(1, want)))
        lead_task = chosen[0]
        lead = lead_task[1]
        departments = {lead} | {partners[t[0]] for t in chosen} | {t[1] for t in chosen}
        departments.discard(None)
        start = max(t[2] for t in chosen)
        end = min(t[3] for t in chosen)
        if start > end:
            start, end = lead_task[2], lead_task[3]
        visit_lines.write(
            f"{visit}\t{assignment_id}\tV{offset + 1:06d}\t{entity}\t{start}\t{end}\t{lead}\t[]\n"
        )
        for department in sorted(departments):
            department_lines.write(f"{visit}\t{department}\n")
        for slot, department in enumerate([lead, *sorted(departments - {lead})][:3], start=1):
            pool = inspectors[department]
            role = "组长" if slot == 1 else "组员"
            inspector = pool[(offset * 7 + slot) % len(pool)]
            member_lines.write(f"{visit}\t{slot}\t{inspector}\t{department}\t{role}\t\n")
        for task in chosen:
            task_lines.write(f"{visit}\t{task[0]}\n")
            if made >= results:
                continue
            result = first_result + made
            made += 1
            state = _pick(rng, STATES)
            recorded = state != "pending"
            reviewed = state in ("returned", "approved", "published")
            day = date(YEAR, int(start[5:]), 1 + rng.randrange(28))
            moment = datetime(YEAR, day.month, day.day, 15, tzinfo=UTC).isoformat()
            result_lines.write(
                "\t".join(
                    [
                        str(result),
                        str(visit),
                        str(task[0]),
                        state,
                        day.isoformat() if recorded else "\\N",
                        "",
                        "现场检查未见异常" if recorded else "",
                        str(users["dept-admin"].pk) if recorded else "\\N",
                        moment if recorded else "\\N",
                        str(users["coordinator"].pk) if reviewed else "\\N",
                        moment if reviewed else "\\N",
                        "材料不全" if state == "returned" else "",
                        "",
                        "",
                        "\\N",
                        moment if state == "published" else "\\N",
                        str(users["coordinator"].pk) if state == "published" else "\\N",
                        str(plan.region_id),
                    ]
                )
                + "\n"
            )
            if recorded:
                category_lines.write(f"{result}\t{result_ids[_pick(rng, RESULT_CODES)]}\n")
    _copy(
        raw,
        "assignments_visit",
        (
            "id",
            "assignment_id",
            "code",
            "entity_id",
            "window_start",
            "window_end",
            "lead_department_id",
            "qualifications",
        ),
        visit_lines.getvalue(),
    )
    _copy(
        raw,
        "assignments_visit_departments",
        ("visit_id", "department_id"),
        department_lines.getvalue(),
    )
    _copy(raw, "assignments_visit_tasks", ("visit_id", "plantask_id"), task_lines.getvalue())
    _copy(
        raw,
        "assignments_teammember",
        ("visit_id", "slot", "inspector_id", "department_id", "role", "qualification"),
        member_lines.getvalue(),
    )
    _copy(
        raw,
        "inspections_inspection",
        (
            "id",
            "visit_id",
            "task_id",
            "state",
            "inspected_on",
            "measures",
            "notes",
            "recorded_by_id",
            "submitted_at",
            "reviewed_by_id",
            "reviewed_at",
            "return_reason",
            "follow_up",
            "follow_up_note",
            "follow_up_closed_at",
            "published_at",
            "published_by_id",
            "region_id",
        ),
        result_lines.getvalue(),
    )
    _copy(
        raw,
        "inspections_inspection_results",
        ("inspection_id", "resultcategory_id"),
        category_lines.getvalue(),
    )


def _pick(rng: Random, shares: list[tuple[str, float]]) -> str:
    values, weights = zip(*shares, strict=True)
    return rng.choices(values, weights=weights)[0]
