"""A company holds its notice's inspection code: on a phone, without signing in, it opens the
code's card, sees the team and their certificates, and follows 为什么是我 to prove in its own
browser that it was drawn by the rule; then it rates the visit with the rating code printed
on its notice. Screenshots go to var/screenshots/check-code/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Visit
from shuangsuiji.checks.codes import code_for, rating_code, shown
from shuangsuiji.demo.build import build_demo

pytestmark = [pytest.mark.browser]

SHOTS = Path("var/screenshots/check-code")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_published")
def test_a_company_opens_its_code_on_a_phone_and_proves_it_was_drawn(
    page: Page, live_server: object
) -> None:
    build_demo(entities_per_district=300)
    unrated = Visit.objects.filter(  # the demo's own company account has rated its visit
        assignment__plan__region__code="140406", rating__isnull=True
    )
    visit = min(unrated, key=lambda v: v.code)
    code = code_for(visit, actor=SYSTEM)
    names = [m.inspector.name for m in visit.members.select_related("inspector")]
    page.set_viewport_size({"width": 390, "height": 844})
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server}/c/{shown(code.code).lower()}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"检查码 {shown(code.code)}")
    expect(page.locator("#registered")).to_be_visible()
    for name in names:
        expect(page.locator("#team")).to_contain_text(name)
    page.screenshot(path=SHOTS / "1-card-on-a-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the card is {width}px wide on a 390px phone"

    page.locator("#proofs a").first.click()
    section = page.get_by_role("region", name="核验本企业")
    section.get_by_role("button", name="核验", exact=True).click()
    expect(section.locator("output")).to_contain_text("PASS", timeout=30_000)
    page.screenshot(path=SHOTS / "2-why-me-passes.png", full_page=True)

    page.go_back()
    page.get_by_label("评价码").fill(rating_code(code.code).lower())  # as typed from paper
    page.get_by_label("4 分").check()
    page.get_by_label("意见（选填）").fill("提前预约，检查规范")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("alert")).to_contain_text("感谢您的评价")
    expect(page.locator("#rated")).to_be_visible()
    page.screenshot(path=SHOTS / "3-rated.png", full_page=True)
