"""The sign-in page's account of the lockout (django-axes): how many attempts remain after a
wrong password, and when a lock ends.

Axes counts failures per username and client address (settings.AXES_LOCKOUT_PARAMETERS) in
its database handler, which leaves the count on the request after a failure.
"""

from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class LoginView(auth_views.LoginView):
    """Django's sign-in, saying after a wrong password how many tries this address has left."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
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
