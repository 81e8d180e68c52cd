"""What the platform writes to its log, and in which shape: one line per request (its id, the
user, the path, the status and how long it took) and, through `operations.jobs`, every
background step's start, end and failure with its traceback.

`LOG_FORMAT=json` (settings) writes each line as one JSON object (python-json-logger), for a
log collector; the default `text` is for a person reading journalctl. Either way every line
written while a request is served carries its request id, so a 500's traceback is found from
the id the browser received in `X-Request-ID`.

The id comes from the reverse proxy when it is one of TRUSTED_PROXIES and sent a sane one
(nginx: `proxy_set_header X-Request-ID $request_id;`), so the proxy's access log and ours
share it; anybody else's header is ignored and an id is made here, so a client cannot plant
ids (or text) in the log.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from shuangsuiji.lib.client_address import client_address, from_trusted_proxy
from shuangsuiji.operations import metrics

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # nginx's $request_id is 32 hex digits

request_log = logging.getLogger("shuangsuiji.request")


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request being served (`-` outside a request). Django
    logs a 4xx or 5xx answer after the middleware has finished, with the request attached."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or REQUEST_ID.get()
        return True


def request_id_of(request: HttpRequest) -> str:
    """The trusted proxy's id for the request, else a new one."""
    offered = str(request.headers.get(HEADER, ""))
    if offered and SANE_ID.fullmatch(offered) and from_trusted_proxy(request):
        return offered
    return uuid.uuid4().hex


def _username(request: HttpRequest) -> str:
    # AuditMiddleware reads the user on every request, so this adds no query.
    user = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else "-"


class RequestLogMiddleware:
    """First in MIDDLEWARE: times the whole answer, names the request in every line logged
    while it is served, returns the id in `X-Request-ID`, and counts it for /metrics/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            match = request.resolver_match
            view = match.view_name if match is not None else "-"
            metrics.observe_request(request.method or "-", view, response.status_code, duration)
            request_log.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                duration * 1000,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                    "user": _username(request),
                    "client": client_address(request),
                },
            )
            response[HEADER] = request_id
            return response
        finally:
            REQUEST_ID.reset(token)
