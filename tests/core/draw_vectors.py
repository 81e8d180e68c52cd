"""The version-2 test vectors of docs/draw-vectors/: their inputs, written here once, and the
files made from them (`python -m tests.core.draw_vectors` rewrites the files; the tests check
that the files, the Python rule and the JavaScript verifier agree)."""

import hashlib
import json
from pathlib import Path
from typing import Any

from shuangsuiji.core import draw
from shuangsuiji.core.uscc import make_uscc
from tests.core import draw_example as example

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "draw-vectors"
FROZEN_AT = "2026-03-02T01:30:00Z"
VALUE_AT = "2026-03-02T02:45:00Z"
COMMITTED_AT = "2026-03-02T01:50:00Z"  # each party's commitment registered after the freeze,
REVEALED_AT = "2026-03-02T02:30:00Z"  # the secrets once all had committed, then the dice
DICE = example.DICE
OTHER_DICE = "3 3 1 6 2 5 4 4 1 2 6 5 5 3 1 2 4 6 6 1"


def population(size: int, strata: str, prefix: str = "MT") -> dict[str, str]:
    return {
        make_uscc("9", "1", "140406", f"{prefix}{i:07d}"): strata[i % len(strata)]
        for i in range(size)
    }


def salts_for(draw_id: str, codes: Any) -> dict[str, str]:
    """Fixed salts, so a vector can be rebuilt: the platform draws each from the operating
    system's CSPRNG (draw.new_salts); these are the first 32 hex digits of H(draw id, code)."""
    return {
        code: hashlib.sha256(f"vector-salt|{draw_id}|{code}".encode()).hexdigest()[:32]
        for code in codes
    }


def public(value: str = DICE) -> dict[str, Any]:
    return {
        "kind": "public",
        "commitments": [],
        "reveals": [],
        "public_format": draw.DICE_FORMAT,
        "public_value": value,
        "public_source": "联席会议现场掷骰20次，见证人：张三、李四",
        "public_value_at": VALUE_AT,
    }


def commit_reveal(draw_id: str, secrets: dict[str, str], revealed: list[str]) -> dict[str, Any]:
    return {
        **public(),
        "kind": "commit-reveal",
        "commitments": sorted(
            (
                {"party": p, "commitment": draw.commitment(draw_id, p, s), "at": COMMITTED_AT}
                for p, s in secrets.items()
            ),
            key=lambda c: c["party"],
        ),
        "reveals": sorted(
            ({"party": p, "secret": secrets[p], "at": REVEALED_AT} for p in revealed),
            key=lambda r: r["party"],
        ),
    }


ONE_D = {**population(100, "A"), make_uscc("9", "1", "140406", "MW0000001"): "D"}


