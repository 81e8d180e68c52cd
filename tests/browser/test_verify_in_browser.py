"""The in-browser verifier (static/js/verify_draw.js) agrees with the reference rule: PASS on
honest bundles of every kind of parameters (version 2, the vectors of docs/draw-vectors/, and
version 1), and the same first discrepancy on tampered ones."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.core.draw import SPEC, SPEC_V2, Parameters, run_draw, verify, write_population_csv
from shuangsuiji.core.uscc import make_uscc
from shuangsuiji.demo.build import build_demo
from shuangsuiji.draws.models import Draw
from tests.core import draw_example as example
from tests.core import draw_vectors
from tests.core.test_draw_vectors import FILES, load
from tests.core.test_draw_vectors import tamperings as relabellings

pytestmark = [pytest.mark.browser]


def population(size: int, strata: str = "AABBBCDU") -> dict[str, str]:
    return {
        make_uscc("9", "1", "140406", f"MC{i:07d}"): strata[i % len(strata)] for i in range(size)
    }


PUBLIC = {
    "kind": "public",
    "public_value": "3 1 4 1 5 6 2 6 5 3 5 2 6 4 1 3 2 3 4 6",
    "public_source": "联席会议",
}
CASES: dict[str, tuple[Parameters, dict[str, str]]] = {
    "ratio, escalating": (Parameters(ratio="0.3"), population(60)),
    "a count shared by weight": (Parameters(count=7), population(45)),
    "explicit class ratios": (
        Parameters(class_ratios={"A": "0.05", "B": "0.2", "C": "0.6", "D": "1"}),
        population(80),
    ),
    "two rounds that exhaust a stratum": (
        Parameters(ratio="0.6", rounds=2, reserve=1, risk_rule="none"),
        population(30),
    ),
    "unclassified as C, factors": (
        Parameters(ratio="0.25", unclassified_as="C", factors={"C": "1.5", "D": "3"}),
        population(70, "UUUAD"),
    ),
}


def js_verify(page: Page, bundle: dict[str, Any], csv: str) -> list[str]:
    return page.evaluate(  # type: ignore[no-any-return]
        "([bundle, csv]) => DrawVerifier.verify(bundle, csv)", [bundle, csv]
    )


@pytest.fixture
def verifier_page(page: Page, live_server: object, transactional_db: None) -> Page:
    page.goto(f"{live_server}/public/")  # http://localhost: a secure context, so WebCrypto
    # From the site, as the draw page loads it: the CSP refuses the same code inline.
    page.add_script_tag(url=f"{live_server}/static/js/verify_draw.js")
    return page


def tamperings(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    first = next(s for s in bundle["rounds"][0]["strata"].values() if len(s["selected"]) > 1)
    variants: dict[str, dict[str, Any]] = {}
    for name in ("seed", "ratio", "swapped", "public value", "task"):
        variants[name] = copy.deepcopy(bundle)
    variants["seed"]["seed"] = "0" * 64
    variants["ratio"]["parameters"]["ratio"] = "0.31"
    swapped = next(
        s for s in variants["swapped"]["rounds"][0]["strata"].values() if len(s["selected"]) > 1
    )
    swapped["selected"][0], swapped["selected"][1] = first["selected"][1], first["selected"][0]
    variants["public value"]["ceremony"]["public_value"] = "3 1 4 1 5 6 2 6 5 3 5 2 6 4 1 3 2 3 4 5"
    variants["task"]["task"] = {"name": "另一个任务"}
    return variants


@pytest.mark.parametrize("case", CASES)
def test_honest_bundles_pass_and_tampered_ones_fail_as_in_python(
    verifier_page: Page, case: str
) -> None:
    parameters, people = CASES[case]
    exclusions = [{"uscc": make_uscc("9", "1", "140406", "MD0000001"), "reason": "登记状态：注销"}]
    bundle = json.loads(
        json.dumps(run_draw("T-" + str(len(case)), parameters, people, PUBLIC, exclusions))
    )
    csv = write_population_csv(people)

    assert js_verify(verifier_page, bundle, csv) == verify(bundle, people) == []
    for name, tampered in tamperings(bundle).items():
        expected = verify(tampered, people)
        assert expected, name
        assert js_verify(verifier_page, tampered, csv) == expected, name


def test_the_version_2_vectors_pass_and_relabellings_fail_as_in_python(
    verifier_page: Page,
) -> None:
    for path in FILES:
        data = load(path)
        csv = draw_vectors.population_csv(data)
        honest = draw_vectors.bundle_of(data)

        assert js_verify(verifier_page, honest, csv) == data["expected"]["verdict"], path.stem
        for tampered in relabellings(honest):
            expected = verify(tampered, data["inputs"]["population"], data["inputs"]["salts"])
            assert js_verify(verifier_page, tampered, csv) == expected, path.stem


@pytest.mark.parametrize("spec", ["v1", "v2"])
def test_a_moved_entity_and_a_commit_reveal_ceremony(verifier_page: Page, spec: str) -> None:
    versions = {"v1": {"spec": SPEC}, "v2": {}}
    bundle = json.loads(
        json.dumps(
            run_draw(
                example.DRAW_ID,
                example.PARAMETERS,
                example.POPULATION,
                example.ceremony(),
                task=example.TASK,
                **versions[spec],
            )
        )
    )
    honest = write_population_csv(example.POPULATION)
    code = sorted(example.POPULATION)[0]
    moved = dict(example.POPULATION, **{code: "D" if example.POPULATION[code] != "D" else "A"})
    forged = copy.deepcopy(bundle)
    forged["ceremony"]["reveals"][0]["secret"] = "not-the-secret"

    assert js_verify(verifier_page, bundle, honest) == []
    assert js_verify(verifier_page, bundle, write_population_csv(moved)) == verify(bundle, moved)
    assert js_verify(verifier_page, forged, honest) == verify(forged, example.POPULATION)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_published")
def test_a_visitor_verifies_a_published_draw_then_a_tampered_population(
    page: Page, live_server: object, tmp_path: Path
) -> None:
    build_demo(entities_per_district=300, assign=False)
    specs = {draw.freeze["spec"] for draw in Draw.objects.filter(state="drawn")}
    assert specs == {SPEC_V2}  # the demo's draws are version 2 now
    page.goto(f"{live_server}/public/")
    page.get_by_role("region", name="抽查任务公告").get_by_role("link").first.click()
    section = page.get_by_role("region", name="验证本次抽取")

    section.get_by_role("button", name="验证本次抽取").click()
    expect(section.locator("output")).to_contain_text("PASS", timeout=20_000)

    href = section.get_by_role("link", name="名单 population.csv").get_attribute("href")
    population = page.request.get(f"{live_server}{href}").text()
    lines = population.splitlines()
    lines[1] = lines[1][:-1] + ("A" if lines[1][-1] != "A" else "B")
    tampered = tmp_path / "population.csv"
    tampered.write_text("\n".join(lines) + "\n", encoding="utf-8")
    section.get_by_label("名单").set_input_files(tampered)
    section.get_by_role("button", name="验证本次抽取").click()
    expect(section.locator("output")).to_contain_text("FAIL population_digest 不符")
