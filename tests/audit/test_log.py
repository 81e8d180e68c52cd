"""Every change is on the record, chained so that an edited or removed entry is found."""

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.audit.chain import first_break
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.core.draw import commitment
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import add_commitment, freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in

pytestmark = pytest.mark.django_db


def test_a_change_through_a_page_is_recorded_with_its_user_and_both_values(world: World) -> None:
    task = make_task(world, entities=120)
    draw = freeze_draw(task)
    client = logged_in(world.coordinator)

    client.post(
        reverse("draws:step", args=[draw.pk]),
        {
            "step": "commit",
            "party": "区公安分局",
            "commitment": commitment(draw.draw_id, "区公安分局", "s"),
        },
    )

    entry = AuditEntry.objects.filter(model="draws.draw", action="update").latest("sequence")
    assert entry.username == "wangmin"
    assert entry.before == {"commitments": []}
    assert entry.after["commitments"][0]["party"] == "区公安分局"
    created = AuditEntry.objects.get(model="draws.draw", action="create", object_id=str(draw.pk))
    assert created.after["population_csv"]["length"] == len(draw.population_csv)  # large: digest


def test_the_chain_holds_and_breaks_where_an_entry_is_edited_or_removed(world: World) -> None:
    draw = freeze_draw(make_task(world))
    add_commitment(draw, party="甲", commitment=commitment(draw.draw_id, "甲", "x"))
    entries = AuditEntry.objects.order_by("sequence")
    assert first_break(entries) is None
    middle = entries[len(entries) // 2]

    AuditEntry.objects.filter(pk=middle.pk).update(after={"forged": True})
    assert first_break(AuditEntry.objects.order_by("sequence")) == (
        f"第 {middle.sequence} 条的内容与其摘要不符（被改动）"
    )
    AuditEntry.objects.filter(pk=middle.pk).delete()
    assert "缺失" in (first_break(AuditEntry.objects.order_by("sequence")) or "")


def test_the_log_page_is_for_the_coordinator_and_auditor_and_shows_the_check(world: World) -> None:
    make_task(world)

    page = logged_in(world.auditor).get(reverse("audit"))

    assert page.status_code == 200
    assert page.context["broken"] is None
    assert page.context["total"] == AuditEntry.objects.count() > 0
    assert logged_in(world.education_admin).get(reverse("audit")).status_code == 403
    assert Client().get(reverse("audit")).status_code == 302
    assert Draw.objects.count() == 0