def cases() -> dict[str, dict[str, Any]]:
    """name → inputs (the rule's arguments, parameters written canonically)."""
    substituted_draw = {
        "draw_id": "V2-SUB",
        "task": {},
        "parameters": draw.Parameters(ratio="0.2", risk_rule="none"),
        "population": population(30, "B"),
        "exclusions": [],
        "ceremony": public(),
    }
    return {
        "01-ratio-escalate-worked-example": {
            "draw_id": example.DRAW_ID,
            "task": example.TASK,
            "parameters": draw.Parameters(ratio="0.3"),
            "population": example.POPULATION,
            "exclusions": [],
            "ceremony": commit_reveal(example.DRAW_ID, example.SECRETS, list(example.SECRETS)),
        },
        "02-ratio-no-risk-rule-with-exclusions": {
            "draw_id": "V2-RATIO-NONE",
            "task": {"name": "对食品销售者的抽查"},
            "parameters": draw.Parameters(ratio="0.2", risk_rule="none"),
            "population": population(40, "AABBBCDU"),
            "exclusions": [
                {"uscc": make_uscc("9", "1", "140406", "MX0000001"), "reason": "登记状态：注销"},
                {"uscc": make_uscc("9", "1", "140406", "MX0000002"), "reason": "登记状态：吊销"},
            ],
            "ceremony": public(),
        },
        "03-count-shared-by-weight": {
            "draw_id": "V2-COUNT",
            "task": {},
            "parameters": draw.Parameters(count=7),
            "population": population(45, "AABBBCDU"),
            "exclusions": [],
            "ceremony": public(),
        },
        "04-count-gives-each-stratum-one": {
            "draw_id": "V2-COUNT-MIN",
            "task": {},
            "parameters": draw.Parameters(count=3, factors={"D": "10"}),
            "population": ONE_D,
            "exclusions": [],
            "ceremony": public(),
        },
        "05-reserve-topped-up-in-round-3": {
            "draw_id": "V2-RESERVE",
            "task": {},
            "parameters": draw.Parameters(count=3, rounds=3),
            "population": population(10, "A"),
            "exclusions": [],
            "ceremony": public(),
        },
        "06-commit-reveal-one-party-withheld": {
            "draw_id": "V2-CR",
            "task": {"name": "联合抽查"},
            "parameters": draw.Parameters(ratio="0.1"),
            "population": population(50, "ABBBCCDU"),
            "exclusions": [],
            "ceremony": commit_reveal(
                "V2-CR",
                {"区市场监管局": "a1" * 16, "区卫健局": "b2" * 16, "区公安分局": "c3" * 16},
                ["区市场监管局", "区公安分局"],
            ),
        },
        "07-redraw-supersedes": {
            "draw_id": "V2-CR-2",
            "task": {"name": "联合抽查"},
            "parameters": draw.Parameters(ratio="0.1"),
            "population": population(50, "ABBBCCDU"),
            "exclusions": [],
            "supersedes": "V2-CR",
            "redraw_reason": "名录库漏录2户，补录后重新抽取",
            "ceremony": public(OTHER_DICE),
        },
        "08-class-ratios-unclassified-as-c": {
            "draw_id": "V2-CLASS",
            "task": {},
            "parameters": draw.Parameters(
                class_ratios={"A": "0.05", "B": "0.2", "C": "0.6", "D": "1"}, unclassified_as="C"
            ),
            "population": population(60, "AAABBCDU"),
            "exclusions": [],
            "ceremony": public(),
        },
        "09-system-kind-two-rounds-reserve-1": {
            "draw_id": "V2-SYSTEM",
            "task": {"name": "演练"},
            "parameters": draw.Parameters(ratio="0.6", rounds=2, reserve=1, risk_rule="none"),
            "population": population(12, "ABD"),
            "exclusions": [],
            "ceremony": {
                **public(),
                "kind": "system",
                "public_format": draw.SYSTEM_FORMAT,
                "public_value": "5e" * 32,
                "public_source": "系统随机数（最弱：仅用于演练）",
            },
        },
        "10-substitute-substituted": {
            **substituted_draw,
            "substitutions": [("B", 0, "已注销"), ("B", 0, "经营场所无法联系")],
        },
        "11-double-substitution-fails": {
            **substituted_draw,
            "substitutions": [("B", 0, "已注销"), ("B", None, "迁出")],
        },
    }


def substitutions(bundle: dict[str, Any], steps: list[tuple[str, Any, str]]) -> list[Any]:
    """Round-1 substitutions, each (stratum, position on the current list or None for the
    entity replaced just before — a second substitution of it, reason), with the reserves in
    order."""
    records: list[dict[str, Any]] = []
    for stratum, position, reason in steps:
        data = bundle["rounds"][0]["strata"][stratum]
        current = list(data["selected"])
        for record in records:
            if record["replaced"] in current:
                current[current.index(record["replaced"])] = record["replacement"]
        replaced = records[-1]["replaced"] if position is None else current[position]
        records.append(
            {
                "round": 1,
                "stratum": stratum,
                "replaced": replaced,
                "replacement": data["reserve"][len(records)],
                "reason": reason,
            }
        )
    return records


