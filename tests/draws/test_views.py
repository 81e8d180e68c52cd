"""The coordinator's draw pages: preview, freeze, ceremony, result, files; others only read."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.draw import SEED_KINDS, commitment, read_population_csv, verify
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import freeze_draw
from shuangsuiji.draws.templatetags.draw_terms import SEED_KIND_LABELS, seed_kind
from tests.conftest import World
from tests.draws.steps import untimed
from tests.draws.test_services import make_task

pytestmark = pytest.mark.django_db


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_task_page_previews_the_population_per_stratum(world: World) -> None:
    task = make_task(world)

    page = logged_in(world.coordinator).get(reverse("draws:task", args=[task.pk]))

    assert page.context["strata"] == [
        ("A 低风险", 3),
        ("B 一般风险", 3),
        ("C 较高风险", 2),
        ("D 高风险", 2),
        ("未分类", 0),
    ]
    assert (page.context["population_size"], page.context["excluded"]) == (10, 1)


def test_the_whole_ceremony_through_the_pages_gives_a_verifiable_bundle(world: World) -> None:
    task = make_task(world)
    client = logged_in(world.coordinator)
    client.post(reverse("draws:task", args=[task.pk]))
    draw = Draw.objects.get()
    step = reverse("draws:step", args=[draw.pk])
    secret = "f00d" * 8

    client.post(
        step,
        {
            "step": "commit",
            "party": "区公安分局",  # ignored: the coordinator takes part for its own body
            "commitment": commitment(draw.draw_id, "区市场监管局", secret),
        },
    )
    client.post(step, {"step": "reveal", "party": "区公安分局", "secret": secret})
    client.post(
        step,
        {
            "step": "complete",
            "public_value": "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5",
            "public_source": "掷骰",
        },
    )
    bundle = client.get(reverse("draws:file", args=[draw.pk, "bundle.json"]))
    listing = client.get(reverse("draws:file", args=[draw.pk, "population.csv"]))

    assert Draw.objects.get().state == "drawn"
    assert verify(json.loads(bundle.content), read_population_csv(listing.content.decode())) == []


def test_a_wrong_reveal_is_shown_as_an_error_and_changes_nothing(world: World) -> None:
    task = make_task(world)
    client = logged_in(world.coordinator)
    client.post(reverse("draws:task", args=[task.pk]))
    draw = Draw.objects.get()
    step = reverse("draws:step", args=[draw.pk])
    own = commitment(draw.draw_id, "区市场监管局", "right")
    client.post(step, {"step": "commit", "commitment": own})

    response = client.post(step, {"step": "reveal", "secret": "wrong"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "“区市场监管局”揭示的秘密与其承诺不符"
    ]
    assert Draw.objects.get().reveals == []


def test_department_admin_may_look_but_not_draw(world: World) -> None:
    task = make_task(world)
    client = logged_in(world.police_admin)

    page = client.get(reverse("draws:task", args=[task.pk]))
    start = client.post(reverse("draws:task", args=[task.pk]))

    assert (page.status_code, start.status_code, Draw.objects.count()) == (200, 403, 0)


def test_the_verifier_script_is_downloadable_without_login() -> None:
    response = Client().get(reverse("draws:verifier"))

    assert response.status_code == 200
    assert response.content.startswith(b"#!/usr/bin/env python3")


def partnered_draw(world: World) -> Draw:
    """The 公安 task with 教育局 as partner, frozen and waiting for its ceremony."""
    task = make_task(world)
    task.partner_departments.set([world.education])
    return freeze_draw(task, actor=SYSTEM)


def test_a_partner_department_commits_and_reveals_under_its_own_name_only(world: World) -> None:
    draw = partnered_draw(world)
    client = logged_in(world.education_admin)
    step = reverse("draws:step", args=[draw.pk])
    secret = "edu-secret-42"

    page = client.get(reverse("draws:detail", args=[draw.pk]))
    client.post(
        step,
        {
            "step": "commit",
            "party": "区公安分局",  # ignored: a department speaks for itself
            "commitment": commitment(draw.draw_id, "区教育局", secret),
        },
    )
    client.post(step, {"step": "reveal", "party": "区公安分局", "secret": secret})

    draw.refresh_from_db()
    assert page.context["own_party"] == "区教育局"
    assert [c["party"] for c in draw.commitments] == ["区教育局"]
    assert untimed(draw.reveals) == [{"party": "区教育局", "secret": secret}]
    refused = client.post(step, {"step": "complete", "public_value": "1 2 3"})
    assert refused.status_code == 403


def test_a_department_outside_the_task_cannot_see_its_draw(world: World) -> None:
    task = make_task(world)
    draw = freeze_draw(task, actor=SYSTEM)

    response = logged_in(world.education_admin).get(reverse("draws:detail", args=[draw.pk]))

    assert response.status_code == 404


def test_the_home_page_tells_a_partner_department_what_its_ceremony_awaits(world: World) -> None:
    draw = partnered_draw(world)
    client = logged_in(world.education_admin)

    def ceremonies() -> list[tuple[str, str]]:
        inbox = client.get(reverse("home")).context["inbox"]
        return [(item.text, item.url) for item in inbox if item.kind == "ceremony"]

    before = ceremonies()
    client.post(
        reverse("draws:step", args=[draw.pk]),
        {"step": "commit", "commitment": commitment(draw.draw_id, "区教育局", "s")},
    )
    after = ceremonies()

    page = reverse("draws:detail", args=[draw.pk])
    said = f"抽取仪式 {draw.draw_id}（{draw.task.name}）：本部门待"
    assert before == [(f"{said}提交承诺", page)]
    assert after == [(f"{said}揭示秘密", page)]


def test_the_seed_kind_is_shown_in_words() -> None:
    assert set(SEED_KIND_LABELS) == set(SEED_KINDS)  # every kind the rule knows has words
    assert seed_kind("public") == "公开随机值"


def test_the_draw_page_says_who_registered_each_step_and_when(world: World) -> None:
    draw = partnered_draw(world)
    admin = logged_in(world.education_admin)
    step = reverse("draws:step", args=[draw.pk])
    admin.post(step, {"step": "commit", "commitment": commitment(draw.draw_id, "区教育局", "s")})
    admin.post(step, {"step": "reveal", "secret": "s"})

    page = logged_in(world.coordinator).get(reverse("draws:detail", args=[draw.pk]))

    who = f"{world.education_admin.get_full_name() or 'edu-admin'}（区教育局）"
    [(commit, committed_by)] = page.context["commitments"]
    [(reveal, revealed_by)] = page.context["reveals"]
    assert (commit["party"], committed_by.who) == ("区教育局", who)
    assert (reveal["party"], revealed_by.who) == ("区教育局", who)
    assert committed_by.at <= revealed_by.at
    assert f"（{who} 于 " in page.content.decode()
