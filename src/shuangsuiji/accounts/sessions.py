"""How long a sign-in lasts (等保 2.0: 登录连接超时自动退出): it ends after SESSION_IDLE_MINUTES
without a request, and SESSION_MAX_HOURS after the password was given, however busy the user.

Django's own SESSION_COOKIE_AGE counts from the session's last save, so it is neither: the two
moments are kept in the session and checked on every request. The last request's time is saved
at most once a minute (a session write on every request would be a database write on every
page), so the idle limit holds to within a minute.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
ENDED_BECAUSE = "session_ended_because"  # read once by the sign-in page
SEEN_GRANULARITY = 60  # seconds

ENDINGS = {
    "idle": "您已超过 {minutes} 分钟未操作，为安全起见已自动退出，请重新登录。",
    "age": "本次登录已满 {hours} 小时，为安全起见已自动退出，请重新登录。",
}


def stamp(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in: the sign-in's start, and its first activity."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def ended_because(request: HttpRequest) -> str:
    """Why the last sign-in ended on its own, once (the sign-in page says it)."""
    reason = request.session.pop(ENDED_BECAUSE, "")
    if reason not in ENDINGS:
        return ""
    return ENDINGS[reason].format(
        minutes=settings.SESSION_IDLE_MINUTES, hours=settings.SESSION_MAX_HOURS
    )


def expiry(session: Any, now: float) -> str:
    """'idle', 'age', or '' while the sign-in holds."""
    signed_in = float(session.get(SIGNED_IN_AT, now))
    last_seen = float(session.get(LAST_SEEN_AT, now))
    if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - signed_in > settings.SESSION_MAX_HOURS * 3600:
        return "age"
    return ""


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware: sign out a sign-in that has ended, then serve the
    request as anybody's (a page behind login sends the user to sign in, which says why)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            reason = expiry(session, now)
            if reason:
                logout(request)
                request.session[ENDED_BECAUSE] = reason
            else:
                # A session from before this rule has neither stamp: it starts now.
                session.setdefault(SIGNED_IN_AT, now)
                if now - float(session.get(LAST_SEEN_AT, 0)) >= SEEN_GRANULARITY:
                    session[LAST_SEEN_AT] = now
        return self.get_response(request)
