"""The visits counted for a plan's progress are read from that plan's assignments only: said
in SQL, not left to the join, so PostgreSQL starts from the plan instead of walking every
visit of the province (benchmarks/scale.py: 1.5 s → 4 ms for a county's plan among 200,000
visits)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangsuiji.assignments.models import Visit
from shuangsuiji.dashboard.progress import plan_progress
from shuangsuiji.plans.models import Plan
from tests.assignments.conftest import demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_visit_count_names_the_plan_of_the_assignment(demo: object) -> None:  # noqa: F811
    plan = Plan.objects.get(region__code="140406")

    with CaptureQueriesContext(connection) as queries:
        progress = plan_progress(plan)

    (counting,) = [q["sql"] for q in queries if 'FROM "assignments_visit_tasks"' in q["sql"]]
    assert re.search(rf'"assignments_assignment"\."plan_id" = {plan.pk}\b', counting)
    links = Visit.tasks.through.objects.filter(plantask__plan=plan).count()
    assert sum(p.visits for p in progress) == links  # the demo has one assignment
