"""Every URL × every role: the status each gets, as tables (demo data).

Columns: anonymous, 潞城区 coordinator, 潞城区 department admin (区教育局, a partner on the
visit's tasks), 潞城区 inspector (on the visit's team), 潞城区 auditor, and the coordinator and
inspector of another district (晋城市城区), who must see nothing of 潞城区.

`MATRIX` is what a GET answers (a write-only URL answers 405 to those past its gate);
`WRITES` is what a POST does: each runs in a savepoint rolled back afterwards, so every role
meets the same records, and DONE means the change was made, KEPT that the page refused it with
a message. The Django admin and the JSON API (`tests/api/test_permissions.py`) have their own.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Assignment, Recusal, TeamMember, Visit
from shuangsuiji.assignments.services import bundle_with_recusals
from shuangsuiji.checks.codes import code_for, rating_code
from shuangsuiji.checks.models import CheckCap, OtherCheck, UndisturbedListing, VisitRating
from shuangsuiji.companies.models import Objection
from shuangsuiji.core import assign as assign_rule
from shuangsuiji.core.draw import read_population_csv
from shuangsuiji.directory.models import Entity, EntityImport, Inspector
from shuangsuiji.draws.models import Draw, Substitution
from shuangsuiji.inspections.models import Attachment, Inspection, InspectionState
from shuangsuiji.inspections.services import inspections_of
from shuangsuiji.operations import heartbeat
from shuangsuiji.plans.models import Plan, PlanTask
from tests.demo_data import module_demo
from tests.factories import demo_inspector_with_open_results, draw_job

pytestmark = pytest.mark.django_db

USERS = [
    None,
    "lucheng-coordinator",
    "lucheng-dept-admin",
    "lucheng-inspector",
    "lucheng-auditor",
    "chengqu-coordinator",
    "chengqu-inspector",
]
OK, REDIRECT, FORBIDDEN, MISSING, WRITE_ONLY = 200, 302, 403, 404, 405
LOGIN = REDIRECT  # anonymous users are sent to the login page
DONE, KEPT = "done", "kept"
MATRIX: dict[str, list[int]] = {
    # page                     anon   coord  dept   insp   audit  other  other-insp
    "home": [LOGIN, OK, OK, OK, OK, OK, OK],
    "plans:list": [LOGIN, OK, OK, OK, OK, OK, OK],  # each sees its own scope's rows
    "plans:upload": [LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    "plans:detail": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "plans:export": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "plans:task": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],  # like the plan's table
    "plans:task_edit": [LOGIN, OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING, MISSING],
    "plans:task_edit (lead department)": [LOGIN, OK, OK, MISSING, FORBIDDEN, MISSING, MISSING],
    "plans:task_population": [LOGIN, OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING, MISSING],
    "plans:population_count": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "plans:task_history": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "draws:task": [LOGIN, OK, MISSING, MISSING, OK, MISSING, MISSING],  # lead department's page
    "draws:detail": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],  # a partner takes part
    "draws:file": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "draws:roster": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "draws:roster-xlsx": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "assignments:plan": [LOGIN, REDIRECT, REDIRECT, MISSING, REDIRECT, MISSING, MISSING],
    "assignments:detail": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "assignments:file": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "assignments:visit": [LOGIN, OK, OK, OK, OK, MISSING, MISSING],
    "assignments:visit (not on the team)": [LOGIN, OK, MISSING, MISSING, OK, MISSING, MISSING],
    "assignments:sheet": [LOGIN, OK, OK, OK, OK, MISSING, MISSING],
    "assignments:mine": [LOGIN, OK, OK, OK, OK, OK, OK],  # empty unless an inspector
    "inspections:visit": [LOGIN, OK, OK, OK, OK, MISSING, MISSING],
    "inspections:visit (not on the team)": [LOGIN, OK, MISSING, MISSING, OK, MISSING, MISSING],
    "inspections:notice": [LOGIN, OK, OK, OK, OK, MISSING, MISSING],
    "inspections:review": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],
    "publication": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN],
    "directory:entities": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],
    "directory:entity": [LOGIN, OK, OK, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "directory:entity-count": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],
    "directory:entity-export": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],
    "directory:import-upload": [LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    "directory:import-template": [LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    "directory:exchange": [LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    "directory:import": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "directory:inspectors": [LOGIN, OK, OK, OK, OK, OK, OK],  # scoped rows, oneself at least
    "directory:inspector": [LOGIN, OK, OK, OK, OK, MISSING, MISSING],  # the inspector's own
    "directory:inspector (another department)": [LOGIN, OK, MISSING, MISSING, OK, MISSING, MISSING],
    "directory:import-confirm": [LOGIN, WRITE_ONLY, *[FORBIDDEN] * 3, WRITE_ONLY, FORBIDDEN],
    "plans:confirm": [LOGIN, WRITE_ONLY, *[FORBIDDEN] * 3, WRITE_ONLY, FORBIDDEN],
    "plans:publish": [LOGIN] + [WRITE_ONLY] * 6,
    "plans:withdraw": [LOGIN] + [WRITE_ONLY] * 6,
    "plans:delete": [LOGIN] + [WRITE_ONLY] * 6,
    "draws:step": [LOGIN] + [WRITE_ONLY] * 6,
    "draws:substitute": [LOGIN] + [WRITE_ONLY] * 6,
    "draws:job": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],  # running: the progress
    "assignments:step": [LOGIN] + [WRITE_ONLY] * 6,
    "assignments:recuse": [LOGIN] + [WRITE_ONLY] * 6,
    "inspections:step": [LOGIN] + [WRITE_ONLY] * 6,
    "inspections:attachment": [LOGIN, OK, OK, OK, OK, MISSING, MISSING],
    "audit": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN],  # each its own region's
    "login": [OK] * 7,
    "logout": [WRITE_ONLY] * 7,
    "analysis:latest": [LOGIN, REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT, FORBIDDEN],
    "analysis:plan": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "analysis:report": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "analysis:risk": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "checks:index": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],  # each its own bodies
    "checks:frequent": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],
    "checks:undisturbed": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],
    "checks:entity": [LOGIN, OK, OK, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "checks:cap": [LOGIN] + [WRITE_ONLY] * 6,  # the form is on checks:index
    "checks:record": [LOGIN] + [WRITE_ONLY] * 6,
    "checks:export": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],  # each its own scope
    "code": [OK] * 7,  # the inspection code's card: the code is the key
    "disclosure:index": [OK] * 7,
    "disclosure:results": [OK] * 7,
    "disclosure:draw": [OK] * 7,
    "draws:verifier": [OK] * 7,
    "assignments:verifier": [OK] * 7,
    "disclosure:plan": [OK] * 7,
    "disclosure:items": [OK] * 7,
    "disclosure:draw_file": [OK] * 7,
    "disclosure:results_data": [OK] * 7,
    "disclosure:publicity_data": [OK] * 7,
    "disclosure:feed": [OK] * 7,
    "disclosure:verifier": [OK] * 7,
    "disclosure:why": [OK] * 7,  # 为什么是我: the check runs in the company's browser
    # a company's proof names its class: for those who may see the draw, to hand it over
    "disclosure:company_proof": [LOGIN, OK, OK, MISSING, OK, MISSING, MISSING],
    "audit:head": [OK] * 7,  # the audit chain's head, published for anyone to keep
    "health": [OK] * 7,  # operations' health check: statuses and counts only
    "approvals:pending": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],  # each its own scope
    "approvals:approve": [LOGIN] + [WRITE_ONLY] * 6,  # forged posts: tests/approvals
    "approvals:emergency": [LOGIN] + [WRITE_ONLY] * 6,
    "approvals:assistant": [LOGIN] + [WRITE_ONLY] * 6,
    "approvals:document": [LOGIN, OK, OK, OK, OK, MISSING, MISSING],  # like the task sheet
    "metrics": [MISSING] * 7,  # off unless METRICS (tests/operations/test_metrics.py)
    "accounts:second_factor": [LOGIN, OK, OK, OK, OK, OK, OK],  # one's own authenticator
    "accounts:verify": [LOGIN] + [REDIRECT] * 6,  # nothing to verify without an authenticator
    "audit:heads": [OK] * 7,
    # the company's side: its pages need a company session, which no staff sign-in gives
    "companies:sign_in": [OK] * 7,
    "companies:sign_out": [WRITE_ONLY] * 7,
    "companies:home": [REDIRECT] * 7,
    "companies:visit": [REDIRECT] * 7,
    "companies:notice": [REDIRECT] * 7,
    "companies:book": [REDIRECT] * 7,
    "companies:rate": [REDIRECT] * 7,
    "companies:object": [REDIRECT] * 7,
    # an objection to a result another department leads: its lead, the coordinator, the auditor
    "companies:objection_file": [MISSING, OK, MISSING, MISSING, OK, MISSING, MISSING],
    "companies:offer": [LOGIN, FORBIDDEN, OK, OK, FORBIDDEN, MISSING, MISSING],  # team, depts
    "companies:objections": [LOGIN, OK, OK, FORBIDDEN, OK, OK, FORBIDDEN],
    "companies:answer": [LOGIN, OK, MISSING, MISSING, OK, MISSING, MISSING],
}

# fmt: off
WRITES: dict[str, list[int | str]] = {
    # action (403 refused, 404 not seen)    anon   coord dept  insp  audit other other-insp
    "plans:confirm (expired upload)":       [LOGIN, KEPT, 403, 403, 403, KEPT, 403],
    "plans:publish (a draft)":              [LOGIN, DONE, 403, 404, 403, 404, 404],
    "plans:delete (a draft)":               [LOGIN, DONE, 403, 404, 403, 404, 404],
    "plans:withdraw (published)":           [LOGIN, DONE, 403, 404, 403, 404, 404],
    "directory:import-confirm (not ready)": [LOGIN, KEPT, 403, 403, 403, 404, 403],
    "draws:step (redraw)":                  [LOGIN, DONE, 403, 404, 403, 404, 404],
    "draws:substitute (a partner's task)":  [LOGIN, DONE, 403, 404, 403, 404, 404],
    "draws:substitute (its own task)":      [LOGIN, DONE, DONE, 403, 403, 404, 404],  # leads
    "assignments:step (redo)":              [LOGIN, DONE, 403, 404, 403, 404, 404],
    "assignments:recuse (the inspector's)": [LOGIN, DONE, DONE, DONE, 403, 404, 404],
    "inspections:step (approve)":           [LOGIN, DONE, DONE, 404, 404, 404, 404],  # recorder
    "checks:cap (区教育局's)":               [LOGIN, DONE, DONE, 403, 403, KEPT, 403],
    "checks:record (区教育局's check)":      [LOGIN, DONE, DONE, 403, 403, KEPT, 403],
    "checks:undisturbed (list a company)":  [LOGIN, DONE, 403, 403, 403, KEPT, 403],
    "code (the company rates its visit)":   [DONE] * 7,  # the rating code is the key
    "logout":                               [LOGIN, DONE, DONE, DONE, DONE, DONE, DONE],
}
# fmt: on


@dataclass
class Scene:
    """The demo records the columns assume, chosen apart from the demo's teams (which can
    differ between databases) and with codes sorted in Python, not by a collation."""

    plan: Plan
    inspector: Inspector  # lucheng-inspector, of 区教育局
    task: PlanTask  # drawn, led by another department, 区教育局 among its partners
    draw: Draw
    assignment: Assignment
    visit: Visit  # the inspector's first visit
    member: TeamMember  # the inspector's place on it
    entity_import: EntityImport


def scene() -> Scene:
    heartbeat.beat("matrix-worker", timezone.now())  # a worker is running, as in production
    plan = Plan.objects.get(region__code="140406")
    inspector = demo_inspector_with_open_results().inspector
    task = (
        plan.tasks.exclude(lead_department=inspector.department)
        .filter(draws__isnull=False)
        .order_by("position")
        .first()
    )
    task.partner_departments.add(inspector.department)
    assignment = Assignment.objects.get(plan=plan)
    member = recusable_member(assignment, inspector)
    visit = member.visit
    return Scene(
        plan=plan,
        inspector=inspector,
        task=task,
        draw=Draw.objects.get(task=task),
        assignment=assignment,
        visit=visit,
        member=member,
        entity_import=EntityImport.objects.create(
            created_by=User.objects.get(username="lucheng-coordinator"),
            filename="名录.xlsx",
            path="-",
        ),
    )


def recusable_member(assignment: Assignment, inspector: Inspector) -> TeamMember:
    """The inspector's first place (by visit code) that the rule can fill again if it steps
    aside: whether a qualified replacement is free depends on the demo's data, which differs
    between databases, so ask the rule itself (it writes nothing)."""
    bundle = bundle_with_recusals(assignment)
    places = TeamMember.objects.filter(inspector=inspector).select_related("visit")
    for member in sorted(places, key=lambda m: m.visit.code):
        try:
            assign_rule.recuse(bundle, member.visit.code, inspector.certificate_no, "回避")
        except assign_rule.AssignError:
            continue
        return member
    raise LookupError(f"{inspector} 没有可替补的检查岗位")


def urls(at: Scene) -> dict[str, str]:
    plan, inspector, task, draw, visit = at.plan, at.inspector, at.task, at.draw, at.visit
    assignment, entity_import, member = at.assignment, at.entity_import, at.member
    other = min(
        Visit.objects.filter(assignment__plan=plan)
        .exclude(members__inspector=inspector)
        .exclude(departments__short_name="区教育局"),
        key=lambda v: v.code,
    )
    led = plan.tasks.filter(lead_department__short_name="区教育局").order_by("position").first()
    entity = Entity.objects.filter(region=plan.region).order_by("pk").first()
    stranger = (
        Inspector.objects.filter(department__region=plan.region)
        .exclude(department=inspector.department)
        .first()
    )
    job = draw_job(task)
    photo = Attachment.objects.create(
        inspection=inspections_of(visit)[0],  # opened as the page opens it, if the demo did not
        file=ContentFile(b"%PDF-1.4 matrix", name="scan.pdf"),
        name="现场照片.pdf",
        content_type="application/pdf",
        size=15,
    )
    return {
        "home": reverse("home"),
        "plans:list": reverse("plans:list"),
        "plans:upload": reverse("plans:upload"),
        "plans:detail": reverse("plans:detail", args=[plan.pk]),
        "plans:export": reverse("plans:export", args=[plan.pk, "csv"]),
        "plans:task": reverse("plans:task", args=[task.pk]),
        "plans:task_edit": reverse("plans:task_edit", args=[task.pk]),
        "plans:task_edit (lead department)": reverse("plans:task_edit", args=[led.pk]),
        "plans:task_population": reverse("plans:task_population", args=[task.pk]),
        "plans:population_count": reverse("plans:population_count", args=[task.pk]),
        "plans:task_history": reverse("plans:task_history", args=[task.pk]),
        "draws:task": reverse("draws:task", args=[task.pk]),
        "draws:detail": reverse("draws:detail", args=[draw.pk]),
        "draws:file": reverse("draws:file", args=[draw.pk, "bundle.json"]),
        "draws:roster": reverse("draws:roster", args=[draw.pk]),
        "draws:roster-xlsx": reverse("draws:roster-xlsx", args=[draw.pk]),
        "assignments:plan": reverse("assignments:plan", args=[plan.pk]),
        "assignments:detail": reverse("assignments:detail", args=[assignment.pk]),
        "assignments:file": reverse("assignments:file", args=[assignment.pk]),
        "assignments:visit": reverse("assignments:visit", args=[visit.pk]),
        "assignments:visit (not on the team)": reverse("assignments:visit", args=[other.pk]),
        "assignments:sheet": reverse("assignments:sheet", args=[visit.pk, "docx"]),
        "assignments:mine": reverse("assignments:mine"),
        "inspections:visit": reverse("inspections:visit", args=[visit.pk]),
        "inspections:visit (not on the team)": reverse("inspections:visit", args=[other.pk]),
        "inspections:notice": reverse("inspections:notice", args=[visit.pk, "docx"]),
        "inspections:review": reverse("inspections:review"),
        "publication": reverse("publication"),
        "directory:entities": reverse("directory:entities"),
        "directory:entity": reverse("directory:entity", args=[entity.pk]),
        "directory:entity-count": reverse("directory:entity-count"),
        "directory:entity-export": reverse("directory:entity-export") + "?risk=D",
        "directory:import-upload": reverse("directory:import-upload"),
        "directory:import-template": reverse("directory:import-template"),
        "directory:exchange": reverse("directory:exchange"),
        "directory:import": reverse("directory:import", args=[entity_import.pk]),
        "directory:inspectors": reverse("directory:inspectors"),
        "directory:inspector": reverse("directory:inspector", args=[inspector.pk]),
        "directory:inspector (another department)": reverse(
            "directory:inspector", args=[stranger.pk]
        ),
        "directory:import-confirm": reverse("directory:import-confirm", args=[entity_import.pk]),
        "plans:confirm": reverse("plans:confirm"),
        "plans:publish": reverse("plans:publish", args=[plan.pk]),
        "plans:withdraw": reverse("plans:withdraw", args=[plan.pk]),
        "plans:delete": reverse("plans:delete", args=[plan.pk]),
        "draws:step": reverse("draws:step", args=[draw.pk]),
        "draws:substitute": reverse("draws:substitute", args=[draw.pk]),
        "draws:job": reverse("draws:job", args=[job.pk]),
        "assignments:step": reverse("assignments:step", args=[assignment.pk]),
        "assignments:recuse": reverse("assignments:recuse", args=[member.pk]),
        "inspections:step": reverse("inspections:step", args=[photo.inspection_id]),
        "inspections:attachment": reverse("inspections:attachment", args=[photo.pk]),
        "audit": reverse("audit"),
        "login": reverse("login"),
        "logout": reverse("logout"),
        "analysis:latest": reverse("analysis:latest"),
        "analysis:plan": reverse("analysis:plan", args=[plan.pk]),
        "analysis:report": reverse("analysis:report", args=[plan.pk, "xlsx"]),
        "analysis:risk": reverse("analysis:risk", args=[plan.pk]),
        "checks:index": reverse("checks:index"),
        "checks:frequent": reverse("checks:frequent"),
        "checks:undisturbed": reverse("checks:undisturbed"),
        "checks:entity": reverse("checks:entity", args=[entity.uscc]),
        "checks:cap": reverse("checks:cap"),
        "checks:record": reverse("checks:record"),
        "checks:export": reverse("checks:export", args=["xlsx"]),
        "code": reverse("code", args=[code_for(visit, actor=SYSTEM).code]),
        "disclosure:index": reverse("disclosure:index"),
        "disclosure:results": reverse("disclosure:results"),
        "disclosure:draw": reverse("disclosure:draw", args=[draw.draw_id]),
        "draws:verifier": reverse("draws:verifier"),
        "assignments:verifier": reverse("assignments:verifier"),
        "disclosure:plan": reverse("disclosure:plan", args=[plan.pk]),
        "disclosure:items": reverse("disclosure:items"),
        "disclosure:draw_file": reverse("disclosure:draw_file", args=[draw.draw_id, "bundle.json"]),
        "disclosure:results_data": reverse("disclosure:results_data", args=["csv"]),
        "disclosure:publicity_data": reverse("disclosure:publicity_data", args=["csv"]),
        "disclosure:feed": reverse("disclosure:feed"),
        "disclosure:verifier": reverse("disclosure:verifier"),
        "disclosure:why": reverse("disclosure:why", args=[draw.draw_id]),
        "disclosure:company_proof": reverse(
            "disclosure:company_proof",
            args=[draw.draw_id, min(read_population_csv(draw.population_csv))],
        ),
        "audit:head": reverse("audit:head"),
        "audit:heads": reverse("audit:heads"),
        "health": reverse("health"),
        "approvals:pending": reverse("approvals:pending"),
        "approvals:approve": reverse("approvals:approve"),
        "approvals:emergency": reverse("approvals:emergency", args=[visit.pk]),
        "approvals:assistant": reverse("approvals:assistant", args=[visit.pk]),
        "approvals:document": reverse("approvals:document", args=[visit.pk, "approval", "docx"]),
        "metrics": reverse("metrics"),
        "accounts:second_factor": reverse("accounts:second_factor"),
        "accounts:verify": reverse("accounts:verify"),
        **company_urls(plan, visit),
    }


def company_urls(plan: Plan, visit: Visit) -> dict[str, str]:
    """The company's side: its pages (asked with no company session) and the platform's two,
    with an objection (and its file) to a published result another department than 区教育局
    leads."""
    published = Inspection.objects.filter(
        visit__assignment__plan=plan, state=InspectionState.PUBLISHED, objection__isnull=True
    ).select_related("task__lead_department")  # the demo's company has objected to two
    objected = next(
        i
        for i in published.order_by("pk")
        if i.task.lead_department.short_name != "区教育局"  # type: ignore[union-attr]
    )
    objection = Objection.objects.create(
        inspection=objected,
        reason="矩阵",
        file=ContentFile(b"%PDF-1.4 matrix", name="objection.pdf"),
        file_name="异议.pdf",
        file_type="application/pdf",
        file_size=15,
    )
    return {
        "companies:sign_in": reverse("companies:sign_in"),
        "companies:sign_out": reverse("companies:sign_out"),
        "companies:home": reverse("companies:home"),
        "companies:visit": reverse("companies:visit", args=[visit.pk]),
        "companies:notice": reverse("companies:notice", args=[visit.pk, "pdf"]),
        "companies:book": reverse("companies:book", args=[visit.pk]),
        "companies:rate": reverse("companies:rate", args=[visit.pk]),
        "companies:object": reverse("companies:object", args=[objected.pk]),
        "companies:objection_file": reverse("companies:objection_file", args=[objection.pk]),
        "companies:offer": reverse("companies:offer", args=[visit.pk]),
        "companies:objections": reverse("companies:objections"),
        "companies:answer": reverse("companies:answer", args=[objection.pk]),
    }


def signed_in_clients() -> list[Client]:
    clients = []
    for username in USERS:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        clients.append(client)
    return clients


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with module_demo(django_db_blocker, entities_per_district=300):
        yield


def test_every_page_answers_every_role_as_the_matrix_says(demo: None) -> None:
    pages = urls(scene())
    clients = signed_in_clients()

    actual = {page: [c.get(url).status_code for c in clients] for page, url in pages.items()}

    assert set(pages) == set(MATRIX)
    assert actual == MATRIX


Probe = Callable[[Client], Any]


def writes(at: Scene) -> dict[str, tuple[str, dict[str, str], Probe]]:
    """Each write: its URL, the form it posts, and what it changes (read before and after)."""
    # Draws with a reserve to substitute from: one of a task 区教育局 takes part in, one it leads.
    partnered = substitutable(at.plan, lead=False)
    partnered.task.partner_departments.add(at.inspector.department)
    led = substitutable(at.plan, lead=True)
    # A result the inspector recorded and submitted, of a task 区教育局 leads (not the draw's),
    # on a visit 区教育局 takes part in but the inspector is not on (so it does not find it):
    # the department reviews it, the recorder may not.
    department = education = at.inspector.department
    company = Entity.objects.filter(region=at.plan.region).order_by("uscc").first()
    assert company is not None
    carried_out = Visit.objects.filter(
        assignment__plan=at.plan, inspections__inspected_on__isnull=False, rating__isnull=True
    ).distinct()  # the demo's company has rated its visit
    done_code = code_for(min(carried_out, key=lambda v: v.code), actor=SYSTEM).code
    candidates = (
        Visit.objects.filter(assignment__plan=at.plan, departments=department)
        .exclude(members__inspector=at.inspector)
        .exclude(inspections__state=InspectionState.PUBLISHED)
        .distinct()
    )
    visits = sorted(candidates, key=lambda v: v.code)
    inspection = next(
        i
        for v in visits
        for i in inspections_of(v)
        if i.task_id != at.task.pk and i.state != InspectionState.PUBLISHED
    )
    inspection.task.lead_department = at.inspector.department
    inspection.task.save()
    Inspection.objects.filter(pk=inspection.pk).update(
        state=InspectionState.SUBMITTED, recorded_by=at.inspector.user
    )

    # A draft of next year's plan, imported and not yet checked: the coordinator's to publish
    # or throw away.
    draft = Plan.objects.create(
        title="潞城区下一年度计划（草稿）", year=2099, region=at.plan.region
    )

    def state(model: Any, pk: int, field: str = "state") -> Probe:
        return lambda client: getattr(model.objects.get(pk=pk), field)

    def count(model: Any) -> Probe:
        return lambda client: model.objects.count()

    return {
        "plans:confirm (expired upload)": (
            reverse("plans:confirm"),
            {"token": "expired", "region": "140406"},
            count(Plan),
        ),
        "plans:publish (a draft)": (
            reverse("plans:publish", args=[draft.pk]),
            {},
            state(Plan, draft.pk, "published_at"),
        ),
        "plans:delete (a draft)": (reverse("plans:delete", args=[draft.pk]), {}, count(Plan)),
        "plans:withdraw (published)": (
            reverse("plans:withdraw", args=[at.plan.pk]),
            {"reason": "计划表第12项的配合部门写错，重新导入"},
            state(Plan, at.plan.pk, "withdrawn_at"),
        ),
        "directory:import-confirm (not ready)": (
            reverse("directory:import-confirm", args=[at.entity_import.pk]),
            {},
            state(EntityImport, at.entity_import.pk, "status"),
        ),
        "draws:step (redraw)": (  # the confirmed second step; the first only shows a page
            reverse("draws:step", args=[at.draw.pk]),
            {"step": "redraw", "reason": "名录有误，重新抽取", "confirmed": next_draw_id(at.draw)},
            count(Draw),
        ),
        "draws:substitute (a partner's task)": (
            reverse("draws:substitute", args=[partnered.pk]),
            {"replaced": first_selected(partnered), "reason": "检查结果：已注销"},
            count(Substitution),
        ),
        "draws:substitute (its own task)": (
            reverse("draws:substitute", args=[led.pk]),
            {"replaced": first_selected(led), "reason": "检查结果：迁出"},
            count(Substitution),
        ),
        "assignments:step (redo)": (
            reverse("assignments:step", args=[at.assignment.pk]),
            {"step": "redo", "reason": "执法人员名录有误，重新分派"},
            count(Assignment),
        ),
        "assignments:recuse (the inspector's)": (
            reverse("assignments:recuse", args=[at.member.pk]),
            {"reason": "近亲属在该单位任职"},
            count(Recusal),
        ),
        "inspections:step (approve)": (
            reverse("inspections:step", args=[inspection.pk]),
            {"step": "approve"},
            state(Inspection, inspection.pk),
        ),
        "checks:cap (区教育局's)": (
            reverse("checks:cap"),
            {"department": str(education.pk), "year": "2023", "limit": "2", "source": "示例公告"},
            count(CheckCap),
        ),
        "checks:record (区教育局's check)": (
            reverse("checks:record"),
            {
                "uscc": company.uscc,
                "department": str(education.pk),
                "checked_on": "2023-05-06",
                "kind": "专项检查",
                "method": "现场检查",
                "items": "校外培训机构消防安全",
                "basis": "区教育局2023年专项行动方案",
            },
            count(OtherCheck),
        ),
        "checks:undisturbed (list a company)": (
            reverse("checks:undisturbed") + "?year=2023",
            {"codes": company.uscc, "source": "潞城区2023年度无事不扰企业名单"},
            count(UndisturbedListing),
        ),
        "code (the company rates its visit)": (
            reverse("code", args=[done_code]),
            {"rating_code": rating_code(done_code), "score": "4"},
            count(VisitRating),
        ),
        "logout": (reverse("logout"), {}, lambda client: client.session.get("_auth_user_id")),
    }


def substitutable(plan: Plan, *, lead: bool) -> Draw:
    """The plan's first draw (by task position) with a reserve, whose task 区教育局 leads or not."""
    draws = Draw.objects.filter(task__plan=plan).select_related("task").order_by("task__position")
    return next(
        d
        for d in draws
        if (d.task.lead_department.short_name == "区教育局") == lead  # type: ignore[union-attr]
        and any(s["reserve"] for s in d.bundle["rounds"][0]["strata"].values())  # type: ignore[index]
    )


