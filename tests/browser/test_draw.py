"""A coordinator freezes a task's population, holds the ceremony and sees the draw published."""

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.draw import SPEC_V2, commitment
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import freeze_draw
from tests.browser.test_sign_in import sign_in
from tests.conftest import World
from tests.draws.steps import untimed
from tests.draws.test_services import make_task

DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
TYPED = "６，2，5，1，3，4、4、6、1、2、5 5 3 6 2 1 4 3 6 5"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]


def test_coordinator_runs_a_draw_with_a_commitment_reveal_and_dice(
    page: Page, live_server: object, world: World
) -> None:
    task = make_task(world)
    sign_in(page, str(live_server), "wangmin")
    page.goto(f"{live_server}/draws/task/{task.pk}/")
    expect(page.locator("#population-size")).to_have_text("10")

    page.get_by_role("button", name="冻结名单，开始抽取").click()
    draw = Draw.objects.get()
    commit = page.get_by_role("form", name="登记承诺")
    # The coordinator takes part for its own body only: the name is given, not typed.
    expect(commit.get_by_label("部门")).to_have_value("区市场监管局")
    commit.get_by_label("承诺值（SHA-256）").fill(
        commitment(draw.draw_id, "区市场监管局", "s3cret")
    )
    commit.get_by_role("button", name="登记承诺").click()
    reveal = page.get_by_role("form", name="揭示秘密")
    expect(reveal.get_by_label("部门")).to_have_value("区市场监管局")
    reveal.get_by_label("秘密").fill("s3cret")
    reveal.get_by_role("button", name="揭示").click()
    page.get_by_label("公开随机值（揭示结束后当场产生，如掷骰20次）").fill("6 2 5 1 3 4")
    page.get_by_role("button", name="生成种子并抽取").click()
    expect(page.get_by_role("alert")).to_have_text(
        "公开随机值应为20个骰子点数（每个 1–6），录入了6个"
    )
    page.get_by_label("公开随机值（揭示结束后当场产生，如掷骰20次）").fill(TYPED)
    page.get_by_role("button", name="生成种子并抽取").click()
    # Typed with commas and full-width digits: shown back canonically before it is used.
    expect(page.locator("#public-value-canonical")).to_have_text(DICE)
    expect(page.locator("#draw-state")).to_have_text("名单已冻结，等待种子")
    page.get_by_role("button", name="确认并抽取").click()

    expect(page.locator("#draw-state")).to_have_text("已抽取（不可更改）")
    drawn = Draw.objects.get()
    expect(page.locator("#seed")).to_have_text(drawn.seed)
    expect(page.locator("#public-value")).to_have_text(DICE)
    expect(page.locator("#record-digest")).to_have_text(drawn.bundle["record_digest"])
    expect(page.get_by_role("link", name="验证程序 verify_draw.py")).to_be_visible()
    assert (drawn.bundle["spec"], drawn.bundle["ceremony"]["public_value"]) == (SPEC_V2, DICE)


def test_a_partner_department_computes_its_commitment_in_the_browser(
    page: Page, live_server: object, world: World
) -> None:
    task = make_task(world)
    task.partner_departments.set([world.education])
    draw = freeze_draw(task, actor=SYSTEM)
    sign_in(page, str(live_server), "edu-admin")
    page.get_by_role("link", name=draw.draw_id).click()

    commit = page.get_by_role("form", name="登记承诺")
    expect(commit.get_by_label("部门")).to_have_value("区教育局")
    expect(page.locator("form[data-commitment][data-ready]")).to_be_attached()  # script loaded
    commit.get_by_role("button", name="生成秘密").click()
    secret = commit.get_by_label("秘密（只留在本机，揭示时再提交）").input_value()
    commit.get_by_role("button", name="计算承诺").click()
    expect(commit.get_by_label("承诺值（SHA-256）")).to_have_value(
        commitment(draw.draw_id, "区教育局", secret)
    )
    # A generated secret is saved and the saving confirmed first (tests/browser/test_ceremony.py).
    commit.get_by_role("button", name="复制秘密").click()
    commit.get_by_label("我已妥善保存上面的秘密，揭示时能原样输入").check()
    commit.get_by_role("button", name="登记承诺").click()
    reveal = page.get_by_role("form", name="揭示秘密")
    reveal.get_by_label("秘密").fill(secret)
    reveal.get_by_role("button", name="揭示").click()
    # Sent once the browser has checked it against the commitment: wait for the page to list it.
    expect(page.locator("code", has_text=secret)).to_be_visible()

    draw.refresh_from_db()
    assert len(secret) == 32
    assert untimed(draw.reveals) == [{"party": "区教育局", "secret": secret}]
