"""The OpenAPI document against the running app: schemathesis generates requests for every
operation — valid ones and ones that break the schema, with the tokens of every demo role and
with real record ids as well as random ones — and no answer is a server error. Plus the docs
page loads nothing from outside the installation."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from shuangsuiji.assignments.models import Visit
from shuangsuiji.draws.models import Draw
from shuangsuiji.inspections.models import Inspection
from shuangsuiji.plans.models import Plan, PlanTask
from tests.api.conftest import DEMO_USERS

pytestmark = pytest.mark.django_db
EXAMPLES = 20  # per operation and mode: about 600 requests, some seconds


def real_ids() -> dict[str, int]:
    """A record of each kind the 潞城区 users reach, by the path that names it."""
    plan = Plan.objects.get(region__code="140406")
    visit = Visit.objects.filter(assignment__plan=plan).order_by("code").first()
    return {
        "/api/v1/plans/": plan.pk,
        "/api/v1/tasks/": PlanTask.objects.filter(plan=plan).order_by("position").first().pk,
        "/api/v1/draws/": Draw.objects.filter(task__plan=plan).order_by("pk").first().pk,
        "/api/v1/visits/": visit.pk,
        "/api/v1/inspections/": Inspection.objects.filter(visit__assignment__plan=plan)
        .order_by("pk")
        .first()
        .pk,
    }


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Requests through the plain WSGI handler would close the database connection at their
    end, and with it the test's transaction (on PostgreSQL); Django's test client keeps it open
    the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_no_generated_request_gets_a_server_error(
    demo: dict[str, str], settings: Any, connection_kept: None
) -> None:
    settings.API_RATE_LIMIT = settings.API_ANON_RATE_LIMIT = 0
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    ids = real_ids()
    tokens = st.sampled_from([None, *(demo[username] for username in DEMO_USERS)])
    operations = [result.ok() for result in schema.get_all_operations()]
    tried: dict[str, set[int]] = {}

    for operation in operations:
        known = next((pk for prefix, pk in ids.items() if operation.path.startswith(prefix)), None)
        strategies = [operation.as_strategy(mode) for mode in GenerationMode]
        if known is not None:
            strategies.append(operation.as_strategy(path_parameters={"pk": known}))

        @hypothesis_settings(
            max_examples=EXAMPLES * len(strategies),
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(strategies), token=tokens)
        def call(case: Any, token: str | None) -> None:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = case.call(headers=headers)
            tried.setdefault(case.operation.label, set()).add(response.status_code)
            case.validate_response(response, checks=[not_a_server_error], headers=headers)

        call()

    assert set(tried) == {operation.label for operation in operations}
    assert all(code < 500 for codes in tried.values() for code in codes)
    assert {200, 201} & set().union(*tried.values())


def test_docs_page_loads_only_the_installations_own_files(demo: dict[str, str]) -> None:
    page = Client().get("/api/v1/docs").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', page)

    assert sources
    assert [s for s in sources if not s.startswith("/static/")] == []
