"""The year's progress per task, from the demo data, against counts made by hand."""

import pytest
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import TeamMember, Visit
from shuangsuiji.dashboard.progress import (
    DONE,
    DRAWN,
    INSPECTING,
    NOT_DRAWN,
    PUBLISHED,
    plan_progress,
)
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.inspections.models import Inspection
from shuangsuiji.plans.models import Plan
from tests.assignments.conftest import client_for, demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_each_tasks_stage_and_counts_follow_its_visits_and_results(
    demo: DemoSummary,  # noqa: F811
) -> None:
    plan = Plan.objects.get(region__code="140406")

    progress = {p.task.pk: p for p in plan_progress(plan)}

    for task in plan.tasks.all():
        row = progress[task.pk]
        visits = Visit.objects.filter(tasks=task).count()
        approved = Inspection.objects.filter(task=task, state__in=["approved", "published"])
        approved = approved.count()
        published = Inspection.objects.filter(task=task, state="published").count()
        recorded = Inspection.objects.filter(task=task).exclude(state="pending").exists()
        assert (row.visits, row.approved) == (visits, approved)
        if not task.draws.filter(state="drawn").exists():
            assert row.stage == NOT_DRAWN
        elif not recorded:
            assert row.stage == DRAWN
        else:
            done = PUBLISHED if published == visits else DONE
            assert row.stage == (done if approved == visits else INSPECTING)
    assert {p.stage for p in progress.values()} >= {DRAWN, INSPECTING}


def test_the_coordinators_home_shows_both_stages_and_the_review_count(
    demo: DemoSummary,  # noqa: F811
) -> None:
    page = client_for("lucheng-coordinator").get(reverse("home"))

    titles = [entry["plan"].title for entry in page.context["plans"]]
    assert titles == [Plan.objects.get(region__code="140406").title]
    submitted = Inspection.objects.filter(
        state="submitted", visit__assignment__plan__region__code="140406"
    ).count()
    assert page.context["to_review"] == submitted


def test_an_inspectors_home_lists_their_unrecorded_visits(demo: DemoSummary) -> None:  # noqa: F811
    page = client_for("lucheng-inspector").get(reverse("home"))

    visits = [visit for visit, _ in page.context["my_visits"]]
    assert visits
    assert all(v.members.filter(inspector__user__username="lucheng-inspector") for v in visits)
    assert {status for _, status in page.context["my_visits"]} == {"已过检查期"}  # 2023 is over


def test_where_today_falls_in_a_visits_window() -> None:
    from shuangsuiji.assignments.models import Visit
    from shuangsuiji.dashboard.views import _window_status

    def status(start: str, end: str) -> str:
        return _window_status(Visit(window_start=start, window_end=end), "2026-11")

    assert status("2026-03", "2026-10") == "已过检查期"
    assert status("2026-09", "2026-12") == "本月可检查"
    assert status("2027-01", "2027-06") == "2027-01 起可检查"


def test_a_department_admin_sees_its_inspectors_load(demo: DemoSummary) -> None:  # noqa: F811
    admin = User.objects.get(username="lucheng-dept-admin")
    page = client_for("lucheng-dept-admin").get(reverse("home"))
    rows = page.context["department_load"]
    members = TeamMember.objects.filter(
        inspector__department=admin.department, visit__assignment__superseded_by__isnull=True
    )

    expected = {}
    for member in members.select_related("inspector"):
        row = expected.setdefault(member.inspector.name, [set(), set()])
        row[0].add(member.visit_id)
        states = set(member.visit.inspections.values_list("state", flat=True))
        if states & {"submitted", "approved", "published"}:
            row[1].add(member.visit_id)

    assert rows
    assert {r["inspector__name"]: (r["visits"], r["recorded"]) for r in rows} == {
        name: (len(visits), len(recorded)) for name, (visits, recorded) in expected.items()
    }
    assert client_for("lucheng-coordinator").get(reverse("home")).context["department_load"] == []
