"""The coordinator imports 潞城区's plan, which stays a draft (not public, no draw) until it
is published; published, the public site shows it and its tasks can be drawn; withdrawn with a
reason, the public page says when and why. Screenshots of each step go to
var/screenshots/plan-publication/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import shuangsuiji.demo
from shuangsuiji.plans.models import Plan
from tests.browser.test_sign_in import sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(shuangsuiji.demo.__file__).parent / "seeds" / "lucheng-2023-plan.txt"
TITLE = "潞城区2023年度部门联合双随机抽查工作计划"
SHOTS = Path("var/screenshots/plan-publication")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_a_plan_is_a_draft_until_published_and_withdrawn_only_with_a_reason(
    page: Page, live_server: object, world: World
) -> None:
    base = str(live_server)
    sign_in(page, base, "wangmin")
    page.goto(f"{base}/plans/import/")
    page.get_by_label("计划文件").set_input_files(str(SEED))
    page.get_by_role("button", name="解析预览").click()
    page.locator('textarea[name="cell-22-name"]').fill("物流寄递企业运输烟草制品情况抽查")
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#publication h2")).to_have_text("计划状态：草稿")
    shot(page, "1-draft")
    plan = Plan.objects.get()
    task = plan.tasks.get(seq=1)

    public = page.context.new_page()
    response = public.goto(f"{base}/public/plans/{plan.pk}/")
    assert response is not None
    assert response.status == 404
    page.goto(f"{base}/draws/task/{task.pk}/")
    expect(page.locator("#draft-plan")).to_contain_text("本计划尚未发布，不能抽取")
    expect(page.get_by_role("button", name="冻结名单，开始抽取")).to_have_count(0)
    shot(page, "2-draft-task-offers-no-draw")

    page.goto(f"{base}/plans/{plan.pk}/")
    page.get_by_role("button", name="发布计划").click()
    expect(page.locator("#publication h2")).to_have_text("计划状态：已发布")
    shot(page, "3-published")
    public.goto(f"{base}/public/plans/{plan.pk}/")
    expect(public.get_by_role("heading", level=1)).to_contain_text(TITLE)
    page.goto(f"{base}/draws/task/{task.pk}/")
    expect(page.get_by_role("button", name="冻结名单，开始抽取")).to_be_visible()

    page.goto(f"{base}/plans/{plan.pk}/")
    page.locator("#publication summary", has_text="撤回计划").click()
    page.get_by_label("撤回原因（将随计划公示）").fill("短")
    page.get_by_role("button", name="撤回").click()
    expect(page.locator("#publication h2")).to_have_text("计划状态：已发布")  # refused
    assert page.locator("#withdraw-reason").evaluate("box => box.validity.tooShort")
    page.get_by_label("撤回原因（将随计划公示）").fill("计划表格导入有误，将重新发布更正版")
    page.get_by_role("button", name="撤回").click()
    expect(page.locator("#publication h2")).to_have_text("计划状态：已撤回")
    shot(page, "4-withdrawn")

    public.goto(f"{base}/public/plans/{plan.pk}/")
    expect(public.get_by_text("计划表格导入有误，将重新发布更正版")).to_be_visible()
    public.screenshot(path=SHOTS / "5-public-withdrawn.png", full_page=True)
    plan.refresh_from_db()
    assert plan.withdrawn_reason == "计划表格导入有误，将重新发布更正版"
