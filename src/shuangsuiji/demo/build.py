"""Build the demo data set: both seed districts' departments, directories, check items, users.

Deterministic: the same `seed` and size give the same rows, so screenshots, tests and bug
reports can refer to the same 甲公司.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice
from pathlib import Path
from random import Random

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from faker import Faker

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import STAFF_ROLES, SYSTEM, Role
from shuangsuiji.assignments.models import TeamMember
from shuangsuiji.assignments.services import complete_assignment, freeze_assignment
from shuangsuiji.checks.models import CheckKind
from shuangsuiji.checks.services import record_check, set_cap
from shuangsuiji.core.draw import commitment
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.demo.approvals import approve_demo_visits
from shuangsuiji.demo.catalog import DISTRICTS, QUALIFICATIONS, DistrictSpec
from shuangsuiji.demo.companies import demo_company
from shuangsuiji.demo.entities import EntityFactory
from shuangsuiji.demo.undisturbed import demo_undisturbed
from shuangsuiji.directory import tally
from shuangsuiji.directory.enums import InspectionMethod
from shuangsuiji.directory.models import (
    CheckItem,
    Conflict,
    Department,
    DepartmentAlias,
    Entity,
    Inspector,
    Qualification,
    Region,
    ScopeCategory,
)
from shuangsuiji.directory.records import NewEntity
from shuangsuiji.directory.services import ensure_region_chain, insert_entities
from shuangsuiji.draws.services import (
    add_commitment,
    add_reveal,
    complete_draw,
    freeze_draw,
    task_population,
)
from shuangsuiji.inspections.categories import load_categories
from shuangsuiji.inspections.models import Inspection, ResultCategory
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.publication import publish_plan
from shuangsuiji.plans.services import import_plan

DEMO_SEED = 20230301
SEEDS = Path(__file__).resolve().parent / "seeds"
INSPECTORS_PER_DEPARTMENT = 5
COORDINATOR_INSPECTORS = 12
CONFLICTS_PER_DISTRICT = 6
ENTITY_CHUNK = 50_000
DEMO_PASSWORD = "shuangsuiji-demo"
RISK_SOURCE = "企业信用风险分类管理系统"
USER_SLUGS = {"140406": "lucheng", "140502": "chengqu"}
DEMO_NAMES = {
    Role.COORDINATOR: "王敏",
    Role.DEPARTMENT_ADMIN: "刘洋",
    Role.INSPECTOR: "张三",
    Role.AUDITOR: "陈静",
}
ROLE_SLUGS = {
    Role.COORDINATOR: "coordinator",
    Role.DEPARTMENT_ADMIN: "dept-admin",
    Role.INSPECTOR: "inspector",
    Role.AUDITOR: "auditor",
}


@dataclass
class DemoSummary:
    entities: dict[str, int] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)
    inspectors: dict[str, int] = field(default_factory=dict)
    check_items: dict[str, int] = field(default_factory=dict)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, department
    approvals: dict[str, dict[str, int]] = field(default_factory=dict)  # approved, emergency …
    # 统一社会信用代码, its one-time sign-in token (as printed on its notice), name
    companies: list[tuple[str, str, str]] = field(default_factory=list)
    plans: dict[str, str] = field(default_factory=dict)
    draws: dict[str, int] = field(default_factory=dict)
    visits: dict[str, dict[str, int]] = field(default_factory=dict)  # before/after merging
    inspections: dict[str, dict[str, int]] = field(default_factory=dict)  # per state


Progress = Callable[[str], None]


def build_demo(
    *,
    entities_per_district: int,
    seed: int = DEMO_SEED,
    progress: Progress = lambda message: None,
    assign: bool = True,
    plans: bool = True,
    approvals: bool = False,
) -> DemoSummary:
    """Create the demo data for every seed district in one transaction (all or nothing);
    `assign=False` stops after the draws, leaving the second random to be done;
    `plans=False` builds the directory and the users only, for a year started from scratch;
    `approvals=True` (`make demo`) has each body's head approve most visits before their
    window (`demo.approvals`) — the tests' demo leaves them unapproved, as a year starts."""
    summary = DemoSummary()
    with transaction.atomic():
        load_categories(ResultCategory)  # a flushed database has lost the migration's rows
        qualifications = {
            name: Qualification.objects.get_or_create(name=name)[0] for name in QUALIFICATIONS
        }
        for number, district in enumerate(DISTRICTS):
            region = ensure_region_chain(district.province, district.city, district.county)
            label = region.full_name
            departments = _create_departments(district, region)
            categories = _create_categories(district)
            summary.departments[label] = len(departments)
            summary.check_items[label] = _create_check_items(district, departments, qualifications)
            summary.entities[label] = _create_entities(
                district, region, categories, entities_per_district, seed + number, progress
            )
            summary.inspectors[label] = _create_inspectors(
                district, region, departments, qualifications, seed + number
            )
            summary.users += _create_users(district, departments)
            if not plans:
                continue
            plan, summary.draws[label] = _import_seed_plan(district, region, seed + number)
            summary.plans[label] = plan.title
            if assign:
                summary.visits[label] = _demo_assignment(plan, Random(seed + number))
                summary.inspections[label] = _demo_inspections(plan, Random(seed + number))
                _put_inspector_login_on_a_team(region)
                _demo_ledger(plan, departments)
                if approvals:
                    summary.approvals[label] = approve_demo_visits(plan)
                company = demo_company(plan) if number == 0 else None
                if company is not None:
                    summary.companies.append(company)
            progress(f"{label}：完成")
        tally.rebuild()  # the population pages count from it from the first request
    return summary


