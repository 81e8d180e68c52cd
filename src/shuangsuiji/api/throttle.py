"""Rate limits: requests per minute per token, or per address without one, counted in the
database in fixed one-minute windows.

Several app servers share one PostgreSQL and no memory, so a counter in a process (or Django's
default local-memory cache) would let each server grant the whole limit. One upsert per request
counts and reads in a single statement; a caller's first request of a window clears the ended
windows.
"""

import math
import threading
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from shuangsuiji.api.models import RateWindow
from shuangsuiji.lib.client_address import client_address

WINDOW_SECONDS = 60


def count_request(key: str, window: int) -> int:
    """Add one request to `key`'s window and return the window's count (atomic, any server)."""
    table, key_column, window_column, count_column = (
        connection.ops.quote_name(name)
        for name in (RateWindow._meta.db_table, "key", "window", "count")
    )
    sql = (
        f"INSERT INTO {table} ({key_column}, {window_column}, {count_column}) "
        f"VALUES (%s, %s, 1) ON CONFLICT ({key_column}, {window_column}) "
        f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 RETURNING {count_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window])
        (count,) = cursor.fetchone()
    if count == 1:
        RateWindow.objects.filter(window__lt=window).delete()
    return int(count)


class DatabaseThrottle(BaseThrottle):
    """API_RATE_LIMIT requests a minute per token; API_ANON_RATE_LIMIT per address for the
    endpoints open without one (0 turns a limit off). The address is the one the login lockout
    counts too (lib/client_address.py), not ninja's own reading of X-Forwarded-For."""

    def __init__(self) -> None:
        self._last = threading.local()  # one instance serves every request of the API

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if token is not None:
            key, limit = f"token:{token.pk}", settings.API_RATE_LIMIT
        else:
            key, limit = f"address:{client_address(request)}"[:100], settings.API_ANON_RATE_LIMIT
        self._last.retry_after = None
        if limit <= 0:
            return True
        now = time.time()
        window = int(now) // WINDOW_SECONDS * WINDOW_SECONDS
        if count_request(key, window) <= limit:
            return True
        self._last.retry_after = max(1.0, math.ceil(window + WINDOW_SECONDS - now))
        return False

    def wait(self) -> float | None:
        return getattr(self._last, "retry_after", None)
