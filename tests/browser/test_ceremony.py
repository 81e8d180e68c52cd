"""The ceremony's safety in a real browser (issue #16, items 4 and 5): a department admin
cannot commit before saving its generated secret and is warned on leaving; a wrong secret is
caught before the reveal is sent; the coordinator redraws only with a reason and after a
confirmation; the frozen redraw is public at once. Screenshots go to var/screenshots/ceremony/."""

from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.draw import commitment
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import complete_draw, freeze_draw
from tests.browser.test_sign_in import sign_in
from tests.conftest import World
from tests.draws.steps import untimed
from tests.draws.test_services import make_task

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]

SHOTS = Path("var/screenshots/ceremony")
DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
REASON = "名录漏录两户已开业的旅馆"
SECRET_LABEL = "秘密（只留在本机，揭示时再提交）"
SAVED_LABEL = "我已妥善保存上面的秘密，揭示时能原样输入"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def partner_draw(world: World) -> Draw:
    task = make_task(world)
    task.partner_departments.set([world.education])
    return freeze_draw(task, actor=SYSTEM)


def test_a_department_saves_its_secret_before_committing_and_the_reveal_is_checked(
    page: Page, live_server: object, world: World, tmp_path: Path
) -> None:
    draw = partner_draw(world)
    sign_in(page, str(live_server), "edu-admin")
    detail = f"{live_server}/draws/{draw.pk}/"
    page.goto(detail)
    commit = page.get_by_role("form", name="登记承诺")
    register = commit.get_by_role("button", name="登记承诺")

    expect(page.locator("form[data-commitment][data-ready]")).to_be_attached()  # script loaded
    commit.get_by_role("button", name="生成秘密").click()
    secret = commit.get_by_label(SECRET_LABEL).input_value()
    expected = commitment(draw.draw_id, "区教育局", secret)
    expect(commit.get_by_label("承诺值（SHA-256）")).to_have_value(expected)
    expect(register).to_be_disabled()
    expect(commit.get_by_label(SAVED_LABEL)).to_be_disabled()
    shot(page, "01-secret-unsaved")

    # Leaving with the secret unsaved asks first; staying keeps the secret on the page.
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with pytest.raises(PlaywrightError, match=r"net::ERR_ABORTED|navigation"):
        page.goto(f"{live_server}/", timeout=5000)
    assert dialogs == ["beforeunload"]
    expect(commit.get_by_label(SECRET_LABEL)).to_have_value(secret)

    with page.expect_download() as download:
        commit.get_by_role("button", name="下载秘密文件（.txt）").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert download.value.suggested_filename == f"{draw.draw_id}-区教育局-秘密.txt"
    assert lines[2:6] == [
        f"抽取编号：{draw.draw_id}",
        "部门：区教育局",
        f"秘密：{secret}",
        f"承诺值：{expected}",
    ]
    expect(register).to_be_disabled()  # saved, but not yet confirmed
    commit.get_by_label(SAVED_LABEL).check()
    expect(register).to_be_enabled()
    shot(page, "02-secret-saved")
    register.click()

    expect(page.get_by_role("form", name="揭示秘密")).to_be_visible()
    draw.refresh_from_db()
    assert untimed(draw.commitments) == [{"party": "区教育局", "commitment": expected}]

    reveal = page.get_by_role("form", name="揭示秘密")
    reveal.get_by_label("秘密", exact=True).fill(secret.upper())
    reveal.get_by_role("button", name="揭示").click()
    expect(reveal.get_by_role("alert")).to_have_text(
        "此秘密与“区教育局”登记的承诺值不符，未提交：请核对保存的秘密（逐字一致，区分大小写），"
        "或读取生成时下载的文件"
    )
    shot(page, "03-wrong-secret-caught")
    draw.refresh_from_db()
    assert draw.reveals == []

    reveal.get_by_label("或读取保存的文件").set_input_files(saved)
    expect(reveal.get_by_label("秘密", exact=True)).to_have_value(secret)
    reveal.get_by_role("button", name="揭示").click()
    expect(page.locator("code", has_text=secret)).to_be_visible()  # sent, and listed
    draw.refresh_from_db()
    assert untimed(draw.reveals) == [{"party": "区教育局", "secret": secret}]


