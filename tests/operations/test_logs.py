"""The log as an operator reads it with LOG_FORMAT=json: one JSON object a line, each request
with its id (the trusted proxy's, else a new one, returned in X-Request-ID), user, path,
status and duration; each background step's start and end, and a crash with its traceback
while the job's page keeps its Chinese message; the chatty libraries quiet."""

import copy
import io
import json
import logging
import logging.config
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from shuangsuiji.directory.models import EntityImport, ImportStatus
from shuangsuiji.directory.tasks import check_import_task
from shuangsuiji.operations import jobs
from shuangsuiji.operations.models import JobKind, JobState
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import draw_job, import_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The settings' own logging, with LOG_FORMAT=json, writing into a buffer."""
    stream = io.StringIO()
    config: dict[str, Any] = copy.deepcopy(
        {k: v for k, v in django_settings.LOGGING.items() if k != "handlers"}
    )
    config["handlers"] = {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
            "stream": stream,
        }
    }
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        logging.config.dictConfig(django_settings.LOGGING)


def lines(stream: io.StringIO, logger: str) -> list[dict[str, Any]]:
    parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in parsed if line["logger"] == logger]


def test_a_request_line_names_the_proxys_id_the_user_path_status_and_duration(
    world: World, json_log: io.StringIO, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address
    client = Client()
    client.force_login(world.coordinator)

    response = client.get(reverse("home"), headers={"X-Request-ID": "nginx-5f2a9c"})

    [line] = lines(json_log, "shuangsuiji.request")
    assert response.headers["X-Request-ID"] == "nginx-5f2a9c"
    assert {k: line[k] for k in ("request_id", "user", "method", "path", "status", "level")} == {
        "request_id": "nginx-5f2a9c",
        "user": "wangmin",
        "method": "GET",
        "path": "/",
        "status": 200,
        "level": "INFO",
    }
    assert isinstance(line["duration_ms"], float)
    assert line["view"] == "home"
    assert datetime.fromisoformat(line["time"]).utcoffset() == timedelta(0)  # UTC, unambiguous


def test_an_id_sent_by_anybody_else_is_replaced_by_a_new_one(
    json_log: io.StringIO, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    response = Client().get(reverse("login"), headers={"X-Request-ID": "planted"})

    [line] = lines(json_log, "shuangsuiji.request")
    assert response.headers["X-Request-ID"] == line["request_id"]
    assert len(line["request_id"]) == 32
    assert (line["user"], line["status"]) == ("-", 200)


def test_lines_logged_while_serving_carry_the_requests_id(
    world: World, json_log: io.StringIO
) -> None:
    client = Client()
    client.force_login(world.coordinator)

    response = client.get("/no-such-page/")

    ids = {line["request_id"] for line in lines(json_log, "django.request")}
    assert (response.status_code, ids) == (404, {response.headers["X-Request-ID"]})


def test_a_step_logs_its_start_and_its_end(world: World, json_log: io.StringIO) -> None:
    job = draw_job(make_task(world))

    jobs.start(job, "读取名录")
    jobs.finish(job, JobState.DONE)

    logged = [(line["message"], line["job_id"]) for line in lines(json_log, "shuangsuiji.jobs")]
    assert logged == [
        (f"job {job.pk} (draw-freeze) started", job.pk),
        (f"job {job.pk} (draw-freeze) done", job.pk),
    ]


def test_a_crashed_step_is_logged_with_its_traceback_and_its_page_keeps_the_chinese_message(
    world: World, json_log: io.StringIO, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path  # the leases
    upload = EntityImport.objects.create(
        created_by=world.coordinator,
        filename="名录.xlsx",
        path="imports/gone.xlsx",  # the stored file was lost
        status=ImportStatus.QUEUED,
    )
    step = import_step(upload, JobKind.CHECK)
    assert not default_storage.exists(upload.path)

    with pytest.raises(FileNotFoundError):
        check_import_task.call(step.pk)

    step.refresh_from_db()
    [failure] = [line for line in lines(json_log, "shuangsuiji.jobs") if line["level"] == "ERROR"]
    assert (step.state, step.message) == (
        JobState.FAILED,
        "处理失败，未写入任何数据：FileNotFoundError",
    )
    assert failure["job_id"] == step.pk
    assert failure["exc_info"].startswith("Traceback (most recent call last):")
    assert "FileNotFoundError" in failure["exc_info"].splitlines()[-1]
    assert "_check" in failure["exc_info"]  # the frame that failed, not only the class name


def test_font_subsetting_is_not_logged_at_info(json_log: io.StringIO) -> None:
    logging.getLogger("fontTools.subset").info("Glyph names: …")
    logging.getLogger("fontTools.subset").warning("a missing glyph")

    assert [line["message"] for line in lines(json_log, "fontTools.subset")] == ["a missing glyph"]
