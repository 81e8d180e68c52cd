"""The log reads in words: kinds of record by name, actions in Chinese, each field by its label
with related records by name, choices by their label, times in local time."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.presenters import EntryRow, entry_rows
from shuangsuiji.core.draw import commitment
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import add_commitment, freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in

pytestmark = pytest.mark.django_db


def rows_of(label: str, action: str) -> list[EntryRow]:
    entries = AuditEntry.objects.filter(model=label, action=action).order_by("sequence")
    return entry_rows(list(entries))


def test_an_update_lists_the_changed_fields_by_label_before_and_after(world: World) -> None:
    task = make_task(world)
    task.lead_department = world.education
    task.save()

    [row] = rows_of("plans.plantask", "update")

    assert (row.action, row.kind) == ("修改", "抽查任务")
    assert [(c.label, c.before, c.after) for c in row.changes] == [
        ("发起部门", "区公安分局", "区教育局")
    ]


def test_a_creation_lists_its_filled_in_fields_and_a_frozen_artefact_by_its_digest(
    world: World,
) -> None:
    freeze_draw(make_task(world, entities=120), actor=SYSTEM)

    [row] = rows_of("draws.draw", "create")
    changes = {c.label: c.after for c in row.changes}

    assert row.action == "新增"
    assert changes["状态"] == "名单已冻结，等待种子"  # the choice's label
    assert changes["抽查任务"].endswith("对旅馆业特种行业的双随机抽查")
    draw = Draw.objects.get()
    assert (
        changes["名单"]
        == f"抽取名单 {draw.population_artefact_id}（{draw.population_artefact.size} 字节）"
    )
    assert "ID" not in changes
    assert all(c.after != "—" for c in row.changes)  # empty fields are left out


def test_times_are_shown_in_local_time(world: World) -> None:
    world.coordinator.last_login = datetime(2026, 12, 1, 15, 56, 33, tzinfo=UTC)
    world.coordinator.save()

    [row] = rows_of("accounts.user", "update")

    assert [(c.label, c.after) for c in row.changes] == [("上次登录", "2026-12-01 23:56:33")]


def test_signing_in_is_recorded_as_the_user_s_own_act(world: World) -> None:
    response = Client().post(
        reverse("login"), {"username": "wangmin", "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302

    entry = AuditEntry.objects.filter(model="accounts.user", action="update").latest("sequence")

    assert entry.username == "wangmin"
    assert list(entry.after) == ["last_login"]


def test_the_page_offers_each_kind_of_record_by_name(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    add_commitment(draw, actor=SYSTEM, party="甲", commitment=commitment(draw.draw_id, "甲", "x"))

    page = logged_in(world.coordinator).get(reverse("audit"), {"model": "draws.draw"})

    html = page.content.decode()
    assert '<option value="draws.draw" selected>随机抽取</option>' in html
    assert [row.action for row in page.context["rows"]] == ["修改", "新增"]
    assert "承诺" in html
