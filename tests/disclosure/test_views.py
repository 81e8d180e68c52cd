"""The public site: no login, published draws only, cacheable, the rule's own files."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.draw import (
    WITHHELD,
    commitment,
    main,
    read_codes_csv,
    read_population_csv,
    read_tokens_csv,
    verify,
    verify_public,
)
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import add_commitment, add_reveal, complete_draw, freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in
from tests.factories import CheckItemFactory

pytestmark = pytest.mark.django_db


def published(world: World) -> Draw:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    logged_in(world.coordinator).post(
        reverse("draws:step", args=[draw.pk]),
        {
            "step": "complete",
            "public_value": "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5",
            "public_source": "联席会议",
        },
    )
    return Draw.objects.get(pk=draw.pk)


def files(draw: Draw, *names: str) -> list[str]:
    client = Client()
    return [
        client.get(reverse("disclosure:draw_file", args=[draw.draw_id, name])).content.decode()
        for name in names
    ]


def test_anyone_reads_a_published_draw_and_verifies_its_files(world: World) -> None:
    draw = published(world)
    client = Client()

    page = client.get(reverse("disclosure:draw", args=[draw.draw_id]))
    population = client.get(reverse("disclosure:draw_file", args=[draw.draw_id, "population.csv"]))
    bundle, tokens = files(draw, "bundle.json", "tokens.csv")
    codes = read_codes_csv(population.content.decode())

    assert page.status_code == 200
    assert "public" in page["Cache-Control"]
    assert "immutable" in population["Cache-Control"]
    assert (json.loads(bundle)["classes"], codes) == (
        WITHHELD,
        sorted(read_population_csv(draw.population_csv)),
    )
    assert verify_public(json.loads(bundle), codes, read_tokens_csv(tokens)) == []


def test_where_classes_are_published_the_full_files_verify(world: World, settings: Any) -> None:
    settings.PUBLISH_RISK_CLASSES = True
    draw = published(world)

    bundle, population, withheld = files(draw, "bundle.json", "population.csv", "withheld.json")

    assert verify(json.loads(bundle), read_population_csv(population)) == []
    assert population.splitlines()[0] == "uscc,risk_class,salt"
    assert json.loads(withheld)["classes"] == WITHHELD


def test_a_frozen_draw_has_no_public_files_before_it_is_drawn(world: World) -> None:
    # Its page is public from the freeze (tests/disclosure/test_frozen_public.py); the
    # population and the record are published with the result.
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    client = Client()

    statuses = [
        client.get(reverse("disclosure:draw_file", args=[draw.draw_id, name])).status_code
        for name in ("population.csv", "bundle.json")
    ]

    assert statuses == [404, 404]


def test_the_public_site_only_reads(world: World) -> None:
    draw = published(world)

    response = Client().post(reverse("disclosure:draw", args=[draw.draw_id]))

    assert response.status_code == 405


def test_the_public_plan_table_links_each_drawn_task_and_hides_import_findings(
    world: World,
) -> None:
    draw = published(world)
    task = draw.task
    task.findings = [{"field": "name", "severity": "warning", "message": "内部导入提示"}]
    task.save(update_fields=["findings"])

    page = Client().get(reverse("disclosure:plan", args=[task.plan_id]))

    text = page.content.decode()
    assert draw.draw_id in text
    assert task.name in text
    assert "内部导入提示" not in text


def test_the_check_item_list_is_public(world: World) -> None:
    item = CheckItemFactory(name="旅馆业治安管理制度落实情况")

    page = Client().get(reverse("disclosure:items"))

    assert item.name in page.content.decode()


DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"


def test_a_party_that_committed_and_never_revealed_is_named_in_public(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    for party in ("区市场监管局", "区公安分局"):
        add_commitment(
            draw, actor=SYSTEM, party=party, commitment=commitment(draw.draw_id, party, "s")
        )
    add_reveal(draw, actor=SYSTEM, party="区市场监管局", secret="s")
    complete_draw(draw, actor=SYSTEM, public_value=DICE, public_source="联席会议")

    page = Client().get(reverse("disclosure:draw", args=[draw.draw_id])).content.decode()

    assert "参与部门：区公安分局（<strong>已承诺未揭示</strong>）、区市场监管局</p>" in page


def test_a_superseded_draw_stays_public_with_the_reason_of_its_correction(world: World) -> None:
    task = make_task(world)
    first = freeze_draw(task, actor=SYSTEM)
    complete_draw(first, actor=SYSTEM, public_value=DICE, public_source="联席会议")
    second = freeze_draw(task, actor=SYSTEM, supersedes=first, reason="名录中两户已注销未更新")
    complete_draw(second, actor=SYSTEM, public_value=DICE, public_source="联席会议")
    client = Client()

    old = client.get(reverse("disclosure:draw", args=[first.draw_id])).content.decode()
    new = client.get(reverse("disclosure:draw", args=[second.draw_id])).content.decode()

    assert f'已被 <a href="/public/draws/{second.draw_id}/">{second.draw_id}</a> 更正' in old
    assert f"更正 {first.draw_id}，原因：名录中两户已注销未更新" in new
    assert f'<a href="/public/draws/{first.draw_id}/">{first.draw_id}</a>' in new


def test_a_department_hands_a_company_its_proof_which_verifies_against_the_public_files(
    world: World, tmp_path: Any
) -> None:
    draw = published(world)
    stratum, data = next((s, d) for s, d in draw.bundle["rounds"][0]["strata"].items() if d["k"])
    code = data["selected"][0]
    url = reverse("disclosure:company_proof", args=[draw.draw_id, code])
    for name, content in zip(
        ("bundle.json", "population.csv", "tokens.csv"),
        files(draw, "bundle.json", "population.csv", "tokens.csv"),
        strict=True,
    ):
        (tmp_path / name).write_text(content, encoding="utf-8")

    anonymous = Client().get(url)
    proof = logged_in(world.auditor).get(url)
    (tmp_path / "proof.json").write_bytes(proof.content)
    exit_code = main([str(tmp_path / n) for n in ("bundle.json", "population.csv", "tokens.csv")])
    with_proof = main(
        [str(tmp_path / n) for n in ("bundle.json", "population.csv", "tokens.csv", "proof.json")]
    )

    assert (anonymous.status_code, proof.status_code) == (302, 200)
    assert "no-store" in proof["Cache-Control"]
    assert (json.loads(proof.content)["uscc"], json.loads(proof.content)["risk_class"]) == (
        code,
        stratum,
    )
    assert (exit_code, with_proof) == (0, 0)
