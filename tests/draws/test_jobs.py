"""Freezing and completing a draw as background jobs: the page starts the step, polls its
progress and then shows the draw. Tasks run on the immediate backend here, except where the
database backend and its worker (`db_worker`, the production path) are the point; `background`
sends even these ten-entity populations through the task, as a million-entity one would go."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.draw import commitment
from shuangsuiji.draws import jobs
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import complete_draw, freeze_draw
from shuangsuiji.operations.models import Job, JobKind, JobState
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import draw_job

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def background(settings: Any) -> None:
    """Every population is large enough for a background job."""
    settings.DRAW_BACKGROUND_FROM = 0


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def complete(client: Client, draw: Draw) -> Any:
    data = {
        "step": "complete",
        "public_value": "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5",
        "public_source": "掷骰",
    }
    return client.post(reverse("draws:step", args=[draw.pk]), data)


@pytest.mark.django_db
def test_each_step_reports_its_stages_in_order(world: World) -> None:
    task = make_task(world)
    heard: list[tuple[str, int]] = []

    draw = freeze_draw(
        task, actor=SYSTEM, progress=lambda stage, percent: heard.append((stage, percent))
    )
    complete_draw(
        draw,
        actor=SYSTEM,
        public_value="1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
        public_source="",
        progress=lambda stage, percent: heard.append((stage, percent)),
    )

    assert heard == [
        ("读取名录", 5),
        ("冻结名单", 45),
        ("计算摘要", 60),
        ("写入记录", 85),
        ("读取名单", 5),
        ("计算摘要", 20),
        ("排序抽取", 50),
        ("写入记录", 85),
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("background", "immediate_tasks")
def test_freeze_then_complete_as_jobs_lead_to_the_drawn_draw(world: World) -> None:
    task = make_task(world)
    client = logged_in(world.coordinator)

    frozen = client.post(reverse("draws:task", args=[task.pk]))
    draw = Draw.objects.get()
    completed = complete(client, draw)

    draw.refresh_from_db()
    done = list(
        Job.objects.order_by("pk").values_list(
            "kind", "state", "progress", "stage", "draw", "created_by"
        )
    )
    assert (frozen.url, completed.url, draw.state) == (
        reverse("draws:detail", args=[draw.pk]),
        reverse("draws:detail", args=[draw.pk]),
        "drawn",
    )
    assert done == [
        (JobKind.FREEZE, JobState.DONE, 100, "完成", draw.pk, world.coordinator.pk),
        (JobKind.COMPLETE, JobState.DONE, 100, "完成", draw.pk, world.coordinator.pk),
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("background", "immediate_tasks")
def test_a_failed_completion_writes_nothing_and_shows_why(world: World) -> None:
    task = make_task(world)
    draw = freeze_draw(task, actor=SYSTEM)
    client = logged_in(world.coordinator)
    client.post(
        reverse("draws:step", args=[draw.pk]),
        {"step": "commit", "party": "甲", "commitment": commitment(draw.draw_id, "甲", "s")},
    )

    complete(client, draw)
    page = client.get(reverse("draws:detail", args=[draw.pk]))

    draw.refresh_from_db()
    job = Job.objects.get()
    assert (draw.state, draw.seed, draw.bundle) == ("frozen", "", None)
    assert (job.state, job.message) == (
        JobState.FAILED,
        "已有承诺但尚无揭示：请先揭示秘密，再录入公开随机值",
    )
    assert page.context["job"] == job
    assert "已有承诺但尚无揭示" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("background", "immediate_tasks")
def test_a_failed_freeze_writes_no_draw_and_the_task_page_says_why(world: World) -> None:
    task = make_task(world, entities=0)
    client = logged_in(world.coordinator)

    started = client.post(reverse("draws:task", args=[task.pk]))
    page = client.get(reverse("draws:task", args=[task.pk]))

    job = Job.objects.get()
    assert (started.url, Draw.objects.count()) == (reverse("draws:task", args=[task.pk]), 0)
    assert (job.state, job.message) == (
        JobState.FAILED,
        f"任务“{task}”的抽取名单为空：请检查抽查对象范围",
    )
    assert page.context["job"] == job


@pytest.mark.django_db
@pytest.mark.usefixtures("background", "immediate_tasks")
def test_only_the_coordinator_may_start_a_freeze_or_a_completion(world: World) -> None:
    task = make_task(world)  # led by 区公安分局
    draw = freeze_draw(task, actor=SYSTEM)
    lead = logged_in(world.police_admin)

    freeze = lead.post(reverse("draws:task", args=[task.pk]))
    completion = complete(lead, draw)

    draw.refresh_from_db()
    assert (freeze.status_code, completion.status_code) == (403, 403)
    assert (Job.objects.count(), draw.state) == (0, "frozen")


@pytest.mark.django_db
@pytest.mark.usefixtures("background", "immediate_tasks")
def test_a_second_start_while_a_step_is_queued_is_refused(world: World) -> None:
    task = make_task(world)
    queued = draw_job(task, created_by=world.coordinator)
    client = logged_in(world.coordinator)

    response = client.post(reverse("draws:task", args=[task.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "本任务已有一个抽取步骤正在进行，请等它完成后再试"
    ]
    assert (list(Job.objects.all()), Draw.objects.count()) == ([queued], 0)


@pytest.mark.django_db
def test_a_small_population_is_frozen_in_the_request_without_a_worker(world: World) -> None:
    task = make_task(world)

    response = logged_in(world.coordinator).post(reverse("draws:task", args=[task.pk]))

    draw = Draw.objects.get()
    assert response.url == reverse("draws:detail", args=[draw.pk])
    assert Job.objects.get().state == JobState.DONE


@pytest.mark.django_db
def test_a_crashed_step_is_marked_failed_instead_of_polled_forever(world: World) -> None:
    job = draw_job(make_task(world))

    jobs.fail_job(job.pk, RuntimeError("lost"))

    job.refresh_from_db()
    assert (job.state, job.message) == (JobState.FAILED, "处理中断：RuntimeError")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("background")
def test_the_database_backend_queues_the_freeze_for_db_worker(world: World) -> None:
    task = make_task(world)
    client = logged_in(world.coordinator)
    started = client.post(reverse("draws:task", args=[task.pk]))
    job = Job.objects.get()
    waiting = client.get(reverse("draws:task", args=[task.pk]))
    polled = client.get(reverse("draws:job", args=[job.pk]), HTTP_HX_REQUEST="true")

    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    finished = client.get(reverse("draws:job", args=[job.pk]), HTTP_HX_REQUEST="true")

    job.refresh_from_db()
    draw = Draw.objects.get()
    assert (started.url, job.state, job.progress, job.draw) == (
        reverse("draws:task", args=[task.pk]),
        JobState.DONE,
        100,
        draw,
    )
    assert (waiting.context["job"], polled.templates[0].name) == (job, "draws/_job.html")
    assert 'hx-trigger="every 1s"' in polled.content.decode()
    assert finished["HX-Redirect"] == reverse("draws:detail", args=[draw.pk])
