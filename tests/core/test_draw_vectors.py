"""The version-2 vectors of docs/draw-vectors/ against both verifiers: the Python rule derives
exactly what each file says, and the JavaScript verifier (static/js/verify_draw.js, run by
node here and by Chromium in tests/browser/test_verify_in_browser.py) passes each vector and
reports the same first discrepancy as Python on its tamperings. The demo's version-1 draws,
kept from before version 2 existed, still verify with both."""

import copy
import gzip
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from shuangsuiji.core.draw import (
    SPEC,
    read_codes_csv,
    read_population_csv,
    read_tokens_csv,
    verify,
    verify_company,
    verify_public,
)
from tests.core import draw_vectors

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "src" / "shuangsuiji" / "static" / "js" / "verify_draw.js"
DEMO_V1 = Path(__file__).with_name("data") / "demo_v1_draws.json.gz"
FILES = sorted(draw_vectors.FOLDER.glob("[0-9]*.json"))  # assign-*.json: test_assign_vectors.py
NODE = shutil.which("node")
RUNNER = """
const V = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8"); // a character split between chunks stays whole
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const out = [];
  for (const [bundle, csv, tokens, proof] of JSON.parse(input)) {
    if (proof) out.push(await V.verifyCompany(bundle, csv, tokens, proof));
    else out.push(await V.verify(bundle, csv, () => {}, tokens));
  }
  process.stdout.write(JSON.stringify(out));
});
"""


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]