def first_selected(draw: Draw) -> str:
    """The first entity drawn in the draw's first round in a class that has a reserve to take
    its place (classes in V9's order)."""
    strata = draw.bundle["rounds"][0]["strata"]  # type: ignore[index]
    return next(data["selected"][0] for data in strata.values() if data["reserve"])


def next_draw_id(draw: Draw) -> str:
    """The id a redraw of `draw` gets: its own with the number after it (a confirmed redraw
    names the draw it makes, `draws.views.draw_step`)."""
    return f"{draw.draw_id.rsplit('-', 1)[0]}-{draw.number + 1}"


def outcome(response: Any, changed: bool) -> int | str:
    if changed:
        return DONE
    if response.status_code == REDIRECT:
        return LOGIN if response.url.startswith(reverse("login")) else KEPT
    return int(response.status_code)


def rolled_back(client: Client, url: str, form: dict[str, str], probe: Probe) -> int | str:
    """One POST in a savepoint undone afterwards, so the next role meets the same records."""
    with transaction.atomic():
        before = probe(client)
        response = client.post(url, form)
        changed = probe(client) != before
        transaction.set_rollback(True)
    return outcome(response, changed)


def test_every_write_is_made_by_those_the_matrix_says_and_refused_to_the_rest(demo: None) -> None:
    actions = writes(scene())
    clients = signed_in_clients()

    actual = {
        name: [rolled_back(c, url, form, probe) for c in clients]
        for name, (url, form, probe) in actions.items()
    }

    assert set(actions) == set(WRITES)
    assert actual == WRITES


def url_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):  # their own permission tests
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_no_url_is_left_out_of_the_matrix() -> None:
    in_matrix = {row.split(" (")[0] for row in MATRIX}
    assert set(url_names(get_resolver().url_patterns)) == in_matrix
    assert {row.split(" (")[0] for row in WRITES} <= in_matrix
