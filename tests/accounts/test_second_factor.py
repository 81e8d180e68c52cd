"""The TOTP second factor (django-otp): required of coordinators when OTP_REQUIRED_FOR_COORDINATORS
is on — set up with a QR code before anything else, then asked after every password, on the
site and in the back office — and asked of anyone who set one up. Codes are computed with
django-otp's own TOTP from the device's key, as a phone would."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import World

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"  # tests.factories.make_user


def code(device: TOTPDevice, *, later: int = 0) -> str:
    """What an authenticator app shows for `device` now, or `later` periods of 30 s from now
    (a code is taken once: the next sign-in within the same period needs the next one)."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + later)
    return f"{value:0{device.digits}d}"


def sign_in(username: str, *, to: str = "/") -> tuple[Client, Any]:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": PASSWORD, "next": to}
    )
    return client, response


def set_up(client: Client) -> TOTPDevice:
    """Open 两步验证, read the key behind its QR, confirm with the app's first code."""
    page = client.get(reverse("accounts:second_factor"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    assert "<svg" in page.content.decode()
    client.post(reverse("accounts:second_factor"), {"token": code(device)})
    device.refresh_from_db()
    return device


def test_required_a_coordinator_without_an_app_sets_one_up_before_anything_else(
    world: World, settings: Any
) -> None:
    settings.OTP_REQUIRED_FOR_COORDINATORS = True
    client, response = sign_in("wangmin", to="/plans/")

    elsewhere = client.get(reverse("home"))
    setup = reverse("accounts:second_factor")
    assert response.url == f"{setup}?next=%2Fplans%2F"
    assert (elsewhere.status_code, elsewhere.url) == (302, f"{setup}?next=%2F")

    device = set_up(client)

    assert device.confirmed is True
    assert client.get(reverse("home")).status_code == 200


def test_required_a_coordinator_with_an_app_gives_its_code_after_the_password(
    world: World, settings: Any
) -> None:
    settings.OTP_REQUIRED_FOR_COORDINATORS = True
    device = set_up(sign_in("wangmin")[0])
    client, response = sign_in("wangmin", to="/plans/")
    verify = reverse("accounts:verify")

    before = client.get(reverse("home"))
    back_office = client.get(reverse("admin:index"))
    given = client.post(f"{verify}?next=/plans/", {"token": code(device, later=1)})

    assert response.url == f"{verify}?next=%2Fplans%2F"
    assert (before.url, back_office.url) == (f"{verify}?next=%2F", f"{verify}?next=%2Fadmin%2F")
    assert given.url == "/plans/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused_in_chinese(world: World, settings: Any) -> None:
    settings.OTP_REQUIRED_FOR_COORDINATORS = True
    device = set_up(sign_in("wangmin")[0])
    client, _ = sign_in("wangmin")
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:verify"), {"token": wrong})

    assert response.status_code == 200
    assert "验证码不正确或已过期" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_required_of_coordinators_only(world: World, settings: Any) -> None:
    settings.OTP_REQUIRED_FOR_COORDINATORS = True

    client, response = sign_in("edu-admin")

    assert (response.url, client.get(reverse("home")).status_code) == ("/", 200)


def test_off_a_coordinator_signs_in_with_the_password_alone(world: World, settings: Any) -> None:
    assert settings.OTP_REQUIRED_FOR_COORDINATORS is False

    client, response = sign_in("wangmin")

    assert (response.url, client.get(reverse("home")).status_code) == ("/", 200)


def test_off_anyone_who_set_one_up_is_asked_for_it(world: World, settings: Any) -> None:
    set_up(sign_in("edu-admin")[0])

    client, response = sign_in("edu-admin")

    assert response.url == f"{reverse('accounts:verify')}?next=%2F"
    assert client.get(reverse("home")).status_code == 302


def test_a_reset_app_is_set_up_again_at_the_next_sign_in(world: World, settings: Any) -> None:
    settings.OTP_REQUIRED_FOR_COORDINATORS = True
    set_up(sign_in("wangmin")[0])

    call_command("reset_second_factor", "wangmin", stdout=StringIO())
    _, response = sign_in("wangmin")

    assert response.url == f"{reverse('accounts:second_factor')}?next=%2F"
    assert TOTPDevice.objects.filter(confirmed=True).count() == 0
