"""The Atom feed announces each draw when it is frozen, before any seed, and again when it is
drawn; a redraw is announced with the draw it corrects and its reason (issue #16, item 5)."""

from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.draws.services import complete_draw, freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
REASON = "名录漏录两户已开业的旅馆"


def draw_entries() -> dict[str, tuple[str, str, str]]:
    """id → (title, link, summary) of the feed's draw entries."""
    feed = ElementTree.fromstring(Client().get(reverse("disclosure:feed")).content)
    entries = {}
    for entry in feed.iter(f"{ATOM}entry"):
        key = entry.findtext(f"{ATOM}id") or ""
        if key.startswith("draw"):
            link = entry.find(f"{ATOM}link")
            entries[key] = (
                entry.findtext(f"{ATOM}title") or "",
                link.get("href", "") if link is not None else "",
                entry.findtext(f"{ATOM}summary") or "",
            )
    return entries


def test_a_frozen_draw_is_announced_with_its_freeze_digest_before_any_seed(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    freeze = draw.freeze

    assert draw_entries() == {
        f"draw-frozen:{draw.draw_id}": (
            "名单已冻结：对旅馆业特种行业的双随机抽查",
            f"http://testserver/public/draws/{draw.draw_id}/",
            f"抽取编号 {draw.draw_id}，冻结于 {freeze['frozen_at']}，名单 10 户，"
            f"冻结摘要 {freeze['freeze_digest']}；等待公开随机值。",
        )
    }


def test_a_drawn_draw_is_announced_again_with_its_seed(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    drawn = complete_draw(draw, actor=SYSTEM, public_value=DICE, public_source="联席会议")

    entries = draw_entries()

    assert sorted(entries) == [f"draw-frozen:{draw.draw_id}", f"draw:{draw.draw_id}"]
    assert entries[f"draw:{draw.draw_id}"] == (
        "抽取结果：对旅馆业特种行业的双随机抽查",
        f"http://testserver/public/draws/{draw.draw_id}/",
        f"抽取编号 {draw.draw_id}，种子 {drawn.seed}。",
    )


def test_a_redraw_is_announced_at_its_freeze_with_what_it_corrects_and_why(
    world: World,
) -> None:
    task = make_task(world)
    first = complete_draw(
        freeze_draw(task, actor=SYSTEM), actor=SYSTEM, public_value=DICE, public_source="联席会议"
    )
    second = freeze_draw(task, actor=SYSTEM, supersedes=first, reason=REASON)

    title, link, summary = draw_entries()[f"draw-frozen:{second.draw_id}"]

    assert title == f"重新抽取（更正 {first.draw_id}）：对旅馆业特种行业的双随机抽查"
    assert link == f"http://testserver/public/draws/{second.draw_id}/"
    assert summary.endswith(f"等待公开随机值。本次为重新抽取，更正 {first.draw_id}，原因：{REASON}")
