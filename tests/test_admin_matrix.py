"""The back office, every model × every role: what the list, add, change and delete pages
answer, as a table (demo data), beside `tests/test_permission_matrix.py` for the pages.

The record each row opens is one of 潞城区 (the department admin's own where the model is a
department's), so the 潞城区 users meet it in their scope and the 城区 users must not find it:
404 for a record outside the scope (its existence is not revealed), 403 for a kind of record
the role may not open or change. A GET of the delete page only asks for confirmation; the
deletions themselves, and forged POSTs, are `tests/accounts/test_admin_attacks.py`.
"""

from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from shuangsuiji.accounts.models import User
from shuangsuiji.api.models import ApiToken
from shuangsuiji.assignments.services import record_recusal
from shuangsuiji.demo.build import build_demo
from shuangsuiji.directory.models import Region
from shuangsuiji.directory.tasks import rebuild_tally_task
from shuangsuiji.disclosure.models import WorkdayOverride
from tests.factories import draw_job, recusable_members
from tests.test_permission_matrix import USERS

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404
LOGIN = REDIRECT
PAGES = ("changelist", "add", "change", "delete")
LUCHENG = "140406"


def _record(model: type[Model], department_id: int) -> Model:
    """A 潞城区 record of `model`; a department's own when the model has an owner."""
    rows: Any = model._default_manager.order_by("pk")
    region: str | None = getattr(model, "REGION_LOOKUP", None)
    owner: str | None = getattr(model, "DEPARTMENT_LOOKUP", None)
    if region is not None:
        rows = rows.filter(**{f"{region}__code": LUCHENG})
    if owner is not None and rows.filter(**{owner: department_id}).exists():
        rows = rows.filter(**{owner: department_id})
    if model is Region:
        rows = rows.filter(code=LUCHENG)
    record = rows.first()
    assert record is not None, f"no 潞城区 {model._meta.label} in the demo"
    return record  # type: ignore[no-any-return]


def scene() -> dict[str, Model]:
    """One record per registered model; those the demo does not make are made here."""
    coordinator = User.objects.get(username="lucheng-coordinator")
    department_id = User.objects.get(username="lucheng-dept-admin").department_id
    AccessAttempt.objects.create(
        username="lucheng-inspector", ip_address="10.0.0.8", failures_since_start=5
    )
    AccessLog.objects.create(username="lucheng-inspector", ip_address="10.0.0.8")
    AccessFailureLog.objects.create(username="lucheng-inspector", ip_address="10.0.0.8")
    ApiToken.objects.create(user=coordinator, name="市级平台", digest="0" * 64)
    WorkdayOverride.objects.create(day="2027-10-09", is_working_day=True, note="调休上班")
    task = User.objects.get(username="lucheng-dept-admin").department.led_tasks.first()
    draw_job(task, created_by=coordinator)
    inspector = User.objects.get(username="lucheng-inspector")
    member = recusable_members(inspector)[0]
    record_recusal(member, reason="近亲属在该单位任职", actor=inspector)
    if not DBTaskResult.objects.exists():
        rebuild_tally_task.enqueue()
    return {model._meta.label: _record(model, department_id) for model in admin.site._registry}


def url(model_label: str, page: str, record: Model) -> str:
    app_label, model = model_label.lower().split(".")
    args = [record.pk] if page in ("change", "delete") else []
    return reverse(f"admin:{app_label}_{model}_{page}", args=args)


