"""`/metrics/` in Prometheus's text format (prometheus_client): requests by view and status
and their durations, background steps by kind and state, and each worker's heartbeat age.

Request counts live in the serving process. gunicorn runs several, and a scrape reaches one of
them, so with `PROMETHEUS_MULTIPROC_DIR` set (prometheus_client's own variable: an empty
directory, emptied at each start) every process writes its counts there and a scrape adds them
up; without it each process counts its own requests only. Steps and heartbeats are read from
the database at each scrape (two small grouped queries), so every server answers the same.

Off unless `METRICS=true`; then answered only to an address in METRICS_ALLOWED (the client's
address as TRUSTED_PROXIES report it; by default this machine only) or to a request bearing
`Authorization: Bearer <METRICS_TOKEN>` — the counts name the platform's views and its load,
which are nobody else's business. Off, the URL answers 404, as if it did not exist.
"""

import hmac
import ipaddress
import os
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from shuangsuiji.lib.client_address import client_address

REQUESTS = CollectorRegistry(auto_describe=True)
REQUEST_COUNT = Counter(
    "shuangsuiji_http_requests",
    "Requests answered, by method, view and status",
    ["method", "view", "status"],
    registry=REQUESTS,
)
REQUEST_DURATION = Histogram(
    "shuangsuiji_http_request_duration_seconds",
    "Time to answer a request, by view",
    ["view"],
    registry=REQUESTS,
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def observe_request(method: str, view: str, status: int, seconds: float) -> None:
    REQUEST_COUNT.labels(method, view, str(status)).inc()
    REQUEST_DURATION.labels(view).observe(seconds)


class DatabaseCollector(Collector):
    """Steps by kind and state, and the heartbeats, as they are in the database now."""

    def collect(self) -> Iterable[Metric]:
        # Imported here: models cannot be imported while Django loads the apps, and this
        # module is imported by the middleware's module at that time.
        from shuangsuiji.operations.heartbeat import STALE_AFTER
        from shuangsuiji.operations.models import Job, WorkerHeartbeat

        jobs = GaugeMetricFamily(
            "shuangsuiji_jobs", "Background steps by kind and state", labels=["kind", "state"]
        )
        rows = Job.objects.order_by().values_list("kind", "state").annotate(n=Count("pk"))
        for kind, state, count in rows:
            jobs.add_metric([kind, state], count)
        yield jobs
        now = timezone.now()
        ages = GaugeMetricFamily(
            "shuangsuiji_worker_heartbeat_age_seconds",
            "Seconds since each worker's last heartbeat",
            labels=["worker", "host", "pid"],
        )
        alive = 0
        for worker_id, host, pid, last_seen in WorkerHeartbeat.objects.values_list(
            "worker_id", "host", "pid", "last_seen"
        ):
            age = now - last_seen
            ages.add_metric([worker_id, host, str(pid)], age.total_seconds())
            alive += age <= STALE_AFTER
        yield ages
        yield GaugeMetricFamily(
            "shuangsuiji_workers_alive",
            f"Workers whose heartbeat is younger than {STALE_AFTER.total_seconds():g} s",
            value=alive,
        )


def request_registry() -> CollectorRegistry:
    """This process's request counts, or every process's in PROMETHEUS_MULTIPROC_DIR."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REQUESTS
    every_process = CollectorRegistry()
    multiprocess.MultiProcessCollector(every_process)  # type: ignore[no-untyped-call]
    return every_process


def exposition() -> bytes:
    """Every metric, in Prometheus's text format."""
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return generate_latest(request_registry()) + generate_latest(database)


def _allowed_addresses() -> Iterator[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    for network in settings.METRICS_ALLOWED:
        yield ipaddress.ip_network(network, strict=False)


def may_read(request: HttpRequest) -> bool:
    """The bearer of METRICS_TOKEN, or a client in METRICS_ALLOWED."""
    token = settings.METRICS_TOKEN
    offered = str(request.headers.get("Authorization", ""))
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in _allowed_addresses())


@require_safe
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS:
        raise Http404
    if not may_read(request):
        return HttpResponseForbidden("无权读取运行指标", content_type="text/plain; charset=utf-8")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
