"""The back office lists background draw steps, read-only and in scope, so a failed one and
its reason are found without the database shell."""

import pytest
from django.urls import reverse

from shuangsuiji.operations.models import JobState
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in
from tests.factories import draw_job, other_district_coordinator

pytestmark = pytest.mark.django_db


def test_a_failed_job_is_listed_with_its_reason_and_cannot_be_changed(world: World) -> None:
    job = draw_job(make_task(world), state=JobState.FAILED, message="名录读取失败")
    client = logged_in(world.coordinator)

    listing = client.get(reverse("admin:operations_job_changelist"))
    detail = client.get(reverse("admin:operations_job_change", args=[job.pk]))

    assert listing.status_code == 200
    assert job in listing.context["cl"].result_list
    assert "名录读取失败" in detail.content.decode()
    assert not detail.context["has_change_permission"]
    assert client.get(reverse("admin:operations_job_add")).status_code == 403


def test_another_district_does_not_see_the_job(world: World) -> None:
    job = draw_job(make_task(world))
    stranger = other_district_coordinator()

    response = logged_in(stranger).get(reverse("admin:operations_job_change", args=[job.pk]))

    assert response.status_code == 404  # as for any record outside the scope
