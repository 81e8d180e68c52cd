"""A coordinator runs the second random of a drawn plan; an inspector finds and recuses."""

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Assignment, TeamMember
from shuangsuiji.demo.build import DEMO_PASSWORD, build_demo
from shuangsuiji.plans.models import Plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()  # a 退出 still in flight must not end the new session
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_coordinator_assigns_teams_and_an_inspector_recuses_from_a_visit(
    page: Page, live_server: object
) -> None:
    build_demo(entities_per_district=300, assign=False)
    plan = Plan.objects.get(region__code="140502")
    sign_in(page, str(live_server), "chengqu-coordinator")
    page.goto(f"{live_server}/plans/{plan.pk}/")
    page.get_by_role("link", name="第二次随机：联合检查与人员分派").click()
    before = page.locator("#visits-before").inner_text()

    page.get_by_role("button", name="冻结人员名单").click()
    page.get_by_label("公开随机值（冻结公布后当场产生，如掷骰20次）").fill("4 4 2 6 1 3")
    page.get_by_role("button", name="生成种子并分派").click()

    expect(page.locator("#assignment-state")).to_have_text("已分派（不可更改）")
    expect(page.locator("#visits-before")).to_have_text(before)
    assignment = Assignment.objects.get(plan=plan)
    expect(page.locator("#seed")).to_have_text(assignment.seed)
    expect(page.get_by_role("table", name="检查组").locator("tbody tr")).to_have_count(
        min(50, assignment.visits.count())
    )

    inspector = User.objects.get(username="chengqu-inspector").inspector
    member = TeamMember.objects.filter(inspector=inspector).first()
    assert member is not None
    page.get_by_role("button", name="退出").click()
    sign_in(page, str(live_server), "chengqu-inspector")
    page.get_by_role("link", name="我的检查").click()
    page.get_by_role("link", name=member.visit.code).click()
    recusal = page.get_by_role("form", name=f"登记回避 {inspector.name}")
    recusal.get_by_placeholder("回避事由").fill("近亲属在该单位任职")
    recusal.get_by_role("button", name="申请回避").click()

    expect(page.get_by_role("alert")).to_contain_text(f"已登记回避（{member.visit.code}）")
    expect(page.get_by_role("link", name=member.visit.code)).to_have_count(0)
    member.refresh_from_db()
    assert member.inspector != inspector
