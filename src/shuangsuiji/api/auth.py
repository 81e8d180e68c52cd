"""`Authorization: Bearer <token>`: the request then acts as the token's user everywhere —
row scope, model permissions, the services' own checks and the audit log."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from shuangsuiji.api.models import ApiToken
from shuangsuiji.api.services import authenticate
from shuangsuiji.audit.recorder import ACTOR


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = authenticate(token.strip())
        if found is None:
            return None
        user: Any = found.user
        request.user = user
        # The audit middleware ran before the token was read; it resets this when it ends.
        ACTOR.set(user)
        return found