def test_on_plain_http_the_secret_is_still_kept_and_the_server_checks_the_reveal(
    page: Page, live_server: object, world: World
) -> None:
    # An intranet page over plain HTTP has no SubtleCrypto; this page pretends to be one.
    page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
    draw = partner_draw(world)
    sign_in(page, str(live_server), "edu-admin")
    page.goto(f"{live_server}/draws/{draw.pk}/")
    commit = page.get_by_role("form", name="登记承诺")

    expect(page.locator("form[data-commitment][data-ready]")).to_be_attached()  # script loaded
    commit.get_by_role("button", name="生成秘密").click()
    secret = commit.get_by_label(SECRET_LABEL).input_value()
    expect(commit.locator("[data-command]")).to_contain_text(f"'区教育局','{secret}'")
    expect(commit.get_by_role("button", name="登记承诺")).to_be_disabled()
    commit.get_by_role("button", name="复制秘密").click()
    commit.get_by_label(SAVED_LABEL).check()
    commit.get_by_label("承诺值（SHA-256）").fill(commitment(draw.draw_id, "区教育局", secret))
    shot(page, "04-plain-http")
    commit.get_by_role("button", name="登记承诺").click()

    reveal = page.get_by_role("form", name="揭示秘密")
    expect(reveal.locator("[data-insecure]")).to_be_visible()
    reveal.get_by_label("秘密", exact=True).fill("not-the-secret")
    reveal.get_by_role("button", name="揭示").click()

    expect(page.locator("p.message[role=alert]").first).to_have_text(
        "“区教育局”揭示的秘密与其承诺不符"
    )
    draw.refresh_from_db()
    assert (len(draw.commitments), draw.reveals) == (1, [])


def test_the_coordinator_redraws_after_a_reason_and_a_confirmation_and_it_is_public_at_once(
    page: Page, live_server: object, world: World
) -> None:
    first = complete_draw(
        freeze_draw(make_task(world), actor=SYSTEM),
        actor=SYSTEM,
        public_value=DICE,
        public_source="联席会议",
    )
    sign_in(page, str(live_server), "wangmin")
    page.goto(f"{live_server}/draws/{first.pk}/")

    page.get_by_text("更正本次抽取（重新抽取）").click()
    form = page.get_by_role("form", name="重新抽取")
    form.get_by_label("重新抽取原因（将公示）").fill("结果不理想")
    form.get_by_role("button", name="下一步：确认").click()
    expect(page.get_by_role("alert")).to_contain_text("至少6个汉字或12个字母、数字")
    assert Draw.objects.count() == 1

    page.get_by_text("更正本次抽取（重新抽取）").click()
    form.get_by_label("重新抽取原因（将公示）").fill(REASON)
    form.get_by_role("button", name="下一步：确认").click()
    expect(page.get_by_role("heading", name="确认重新抽取")).to_be_visible()
    expect(page.locator("#new-draw-id")).to_have_text("140406-2023-T09-2")
    expect(page.locator("#redraw-reason")).to_have_text(REASON)
    shot(page, "05-redraw-confirmation")
    assert Draw.objects.count() == 1
    page.get_by_role("button", name="确认重新抽取，冻结 140406-2023-T09-2").click()

    expect(page.get_by_role("heading", name="抽取 140406-2023-T09-2")).to_be_visible()
    second = Draw.objects.get(supersedes=first)
    assert (second.reason, second.state) == (REASON, "frozen")

    page.goto(f"{live_server}/public/draws/{second.draw_id}/")
    expect(page.locator("#freeze-digest")).to_have_text(second.freeze["freeze_digest"])
    expect(page.locator("#redraw")).to_have_text(
        f"本次为重新抽取，更正 {first.draw_id}，原因：{REASON}"
    )
    expect(page.locator("#waiting")).to_contain_text("等待公开随机值")
    shot(page, "06-public-frozen-redraw")
    page.goto(f"{live_server}/public/")
    expect(page.get_by_role("region", name="正在进行的抽取列表")).to_contain_text(second.draw_id)
    shot(page, "07-public-index")
