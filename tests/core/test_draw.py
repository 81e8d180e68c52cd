"""The draw rule as a specification: the version-1 golden vector (still verified as version 1),
the ceremony, the verifier; version 2 has its own tests in test_draw_v2.py and the vectors of
docs/draw-vectors/ in test_draw_vectors.py."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

import shuangsuiji.core.draw as draw_module
from shuangsuiji.core.draw import (
    SPEC,
    SPEC_V2,
    DrawError,
    Parameters,
    check_ceremony,
    commitment,
    read_population_csv,
    run_draw,
    sample_sizes,
    verify,
    write_population_csv,
)
from shuangsuiji.core.uscc import make_uscc
from tests.core import draw_example as example


def example_bundle() -> dict:  # type: ignore[type-arg]
    return run_draw(
        example.DRAW_ID,
        example.PARAMETERS,
        example.POPULATION,
        example.ceremony(),
        task=example.TASK,
        spec=SPEC,
    )


def population(size: int, strata: str = "AABBBCD", prefix: str = "MB") -> dict[str, str]:
    return {
        make_uscc("9", "1", "140406", f"{prefix}{i:07d}"): strata[i % len(strata)]
        for i in range(size)
    }


def system_ceremony(value: str) -> dict[str, object]:
    """Server randomness: version 2 takes exactly 64 hex digits, so the label is hashed."""
    return {"kind": "system", "public_value": draw_module.sha256_hex(value.encode())}


# --- the worked example of docs/draw-spec.md (golden vector) ------------------------------


def test_worked_example_digests_and_seed() -> None:
    bundle = example_bundle()

    assert bundle["population_digest"] == (
        "bb77285786bf2f8e74513f452f55ff0a588a940b385e96a00f4fb5fbf890518f"
    )
    assert bundle["freeze_digest"] == (
        "099f74e0fac0edc8a6d07d4464f18f17b6aa95a02b8509ad7d12563496f806bc"
    )
    assert bundle["ceremony"]["commitments"][0]["commitment"] == (
        "32e9df13c29a44ef6f8171d1769a4344b7fd981237960bd62d9100121cdda138"
    )
    assert bundle["seed"] == "831226acf227d27d02c24d3571e8e61bbab1276b73685ad3934f60aea1a245d2"


def test_worked_example_selection_per_stratum() -> None:
    strata = example_bundle()["rounds"][0]["strata"]

    assert {
        s: (v["N"], v["ratio"], v["k"], v["selected"], v["reserve"]) for s, v in strata.items()
    } == {
        "A": (
            4,
            "0.3",
            2,
            ["91140406MA0000002F", "91140406MA0000001C"],
            ["91140406MA0000003J", "91140406MA00000009"],
        ),
        "B": (
            5,
            "0.3",
            2,
            ["91140406MA0000004M", "91140406MA0000007Y"],
            ["91140406MA0000006U", "91140406MA00000082"],
        ),
        "C": (2, "0.45", 1, ["91140406MA0000010A"], ["91140406MA00000095"]),
        "D": (1, "0.6", 1, ["91140406MA0000011D"], []),
        "U": (0, "0.3", 0, [], []),
    }


# --- sample sizes -------------------------------------------------------------------------


def test_sample_size_is_the_ceiling_of_ratio_times_n_escalated_by_class() -> None:
    sizes = {"A": 100, "B": 10, "C": 7, "D": 3, "U": 0}

    assert sample_sizes(Parameters(ratio="0.3"), sizes) == {"A": 30, "B": 3, "C": 4, "D": 2, "U": 0}


def test_a_stratum_smaller_than_one_draw_still_gets_one() -> None:
    assert sample_sizes(Parameters(ratio="0.05"), {"A": 3, "B": 0, "C": 1, "D": 1, "U": 1}) == {
        "A": 1,
        "B": 0,
        "C": 1,
        "D": 1,
        "U": 1,
    }


def test_escalated_ratio_is_capped_at_everyone() -> None:
    assert sample_sizes(Parameters(ratio="0.6"), {"D": 9}) == {"D": 9}


def test_fixed_or_no_risk_rule_uses_the_floor_for_every_class() -> None:
    assert sample_sizes(Parameters(ratio="0.5", risk_rule="none"), {"A": 4, "D": 4}) == {
        "A": 2,
        "D": 2,
    }


def test_explicit_class_ratios_override_the_floor() -> None:
    parameters = Parameters(class_ratios={"A": "0.05", "B": "0.2", "C": "0.6", "D": "1"})

    assert sample_sizes(parameters, {"A": 100, "B": 100, "C": 10, "D": 2}) == {
        "A": 5,
        "B": 20,
        "C": 6,
        "D": 2,
    }


def test_unclassified_entities_are_drawn_as_their_configured_class() -> None:
    assert sample_sizes(Parameters(ratio="0.3", unclassified_as="C"), {"U": 10}) == {"U": 5}


def test_a_count_is_shared_out_by_weight_and_sums_exactly() -> None:
    sizes = sample_sizes(Parameters(count=5), {"A": 100, "B": 100, "C": 10, "D": 3, "U": 0})

    assert sizes == {"A": 2, "B": 2, "C": 1, "D": 0, "U": 0}


def test_a_count_larger_than_the_population_takes_everyone() -> None:
    assert sample_sizes(Parameters(count=50), {"A": 3, "D": 2}) == {"A": 3, "D": 2}


# --- rounds, reserve, substitutions -------------------------------------------------------


def test_a_later_round_skips_entities_drawn_earlier() -> None:
    bundle = run_draw(
        "R2", Parameters(ratio="0.3", rounds=2), population(40, "A"), system_ceremony("x")
    )

    first, second = (set(r["strata"]["A"]["selected"]) for r in bundle["rounds"])
    assert (len(first), len(second), first & second) == (12, 12, set())


def test_an_exhausted_stratum_is_topped_up_from_earlier_rounds() -> None:
    bundle = run_draw(
        "R3", Parameters(ratio="0.6", rounds=2), population(5, "A"), system_ceremony("x")
    )

    first, second = (r["strata"]["A"]["selected"] for r in bundle["rounds"])
    assert (len(first), len(second)) == (3, 3)
    assert len(set(second) - set(first)) == 2


def test_a_substitution_must_take_the_next_reserve() -> None:
    bundle = example_bundle()
    strata = bundle["rounds"][0]["strata"]["B"]
    ok = copy.deepcopy(bundle)
    ok["substitutions"] = [
        {
            "round": 1,
            "stratum": "B",
            "replaced": strata["selected"][0],
            "replacement": strata["reserve"][0],
            "reason": "经营场所无法联系",
        }
    ]
    skipped = copy.deepcopy(ok)
    skipped["substitutions"][0]["replacement"] = strata["reserve"][1]

    assert verify(ok, example.POPULATION) == []
    assert verify(skipped, example.POPULATION) == [
        f"第1次替换应使用备选名单中的下一位 {strata['reserve'][0]}，记录为 {strata['reserve'][1]}"
    ]


# --- the ceremony --------------------------------------------------------------------------


def test_a_reveal_that_does_not_match_its_commitment_is_refused() -> None:
    ceremony = example.ceremony()
    ceremony["reveals"][1]["secret"] = "00" * 16  # type: ignore[index]

    with pytest.raises(DrawError, match="“区公安分局”揭示的秘密与其承诺不符"):
        check_ceremony(ceremony, example.DRAW_ID)


def test_duplicate_commitments_are_refused() -> None:
    ceremony = example.ceremony()
    ceremony["commitments"][1]["commitment"] = ceremony["commitments"][0]["commitment"]  # type: ignore[index]

    with pytest.raises(DrawError, match="承诺值重复"):
        check_ceremony(ceremony, example.DRAW_ID)


def test_a_party_that_does_not_reveal_is_left_out_and_the_draw_still_verifies() -> None:
    ceremony = example.ceremony()
    ceremony["reveals"] = ceremony["reveals"][:1]  # type: ignore[index]

    bundle = run_draw(example.DRAW_ID, example.PARAMETERS, example.POPULATION, ceremony, spec=SPEC)

    assert bundle["seed"] != example_bundle()["seed"]
    assert verify(bundle, example.POPULATION) == []


def test_commitment_binds_draw_party_and_secret() -> None:
    assert (
        len(
            {
                commitment("D1", "甲", "s"),
                commitment("D2", "甲", "s"),
                commitment("D1", "乙", "s"),
                commitment("D1", "甲", "t"),
            }
        )
        == 4
    )


# --- the verifier: PASS on an honest bundle, the first discrepancy on each tampering -------


def test_verify_passes_an_honest_bundle() -> None:
    assert verify(example_bundle(), example.POPULATION) == []


def test_verify_names_a_changed_seed() -> None:
    bundle = example_bundle()
    bundle["seed"] = "0" * 64

    assert verify(bundle, example.POPULATION)[0].startswith("种子不符：记录为 0000")


@pytest.mark.parametrize("change", ["added", "removed", "moved"])
def test_verify_names_a_changed_population(change: str) -> None:
    changed = dict(example.POPULATION)
    code = sorted(changed)[0]
    if change == "added":
        changed[make_uscc("9", "1", "140406", "MA9999999")] = "A"
    elif change == "removed":
        del changed[code]
    else:
        changed[code] = "D"

    problems = verify(example_bundle(), changed)

    assert problems[0].startswith("population_digest 不符")


def test_verify_names_a_swapped_selection() -> None:
    bundle = example_bundle()
    strata = bundle["rounds"][0]["strata"]["A"]
    strata["selected"][0], strata["reserve"][0] = strata["reserve"][0], strata["selected"][0]

    assert verify(bundle, example.POPULATION) == [
        "第1轮 A 层抽中名单第1位不符：记录 91140406MA0000003J，应为 91140406MA0000002F"
    ]


def test_verify_names_a_changed_ratio() -> None:
    bundle = example_bundle()
    bundle["parameters"]["ratio"] = "0.2"

    assert verify(bundle, example.POPULATION)[0].startswith("freeze_digest 不符")


def test_verify_names_a_changed_task_description() -> None:
    bundle = example_bundle()
    bundle["task"]["name"] = "别的任务"

    assert verify(bundle, example.POPULATION)[0].startswith("freeze_digest 不符")


# --- files and the stand-alone script ------------------------------------------------------


def test_population_csv_round_trips_and_refuses_duplicates() -> None:
    text = write_population_csv(example.POPULATION)
    duplicated = text + text.splitlines()[1] + "\n"

    assert read_population_csv(text) == example.POPULATION
    with pytest.raises(DrawError, match="第14行：统一社会信用代码“91140406MA00000009”重复"):
        read_population_csv(duplicated)


def test_standalone_verifier_runs_with_only_the_standard_library(tmp_path: Path) -> None:
    script = tmp_path / "verify_draw.py"
    script.write_bytes(Path(draw_module.__file__).read_bytes())
    (tmp_path / "bundle.json").write_text(json.dumps(example_bundle(), ensure_ascii=False), "utf-8")
    (tmp_path / "population.csv").write_text(write_population_csv(example.POPULATION), "utf-8")
    tampered = dict(example.POPULATION) | {sorted(example.POPULATION)[0]: "D"}
    (tmp_path / "tampered.csv").write_text(write_population_csv(tampered), "utf-8")

    def run(population_file: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # -I: isolated, no site-packages, no project on the path
            [sys.executable, "-I", str(script), "bundle.json", population_file],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    honest, forged = run("population.csv"), run("tampered.csv")

    assert (honest.returncode, honest.stdout.split("：")[0]) == (0, "PASS LC2023-T09-R1")
    assert (forged.returncode, forged.stdout.split(" ")[:2]) == (1, ["FAIL", "population_digest"])


# --- statistics: over 2,000 seeds each entity is drawn at its stratum's rate --------------


@pytest.mark.parametrize("spec", [SPEC, SPEC_V2])
def test_selection_frequency_matches_the_stratum_ratio_over_2000_seeds(spec: str) -> None:
    listing = population(30, "AAAAAAAAAAAAAAAAAAAADDDDDDDDDD", prefix="MC")
    parameters = Parameters(ratio="0.3")  # A: k = 6 of 20; D: ratio 0.6, k = 6 of 10
    counts = dict.fromkeys(listing, 0)
    seeds = 2000
    for seed in range(seeds):
        bundle = run_draw("STAT", parameters, listing, system_ceremony(str(seed)), spec=spec)
        strata = bundle["rounds"][0]["strata"]
        assert (len(strata["A"]["selected"]), len(strata["D"]["selected"])) == (6, 6)
        for stratum in ("A", "D"):
            for code in strata[stratum]["selected"]:
                counts[code] += 1

    def chi_square(stratum: str, k: int, n: int) -> float:
        expected = seeds * k / n
        return sum(
            (counts[c] - expected) ** 2 / expected for c, s in listing.items() if s == stratum
        )

    # Critical values at p = 0.001: 43.82 for 19 degrees of freedom, 27.88 for 9.
    assert chi_square("A", 6, 20) < 43.82
    assert chi_square("D", 6, 10) < 27.88


def test_the_population_is_read_back_from_its_listing_only_if_it_matches_the_digest() -> None:
    listing = draw_module.population_listing(example.POPULATION)
    digest = draw_module.sha256_hex(listing)

    assert draw_module.population_from_listing(listing, digest) == example.POPULATION
    with pytest.raises(DrawError, match="名单摘要不符"):
        draw_module.population_from_listing(listing.replace(b",A\n", b",B\n", 1), digest)
    broken = listing[:-1]
    with pytest.raises(DrawError, match="名单格式无效"):
        draw_module.population_from_listing(broken, draw_module.sha256_hex(broken))


def test_the_population_csv_is_the_header_then_the_listing() -> None:
    text = write_population_csv(example.POPULATION)

    assert text.removeprefix(draw_module.POPULATION_HEADER).encode() == (
        draw_module.population_listing(example.POPULATION)
    )
