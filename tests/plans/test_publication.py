"""A plan is a draft until the coordinator publishes it: drafts are not public and can be
deleted; a published plan is withdrawn only with a recorded reason, and stays public as such.
The page, the admin and the command are refused the same way (plans.publication)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

import shuangsuiji.demo
from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM, NotAllowed
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.plans.models import Plan
from shuangsuiji.plans.publication import (
    PlanStateError,
    delete_draft,
    publish_plan,
    withdraw_plan,
)
from shuangsuiji.plans.services import import_plan
from tests.conftest import World
from tests.factories import other_district_coordinator

pytestmark = pytest.mark.django_db

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
LUCHENG = "lucheng-2023-plan.txt"
REASON = "计划表第12项的配合部门写错，重新导入更正后的计划"


def imported(actor: object = SYSTEM) -> Plan:
    parsed = parse_plan((SEEDS / LUCHENG).read_bytes(), LUCHENG)
    return import_plan(parsed, actor=actor, filename=LUCHENG)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def public_status(plan: Plan) -> tuple[int, bool]:
    """The public plan page's status, and whether the public index lists the plan."""
    page = Client().get(reverse("disclosure:plan", args=[plan.pk]))
    index = Client().get(reverse("disclosure:index")).content.decode()
    return page.status_code, plan.title in index


def test_an_imported_plan_is_a_draft_that_the_public_does_not_see(world: World) -> None:
    plan = imported(world.coordinator)

    assert (plan.is_draft, plan.state_label) == (True, "草稿")
    assert public_status(plan) == (404, False)


def test_publishing_makes_the_plan_public_with_who_and_when(world: World) -> None:
    plan = imported()

    response = signed_in(world.coordinator).post(reverse("plans:publish", args=[plan.pk]))

    plan.refresh_from_db()
    assert response.status_code == 302
    assert (plan.state_label, plan.published_by) == ("已发布", world.coordinator)
    assert plan.published_at is not None
    assert public_status(plan) == (200, True)


def test_only_the_regions_coordinator_publishes(world: World) -> None:
    plan = imported()
    other = other_district_coordinator()

    as_department = signed_in(world.education_admin).post(reverse("plans:publish", args=[plan.pk]))
    as_other_district = signed_in(other).post(reverse("plans:publish", args=[plan.pk]))
    with pytest.raises(NotAllowed):
        publish_plan(plan, actor=world.education_admin)
    with pytest.raises(CommandError):
        call_command("plan", "publish", str(plan.pk), "--user", other.username)

    plan.refresh_from_db()
    assert as_department.status_code == 403
    assert as_other_district.status_code == 404  # another district's plan does not exist for it
    assert plan.is_draft


def test_a_draft_is_deleted_and_a_published_plan_is_not(world: World) -> None:
    draft = imported()
    deleted = signed_in(world.coordinator).post(reverse("plans:delete", args=[draft.pk]))
    published = publish_plan(imported(), actor=SYSTEM)

    refused = signed_in(world.coordinator).post(
        reverse("plans:delete", args=[published.pk]), follow=True
    )
    with pytest.raises(CommandError, match="只能说明原因后撤回"):
        call_command("plan", "delete", str(published.pk), "--user", world.coordinator.username)

    assert deleted.status_code == 302
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert [str(m) for m in refused.context["messages"]] == [
        "已发布的计划不能删除，只能说明原因后撤回"
    ]
    assert Plan.objects.filter(pk=published.pk).exists()


def test_the_admin_offers_no_delete_of_a_published_plan(world: World) -> None:
    published = publish_plan(imported(), actor=SYSTEM)
    admin = signed_in(world.coordinator)

    page = admin.get(reverse("admin:plans_plan_delete", args=[published.pk]))
    posted = admin.post(reverse("admin:plans_plan_delete", args=[published.pk]), {"post": "yes"})

    assert page.status_code == 403
    assert posted.status_code == 403
    assert Plan.objects.filter(pk=published.pk).exists()


def test_a_withdrawal_needs_a_reason_and_the_public_page_says_it(world: World) -> None:
    plan = publish_plan(imported(), actor=SYSTEM)
    client = signed_in(world.coordinator)

    short = client.post(reverse("plans:withdraw", args=[plan.pk]), {"reason": "错了"}, follow=True)
    plan.refresh_from_db()
    still_published = plan.state_label
    client.post(reverse("plans:withdraw", args=[plan.pk]), {"reason": REASON})
    plan.refresh_from_db()
    public = Client().get(reverse("disclosure:plan", args=[plan.pk])).content.decode()

    assert [str(m) for m in short.context["messages"]] == [
        "撤回计划必须说明原因（至少6个字），原因将随计划公示"
    ]
    assert still_published == "已发布"
    assert (plan.state_label, plan.withdrawn_reason) == ("已撤回", REASON)
    assert f"原因：{REASON}" in public
    with pytest.raises(PlanStateError, match="已撤回"):
        publish_plan(plan, actor=SYSTEM)


def test_a_draft_is_not_withdrawn_and_a_published_plan_not_published_twice(world: World) -> None:
    draft = imported()

    with pytest.raises(PlanStateError, match="可以直接删除"):
        withdraw_plan(draft, actor=SYSTEM, reason=REASON)
    published = publish_plan(draft, actor=SYSTEM)
    with pytest.raises(PlanStateError, match="已经发布"):
        publish_plan(published, actor=SYSTEM)
    with pytest.raises(PlanStateError, match="不能删除"):
        delete_draft(published, actor=SYSTEM)


def test_the_command_imports_a_draft_or_publishes_at_once(world: World, tmp_path: Path) -> None:
    source = tmp_path / LUCHENG
    source.write_bytes((SEEDS / LUCHENG).read_bytes())
    out = StringIO()

    call_command("plan", "import", str(source), "--user", world.coordinator.username, stdout=out)
    plan = Plan.objects.get()
    call_command("plan", "publish", str(plan.pk), "--user", world.coordinator.username, stdout=out)
    plan.refresh_from_db()

    assert "草稿" in out.getvalue()
    assert f"已发布“{plan.title}”" in out.getvalue()
    assert not plan.is_draft
