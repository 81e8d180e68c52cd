"""Tokens: made (shown once), looked up by their digest, revoked."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuangsuiji.api.models import ApiToken

PREFIX = "sjs_"  # makes a leaked token easy to recognise (and to search for in a repository)
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is refreshed at most this often


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(token: ApiToken) -> str:
    """Give an unsaved token record a fresh value and save it; returns the value, which only
    the caller ever sees."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token.digest = token_digest(raw)
    token.save()
    return raw


@transaction.atomic
def create_token(user: Any, *, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token, which is never stored."""
    if not name.strip():
        raise ValueError("请说明令牌的用途")
    token = ApiToken(user=user, name=name.strip()[:100])
    return token, issue(token)


def authenticate(raw: str) -> ApiToken | None:
    """The live token with this value, its active user loaded; None for anything else."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user__department", "user__inspector")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
