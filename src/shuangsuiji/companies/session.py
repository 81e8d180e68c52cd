"""The company's session: which entity the browser speaks for, kept in Django's session, with
no user signed in. Staff pages ask `request.user`, which stays anonymous, so a company session
passes no staff permission; company pages ask `company_of`, which a staff sign-in in the same
browser turns off (a staff member never acts as a company).

Integration point for a real identity (docs/company.md): an 电子营业执照 or provincial unified
login callback that has verified a 统一社会信用代码 calls `start(request, entity)`, as the
printed token's sign-in does now."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect

from shuangsuiji.directory.models import Entity

SESSION_KEY = "company_entity_id"
SESSION_DAYS = 14  # the printed token is single-use: a session outlives a few visits' steps


def start(request: HttpRequest, entity: Entity) -> None:
    """A new session for `entity`: whatever the browser held before (a staff sign-in, another
    company) is ended, and the session key and the CSRF token change (no fixation), as
    Django's own sign-in does."""
    request.session.flush()
    rotate_token(request)
    request.session[SESSION_KEY] = entity.pk
    request.session.set_expiry(SESSION_DAYS * 24 * 3600)


def end(request: HttpRequest) -> None:
    request.session.flush()


def company_of(request: HttpRequest) -> Entity | None:
    """The entity this browser signed in as; None without a company session, and None when a
    staff member is signed in (the staff sign-in keeps the session's other keys)."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    entity_id = request.session.get(SESSION_KEY)
    if not isinstance(entity_id, int):
        return None
    return Entity.objects.filter(pk=entity_id).select_related("region").first()


def company_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view gets the company as its second argument; without one, the sign-in page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        company = company_of(request)
        if company is None:
            return redirect("companies:sign_in")
        return view(request, company, *args, **kwargs)

    return wrapped
