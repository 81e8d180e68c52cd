"""The working pages, as the coordinator, a department admin and an inspector use them, pass
axe-core's accessibility rules, as the public pages do (tests/browser/test_public_site.py)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Assignment, Visit
from shuangsuiji.demo.build import build_demo
from shuangsuiji.draws.models import Draw
from shuangsuiji.plans.models import Plan
from tests.browser.test_assignment import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]


def pages_of_each_role() -> dict[str, list[str]]:
    plan = Plan.objects.get(region__code="140406")
    task = plan.tasks.filter(draws__isnull=False).order_by("position").first()
    inspector = User.objects.get(username="lucheng-inspector").inspector
    visit = Visit.objects.filter(members__inspector=inspector).order_by("code").first()
    coordinator = [
        reverse("home"),
        reverse("plans:list"),
        reverse("plans:upload"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task_edit", args=[task.pk]),
        reverse("plans:task_population", args=[task.pk]),
        reverse("plans:task_history", args=[task.pk]),
        reverse("draws:detail", args=[Draw.objects.filter(task=task).first().pk]),
        reverse("assignments:detail", args=[Assignment.objects.get(plan=plan).pk]),
        reverse("assignments:visit", args=[visit.pk]),
        reverse("directory:entities"),
        reverse("directory:inspectors"),
        reverse("directory:import-upload"),
        reverse("inspections:review"),
        reverse("publication"),
        reverse("audit"),
        reverse("analysis:plan", args=[plan.pk]),
        reverse("analysis:risk", args=[plan.pk]),
    ]
    return {
        "lucheng-coordinator": coordinator,
        "lucheng-dept-admin": [reverse("home"), reverse("inspections:review")],
        "lucheng-inspector": [
            reverse("home"),
            reverse("assignments:mine"),
            reverse("inspections:visit", args=[visit.pk]),
        ],
    }


def test_every_working_page_passes_axe_for_the_role_that_uses_it(
    page: Page, live_server: object
) -> None:
    build_demo(entities_per_district=300)
    axe = Axe()
    problems = {}

    for username, paths in pages_of_each_role().items():
        sign_in(page, str(live_server), username)
        for path in paths:
            response = page.goto(f"{live_server}{path}")
            assert response is not None
            assert response.status == 200, (username, path)
            violations = axe.run(page).response["violations"]
            if violations:
                problems[(username, path)] = [(v["id"], v["impact"]) for v in violations]

    assert problems == {}