def node_verify(pairs: list[tuple[Any, ...]]) -> list[Any]:
    """JavaScript's verdict on each (bundle, population.csv[, tokens.csv[, proof]]): the
    problems, or for a proof {problems, findings}."""
    if NODE is None:
        pytest.skip("node is not installed; the browser test runs the JavaScript verifier")
    result = subprocess.run(
        [NODE, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps(pairs, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


OTHER_KIND = {"system": "public", "public": "system", "commit-reveal": "public"}


def redate_a_step(bundle: dict[str, Any]) -> None:
    """A commitment dated after the public value (or, where nobody committed, the value dated
    before the freeze): the ceremony's order broken."""
    ceremony = bundle["ceremony"]
    if ceremony["commitments"]:
        ceremony["commitments"][0]["at"] = "2026-03-02T03:00:00Z"
    else:
        ceremony["public_value_at"] = "2026-03-01T00:00:00Z"


def tamperings(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """Relabellings of what version 2 binds: kind, parties, source, format, times, redraw."""
    changes = {
        "kind": lambda b: b["ceremony"].update(kind=OTHER_KIND[b["ceremony"]["kind"]]),
        "source": lambda b: b["ceremony"].update(public_source="另一场会议"),
        "value time": lambda b: b["ceremony"].update(public_value_at="2026-03-02T02:46:00Z"),
        "freeze time": lambda b: b.update(frozen_at="2026-03-02T01:31:00Z"),
        "extra party": lambda b: b["ceremony"]["commitments"].append(
            {"party": "区税务局", "commitment": "ab" * 32}
        ),
        "supersedes": lambda b: b.update(supersedes="V2-OTHER", redraw_reason="结果不理想"),
        "value rendering": lambda b: b["ceremony"].update(
            public_value=b["ceremony"]["public_value"].replace(" ", "，").upper()
        ),
        "step time": redate_a_step,
    }
    variants = []
    for change in changes.values():
        variant = copy.deepcopy(bundle)
        change(variant)
        variants.append(variant)
    return variants


def salts(data: dict[str, Any]) -> dict[str, str]:
    return data["inputs"]["salts"]  # type: ignore[no-any-return]


def public_files(data: dict[str, Any]) -> tuple[list[str], Any]:
    """The codes and tokens as the public downloads them, read back from their files."""
    codes = read_codes_csv(draw_vectors.codes_csv(data))
    return codes, read_tokens_csv(draw_vectors.tokens_csv(data))


def proof_tamperings(proof: dict[str, Any]) -> list[dict[str, Any]]:
    """A company's proof with its class, salt, code or draw changed: each must be refused."""
    other = "A" if proof["risk_class"] != "A" else "D"
    flipped = ("0" if proof["salt"][0] != "0" else "1") + proof["salt"][1:]
    return [
        {**proof, "risk_class": other},
        {**proof, "salt": flipped},
        {**proof, "uscc": proof["uscc"][:-2] + "00"},
        {**proof, "record_digest": "0" * 64},
    ]


def public_tamperings(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The public record with a cut-off, a token list, a code list or the size changed."""
    variants = []
    for change in (
        lambda b: b["rounds"][0]["strata"][first_drawn(b)].update(cutoff="0:" + "0" * 64),
        lambda b: b["rounds"][0]["strata"][first_drawn(b)]["selected"].reverse(),
        lambda b: b["rounds"][0]["selected"].pop(),
        lambda b: b.update(population_size=b["population_size"] + 1),
    ):
        variant = copy.deepcopy(bundle)
        change(variant)
        variants.append(variant)
    return variants


def first_drawn(bundle: dict[str, Any]) -> str:
    strata = bundle["rounds"][0]["strata"]
    return (
        next(s for s in "DCBAU" if strata[s]["k"] >= 2)
        if any(strata[s]["k"] >= 2 for s in "DCBAU")
        else next(s for s in "DCBAU" if strata[s]["k"])
    )


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_public_record_and_proofs_verify_as_the_vector_says_in_python(path: Path) -> None:
    data = load(path)
    codes, tokens = public_files(data)
    public = draw_vectors.public_bundle_of(data)

    public_verdict = verify_public(public, codes, tokens)
    companies = [
        dict(
            zip(
                ("verdict", "findings"),
                verify_company(public, codes, tokens, c["proof"]),
                strict=True,
            )
        )
        for c in data["expected"]["companies"]
    ]

    assert public_verdict == data["expected"]["public_verdict"]
    assert (public_verdict == []) == ("fails" not in data["name"])
    assert companies == [
        {k: c[k] for k in ("verdict", "findings")} for c in data["expected"]["companies"]
    ]


@pytest.mark.parametrize("path", FILES[:-1], ids=[p.stem for p in FILES[:-1]])
def test_a_tampered_proof_or_public_record_fails_in_python(path: Path) -> None:
    data = load(path)
    codes, tokens = public_files(data)
    public = draw_vectors.public_bundle_of(data)
    proof = data["expected"]["companies"][0]["proof"]

    proofs = [verify_company(public, codes, tokens, p)[0] for p in proof_tamperings(proof)]
    records = [verify_public(p, codes, tokens) for p in public_tamperings(public)]

    assert [bool(v) for v in proofs + records] == [True] * 8


def test_public_records_and_proofs_verify_alike_in_javascript() -> None:
    cases, expected = [], []
    for path in FILES:
        data = load(path)
        codes, tokens = draw_vectors.codes_csv(data), draw_vectors.tokens_csv(data)
        public = draw_vectors.public_bundle_of(data)
        for variant in [public, *public_tamperings(public)]:
            cases.append((variant, codes, tokens, None))
            expected.append(verify_public(variant, *public_files(data)))
        for company in data["expected"]["companies"]:
            for proof in [company["proof"], *proof_tamperings(company["proof"])]:
                cases.append((public, codes, tokens, proof))
                problems, findings = verify_company(public, *public_files(data), proof)
                expected.append({"problems": problems, "findings": findings})

    assert node_verify(cases) == expected


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vector_is_what_the_python_rule_derives(path: Path) -> None:
    data = load(path)

    verdict = verify(draw_vectors.bundle_of(data), data["inputs"]["population"], salts(data))

    assert data == draw_vectors.vector(data["name"], draw_vectors.cases()[data["name"]])
    assert verdict == data["expected"]["verdict"]
    assert (verdict == []) == ("fails" not in data["name"])


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vector_relabelled_fails_in_python(path: Path) -> None:
    data = load(path)
    bundle = draw_vectors.bundle_of(data)

    verdicts = [verify(t, data["inputs"]["population"], salts(data)) for t in tamperings(bundle)]

    assert [bool(v) for v in verdicts] == [True] * len(verdicts)


def test_vectors_pass_and_tamperings_fail_alike_in_javascript() -> None:
    pairs, expected, verdicts = [], [], []
    for path in FILES:
        data = load(path)
        csv = draw_vectors.population_csv(data)
        for bundle in [draw_vectors.bundle_of(data), *tamperings(draw_vectors.bundle_of(data))]:
            pairs.append((bundle, csv))
            expected.append(verify(bundle, data["inputs"]["population"], salts(data)))
        verdicts.append(data["expected"]["verdict"])

    assert node_verify(pairs) == expected
    assert expected[:: len(expected) // len(FILES)] == verdicts


def test_the_demos_version_1_draws_still_verify_with_both_verifiers() -> None:
    draws = json.loads(gzip.decompress(DEMO_V1.read_bytes()))
    pairs = [(d["bundle"], d["population_csv"]) for d in draws]

    python = [verify(b, read_population_csv(csv)) for b, csv in pairs]

    assert (len(pairs), {b["spec"] for b, _ in pairs}) == (65, {SPEC})
    assert python == [[]] * 65
    assert node_verify(pairs) == [[]] * 65


def test_the_spec_quotes_vector_04_and_01_as_they_are() -> None:
    spec = (ROOT / "docs" / "draw-spec.md").read_text("utf-8")
    count_minimum = load(draw_vectors.FOLDER / "04-count-gives-each-stratum-one.json")
    worked = load(draw_vectors.FOLDER / "01-ratio-escalate-worked-example.json")
    quoted = [
        f"freeze_digest = {count_minimum['expected']['freeze_digest']}",
        f"seed = {count_minimum['expected']['seed']}",
        f"record_digest = {count_minimum['expected']['record_digest']}",
        f"freeze_digest = {worked['expected']['freeze_digest'][:8]}…"
        f"{worked['expected']['freeze_digest'][-4:]}",
        f"seed = {worked['expected']['seed'][:8]}…{worked['expected']['seed'][-4:]}",
    ]

    assert [text for text in quoted if text not in spec] == []