# Each model: its four pages, each for the roles in `USERS` order:
#              anon   coord  dept   insp   audit  other  other-insp
ADMIN_MATRIX: dict[str, list[int]] = {
    "auth.Group changelist": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "auth.Group add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "auth.Group change": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "auth.Group delete": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "django_tasks_database.DBTaskResult changelist": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "django_tasks_database.DBTaskResult add": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "django_tasks_database.DBTaskResult change": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "django_tasks_database.DBTaskResult delete": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "axes.AccessLog changelist": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "axes.AccessLog add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "axes.AccessLog change": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "axes.AccessLog delete": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "axes.AccessFailureLog changelist": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "axes.AccessFailureLog add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "axes.AccessFailureLog change": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "axes.AccessFailureLog delete": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "accounts.User changelist": [LOGIN, OK, FORBIDDEN, LOGIN, OK, OK, LOGIN],
    "accounts.User add": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, OK, LOGIN],
    "accounts.User change": [LOGIN, OK, FORBIDDEN, LOGIN, OK, MISSING, LOGIN],
    "accounts.User delete": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "axes.AccessAttempt changelist": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, OK, LOGIN],
    "axes.AccessAttempt add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "axes.AccessAttempt change": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "axes.AccessAttempt delete": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "directory.Region changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.Region add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "directory.Region change": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.Region delete": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "directory.Department changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.Department add": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, OK, LOGIN],
    "directory.Department change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "directory.Department delete": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "directory.ScopeCategory changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.ScopeCategory add": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "directory.ScopeCategory change": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.ScopeCategory delete": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "directory.Entity changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.Entity add": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, OK, LOGIN],
    "directory.Entity change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "directory.Entity delete": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "directory.Qualification changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.Qualification add": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "directory.Qualification change": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.Qualification delete": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "directory.Inspector changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.Inspector add": [LOGIN, OK, OK, LOGIN, FORBIDDEN, OK, LOGIN],
    "directory.Inspector change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "directory.Inspector delete": [LOGIN, OK, OK, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "directory.Conflict changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.Conflict add": [LOGIN, OK, OK, LOGIN, FORBIDDEN, OK, LOGIN],
    "directory.Conflict change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "directory.Conflict delete": [LOGIN, OK, OK, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "directory.CheckItem changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "directory.CheckItem add": [LOGIN, OK, OK, LOGIN, FORBIDDEN, OK, LOGIN],
    "directory.CheckItem change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "directory.CheckItem delete": [LOGIN, OK, OK, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "plans.Plan changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "plans.Plan add": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, OK, LOGIN],
    "plans.Plan change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    # a published plan is withdrawn with a reason, never deleted (plans.publication)
    "plans.Plan delete": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "plans.PlanTask changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "plans.PlanTask add": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, OK, LOGIN],
    "plans.PlanTask change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "plans.PlanTask delete": [LOGIN, OK, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "draws.Draw changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "draws.Draw add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "draws.Draw change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "draws.Draw delete": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "operations.Job changelist": [LOGIN, OK, FORBIDDEN, LOGIN, OK, OK, LOGIN],
    "operations.Job add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "operations.Job change": [LOGIN, OK, FORBIDDEN, LOGIN, OK, MISSING, LOGIN],
    "operations.Job delete": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "assignments.Assignment changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "assignments.Assignment add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "assignments.Assignment change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "assignments.Assignment delete": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        MISSING,
        LOGIN,
    ],
    "assignments.Recusal changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "assignments.Recusal add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "assignments.Recusal change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "assignments.Recusal delete": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, MISSING, LOGIN],
    "inspections.ResultCategory changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "inspections.ResultCategory add": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "inspections.ResultCategory change": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "inspections.ResultCategory delete": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "inspections.Inspection changelist": [LOGIN, OK, OK, LOGIN, OK, OK, LOGIN],
    "inspections.Inspection add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "inspections.Inspection change": [LOGIN, OK, OK, LOGIN, OK, MISSING, LOGIN],
    "inspections.Inspection delete": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        MISSING,
        LOGIN,
    ],
    "disclosure.WorkdayOverride changelist": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "disclosure.WorkdayOverride add": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "disclosure.WorkdayOverride change": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "disclosure.WorkdayOverride delete": [
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        LOGIN,
    ],
    "api.ApiToken changelist": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "api.ApiToken add": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "api.ApiToken change": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
    "api.ApiToken delete": [LOGIN, FORBIDDEN, FORBIDDEN, LOGIN, FORBIDDEN, FORBIDDEN, LOGIN],
}


def test_every_admin_page_answers_every_role_as_the_matrix_says() -> None:
    build_demo(entities_per_district=300)
    records = scene()
    clients = []
    for username in USERS:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        clients.append(client)

    actual = {
        f"{label} {page}": [c.get(url(label, page, record)).status_code for c in clients]
        for label, record in records.items()
        for page in PAGES
    }

    assert actual == ADMIN_MATRIX


def test_every_registered_model_has_rows() -> None:
    models = {model._meta.label for model in admin.site._registry}
    assert {row.split(" ")[0] for row in ADMIN_MATRIX} == models
    assert Group  # the role groups are registered by Django itself
