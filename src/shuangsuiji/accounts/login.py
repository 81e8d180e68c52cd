"""The sign-in page: its account of the lockout (django-axes) — how many attempts remain after
a wrong password, and when a lock ends —, the refusal of the demo's public password outside
the demo, why the last sign-in ended on its own (`accounts.sessions`), and the way on to the
second factor (`accounts.second_factor`).

Axes counts failures per username and client address (settings.AXES_LOCKOUT_PARAMETERS) in
its database handler, which leaves the count on the request after a failure.

An account whose password is the demo's is refused at sign-in, not at the server's start:
refusing the start would take the platform from everybody for one account, and finding such
an account at start would cost one password hash per user; refused at sign-in, that account
and no other waits until an administrator sets it a new password (which the validators then
check), and the refusal covers any account, whatever its name.
"""

from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuangsuiji.accounts import second_factor, sessions
from shuangsuiji.accounts.passwords import is_demo_password

DEMO_PASSWORD_REFUSED = (
    "该账号仍在使用演示环境的公开密码，正式环境不允许以此密码登录。请联系系统管理员重设密码。"
)


class DemoPasswordRefusal:
    """Refuse a correct password that is the demo's, outside the demo (`DEMO`)."""

    cleaned_data: dict[str, Any]

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)  # type: ignore[misc]
        if not settings.DEMO and is_demo_password(self.cleaned_data.get("password") or ""):
            raise ValidationError(DEMO_PASSWORD_REFUSED, code="demo_password")


class SignInForm(DemoPasswordRefusal, AuthenticationForm):
    pass


class AdminSignInForm(DemoPasswordRefusal, AdminAuthenticationForm):
    pass


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class LoginView(auth_views.LoginView):
    """Django's sign-in, saying after a wrong password how many tries this address has left."""

    form_class = SignInForm

    def get_success_url(self) -> str:
        after = super().get_success_url()
        if second_factor.pending(self.request):
            return second_factor.next_step(self.request, after)
        return after

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        refused = form is not None and form.has_error("__all__", "demo_password")
        context["refusal"] = DEMO_PASSWORD_REFUSED if refused else ""
        context["ended_because"] = sessions.ended_because(self.request)
        failures = getattr(self.request, "axes_failures_since_start", None)
        if failures:
            context["attempts_left"] = max(settings.AXES_FAILURE_LIMIT - failures, 0)
            context["lockout_minutes"] = lockout_minutes()
        return context


def locked_until(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime | None:
    """When the lock on these credentials from this address ends: the last failure counted
    against it plus the cool-off (a failure during the lock moves it on, as axes counts it)."""
    latest = [
        attempts.aggregate(latest=Max("attempt_time"))["latest"]
        for attempts in AxesDatabaseHandler().get_user_attempts(request, credentials)
    ]
    known = [moment for moment in latest if moment is not None]
    return max(known) + settings.AXES_COOLOFF_TIME if known else None


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the locked-out page, with the lock's end in local time."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": get_client_username(request, credentials) or "",
        "locked_until": locked_until(request, credentials),
        "lockout_minutes": lockout_minutes(),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
