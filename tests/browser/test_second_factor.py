"""A coordinator obliged to a second factor sets it up in the browser as with a phone: reads the
key under the QR code, types the app's code, and reaches the home page."""

from base64 import b32decode
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser.test_sign_in import sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_coordinator_sets_up_the_app_then_reaches_the_home_page(
    page: Page, live_server: object, world: World, settings: Any
) -> None:
    settings.OTP_REQUIRED_FOR_COORDINATORS = True

    sign_in(page, str(live_server), "wangmin")

    expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "second-factor-setup.png"), full_page=True)
    key = b32decode(page.locator("ol code").inner_text().replace(" ", ""))
    page.get_by_label("动态验证码").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="完成设置").click()

    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
