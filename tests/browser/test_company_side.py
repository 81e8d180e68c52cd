"""The company's side on a phone (375 px): a company opens its visit's code without signing
in and sees the team and the proof that the rule chose it; signs in with its 统一社会信用代码
and the token printed on its notice; books one of the slots the team offered; after the
visit, rates it and objects to its published result, which the public result page then shows
as 异议处理中. Screenshots go to var/screenshots/company-side/."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Visit
from shuangsuiji.checks.codes import code_for, shown
from shuangsuiji.companies.services import offer_slot
from shuangsuiji.companies.tokens import notice_token
from shuangsuiji.demo.build import build_demo
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from shuangsuiji.inspections.services import inspections_of

pytestmark = [pytest.mark.browser]

SHOTS = Path("var/screenshots/company-side")
WIDTH = 375


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH + 1, f"{page.url} is {width}px wide on a {WIDTH}px phone"


def carried_out_and_published(visit: Visit) -> None:
    """What the team and the reviewers do meanwhile: the visit's results recorded on a day in
    its window, approved and published."""
    year, month = (int(part) for part in visit.window_start.split("-"))
    clean = ResultCategory.objects.filter(stands_alone=True, is_finding=False).order_by("code")[0]
    for inspection in inspections_of(visit):
        inspection.results.set([clean])
    Inspection.objects.filter(visit=visit).update(
        state=InspectionState.PUBLISHED,
        inspected_on=datetime(year, month, 12).date(),
        reviewed_at=timezone.now(),
        published_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_published")
def test_a_company_checks_its_visit_signs_in_books_rates_and_objects_on_a_phone(
    page: Page, live_server: object, tmp_path: Path
) -> None:
    build_demo(entities_per_district=300)
    visits = Visit.objects.filter(assignment__plan__region__code="140406", inspections__isnull=True)
    visit = min(visits, key=lambda v: v.code)
    code = code_for(visit, actor=SYSTEM)
    year, month = (int(part) for part in visit.window_start.split("-"))
    for day in (10, 11):
        starts = timezone.make_aware(datetime(year, month, day, 9))
        offer_slot(
            visit,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            note="现场检查",
            actor=SYSTEM,
        )
    token = notice_token(visit)  # as printed on the notice
    names = [m.inspector.name for m in visit.members.select_related("inspector")]
    page.set_viewport_size({"width": WIDTH, "height": 812})
    SHOTS.mkdir(parents=True, exist_ok=True)

    # 1. The code's card, anonymously: the team, and the proof that the rule chose it.
    page.goto(f"{live_server}/c/{shown(code.code)}/")
    for name in names:
        expect(page.locator("#team")).to_contain_text(name)
    fits(page)
    page.screenshot(path=SHOTS / "1-code-card.png", full_page=True)
    page.locator("#proofs a").first.click()
    section = page.get_by_role("region", name="核验本企业")
    section.get_by_role("button", name="核验", exact=True).click()
    expect(section.locator("output")).to_contain_text("PASS", timeout=30_000)
    page.screenshot(path=SHOTS / "2-why-me-passes.png", full_page=True)

    # 2. Sign in with the 统一社会信用代码 and the notice's token, typed from paper.
    page.goto(f"{live_server}/company/login/")
    page.get_by_label("统一社会信用代码").fill(visit.entity.uscc)
    page.get_by_label("企业端登录令牌").fill(token.lower())
    fits(page)
    page.screenshot(path=SHOTS / "3-sign-in.png", full_page=True)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的检查")
    expect(page.locator("#visits")).to_contain_text(visit.assignment.plan.title)
    fits(page)
    page.screenshot(path=SHOTS / "4-my-checks.png", full_page=True)

    # 3. Book the second slot the team offered.
    page.locator("#visits a").first.click()
    page.get_by_label(f"{year}-{month:02d}-11 09:00–11:00（现场检查）").check()
    page.get_by_role("button", name="预约").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已预约 {year}-{month:02d}-11 09:00")
    expect(page.locator("#chosen")).to_contain_text(f"{year}-{month:02d}-11 09:00–11:00")
    fits(page)
    page.screenshot(path=SHOTS / "5-slot-booked.png", full_page=True)

    # 4. After the visit: rate it.
    carried_out_and_published(visit)
    page.reload()
    page.get_by_label("4 分").check()
    page.get_by_label("意见（选填）").fill("按预约时间到达，出示了检查码")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("alert")).to_contain_text("感谢您的评价")
    expect(page.locator("#rated")).to_contain_text("4 分")
    fits(page)
    page.screenshot(path=SHOTS / "6-rated.png", full_page=True)

    # 5. Object to the published result, with a scanned document.
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n%%EOF\n")
    page.get_by_role("link", name="我的检查").click()
    page.get_by_role("link", name="对该结果提出异议").first.click()
    page.get_by_label("异议理由").fill("检查当日我单位已整改完毕，附整改报告")
    page.locator("#file").set_input_files(evidence)
    fits(page)
    page.screenshot(path=SHOTS / "7-objection-form.png", full_page=True)
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("alert")).to_contain_text("已提出异议")
    expect(page.locator("#results")).to_contain_text("异议处理中")
    page.screenshot(path=SHOTS / "8-objected.png", full_page=True)

    # 6. The public result page says so beside the result.
    page.goto(f"{live_server}/public/results/?q={visit.entity.uscc}")
    expect(page.locator(".objection").first).to_have_text("异议处理中")
    fits(page)
    page.screenshot(path=SHOTS / "9-public-result.png", full_page=True)