def vector(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """The file's content: the inputs as JSON and what the rule derives from them."""
    parameters: draw.Parameters = inputs["parameters"]
    salts = salts_for(inputs["draw_id"], inputs["population"])
    bundle = draw.run_draw(
        inputs["draw_id"],
        parameters,
        inputs["population"],
        inputs["ceremony"],
        inputs["exclusions"],
        inputs["task"],
        frozen_at=FROZEN_AT,
        supersedes=inputs.get("supersedes"),
        redraw_reason=inputs.get("redraw_reason", ""),
        salts=salts,
    )
    bundle["substitutions"] = substitutions(bundle, inputs.get("substitutions", []))
    companies_pool = {**bundle, "_population": inputs["population"]}
    shown = draw.public_bundle(bundle, inputs["population"], salts)
    codes = sorted(inputs["population"])
    tokens = draw.population_tokens(inputs["population"], salts, parameters.rounds)
    public_verdict = draw.verify_public(shown, codes, tokens)
    companies = []
    for code in companies_of(companies_pool):
        proof = draw.company_proof(bundle, inputs["population"], salts, code)
        verdict, findings = draw.verify_company(shown, codes, tokens, proof)
        companies.append({"proof": proof, "verdict": verdict, "findings": findings})
    return {
        "name": name,
        "spec": draw.SPEC_V2,
        "inputs": {
            "draw_id": inputs["draw_id"],
            "task": inputs["task"],
            "parameters": parameters.normalised().as_dict(),
            "population": dict(sorted(inputs["population"].items())),
            "salts": dict(sorted(salts.items())),
            "exclusions": bundle["exclusions"],
            "frozen_at": FROZEN_AT,
            "supersedes": inputs.get("supersedes"),
            "redraw_reason": inputs.get("redraw_reason", ""),
            "ceremony": bundle["ceremony"],
            "substitutions": bundle["substitutions"],
        },
        "expected": {
            **{
                key: bundle[key]
                for key in (
                    "population_digest",
                    "population_size",
                    "strata_sizes",
                    "exclusions_digest",
                    "tokens_digest",
                    "freeze_digest",
                    "seed",
                    "record_digest",
                    "rounds",
                )
            },
            "verdict": draw.verify(bundle, inputs["population"], salts),
            "public_rounds": shown["rounds"],
            "public_substitutions": shown["substitutions"],
            "public_verdict": public_verdict,
            "companies": companies,
        },
    }


def companies_of(bundle: dict[str, Any]) -> list[str]:
    """The companies whose proofs a vector carries: the first selected of round 1's highest
    risk stratum drawn, the first reserve of round 1 (if any), the first entity (by code)
    neither selected nor reserve in round 1 (if any)."""
    strata = bundle["rounds"][0]["strata"]
    selected = [c for s in reversed(draw.STRATA) for c in strata[s]["selected"]]
    reserve = [c for s in reversed(draw.STRATA) for c in strata[s]["reserve"]]
    everyone = sorted({*selected, *reserve} | set(bundle["_population"]))
    neither = [c for c in everyone if c not in selected and c not in reserve]
    return [selected[0], *reserve[:1], *neither[:1]]


def bundle_of(data: dict[str, Any]) -> dict[str, Any]:
    """The bundle a vector describes: its inputs and expected values; `verdict` is what
    verify says of it ([] for PASS)."""
    inputs = {k: v for k, v in data["inputs"].items() if k not in ("population", "salts")}
    expected = {k: v for k, v in data["expected"].items() if k in draw.BUNDLE_KEYS_V2}
    return {"spec": data["spec"], **inputs, **expected}


def public_bundle_of(data: dict[str, Any]) -> dict[str, Any]:
    """The public record a vector describes (V11): no class of any entity in it."""
    return {
        **bundle_of(data),
        "classes": draw.WITHHELD,
        "rounds": data["expected"]["public_rounds"],
        "substitutions": data["expected"]["public_substitutions"],
    }


def population_csv(data: dict[str, Any]) -> str:
    """The full listing (audience a): code, class and salt."""
    return draw.write_population_csv(data["inputs"]["population"], data["inputs"]["salts"])


def codes_csv(data: dict[str, Any]) -> str:
    return draw.write_codes_csv(data["inputs"]["population"])


def tokens_csv(data: dict[str, Any]) -> str:
    inputs = data["inputs"]
    rounds = inputs["parameters"]["rounds"]
    return draw.write_tokens_csv(
        draw.population_tokens(inputs["population"], inputs["salts"], rounds)
    )


def write() -> None:
    for name, inputs in cases().items():
        text = json.dumps(vector(name, inputs), ensure_ascii=False, indent=1) + "\n"
        (FOLDER / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write()
