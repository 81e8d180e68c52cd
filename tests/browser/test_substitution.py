"""The coordinator substitutes a drawn company whose approved result says 已注销: one click on
the draw page's 待替补, then the substitution is on the draw page, on the public draw page and
in the bundle, which verifies."""

import json
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Visit
from shuangsuiji.core.draw import read_population_csv, verify
from shuangsuiji.demo.build import build_demo
from shuangsuiji.draws.models import Draw
from shuangsuiji.inspections.models import ResultCategory
from shuangsuiji.inspections.services import inspections_of, record, review, submit
from shuangsuiji.plans.models import PlanTask
from tests.browser.test_assignment import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]


def has_a_reserve_for(draw: Draw, code: str) -> bool:
    """Whether the stratum holding `code` in the draw's first round has a reserve."""
    first = draw.bundle["rounds"][0]["strata"] if draw.bundle else {}
    return any(code in data["selected"] and data["reserve"] for data in first.values())


def cancelled_company() -> tuple[Draw, Visit]:
    """The demo, and a 潞城区 visit with nothing recorded whose first task's result is now
    已注销, recorded on paper by the coordinator and approved by the lead department."""
    build_demo(entities_per_district=300)
    coordinator = User.objects.get(username="lucheng-coordinator")
    reviewer = User.objects.get(username="lucheng-dept-admin")
    unrecorded = Visit.objects.filter(
        assignment__plan__region__code="140406", inspections__isnull=True
    ).select_related("entity")
    # codes sorted in Python: any database; the demo's draws are random, so take the first
    # visit whose company's stratum has a reserve left to take its place
    visit, inspection = next(
        (visit, inspection)
        for visit in sorted(unrecorded, key=lambda v: v.code)
        for inspection in inspections_of(visit)[:1]
        if has_a_reserve_for(
            Draw.objects.get(task=inspection.task, superseded_by__isnull=True), visit.entity.uscc
        )
    )
    PlanTask.objects.filter(pk=inspection.task_id).update(lead_department=reviewer.department)
    start = visit.window_start
    record(
        inspection,
        actor=coordinator,
        results=[ResultCategory.objects.get(code="07")],
        inspected_on=date(int(start[:4]), int(start[5:7]), 1),
    )
    submit(inspection, actor=coordinator)
    review(inspection, actor=reviewer, approve=True)
    return Draw.objects.get(task=inspection.task, superseded_by__isnull=True), visit


def test_the_coordinator_substitutes_a_cancelled_company_in_one_click(
    page: Page, live_server: object
) -> None:
    draw, visit = cancelled_company()
    code = visit.entity.uscc
    base = str(live_server)
    sign_in(page, base, "lucheng-coordinator")

    page.goto(f"{base}/draws/{draw.pk}/")
    panel = page.get_by_role("region", name="替补")
    waiting = panel.get_by_role("listitem").filter(has_text=code)
    expect(waiting).to_contain_text(f"检查结果：已注销（检查 {visit.code}）")
    waiting.get_by_role("button", name="由下一位备选替补").click()
    # The page answers once the server has recorded it; only then is the row there to read.
    expect(page.get_by_role("alert")).to_contain_text(f"已登记第 1 次替补：{code} 由 ")

    made = draw.substitutions.get()
    expect(page.get_by_role("alert")).to_have_text(
        f"已登记第 1 次替补：{code} 由 {made.replacement} 替补"
    )
    row = page.get_by_role("region", name="替补").get_by_role("row").nth(1)
    expect(row).to_contain_text(f"{code}{made.replacement}")
    expect(row).to_contain_text("王敏")  # who recorded it
    expect(panel.get_by_role("listitem").filter(has_text=code)).to_have_count(0)

    bundle = json.loads(page.request.get(f"{base}/draws/{draw.pk}/bundle.json").text())
    population = page.request.get(f"{base}/draws/{draw.pk}/population.csv").text()
    assert [(s["replaced"], s["replacement"]) for s in bundle["substitutions"]] == [
        (code, made.replacement)
    ]
    assert verify(bundle, read_population_csv(population)) == []

    page.goto(f"{base}/public/draws/{draw.draw_id}/")
    public = page.get_by_role("region", name="替补记录")
    expect(public.get_by_role("row").nth(1)).to_contain_text(f"{code}{made.replacement}")
