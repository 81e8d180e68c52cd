"""Every API endpoint × every role: the status each gets, mirroring the pages' matrix
(tests/test_permission_matrix.py), on the demo data; and writes go through the services.

Columns as there: anonymous, 潞城区 coordinator, department admin (区教育局, a partner on the
visit's tasks), inspector (on the visit's team), auditor, and the coordinator and inspector of
another district (晋城市城区). Where a page sends an anonymous visitor to the login page, the
API answers 401; where it hides a record (404), so does the API.
"""

import json
import re
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shuangsuiji.accounts.models import User
from shuangsuiji.api.draws import visible_draws
from shuangsuiji.assignments.models import Visit
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.directory.models import Entity, EntityImport
from shuangsuiji.draws.models import Draw
from shuangsuiji.inspections.models import Inspection, InspectionState
from shuangsuiji.inspections.services import EDITABLE, inspections_of
from shuangsuiji.plans.models import Plan
from tests.api.conftest import DEMO_USERS, bearer

pytestmark = pytest.mark.django_db

USERS = [None, *DEMO_USERS]
OK, CREATED, ACCEPTED, INVALID, UNAUTHORIZED, FORBIDDEN, MISSING = 200, 201, 202, 400, 401, 403, 404
ANON = UNAUTHORIZED
MATRIX: dict[str, list[int]] = {
    # endpoint: [anon, coord, dept, insp, audit, other, other-insp]
    "me": [ANON, OK, OK, OK, OK, OK, OK],
    "plans": [ANON, OK, OK, OK, OK, OK, OK],  # each sees its own scope's rows
    "plan": [ANON, OK, OK, MISSING, OK, MISSING, MISSING],
    "plan tasks": [ANON, OK, OK, MISSING, OK, MISSING, MISSING],
    "task": [ANON, OK, OK, MISSING, OK, MISSING, MISSING],  # like the plan's table
    "draws": [ANON, OK, OK, OK, OK, OK, OK],
    "draw": [ANON, OK, OK, MISSING, OK, MISSING, MISSING],  # a partner takes part
    "draw bundle": [ANON, OK, OK, MISSING, OK, MISSING, MISSING],
    "draw population": [ANON, OK, OK, MISSING, OK, MISSING, MISSING],
    "visits": [ANON, OK, OK, OK, OK, OK, OK],  # an inspector's own only
    "visit": [ANON, OK, OK, OK, OK, MISSING, MISSING],
    "visit (not on the team)": [ANON, OK, MISSING, MISSING, OK, MISSING, MISSING],
    # the visit page's result form: the team and the coordinator record; the auditor reads only
    "record result": [ANON, OK, FORBIDDEN, OK, MISSING, MISSING, MISSING],
    "record result (not on the team)": [ANON, OK, MISSING, MISSING, MISSING, MISSING, MISSING],
    # the import page: coordinators; the header-only file is refused with its problems (400)
    "import entities": [ANON, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN],
    # the same, in the background: queued (its check then finds the problems)
    "start entity import": [ANON, ACCEPTED, FORBIDDEN, FORBIDDEN, FORBIDDEN, ACCEPTED, FORBIDDEN],
    # like the import page: a 潞城区 coordinator's upload
    "entity import": [ANON, OK, FORBIDDEN, FORBIDDEN, OK, MISSING, FORBIDDEN],
    "results": [OK] * 7,  # open data
    "registration preview": [ANON, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN],
    "registration apply": [ANON, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN],
    "risk classes preview": [ANON, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN],
    "risk classes apply": [ANON, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN],
    "publicity csv": [OK] * 7,  # open data
    "publicity xlsx": [OK] * 7,
}


def team_visit(inspector_user: User) -> Visit:
    """The 潞城区 inspector's first visit with a result not yet published (as in the pages'
    matrix; `demo_inspector_with_open_results` gave it one)."""
    inspector = inspector_user.inspector
    visits = Visit.objects.filter(members__inspector=inspector).order_by("code")
    return next(
        v for v in visits if any(i.state != InspectionState.PUBLISHED for i in inspections_of(v))
    )


def editable(visit: Visit) -> Inspection:
    """A result of the visit the team may (re)record: the first 待录入 or 已退回 one, else the
    first not yet published, returned for correction here (a published one never changes)."""
    results = inspections_of(visit)
    found = next((i for i in results if i.state in EDITABLE), None)
    if found is None:
        found = next(i for i in results if i.state != InspectionState.PUBLISHED)
        Inspection.objects.filter(pk=found.pk).update(
            state=InspectionState.RETURNED, return_reason="请补充检查情况"
        )
    return found


