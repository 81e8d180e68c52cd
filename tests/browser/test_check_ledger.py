"""The coordinator keeps the check ledger in the browser: publishes a body's yearly cap, enters
three checks of one company by three bodies within a month, finds the company on the
frequent-check warning and its ledger against the cap. Screenshots go to
var/screenshots/check-ledger/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_sign_in import sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("var/screenshots/check-ledger")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def enter_check(page: Page, uscc: str, body: str, day: str, kind: str) -> None:
    page.get_by_role("link", name="检查台账", exact=True).click()
    form = page.locator("form", has=page.get_by_role("button", name="登记检查"))
    form.get_by_label("检查对象统一社会信用代码").fill(uscc)
    form.get_by_label("检查主体").select_option(label=body)
    form.get_by_label("检查日期").fill(day)
    form.get_by_label("检查类型").select_option(kind)
    form.get_by_label("检查事项").fill("消防安全专项检查")
    form.get_by_label("检查依据（计划编号或触发原因）").fill("2023年消防安全专项行动方案")
    form.get_by_role("button", name="登记检查").click()


def test_the_coordinator_keeps_the_ledger_and_sees_the_warning(
    page: Page, live_server: object, world: World
) -> None:
    base = str(live_server)
    uscc = world.company.uscc
    sign_in(page, base, "wangmin")
    page.get_by_role("link", name="检查台账", exact=True).click()
    page.get_by_text("设置或修改上限").click()
    caps = page.locator("form", has=page.get_by_role("button", name="保存上限"))
    caps.get_by_label("检查主体").select_option(label="区公安分局")
    caps.get_by_label("年度").fill("2023")
    caps.get_by_label("每年对同一企业的检查上限（次）").fill("2")
    caps.get_by_label("公布依据（文件名称、文号或网址）").fill("潞城分局2023年涉企检查频次公告")
    caps.get_by_role("button", name="保存上限").click()
    expect(page.locator("#caps")).to_contain_text("潞城分局2023年涉企检查频次公告")
    shot(page, "1-cap")

    enter_check(page, uscc, "区公安分局", "2023-06-03", "专项检查")
    enter_check(page, uscc, "区教育局", "2023-06-12", "投诉举报触发")
    enter_check(page, uscc, "区公安分局", "2023-06-25", "个案检查")
    expect(page.get_by_role("heading", level=1)).to_have_text("甲公司：2023年检查台账")
    expect(page.locator("#standing")).to_contain_text("区公安分局：已检查或安排 2 次，上限 2 次")
    expect(page.locator("#ledger tbody tr")).to_have_count(3)
    shot(page, "2-company-ledger")

    page.goto(f"{base}/checks/?year=2023")
    page.get_by_role("link", name="频繁检查预警").click()
    row = page.locator("#frequent tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("甲公司")
    expect(row).to_contain_text("2023-06-03 至 2023-06-25")
    shot(page, "3-frequent")