def _create_departments(district: DistrictSpec, region: Region) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for spec in district.departments:
        department = Department.objects.create(
            name=spec.name,
            short_name=spec.short_name,
            region=region,
            is_coordinator=spec.is_coordinator,
        )
        DepartmentAlias.objects.bulk_create(
            DepartmentAlias(department=department, region=region, name=alias)
            for alias in spec.aliases
        )
        departments[spec.short_name] = department
    return departments


def _create_categories(district: DistrictSpec) -> dict[str, int]:
    for spec in district.categories:
        ScopeCategory.objects.get_or_create(
            name=spec.name, defaults={"industry_code": spec.industry_code}
        )
    return dict(ScopeCategory.objects.values_list("name", "pk"))


def _create_check_items(
    district: DistrictSpec,
    departments: dict[str, Department],
    qualifications: dict[str, Qualification],
) -> int:
    items = [
        CheckItem(
            department=departments[spec.department],
            name=spec.name,
            legal_basis=spec.legal_basis,
            object_type=spec.object_type,
            method=spec.method,
            required_qualification=qualifications.get(spec.qualification),
        )
        for spec in district.check_items
    ]
    CheckItem.objects.bulk_create(items)
    return CheckItem.objects.filter(department__region__code=district.county[0]).count()


def _create_entities(
    district: DistrictSpec,
    region: Region,
    category_ids: dict[str, int],
    count: int,
    seed: int,
    progress: Progress,
) -> int:
    factory = EntityFactory(district, seed=seed)
    records = (
        NewEntity(
            uscc=demo.uscc,
            name=demo.name,
            name_initials=demo.name_initials,
            legal_form=demo.legal_form,
            legal_representative=demo.legal_representative,
            address=demo.address,
            region_id=region.pk,
            industry_code=demo.industry_code,
            registered_capital=demo.registered_capital,
            established_on=demo.established_on,
            status=demo.status,
            risk_class=demo.risk_class,
            risk_classified_on=demo.risk_classified_on,
            risk_source=RISK_SOURCE if demo.risk_class else "",
            category_ids=tuple(category_ids[name] for name in demo.categories),
        )
        for demo in factory.make(count)
    )
    created = 0
    while chunk := list(islice(records, ENTITY_CHUNK)):
        created += insert_entities(chunk)
        progress(f"{region.full_name}：已生成检查对象 {created}/{count}")
    return created


