"""Every page × every role: the status each gets, as one table (GET requests, demo data).

Columns: anonymous, 潞城区 coordinator, 潞城区 department admin (区教育局, a partner on the
visit's tasks), 潞城区 inspector (on the visit's team), 潞城区 auditor, and the coordinator and
inspector of another district (晋城市城区), who must see nothing of 潞城区.
"""

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Assignment, Visit
from shuangsuiji.demo.build import build_demo
from shuangsuiji.directory.models import Entity, EntityImport, Inspector
from shuangsuiji.draws.models import Draw
from shuangsuiji.plans.models import Plan

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
OK, REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404
LOGIN = REDIRECT  # anonymous users are sent to the login page
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
    "directory:import": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "directory:inspectors": [LOGIN, OK, OK, OK, OK, OK, OK],  # scoped rows, oneself at least
    "directory:inspector": [LOGIN, OK, OK, OK, OK, MISSING, MISSING],  # the inspector's own
    "directory:inspector (another department)": [LOGIN, OK, MISSING, MISSING, OK, MISSING, MISSING],
    "analysis:latest": [LOGIN, REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT, FORBIDDEN],
    "analysis:plan": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "analysis:report": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "analysis:risk": [LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "disclosure:index": [OK] * 7,
    "disclosure:results": [OK] * 7,
    "disclosure:draw": [OK] * 7,
    "draws:verifier": [OK] * 7,
}


def urls() -> dict[str, str]:
    plan = Plan.objects.get(region__code="140406")
    inspector = User.objects.get(username="lucheng-inspector").inspector
    # Codes sorted in Python, not by the database's collation. The task is chosen apart from
    # the visit (the demo's teams can differ between databases): one another department leads,
    # with 区教育局 among its partners, as the columns assume.
    visit = min(Visit.objects.filter(members__inspector=inspector), key=lambda v: v.code)
    education = inspector.department
    task = (
        plan.tasks.exclude(lead_department=education)
        .filter(draws__isnull=False)
        .order_by("position")
        .first()
    )
    task.partner_departments.add(education)
    other = min(
        Visit.objects.filter(assignment__plan=plan)
        .exclude(members__inspector=inspector)
        .exclude(departments__short_name="区教育局"),
        key=lambda v: v.code,
    )
    led = plan.tasks.filter(lead_department__short_name="区教育局").order_by("position").first()
    draw = Draw.objects.get(task=task)
    assignment = Assignment.objects.get(plan=plan)
    entity = Entity.objects.filter(region=plan.region).order_by("pk").first()
    entity_import = EntityImport.objects.create(
        created_by=User.objects.get(username="lucheng-coordinator"), filename="名录.xlsx", path="-"
    )
    stranger = (
        Inspector.objects.filter(department__region=plan.region)
        .exclude(department=inspector.department)
        .first()
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
        "directory:import": reverse("directory:import", args=[entity_import.pk]),
        "directory:inspectors": reverse("directory:inspectors"),
        "directory:inspector": reverse("directory:inspector", args=[inspector.pk]),
        "directory:inspector (another department)": reverse(
            "directory:inspector", args=[stranger.pk]
        ),
        "analysis:latest": reverse("analysis:latest"),
        "analysis:plan": reverse("analysis:plan", args=[plan.pk]),
        "analysis:report": reverse("analysis:report", args=[plan.pk, "xlsx"]),
        "analysis:risk": reverse("analysis:risk", args=[plan.pk]),
        "disclosure:index": reverse("disclosure:index"),
        "disclosure:results": reverse("disclosure:results"),
        "disclosure:draw": reverse("disclosure:draw", args=[draw.draw_id]),
        "draws:verifier": reverse("draws:verifier"),
    }


def test_every_page_answers_every_role_as_the_matrix_says() -> None:
    build_demo(entities_per_district=300)
    pages = urls()
    clients = []
    for username in USERS:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        clients.append(client)

    actual = {page: [c.get(url).status_code for c in clients] for page, url in pages.items()}

    assert set(pages) == set(MATRIX)
    assert actual == MATRIX