def result_body(visit: Visit, **extra: Any) -> dict[str, Any]:
    year, month = map(int, visit.window_start.split("-"))
    return {"results": ["01"], "inspected_on": date(year, month, 15).isoformat(), **extra}


def requests() -> dict[str, tuple[str, str, Any]]:
    """endpoint → (method, url, body)"""
    plan = Plan.objects.get(region__code="140406")
    inspector_user = User.objects.get(username="lucheng-inspector")
    visit = team_visit(inspector_user)
    other = (
        Visit.objects.filter(assignment__plan=plan)
        .exclude(members__inspector=inspector_user.inspector)
        .exclude(departments__short_name="区教育局")
        .exclude(inspections__state=InspectionState.PUBLISHED)
        .order_by("code")
        .first()
    )
    # a task its department partners but does not lead: the department admin takes part in
    # its draw, the inspector (who reads what its department leads) does not see it
    department = inspector_user.inspector.department
    partnered = plan.tasks.filter(partner_departments=department).exclude(
        lead_department=department
    )
    task = partnered.order_by("position").first()
    draw = Draw.objects.get(task=task)
    entity_import = EntityImport.objects.create(
        created_by=User.objects.get(username="lucheng-coordinator"), filename="名录.xlsx", path="-"
    )
    return {
        "me": ("get", "/api/v1/me", None),
        "plans": ("get", "/api/v1/plans", None),
        "plan": ("get", f"/api/v1/plans/{plan.pk}", None),
        "plan tasks": ("get", f"/api/v1/plans/{plan.pk}/tasks", None),
        "task": ("get", f"/api/v1/tasks/{task.pk}", None),
        "draws": ("get", "/api/v1/draws", None),
        "draw": ("get", f"/api/v1/draws/{draw.pk}", None),
        "draw bundle": ("get", f"/api/v1/draws/{draw.pk}/bundle.json", None),
        "draw population": ("get", f"/api/v1/draws/{draw.pk}/population.csv", None),
        "visits": ("get", "/api/v1/visits", None),
        "visit": ("get", f"/api/v1/visits/{visit.pk}", None),
        "visit (not on the team)": ("get", f"/api/v1/visits/{other.pk}", None),
        "record result": (
            "post",
            f"/api/v1/inspections/{editable(visit).pk}/result",
            result_body(visit),
        ),
        "record result (not on the team)": (
            "post",
            f"/api/v1/inspections/{editable(other).pk}/result",
            result_body(other),
        ),
        "import entities": ("upload", "/api/v1/entities/import", "统一社会信用代码\n"),
        "start entity import": ("upload", "/api/v1/entities/imports", "统一社会信用代码\n"),
        "entity import": ("get", f"/api/v1/entities/imports/{entity_import.pk}", None),
        "results": ("get", "/api/v1/results", None),
        "registration preview": (
            "upload",
            "/api/v1/entities/registration/preview",
            "统一社会信用代码\n",
        ),
        "registration apply": (
            "upload",
            "/api/v1/entities/registration/apply",
            "统一社会信用代码\n",
        ),
        "risk classes preview": (
            "upload",
            "/api/v1/entities/risk-classes/preview",
            "统一社会信用代码\n",
        ),
        "risk classes apply": (
            "upload",
            "/api/v1/entities/risk-classes/apply",
            "统一社会信用代码\n",
        ),
        "publicity csv": ("get", "/api/v1/results/publicity.csv", None),
        "publicity xlsx": ("get", "/api/v1/results/publicity.xlsx", None),
    }


def call(token: str | None, method: str, url: str, body: Any) -> Any:
    client = Client()
    if method == "post":
        return client.post(url, body, content_type="application/json", **bearer(token))
    if method == "upload":
        upload = SimpleUploadedFile("名录.csv", body.encode(), content_type="text/csv")
        return client.post(url, {"file": upload}, **bearer(token))
    return client.get(url, **bearer(token))


def test_every_endpoint_answers_every_role_as_the_matrix_says(demo: dict[str, str]) -> None:
    tokens = [None, *(demo[username] for username in DEMO_USERS)]
    endpoints = requests()

    actual = {
        name: [call(token, *request).status_code for token in tokens]
        for name, request in endpoints.items()
    }

    assert set(endpoints) == set(MATRIX)
    assert actual == MATRIX


def test_openapi_document_lists_every_endpoint_of_the_matrix(demo: dict[str, str]) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    operations = {(method, path) for path, methods in paths.items() for method in methods}
    called = [("post" if m == "upload" else m, url) for m, url, _ in requests().values()]

    covered = {
        (method, path)
        for method, path in operations
        for called_method, url in called
        if called_method == method and re.fullmatch(re.sub(r"\{pk\}", r"\\d+", path), url)
    }

    assert covered == operations


