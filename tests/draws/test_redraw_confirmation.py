"""A redraw needs a reason that says what was wrong, and a second screen that says what will
happen, before anything is frozen (issue #16, item 5: redraw shopping)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import (
    REDRAW_REASON_RULE,
    DrawStepError,
    complete_draw,
    freeze_draw,
    preview_redraw,
    redraw_reason,
)
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in

pytestmark = pytest.mark.django_db

DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
REASON = "名录漏录两户已开业的旅馆"


def drawn(world: World) -> Draw:
    task = make_task(world)
    return complete_draw(
        freeze_draw(task, actor=SYSTEM), actor=SYSTEM, public_value=DICE, public_source="联席会议"
    )


@pytest.mark.parametrize(
    "reason",
    [
        "",
        "   ",
        "重抽",
        "结果不理想",  # the example: five characters, says nothing of what was wrong
        "！！重新抽取！！",  # punctuation does not count: four characters
        "啊啊啊啊啊啊啊啊",  # one character repeated
        "bad result",  # nine letters
        "aaaaaaaaaaaaaaaa",
    ],
)
def test_redraw_reason_refuses_a_blank_or_token_reason(reason: str) -> None:
    with pytest.raises(DrawStepError) as refused:
        redraw_reason(reason)

    assert str(refused.value) == REDRAW_REASON_RULE


@pytest.mark.parametrize(
    ("reason", "kept"),
    [
        ("名录漏录两户", "名录漏录两户"),  # six Chinese characters
        ("名录库漏录2户", "名录库漏录2户"),
        ("  名录中两户已注销未更新\n", "名录中两户已注销未更新"),
        ("2 firms missing", "2 firms missing"),  # twelve letters and digits
    ],
)
def test_redraw_reason_keeps_a_reason_that_says_what_was_wrong(reason: str, kept: str) -> None:
    assert redraw_reason(reason) == kept


def test_freeze_draw_refuses_a_token_reason_for_every_caller(world: World) -> None:
    old = drawn(world)

    with pytest.raises(DrawStepError, match="必须说明原因"):
        freeze_draw(old.task, actor=SYSTEM, supersedes=old, reason="结果不理想")

    assert list(Draw.objects.values_list("draw_id", flat=True)) == [old.draw_id]


def test_the_first_post_shows_what_will_happen_and_freezes_nothing(world: World) -> None:
    old = drawn(world)

    page = logged_in(world.coordinator).post(
        reverse("draws:step", args=[old.pk]), {"step": "redraw", "reason": f" {REASON} "}
    )

    html = page.content.decode()
    assert page.templates[0].name == "draws/draw_redraw_confirm.html"
    assert page.context["preview"].new_draw_id == "140406-2023-T09-2"
    assert f'<blockquote id="redraw-reason">{REASON}</blockquote>' in html
    assert "仍在公示网站原网址公开，并标明“已被 140406-2023-T09-2 更正”" in html
    assert '<input type="hidden" name="confirmed" value="140406-2023-T09-2">' in html
    assert list(Draw.objects.values_list("draw_id", flat=True)) == [old.draw_id]


def test_confirming_freezes_the_redraw_with_its_reason(world: World) -> None:
    old = drawn(world)
    step = {"step": "redraw", "reason": REASON, "confirmed": "140406-2023-T09-2"}

    response = logged_in(world.coordinator).post(reverse("draws:step", args=[old.pk]), step)

    new = Draw.objects.get(supersedes=old)
    assert response["Location"] == reverse("draws:detail", args=[new.pk])
    assert (new.draw_id, new.reason, new.freeze["redraw_reason"], new.state) == (
        "140406-2023-T09-2",
        REASON,
        REASON,
        "frozen",
    )


def test_a_confirmation_of_another_new_draw_is_shown_again(world: World) -> None:
    # Confirmed for "-3" while the redraw would make "-2": the screen the person saw said
    # something else, so nothing is frozen and the screen is shown again.
    old = drawn(world)
    step = {"step": "redraw", "reason": REASON, "confirmed": "140406-2023-T09-3"}

    page = logged_in(world.coordinator).post(reverse("draws:step", args=[old.pk]), step)

    assert page.templates[0].name == "draws/draw_redraw_confirm.html"
    assert Draw.objects.count() == 1


def test_a_token_reason_is_refused_before_the_confirmation(world: World) -> None:
    old = drawn(world)
    client = logged_in(world.coordinator)

    response = client.post(
        reverse("draws:step", args=[old.pk]),
        {"step": "redraw", "reason": "结果不理想", "confirmed": "140406-2023-T09-2"},
    )

    assert response["Location"] == reverse("draws:detail", args=[old.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [REDRAW_REASON_RULE]
    assert Draw.objects.count() == 1


def test_the_lead_department_cannot_reach_the_confirmation(world: World) -> None:
    old = drawn(world)  # led by 区公安分局

    response = logged_in(world.police_admin).post(
        reverse("draws:step", args=[old.pk]), {"step": "redraw", "reason": REASON}
    )

    assert (response.status_code, Draw.objects.count()) == (403, 1)


def test_only_the_latest_draw_can_be_corrected(world: World) -> None:
    old = drawn(world)
    freeze_draw(old.task, actor=SYSTEM, supersedes=old, reason=REASON)

    with pytest.raises(DrawStepError, match="只能更正本任务最新的一次抽取"):
        preview_redraw(old, actor=world.coordinator, reason=REASON)


def test_the_draw_page_hides_the_redraw_behind_a_disclosure_with_the_rule(world: World) -> None:
    old = drawn(world)

    page = logged_in(world.coordinator).get(reverse("draws:detail", args=[old.pk]))
    text = page.content.decode()

    assert "<summary>更正本次抽取（重新抽取）</summary>" in text
    assert '<button type="submit">下一步：确认</button>' in text
    assert "至少6个汉字或12个字母、数字" in text
    assert f'<a href="/public/draws/{old.draw_id}/" id="public-page">' in text