def _create_inspectors(
    district: DistrictSpec,
    region: Region,
    departments: dict[str, Department],
    qualifications: dict[str, Qualification],
    seed: int,
) -> int:
    """≥4 certified inspectors per department; every 7th has an expired 执法证."""
    rng = Random(seed)
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    needed = {spec.department: spec.qualification for spec in district.check_items}
    serial = 0
    inspectors: list[tuple[Inspector, list[Qualification]]] = []
    for short_name, department in departments.items():
        size = COORDINATOR_INSPECTORS if department.is_coordinator else INSPECTORS_PER_DEPARTMENT
        for _ in range(size):
            serial += 1
            expired = serial % 7 == 0
            inspector = Inspector(
                name=faker.name(),
                department=department,
                certificate_no=f"{region.code}{serial:05d}",
                certificate_valid_from=date(district.plan_year - 4, 1, 1),
                certificate_valid_until=(
                    date(district.plan_year - 1, 12, 31)
                    if expired
                    else date(district.plan_year + 2, 12, 31)
                ),
                is_active=serial % 11 != 0,
            )
            held = [
                qualifications[name]
                for name in QUALIFICATIONS
                if name == needed.get(short_name) or rng.random() < 0.15
            ]
            inspectors.append((inspector, held))
    for inspector, held in inspectors:
        inspector.save()
        inspector.qualifications.set(held)
    _declare_conflicts(region, [inspector for inspector, _ in inspectors], rng, district.plan_year)
    return len(inspectors)