def test_draw_list_holds_exactly_the_draws_whose_page_opens(demo: dict[str, str]) -> None:
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        listed = set(visible_draws(user).values_list("pk", flat=True))
        openable = {
            pk
            for pk in Draw.objects.values_list("pk", flat=True)
            if Client().get(f"/api/v1/draws/{pk}", **bearer(demo[username])).status_code == OK
        }

        assert (username, listed) == (username, openable)


def test_inspector_lists_only_its_own_visits(demo: dict[str, str]) -> None:
    inspector = User.objects.get(username="lucheng-inspector").inspector
    own = set(Visit.objects.filter(members__inspector=inspector).values_list("pk", flat=True))

    page = Client().get("/api/v1/visits?limit=200", **bearer(demo["lucheng-inspector"])).json()

    assert (page["count"], {v["id"] for v in page["items"]}) == (len(own), own)


def test_result_written_through_api_waits_for_review_like_one_from_the_page(
    demo: dict[str, str],
) -> None:
    inspector_user = User.objects.get(username="lucheng-inspector")
    visit = team_visit(inspector_user)
    inspection = editable(visit)
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="lucheng-coordinator"))

    response = Client().post(
        f"/api/v1/inspections/{inspection.pk}/result",
        result_body(visit, measures="", notes="现场检查正常", submit=True),
        content_type="application/json",
        **bearer(demo["lucheng-inspector"]),
    )
    queue = coordinator.get("/inspections/review/").context["waiting"]

    inspection.refresh_from_db()
    entry = AuditEntry.objects.filter(model="inspections.inspection", object_id=str(inspection.pk))
    assert response.status_code == OK
    assert response.json()["state"] == "submitted"
    assert (inspection.state, inspection.recorded_by, inspection.notes) == (
        InspectionState.SUBMITTED,
        inspector_user,
        "现场检查正常",
    )
    assert inspection in queue
    assert entry.latest("sequence").user == inspector_user


def test_result_refused_by_the_service_names_the_reason_and_changes_nothing(
    demo: dict[str, str],
) -> None:
    visit = team_visit(User.objects.get(username="lucheng-inspector"))
    inspection = editable(visit)

    response = Client().post(
        f"/api/v1/inspections/{inspection.pk}/result",
        {"results": ["01"], "inspected_on": "2999-01-01", "submit": True},
        content_type="application/json",
        **bearer(demo["lucheng-inspector"]),
    )

    inspection.refresh_from_db()
    assert (response.status_code, response.json()) == (400, {"detail": "检查日期不能晚于今天"})
    assert (inspection.state, inspection.inspected_on.year) == (InspectionState.RETURNED, 2023)


def test_unknown_result_code_is_refused(demo: dict[str, str]) -> None:
    visit = team_visit(User.objects.get(username="lucheng-inspector"))

    response = Client().post(
        f"/api/v1/inspections/{editable(visit).pk}/result",
        result_body(visit, results=["01", "99"]),
        content_type="application/json",
        **bearer(demo["lucheng-inspector"]),
    )

    assert (response.status_code, response.json()) == (400, {"detail": "未知的检查结果类别：99"})


def test_published_results_are_the_public_pages_rows(demo: dict[str, str]) -> None:
    download = Client().get("/public/results.json")
    public = json.loads(b"".join(download.streaming_content))["results"]

    page = Client().get("/api/v1/results", {"limit": 200}).json()

    assert (page["count"], page["capped"], page["items"]) == (len(public), False, public)


def test_entity_import_adds_nothing_when_refused(demo: dict[str, str]) -> None:
    before = Entity.objects.count()

    call(demo["lucheng-coordinator"], "upload", "/api/v1/entities/import", "统一社会信用代码\n")

    assert Entity.objects.count() == before


@pytest.mark.parametrize("endpoint", ["plan tasks", "draws", "visits"])
def test_list_query_count_does_not_grow_with_the_page(
    demo: dict[str, str], settings: Any, endpoint: str
) -> None:
    settings.API_RATE_LIMIT = 0
    token = demo["lucheng-coordinator"]
    _, url, _ = requests()[endpoint]
    call(token, "get", url, None)  # the token's last use is recorded once a minute

    counts = []
    for limit in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url, {"limit": limit}, **bearer(token))
        counts.append((len(response.json()["items"]), len(queries)))

    assert [items for items, _ in counts] == [1, 3]
    assert counts[0][1] == counts[1][1]


def test_published_results_query_count_does_not_grow_with_the_page(
    demo: dict[str, str], settings: Any
) -> None:
    settings.API_ANON_RATE_LIMIT = 0
    counts = []
    for limit in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            Client().get("/api/v1/results", {"limit": limit})
        counts.append(len(queries))

    assert counts[0] == counts[1]
