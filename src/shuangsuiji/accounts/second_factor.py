"""The optional second factor (django-otp, TOTP): a six-digit code from an authenticator app
(微信小程序“腾讯身份验证器”, FreeOTP, Google Authenticator …) asked after the password.

Who is asked: everyone who has set one up (两步验证 page), and — with
`OTP_REQUIRED_FOR_COORDINATORS=true` — every coordinator and superuser, who hold a region's
plans, draws and publication and its users; one without an app yet is sent to set it up
before anything else. The rule holds for the back office too: the admin's own sign-in form
signs the password in, and this middleware stops every page until the code is given.

Wrong codes slow down (django-otp's throttling doubles the wait after each one), on top of the
password's lockout. A lost phone: a superuser runs `shuangsuiji reset_second_factor USER`, and
the user sets up a new one at next sign-in.
"""

from base64 import b32encode
from collections.abc import Callable
from typing import Any

import django_otp
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.checks.codes import qr_svg

HAS_DEVICE = "second_factor_set_up"  # session: known at sign-in, so no query per request
APP_NAME = "身份验证器"


def has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def note_device(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in: whether this user has set up a second factor."""
    request.session[HAS_DEVICE] = has_device(user)


def required_for(user: Any) -> bool:
    """Whether the setting obliges this user to a second factor."""
    return bool(settings.OTP_REQUIRED_FOR_COORDINATORS) and role_of(user) is Role.COORDINATOR


def pending(request: HttpRequest) -> bool:
    """Signed in with the password, and a code is still owed."""
    user: Any = request.user
    # Right after the password, request.user is the one login() set, which django-otp's
    # middleware has not seen: not verified.
    verified = getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or verified:
        return False
    return bool(request.session.get(HAS_DEVICE)) or required_for(user)


def next_step(request: HttpRequest, after: str) -> str:
    """The page that asks for the code (or sets up the app), coming back to `after`."""
    page = "accounts:verify" if request.session.get(HAS_DEVICE) else "accounts:second_factor"
    return f"{reverse(page)}?{urlencode({'next': after})}"


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: while a code is owed, every page but these sends the
    user to give it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths: tuple[str, ...] = ()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.open_paths:
            self.open_paths = (
                reverse("accounts:verify"),
                reverse("accounts:second_factor"),
                reverse("logout"),
                reverse("login"),
                settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/",
            )
        if pending(request) and not request.path.startswith(self.open_paths):
            return HttpResponseRedirect(next_step(request, request.get_full_path()))
        return self.get_response(request)


class CodeForm(forms.Form):
    token = forms.RegexField(
        label="动态验证码",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "请输入身份验证器显示的 6 位数字。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def code(self) -> str:
        return str(self.cleaned_data["token"]).strip()


def _next(request: HttpRequest) -> str:
    after = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(after, {request.get_host()}, request.is_secure()):
        return after
    return reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the app."""
    user: Any = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:  # reset meanwhile (`reset_second_factor`)
        request.session[HAS_DEVICE] = False
        if required_for(user):
            return redirect(next_step(request, _next(request)))
        return HttpResponseRedirect(_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        verified = django_otp.verify_token(user, device.persistent_id, form.code())
        if verified is not None:
            django_otp.login(request, verified)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", "验证码不正确或已过期；多次输错后需等待更久才能再试。")
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/second_factor_verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """两步验证: scan the QR with the app and confirm with its first code. A new key each time
    the page is opened before confirming; a confirmed one is shown no more."""
    user: Any = request.user
    confirmed = has_device(user)
    if confirmed:
        context = {"confirmed": True, "required": required_for(user), "next": _next(request)}
        return render(request, "accounts/second_factor_setup.html", context)
    form = CodeForm(request.POST or None)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if request.method == "POST" and device is not None and form.is_valid():
        if device.verify_token(form.code()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            request.session[HAS_DEVICE] = True
            django_otp.login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", "验证码不正确：请确认手机时间准确，并输入当前显示的 6 位数字。")
    if device is None or request.method == "GET":
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    context = {
        "form": form,
        "confirmed": False,
        "required": required_for(user),
        "qr": qr_svg(device.config_url),
        "key": _grouped(device),
        "next": _next(request),
    }
    return render(request, "accounts/second_factor_setup.html", context)


def _grouped(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app without a camera."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
