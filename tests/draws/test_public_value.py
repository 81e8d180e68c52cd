"""The public value in the app (shuangsuiji-draw/2): the service refuses anything but 20 dice
for every caller — page, command, background job — and records the canonical value; the page
shows a re-rendered value back before using it; a redraw binds what it supersedes; a draw
frozen under version 1 still completes as version 1."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.artefacts.models import ArtefactKind
from shuangsuiji.artefacts.services import store_text
from shuangsuiji.core import draw as rule
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import DrawStepError, complete_draw, freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in

pytestmark = pytest.mark.django_db

DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
TYPED = "６，2，5，1，3，4、4、6、1、2、5 5 3 6 2 1 4 3 6 5"


def test_the_service_refuses_six_dice_naming_the_count(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=world.coordinator)

    with pytest.raises(DrawStepError) as refused:
        complete_draw(draw, actor=world.coordinator, public_value="6 2 5 1 3 4", public_source="")

    draw.refresh_from_db()
    assert str(refused.value) == "公开随机值应为20个骰子点数（每个 1–6），录入了6个"
    assert (draw.state, draw.seed) == ("frozen", "")


def test_the_service_records_the_canonical_value_and_its_time(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=world.coordinator)

    done = complete_draw(draw, actor=world.coordinator, public_value=TYPED, public_source="会议")

    ceremony = done.bundle["ceremony"]
    assert (done.bundle["spec"], ceremony["public_value"], ceremony["public_format"]) == (
        rule.SPEC_V2,
        DICE,
        "dice:d6x20",
    )
    assert ceremony["public_value_at"] >= done.bundle["frozen_at"]
    assert rule.verify(done.bundle, rule.read_population_csv(done.population_csv)) == []


def test_the_command_refuses_the_same_way(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=world.coordinator)

    with pytest.raises(CommandError) as refused:
        call_command(
            "draw", "complete", str(draw.pk), "--public-value", "6 2 9", "--user", "wangmin"
        )

    assert str(refused.value) == "公开随机值第3个骰子“9”无效：六面骰的点数为 1–6"


def test_the_page_shows_a_re_rendered_value_back_and_draws_only_once_confirmed(
    world: World,
) -> None:
    draw = freeze_draw(make_task(world), actor=world.coordinator)
    client = logged_in(world.coordinator)
    step = reverse("draws:step", args=[draw.pk])
    form = {"step": "complete", "public_value": TYPED, "public_source": "联席会议"}

    shown = client.post(step, form)
    draw.refresh_from_db()
    state_after_typing = draw.state
    confirmed = client.post(step, {**form, "public_value": DICE, "confirmed": DICE})

    draw.refresh_from_db()
    assert (shown.status_code, shown.context["confirm"]["value"]) == (200, DICE)
    assert (state_after_typing, confirmed.status_code, draw.state) == ("frozen", 302, "drawn")
    assert draw.bundle["ceremony"]["public_source"] == "联席会议"


def test_the_page_refuses_a_wrong_value_with_the_rules_message(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=world.coordinator)
    client = logged_in(world.coordinator)

    page = client.post(
        reverse("draws:step", args=[draw.pk]),
        {"step": "complete", "public_value": "6 2 5 1 3 4"},
        follow=True,
    )

    assert [str(m) for m in page.context["messages"]] == [
        "公开随机值应为20个骰子点数（每个 1–6），录入了6个"
    ]
    assert Draw.objects.get().state == "frozen"


def test_the_system_kind_takes_server_randomness_declared(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=world.coordinator)

    done = complete_draw(
        draw, actor=world.coordinator, public_value="", public_source="演练", system=True
    )

    ceremony = done.bundle["ceremony"]
    assert (ceremony["kind"], ceremony["public_format"]) == ("system", "system")
    assert rule.HEX64.fullmatch(ceremony["public_value"]) is not None


def test_a_redraw_binds_the_draw_it_supersedes_and_its_reason(world: World) -> None:
    task = make_task(world)
    old = complete_draw(
        freeze_draw(task, actor=SYSTEM), actor=SYSTEM, public_value=DICE, public_source=""
    )
    new = complete_draw(
        freeze_draw(task, actor=SYSTEM, supersedes=old, reason="名录库漏录2户"),
        actor=SYSTEM,
        public_value=DICE,
        public_source="",
    )
    population = rule.read_population_csv(new.population_csv)
    relabelled = {**new.bundle, "supersedes": None, "redraw_reason": ""}

    assert (new.bundle["supersedes"], new.bundle["redraw_reason"]) == (old.draw_id, "名录库漏录2户")
    assert rule.verify(new.bundle, population) == []
    assert rule.verify(relabelled, population)[0].split("：")[0] == "freeze_digest 不符"


def test_a_draw_frozen_under_version_1_completes_as_version_1(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    population = rule.read_population_csv(draw.population_csv)
    v1 = rule.freeze_record(
        draw.draw_id,
        rule.Parameters.from_dict(draw.freeze["parameters"]),
        population,
        draw.exclusions,
        draw.freeze["task"],
        spec=rule.SPEC,
    )
    # a version-1 freeze was stored with the version-1 listing: codes and classes, no salts
    listing = store_text(ArtefactKind.POPULATION, rule.write_population_csv(population))
    Draw.objects.filter(pk=draw.pk).update(freeze=v1, population_artefact=listing)

    done = complete_draw(draw, actor=SYSTEM, public_value=TYPED, public_source="")

    assert (done.bundle["spec"], done.bundle["ceremony"]["public_value"]) == (rule.SPEC, DICE)
    assert rule.verify(done.bundle, population) == []