def _declare_conflicts(region: Region, inspectors: list[Inspector], rng: Random, year: int) -> None:
    """A few declared 回避 relations, each to a different entity (pairs are unique)."""
    entities = list(
        Entity.objects.filter(region=region)
        .active()
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    reasons = ["近亲属在该单位任职", "曾在该单位任职未满三年", "与法定代表人存在利害关系"]
    Conflict.objects.bulk_create(
        Conflict(
            inspector=rng.choice(inspectors),
            entity_id=entity_id,
            reason=rng.choice(reasons),
            declared_on=date(year, 2, 1),
        )
        for entity_id in rng.sample(entities, min(CONFLICTS_PER_DISTRICT, len(entities)))
    )


# What a coordinator corrects on import: 潞城区 task 8 gives no ratio (its frequency text sits in
# the wrong column); 全区养老机构 are all inspected every year, so 100%.
SEED_CORRECTIONS = {"lucheng-2023-plan.txt": {(8, "ratio"): "100%"}}


def _import_seed_plan(district: DistrictSpec, region: Region, seed: int) -> tuple[Plan, int]:
    """The district's real plan, imported as a coordinator would, every task scoped and drawn
    with a commit–reveal ceremony, so the plan list and the draws are not empty."""
    path = SEEDS / district.plan_file
    parsed = parse_plan(path.read_bytes(), path.name, corrections=SEED_CORRECTIONS.get(path.name))
    plan = publish_plan(
        import_plan(parsed, filename=path.name, region=region, actor=SYSTEM), actor=SYSTEM
    )
    scopes = {spec.number: spec for spec in district.tasks}
    categories = {c.name: c for c in ScopeCategory.objects.all()}
    rng = Random(seed)
    drawn = 0
    scoped = []
    for task in plan.tasks.select_related("lead_department").order_by("position"):
        spec = scopes.get(task.seq or 0)
        if spec is None:
            continue
        task.scope_categories.set([categories[name] for name in spec.categories])
        if spec.min_registered_capital:
            task.scope_min_capital = spec.min_registered_capital
            task.save(update_fields=["scope_min_capital"])
        scoped.append(task)
    _demo_cap_reached(scoped[0])
    demo_undisturbed(scoped)
    for task in scoped:
        drawn += _demo_draw(task, rng)
    return plan, drawn


def _demo_cap_reached(task: PlanTask) -> None:
    """Before the year's draws, the first task's lead body publishes a cap of two checks a
    year and has already checked one company of the task's population twice (in January):
    that task's draw leaves the company out with the reason in its exclusions, while tasks
    of other bodies may still draw it (检查台账, issue 19)."""
    body, year = task.lead_department, task.plan.year
    assert body is not None
    population, _ = task_population(task)
    company = Entity.objects.get(uscc=min(c for c, s in population.items() if s != "D"))
    source = f"{body.name}{year}年度涉企行政检查频次上限公告（演示数据）"
    set_cap(body, year=year, limit=2, source=source, actor=SYSTEM)
    for day, kind in ((5, CheckKind.SPECIAL), (10, CheckKind.TRIGGERED)):
        record_check(
            company,
            body,
            checked_on=date(year, 1, day),
            kind=kind,
            method=InspectionMethod.ON_SITE,
            items=f"{body.short_name}{kind}（演示数据）",
            basis=f"演示数据：{body.short_name}{year}年{kind}",
            actor=SYSTEM,
        )


def _demo_draw(task: PlanTask, rng: Random) -> int:
    """A rehearsal of the real ceremony: the lead and the coordinating department commit and
    reveal, then 20 dice; the record says it is demo data."""
    # A fixed rehearsal time: the freeze time is under the seed (version 2), and the demo is
    # the same data set on every build and database.
    draw = freeze_draw(
        task,
        actor=SYSTEM,
        frozen_at=f"{task.plan.year}-01-15T02:00:00Z",
        salt_source=lambda population: {
            code: f"{rng.getrandbits(128):032x}" for code in sorted(population)
        },
    )
    parties = [task.lead_department_text or "发起部门", "联席会议办公室"]
    secrets = {party: f"{rng.getrandbits(128):032x}" for party in parties}
    for party, secret in secrets.items():
        add_commitment(
            draw,
            actor=SYSTEM,
            party=party,
            commitment=commitment(draw.draw_id, party, secret),
        )
    for party, secret in secrets.items():
        add_reveal(draw, actor=SYSTEM, party=party, secret=secret)
    dice = " ".join(str(rng.randint(1, 6)) for _ in range(20))
    complete_draw(
        draw, actor=SYSTEM, public_value=dice, public_source="演示数据：模拟联席会议掷骰20次"
    )
    return 1


def _demo_assignment(plan: Plan, rng: Random) -> dict[str, int]:
    """The second random over the plan's draws: freeze the pools, 20 dice, teams."""
    assignment = freeze_assignment(plan, actor=SYSTEM)
    dice = " ".join(str(rng.randint(1, 6)) for _ in range(20))
    assignment = complete_assignment(
        assignment,
        actor=SYSTEM,
        public_value=dice,
        public_source="演示数据：模拟联席会议掷骰20次",
    )
    report = assignment.bundle["report"]  # type: ignore[index]
    return {"before": report["visits_before"], "after": report["visits_after"]}


# The demo year half done: of the visits (in code order), this share of results per state;
# of the approved, about 60 % are published and the rest overdue for publication.
DEMO_RESULT_SHARES = [("approved", 0.12), ("submitted", 0.05), ("returned", 0.02)]
DEMO_RESULTS = [  # (result codes, weight)
    (("01",), 70),
    (("0201",), 4),
    (("0204",), 4),
    (("0201", "0203"), 1),
    (("03",), 8),
    (("04",), 5),
    (("05",), 4),
    (("06",), 2),
    (("07",), 2),
]


def _demo_inspections(plan: Plan, rng: Random) -> dict[str, int]:
    """Results for the first visits of the year, as the team and reviewers would have left
    them: some approved (a few with follow-up still open), some awaiting review, some returned;
    the rest not yet recorded. Written directly: demo records, not a replay of the pages."""
    assignment = plan.assignments.get()
    coordinator = User.objects.filter(
        department__region=plan.region, department__is_coordinator=True
    ).first()
    categories = {c.code: c for c in ResultCategory.objects.all()}
    # Codes sorted in Python and tasks by position: the same results on any database (a
    # collation's or a table's own order would give other visits other results).
    visits = sorted(assignment.visits.prefetch_related("tasks"), key=lambda v: v.code)
    counts: dict[str, int] = {}
    start = 0
    for state, share in DEMO_RESULT_SHARES:
        chosen = visits[start : start + round(len(visits) * share)]
        start += len(chosen)
        for visit in chosen:
            for task in sorted(visit.tasks.all(), key=lambda t: t.position):
                codes = rng.choices([c for c, _ in DEMO_RESULTS], [w for _, w in DEMO_RESULTS])[0]
                results = [categories[code] for code in codes]
                follow_up = any(c.needs_follow_up for c in results)
                day = _demo_day(visit.window_start, rng)
                reviewed = _demo_moment(day + timedelta(days=5))
                if state == "approved" and rng.random() < 0.6:
                    state_now, published_at = "published", reviewed + timedelta(days=10)
                else:
                    state_now, published_at = state, None
                inspection = Inspection.objects.create(
                    visit=visit,
                    task=task,
                    state=state_now,
                    inspected_on=day,
                    measures="责令限期改正，逾期复查" if follow_up else "",
                    recorded_by=None,
                    submitted_at=_demo_moment(day + timedelta(days=1)),
                    reviewed_by=coordinator if state != "submitted" else None,
                    reviewed_at=reviewed if state != "submitted" else None,
                    return_reason="请补充检查日期对应的现场照片" if state == "returned" else "",
                    follow_up=(
                        rng.choice(["open", "closed"]) if follow_up and state == "approved" else ""
                    ),
                    published_at=published_at,
                    published_by=coordinator if published_at else None,
                )
                inspection.results.set(results)
                counts[state_now] = counts.get(state_now, 0) + 1
    return counts


def _demo_ledger(plan: Plan, departments: dict[str, Department]) -> None:
    """The check ledger's year: the coordinating body and the next two publish yearly caps,
    and the first visited company was also checked three times in June by three bodies (the
    frequent-check warning lists it), one an upper-level 专项 check that no cap counts. Made
    after the draws, as a year's other checks come in: the demo's draws stay as they were."""
    bodies = sorted(departments.values(), key=lambda d: (not d.is_coordinator, d.name))[:3]
    for body, limit in zip(bodies, (2, 4, 3), strict=True):
        if body.check_caps.filter(year=plan.year).exists():
            continue  # published before the draws (_demo_cap_reached)
        source = f"{body.name}{plan.year}年度涉企行政检查频次上限公告（演示数据）"
        set_cap(body, year=plan.year, limit=limit, source=source, actor=SYSTEM)
    visited = min(plan.assignments.get().visits.all(), key=lambda visit: visit.code).entity
    kinds = (CheckKind.SPECIAL, CheckKind.TRIGGERED, CheckKind.UPPER_SPECIAL)
    for day, body, kind in zip((3, 12, 25), bodies, kinds, strict=True):
        record_check(
            visited,
            body,
            checked_on=date(plan.year, 6, day),
            kind=kind,
            method=InspectionMethod.ON_SITE,
            items=f"{body.short_name}{kind}（演示数据）",
            basis=f"演示数据：{body.short_name}{plan.year}年{kind}",
            actor=SYSTEM,
        )


def _put_inspector_login_on_a_team(region: Region) -> None:
    """The demo's inspector login belongs to the inspector of its department with the most
    visits among those with a visit still to record: which inspectors the second random puts
    on teams follows from the draws' seeds, and a login on no team, or with every result
    already entered, would show an inspector an empty year."""
    user = User.objects.get(groups__name=Role.INSPECTOR.value, department__region=region)
    busiest = (
        TeamMember.objects.filter(department=user.department)
        .values("inspector")
        .annotate(
            visits=Count("visit", distinct=True),
            unrecorded=Count("visit", filter=Q(visit__inspections__isnull=True), distinct=True),
        )
        .filter(unrecorded__gt=0)
        .order_by("-visits", "inspector")
        .first()
    )
    if busiest is None or busiest["inspector"] == user.inspector_id:
        return
    inspector = Inspector.objects.get(pk=busiest["inspector"])
    User.objects.filter(inspector=inspector).update(inspector=None)
    user.inspector, user.last_name = inspector, inspector.name
    user.save(update_fields=["inspector", "last_name"])


def _demo_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _demo_day(month: str, rng: Random) -> date:
    return date(int(month[:4]), int(month[5:7]), rng.randint(1, 28))


def _create_users(
    district: DistrictSpec, departments: dict[str, Department]
) -> list[tuple[str, str, str]]:
    """One user per role: the coordinator at 市场监管局, the others at the first partner body."""
    coordinator = next(d for d in departments.values() if d.is_coordinator)
    other = next(d for d in departments.values() if not d.is_coordinator)
    inspector_record = other.inspectors.filter(is_active=True).order_by("pk").first()
    slug = USER_SLUGS.get(district.county[0], district.county[0])
    created = []
    for role, role_slug in ROLE_SLUGS.items():
        department = coordinator if role in (Role.COORDINATOR, Role.AUDITOR) else other
        inspector = inspector_record if role is Role.INSPECTOR else None
        user = User(
            username=f"{slug}-{role_slug}",
            department=department,
            is_staff=role in STAFF_ROLES,
            # Chinese names are written whole, family name first: keep them in last_name so
            # get_full_name() gives "王敏", not "敏 王".
            last_name=inspector.name if inspector else DEMO_NAMES[role],
            inspector=inspector,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role.value))
        created.append((user.username, role.value, department.short_name))
    return created
