"""`/metrics/`: absent unless METRICS is on; then read by this machine (METRICS_ALLOWED) or the
bearer of METRICS_TOKEN only, in Prometheus's format, with requests, steps by state and each
worker's heartbeat age."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from shuangsuiji.operations import heartbeat
from shuangsuiji.operations.models import JobState, WorkerHeartbeat
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import draw_job

pytestmark = pytest.mark.django_db

ELSEWHERE = {"REMOTE_ADDR": "10.1.2.3"}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_off_by_default_it_is_not_there(settings: Any) -> None:
    assert settings.METRICS is False

    assert Client().get(reverse("metrics")).status_code == 404


def test_on_it_answers_this_machine_and_refuses_others(settings: Any) -> None:
    settings.METRICS = True

    here = Client().get(reverse("metrics"))
    there = Client().get(reverse("metrics"), **ELSEWHERE)

    assert (here.status_code, there.status_code) == (200, 403)
    assert here["Content-Type"].startswith("text/plain; version=")


def test_on_a_scraper_elsewhere_reads_it_with_the_token_only(settings: Any) -> None:
    settings.METRICS = True
    settings.METRICS_TOKEN = "s3cret-scraper-token"

    good = Client().get(
        reverse("metrics"), headers={"Authorization": "Bearer s3cret-scraper-token"}, **ELSEWHERE
    )
    bad = Client().get(reverse("metrics"), headers={"Authorization": "Bearer guess"}, **ELSEWHERE)

    assert (good.status_code, bad.status_code) == (200, 403)


def test_it_counts_requests_steps_by_state_and_heartbeat_ages(world: World, settings: Any) -> None:
    settings.METRICS = True
    task = make_task(world)
    draw_job(task, state=JobState.FAILED)
    heartbeat.beat("worker-a", timezone.now())
    Client().get(reverse("login"))
    before = samples(Client().get(reverse("metrics")).content.decode())
    Client().get(reverse("login"))

    after = samples(Client().get(reverse("metrics")).content.decode())

    login = (
        "shuangsuiji_http_requests_total",
        (("method", "GET"), ("status", "200"), ("view", "login")),
    )
    assert after[login] - before[login] == 1
    assert after[("shuangsuiji_jobs", (("kind", "draw-freeze"), ("state", "failed")))] == 1
    assert after[("shuangsuiji_workers_alive", ())] == 1
    [(key, age)] = [
        (key, value)
        for key, value in after.items()
        if key[0] == "shuangsuiji_worker_heartbeat_age_seconds"
    ]
    assert dict(key[1])["worker"] == "worker-a"
    assert 0 <= age < heartbeat.STALE_AFTER.total_seconds()


def test_a_stale_worker_shows_its_age_and_is_not_counted_alive(settings: Any) -> None:
    settings.METRICS = True
    heartbeat.beat("worker-b", timezone.now())
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=10))

    found = samples(Client().get(reverse("metrics")).content.decode())

    assert found[("shuangsuiji_workers_alive", ())] == 0
    [age] = [v for k, v in found.items() if k[0] == "shuangsuiji_worker_heartbeat_age_seconds"]
    assert age >= 600


COUNT_ONE_REQUEST = """
import django
django.setup()
from shuangsuiji.operations import metrics
metrics.observe_request("GET", "home", 200, 0.1)
"""
EXPOSE = """
import django
django.setup()
from prometheus_client import generate_latest
from shuangsuiji.operations import metrics
print(generate_latest(metrics.request_registry()).decode())
"""


def test_with_a_multiprocess_directory_a_scrape_adds_up_every_workers_requests(
    tmp_path: Path,
) -> None:
    """gunicorn's workers are processes: two count a request each, a third answers the scrape."""
    shared = tmp_path / "prometheus"
    shared.mkdir()
    environment = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(shared),
        "DJANGO_SETTINGS_MODULE": "shuangsuiji.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "SHUANGSUIJI_DATA_DIR": str(tmp_path),
    }

    def python(program: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", program],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    python(COUNT_ONE_REQUEST)
    python(COUNT_ONE_REQUEST)
    scraped = samples(python(EXPOSE))

    home = (
        "shuangsuiji_http_requests_total",
        (("method", "GET"), ("status", "200"), ("view", "home")),
    )
    assert scraped[home] == 2
