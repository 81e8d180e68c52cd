"""A draw is public from the moment it is frozen, before any seed exists: its page (at the URL
its result will have), the public index and plan page (issue #16, item 5)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.api.services import create_token
from shuangsuiji.core.draw import commitment
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import add_commitment, add_reveal, complete_draw, freeze_draw
from shuangsuiji.plans.models import PlanTask
from tests.conftest import World
from tests.draws.test_services import make_task

pytestmark = pytest.mark.django_db

DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
REASON = "名录漏录两户已开业的旅馆"


def page_of(draw: Draw) -> str:
    return reverse("disclosure:draw", args=[draw.draw_id])


def test_a_frozen_draw_shows_its_freeze_before_any_seed(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)

    response = Client().get(page_of(draw))
    html = response.content.decode()

    assert response.templates[0].name == "disclosure/draw_frozen.html"
    assert response["Cache-Control"] == "public, max-age=60"
    assert f'<code id="freeze-digest">{draw.freeze["freeze_digest"]}</code>' in html
    assert f'冻结时间 <span id="frozen-at">{draw.freeze["frozen_at"]}</span>' in html
    # make_task: ten hotels classed A B C D A B C D A B, one cancelled (excluded).
    assert (
        '名单 <span id="population-size">10</span> 户：A 低风险 3 户，B 一般风险 3 户，'
        "C 较高风险 2 户，D 高风险 2 户；"
    ) in html
    assert "排除 1 户" in html
    assert "<dt>抽查比例</dt><dd>30%</dd>" in html
    assert "<strong>等待公开随机值</strong>" in html
    assert '<td colspan="4">尚无部门登记承诺</td>' in html


def test_the_frozen_page_names_no_entity(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    codes = [line.split(",")[0] for line in draw.population_csv.splitlines()[1:]]
    codes += [e["uscc"] for e in draw.exclusions]

    html = Client().get(page_of(draw)).content.decode()

    assert len(codes) == 11
    assert [code for code in codes if code in html] == []


def test_commitments_appear_as_registered_and_reveals_as_made(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    police = commitment(draw.draw_id, "区公安分局", "s1")
    market = commitment(draw.draw_id, "区市场监管局", "s2")
    add_commitment(draw, actor=SYSTEM, party="区公安分局", commitment=police)
    add_commitment(draw, actor=SYSTEM, party="区市场监管局", commitment=market)
    add_reveal(draw, actor=SYSTEM, party="区市场监管局", secret="s2")

    html = Client().get(page_of(draw)).content.decode()
    rows = re.findall(
        r"<tr><td class=\"nowrap\">(.*?)</td><td><code>(.*?)</code></td>"
        r"<td class=\"nowrap\">(.*?)</td><td>(.*?)</td></tr>",
        html,
    )

    assert [(party, value, reveal.split("（")[0]) for party, value, _, reveal in rows] == [
        ("区公安分局", police, "尚未揭示"),
        ("区市场监管局", market, "已揭示 <code>s2</code>"),
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", at) for _, _, at, _ in rows)


def test_once_drawn_the_same_url_shows_the_result(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    frozen = Client().get(page_of(draw))
    complete_draw(draw, actor=SYSTEM, public_value=DICE, public_source="联席会议")

    drawn = Client().get(page_of(draw))

    assert frozen.templates[0].name == "disclosure/draw_frozen.html"
    assert drawn.templates[0].name == "disclosure/draw.html"


def test_the_api_gives_a_frozen_draw_its_public_url(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    token = create_token(world.coordinator, name="测试")[1]

    detail = Client().get(f"/api/v1/draws/{draw.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert detail.json()["public_url"] == f"/public/draws/{draw.draw_id}/"
    assert Client().get(detail.json()["public_url"]).status_code == 200


def test_a_redraw_is_public_from_its_freeze_with_the_draw_it_corrects_and_why(
    world: World,
) -> None:
    task = make_task(world)
    first = complete_draw(
        freeze_draw(task, actor=SYSTEM), actor=SYSTEM, public_value=DICE, public_source="联席会议"
    )
    second = freeze_draw(task, actor=SYSTEM, supersedes=first, reason=REASON)
    client = Client()

    new = client.get(page_of(second)).content.decode()
    old = client.get(page_of(first))

    assert (
        f'本次为重新抽取，更正 <a href="{page_of(first)}">{first.draw_id}</a>，原因：{REASON}'
    ) in new
    assert f'<a href="{page_of(first)}">{first.draw_id}</a> · 抽取于' in new
    assert f"<strong>{second.draw_id}</strong>（本页） · 冻结于" in new
    assert f'已被 <a href="{page_of(second)}">{second.draw_id}</a> 更正' in old.content.decode()
    assert old.status_code == 200


def test_a_frozen_draw_corrected_before_it_was_drawn_stays_public(world: World) -> None:
    task = make_task(world)
    first = freeze_draw(task, actor=SYSTEM)
    second = freeze_draw(task, actor=SYSTEM, supersedes=first, reason=REASON)

    old = Client().get(page_of(first)).content.decode()

    assert f'已被 <a href="{page_of(second)}">{second.draw_id}</a> 更正，本次不再抽取' in old


def test_the_index_lists_frozen_draws_with_the_reason_of_a_redraw(world: World) -> None:
    task = make_task(world)
    first = freeze_draw(task, actor=SYSTEM)
    second = freeze_draw(task, actor=SYSTEM, supersedes=first, reason=REASON)

    response = Client().get(reverse("disclosure:index"))

    assert [d.draw_id for d in response.context["frozen"]] == [second.draw_id, first.draw_id]
    cells = re.findall(r"<td>([^<]*)</td></tr>", response.content.decode())
    assert cells == [
        f"更正 {first.draw_id}，原因：{REASON}",
        f"—；已被 {second.draw_id} 更正，不再抽取",
    ]


def test_the_plan_page_links_a_task_to_its_frozen_draw(world: World) -> None:
    task = make_task(world)
    other = PlanTask.objects.create(plan=task.plan, position=10, seq=10, name="对网吧的抽查")
    draw = freeze_draw(task, actor=SYSTEM)

    response = Client().get(reverse("disclosure:plan", args=[task.plan_id]))

    assert [(row.task_id, current) for row, current in response.context["rows"]] == [
        (task.pk, (draw.draw_id, False)),
        (other.pk, None),
    ]
    assert (
        f'<a href="{page_of(draw)}">{draw.draw_id}</a>（已冻结，等待公开随机值）'
        in response.content.decode()
    )


def index_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("disclosure:index")).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_index_reads_frozen_draws_in_one_query_without_their_population(
    world: World,
) -> None:
    task = make_task(world)
    freeze_draw(task, actor=SYSTEM)
    one = index_queries(Client())
    for position in (10, 11):
        more = PlanTask.objects.get(pk=task.pk)
        more.pk, more.position, more.seq = None, position, position
        more.save()
        more.scope_categories.set(task.scope_categories.all())
        freeze_draw(more, actor=SYSTEM)

    three = index_queries(Client())

    assert Draw.objects.count() == 3
    assert len(three) == len(one)
    assert [q for q in three if "population_csv" in q or '"bundle"' in q] == []
