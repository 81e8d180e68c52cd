"""为什么是我: a company checks its own case in its browser (docs/draw-spec.md V11) — it enters
its code on the public draw page and its 核验码 on the next, and the in-browser verifier says
the case holds and why; a proof file with its class or salt changed is refused."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.core import draw as rule
from shuangsuiji.demo.build import build_demo
from shuangsuiji.draws.models import Draw, DrawState

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_published")
def test_a_company_verifies_its_own_case_and_a_tampered_proof_is_refused(
    page: Page, live_server: object, tmp_path: Path
) -> None:
    build_demo(entities_per_district=300, assign=False)
    draw = next(
        d
        for d in Draw.objects.filter(state=DrawState.DRAWN).order_by("draw_id")
        if some_passed_over(d)
    )
    population, salts = rule.population_from_file(draw.population_csv, draw.freeze)
    assert salts is not None
    strata = draw.bundle["rounds"][0]["strata"]
    chosen = next(c for s in "DCBAU" for c in strata[s]["selected"])
    passed_over = some_passed_over(draw)

    page.goto(f"{live_server}/public/draws/{draw.draw_id}/")
    why = page.get_by_role("region", name="为什么是我")
    why.get_by_label("统一社会信用代码").fill(chosen)
    why.get_by_role("button", name="核验本企业").click()
    section = page.get_by_role("region", name="核验本企业")
    section.get_by_label("核验码").fill(salts[chosen])
    section.get_by_role("button", name="核验", exact=True).click()
    output = section.locator("output")
    expect(output).to_contain_text("PASS", timeout=30_000)
    said = output.inner_text()

    page.goto(f"{live_server}/public/draws/{draw.draw_id}/why/#{passed_over}.{salts[passed_over]}")
    section = page.get_by_role("region", name="核验本企业")
    section.get_by_role("button", name="核验", exact=True).click()
    expect(section.locator("output")).to_contain_text("PASS", timeout=30_000)
    other = section.locator("output").inner_text()

    proof = rule.company_proof(draw.bundle, population, salts, chosen)
    tampered = tmp_path / "proof.json"
    wrong = "A" if proof["risk_class"] != "A" else "B"
    tampered.write_text(json.dumps({**proof, "risk_class": wrong}), encoding="utf-8")
    section.get_by_label("或核验凭证").set_input_files(tampered)
    section.get_by_role("button", name="核验", exact=True).click()
    expect(section.locator("output")).to_contain_text("FAIL", timeout=30_000)
    refused = section.locator("output").inner_text()

    assert said == (
        f"PASS：{chosen} 在冻结的名单中，属 {population[chosen]} 层；"
        "第 1 轮抽中（排序键不大于本层抽中截止值）。公开记录在本机重算一致。"
    )
    assert other == (
        f"PASS：{passed_over} 在冻结的名单中，属 {population[passed_over]} 层；"
        "第 1 轮未抽中（排序键大于本层截止值）。公开记录在本机重算一致。"
    )
    assert refused == (
        f"FAIL 第1轮 {wrong} 层的令牌中没有本企业的令牌（分类或核验码不符，或名单被改动）"
    )


def some_passed_over(draw: Draw) -> str | None:
    """The first company (by code) of the draw neither selected nor reserve in round 1."""
    strata = draw.bundle["rounds"][0]["strata"]
    drawn = {c for data in strata.values() for c in data["selected"] + data["reserve"]}
    codes = sorted(rule.read_population_csv(draw.population_csv))
    return next((c for c in codes if c not in drawn), None)
