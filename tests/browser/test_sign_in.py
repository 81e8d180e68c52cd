"""A coordinator signs in, sees the home page, and finds an entity by its pinyin initials."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import World
from tests.factories import EntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-for-tests-only")
    page.get_by_role("button", name="登录").click()


def test_coordinator_signs_in_and_sees_the_directory_figures(
    page: Page, live_server: object, world: World
) -> None:
    EntityFactory(name="潞城区鑫源网吧", risk_class="C")

    sign_in(page, str(live_server), "wangmin")

    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.locator("#entity-count")).to_have_text("2")
    expect(page.locator("#inspector-count")).to_have_text("2")


def test_coordinator_finds_an_entity_by_pinyin_initials_in_the_back_office(
    page: Page, live_server: object, world: World
) -> None:
    wanted = EntityFactory(name="潞城区鑫源网吧")
    EntityFactory(name="潞城区华泰旅馆")
    sign_in(page, str(live_server), "wangmin")

    page.goto(f"{live_server}/admin/directory/entity/?q=xywb")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(wanted.uscc)


def test_wrong_password_is_refused_in_chinese(
    page: Page, live_server: object, world: World
) -> None:
    page.goto(f"{live_server}/login/")
    page.get_by_label("用户名").fill("wangmin")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误，请重新输入。")
