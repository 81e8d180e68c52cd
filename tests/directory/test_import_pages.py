"""The web import: upload → background check → preview or every problem → confirm → one
transaction. Tasks run on the immediate backend here, except where the database backend and
its worker (`db_worker`, the production path) are the point."""

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shuangsuiji.directory import services
from shuangsuiji.directory.enums import ImportStatus
from shuangsuiji.directory.importers import ENTITY_COLUMNS
from shuangsuiji.directory.models import Entity, EntityImport, ScopeCategory
from shuangsuiji.directory.services import check_entities_file, ensure_region_chain
from shuangsuiji.lib.leases import held
from shuangsuiji.operations.jobs import LEASE
from shuangsuiji.operations.models import Job, JobState
from tests.conftest import World
from tests.factories import DepartmentFactory, EntityFactory, make_user, next_uscc
from tests.files import xlsx_bytes

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
UPLOAD = reverse("directory:import-upload")


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def row(**overrides: str) -> list[str]:
    values = dict.fromkeys(ENTITY_COLUMNS, "")
    values.update(
        {"统一社会信用代码": next_uscc(), "名称": "潞城区鑫源网吧", "行政区划代码": "140406"}
    )
    values.update(overrides)
    return [values[column] for column in ENTITY_COLUMNS]


def upload_file(rows: list[list[str]], name: str = "名录.xlsx") -> io.BytesIO:
    file = xlsx_bytes([list(ENTITY_COLUMNS), *rows])
    file.name = name
    return file


def upload(user: Any, rows: list[list[str]]) -> tuple[Client, EntityImport]:
    client = Client()
    client.force_login(user)
    response = client.post(UPLOAD, {"file": upload_file(rows)})
    job = EntityImport.objects.get()
    assert response["Location"] == reverse("directory:import", args=[job.pk])
    return client, job


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_tasks")
def test_problems_are_shown_by_row_and_column_and_nothing_is_written(world: World) -> None:
    before = Entity.objects.count()
    client, job = upload(
        world.coordinator,
        [row(), row(统一社会信用代码="91140406MA0L5XJ570"), row(行政区划代码="999999")],
    )

    page = client.get(reverse("directory:import", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert [(p["row"], p["column"], p["value"]) for p in page.context["job"].problems] == [
        (3, "统一社会信用代码", "91140406MA0L5XJ570"),
        (4, "行政区划代码", "999999"),
    ]
    assert "<td>统一社会信用代码</td><td>91140406MA0L5XJ570</td>" in page.content.decode()
    assert Entity.objects.count() == before


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_tasks")
def test_a_clean_file_is_previewed_then_written_on_confirm(world: World) -> None:
    ScopeCategory.objects.create(name="网吧")
    rows = [row(名称=f"潞城区第{n}网吧", 检查对象类别="网吧") for n in range(3)]
    client, job = upload(world.coordinator, rows)
    preview = client.get(reverse("directory:import", args=[job.pk]))
    written_before_confirm = Entity.objects.filter(name__endswith="网吧").count()

    client.post(reverse("directory:import-confirm", args=[job.pk]))

    job.refresh_from_db()
    assert [r["cells"][1] for r in preview.context["job"].preview] == [
        "潞城区第0网吧",
        "潞城区第1网吧",
        "潞城区第2网吧",
    ]
    assert written_before_confirm == 0
    assert (job.status, job.created_count) == (ImportStatus.DONE, 3)
    assert Entity.objects.filter(categories__name="网吧").count() == 3
    assert not default_storage.exists(job.path)


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_tasks")
def test_confirm_writes_nothing_when_the_directory_changed_since_the_preview(
    world: World,
) -> None:
    taken = next_uscc()
    client, job = upload(world.coordinator, [row(), row(统一社会信用代码=taken), row()])
    EntityFactory(uscc=taken)  # someone else added it meanwhile
    before = Entity.objects.count()

    client.post(reverse("directory:import-confirm", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert [(p["row"], p["column"]) for p in job.problems] == [(3, "统一社会信用代码")]
    assert Entity.objects.count() == before


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_tasks")
def test_a_file_can_be_confirmed_only_once(world: World) -> None:
    client, job = upload(world.coordinator, [row()])
    confirm = reverse("directory:import-confirm", args=[job.pk])
    client.post(confirm)

    again = client.post(confirm, follow=True)

    assert [str(m) for m in again.context["messages"]] == ["该文件不在待确认状态，不能导入。"]
    assert Entity.objects.filter(name="潞城区鑫源网吧").count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_tasks")
def test_polling_gets_the_job_section_which_stops_polling_when_done(world: World) -> None:
    client, job = upload(world.coordinator, [row()])
    job.status, job.total_rows = ImportStatus.CHECKING, 4000
    job.save()
    check = job.jobs.get()
    Job.objects.filter(pk=check.pk).update(
        state=JobState.RUNNING, progress=25, done=1000, total=4000
    )
    page = reverse("directory:import", args=[job.pk])

    with held(LEASE, check.pk):  # as the worker checking it does
        running = client.get(page, HTTP_HX_REQUEST="true").content.decode()
    EntityImport.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKED)
    finished = client.get(page, HTTP_HX_REQUEST="true").content.decode()

    assert running.lstrip().startswith('<section id="job" hx-get=')
    assert 'value="25"' in running
    assert "hx-trigger" not in finished


@pytest.mark.django_db
def test_department_admin_and_inspector_may_not_import(world: World) -> None:
    statuses = []
    for user in (world.education_admin, world.inspector_user):
        client = Client()
        client.force_login(user)
        statuses += [client.get(UPLOAD).status_code, client.post(UPLOAD).status_code]

    assert statuses == [403, 403, 403, 403]


@pytest.mark.django_db
@pytest.mark.usefixtures("immediate_tasks")
def test_another_districts_coordinator_cannot_see_or_confirm_the_import(world: World) -> None:
    _, job = upload(world.coordinator, [row()])
    chengqu = ensure_region_chain(("140000", "山西省"), ("140500", "晋城市"), ("140502", "城区"))
    other = Client()
    other.force_login(make_user("cq", "协调员", DepartmentFactory(region=chengqu)))

    seen = other.get(reverse("directory:import", args=[job.pk])).status_code
    confirmed = other.post(reverse("directory:import-confirm", args=[job.pk])).status_code

    assert (seen, confirmed) == (404, 404)
    assert EntityImport.objects.get().status == ImportStatus.CHECKED


def test_check_reports_progress_every_so_many_rows(
    db: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    reports: list[tuple[int, int]] = []

    check_entities_file(
        upload_file([row() for _ in range(5)]),
        "名录.xlsx",
        actor=world.coordinator,
        progress=lambda done, total: reports.append((done, total)),
    )

    assert reports == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_check_for_db_worker(world: World) -> None:
    _, job = upload(world.coordinator, [row(), row()])
    queued = EntityImport.objects.get(pk=job.pk).status

    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    assert (queued, job.status, job.checked_rows) == (ImportStatus.QUEUED, "checked", 2)
