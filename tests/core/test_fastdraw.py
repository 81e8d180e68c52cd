"""The bulk engine (core/fastdraw.py) gives, byte for byte, what the rule (core/draw.py, the
verifier citizens download) gives: the same bundle for every kind of parameter, ceremony and
population, the same public rounds, the same refusals with the same words, and the same
published test vectors. Generated cases (hypothesis) compare the two; the rule is the oracle."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuangsuiji.core import draw as rule
from shuangsuiji.core import fastdraw
from tests.core import draw_vectors

FROZEN_AT = "2026-03-02T01:30:00Z"
AT = "2026-03-02T02:00:00Z"
VALUE_AT = "2026-03-02T02:45:00Z"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100's characters
HEADS = ("91140406", "92140406", "93140404", "11140000")  # 8-character beginnings
DECIMALS = ("0.01", "0.1", "0.25", "0.3", "0.30", "0.333", "0.5", "0.75", "1", "1.0")
RATIOS = (*DECIMALS, "0", "2")  # the last two refused (V1)
FACTORS = ("0.5", "1", "1.5", "2", "3", "10")
VECTORS = sorted(draw_vectors.FOLDER.glob("[0-9]*.json"))


def outcome(make: Any) -> tuple[str, str]:
    """What a call gives, as text: its JSON exactly as written (key order too), or its
    refusal. Two engines agree when these are equal."""
    try:
        return "bundle", json.dumps(make(), ensure_ascii=False)
    except rule.DrawError as error:
        return "refused", str(error)


def salts_of(codes: Any, seed: int) -> dict[str, str]:
    return {c: hashlib.sha256(f"{seed}|{c}".encode()).hexdigest()[:32] for c in codes}


codes_strategy = st.lists(
    st.tuples(st.sampled_from(HEADS), st.text(ALPHABET, min_size=10, max_size=10)).map("".join),
    min_size=1,
    max_size=60,
    unique=True,
)


@st.composite
def parameters(draw: Any) -> rule.Parameters:
    mode = draw(st.sampled_from(["ratio", "count", "class_ratios", "ratio+class"]))
    classes = draw(st.sets(st.sampled_from("ABCD"), min_size=1)) if mode != "class_ratios" else {}
    named = {c: draw(st.sampled_from(DECIMALS)) for c in (classes or "ABCD")}
    return rule.Parameters(
        ratio=draw(st.sampled_from(RATIOS)) if "ratio" in mode else None,
        count=draw(st.integers(0, 80)) if mode == "count" else None,
        risk_rule=draw(st.sampled_from(rule.RISK_RULES)),
        factors={
            draw(st.sampled_from(["A", "B", " c", "D"])): draw(st.sampled_from(FACTORS))
            for _ in range(draw(st.integers(0, 4)))
        },
        class_ratios=named if "class" in mode else None,
        unclassified_as=draw(st.sampled_from(["A", "B", "C", "D", " c"])),
        rounds=draw(st.integers(1, 4)),
        reserve=draw(st.one_of(st.none(), st.integers(0, 12))),
    )


@st.composite
def ceremonies(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(rule.SEED_KINDS))
    dice = " ".join(str(draw(st.integers(1, 6))) for _ in range(20))
    ceremony: dict[str, Any] = {
        "kind": kind,
        "public_value": dice,
        "public_source": "联席会议现场掷骰",
        "public_value_at": VALUE_AT,
    }
    if kind == "system":
        ceremony["public_value"] = hashlib.sha256(dice.encode()).hexdigest()
    if kind == "commit-reveal":
        parties = draw(
            st.lists(st.sampled_from(["市场监管局", "税务局", "人社局"]), min_size=1, unique=True)
        )
        revealed = parties[: draw(st.integers(1, len(parties)))]
        ceremony["commitments"] = [
            {"party": p, "commitment": rule.commitment("T-1", p, f"秘密{p}"), "at": AT}
            for p in parties
        ]
        ceremony["reveals"] = [{"party": p, "secret": f"秘密{p}", "at": AT} for p in revealed]
    return ceremony


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    codes=codes_strategy,
    strata=st.data(),
    chosen=parameters(),
    ceremony=ceremonies(),
    salted=st.booleans(),
    redraw=st.booleans(),
    excluded=st.integers(0, 3),
)
def test_every_kind_of_draw_gives_the_rules_bundle_byte_for_byte(
    codes: list[str],
    strata: Any,
    chosen: rule.Parameters,
    ceremony: dict[str, Any],
    salted: bool,
    redraw: bool,
    excluded: int,
) -> None:
    population = {c: strata.draw(st.sampled_from("AAABBBBCCDU")) for c in codes}
    salts = salts_of(codes, len(codes)) if salted else None
    exclusions = [{"uscc": f"{HEADS[0]}EX{i:08d}", "reason": "注销"} for i in range(excluded)]
    options = {
        "frozen_at": FROZEN_AT,
        "supersedes": "T-0" if redraw else None,
        "redraw_reason": "名录漏录2户已开业的旅馆" if redraw else "",
        "salts": salts,
    }
    task = {"plan": "潞城区2026年度计划", "seq": 3, "name": "旅馆业"}

    def run(engine: Any) -> Any:
        return engine.run_draw("T-1", chosen, population, ceremony, exclusions, task, **options)

    assert outcome(lambda: run(fastdraw)) == outcome(lambda: run(rule))


@settings(max_examples=150, deadline=None)
@given(codes=codes_strategy, strata=st.data(), chosen=parameters(), salted=st.booleans())
def test_public_rounds_are_the_rules(
    codes: list[str], strata: Any, chosen: rule.Parameters, salted: bool
) -> None:
    population = {c: strata.draw(st.sampled_from("ABCDU")) for c in codes}
    salts = salts_of(codes, 7) if salted else None
    try:
        freeze = rule.freeze_record("T-1", chosen, population, frozen_at=FROZEN_AT, salts=salts)
    except rule.DrawError:
        return  # refused parameters: the test above compares refusals
    seed = "ab" * 32
    group = fastdraw.entities(population, salts)
    assert group is not None

    fast = fastdraw.rounds_v2(freeze, seed, group, public=True)
    slow = rule._rounds_v2(freeze, seed, population, rule.check_salts(population, salts))

    assert json.dumps(fast) == json.dumps(slow)


PARALLEL = """
import json, random, sys, threading
from shuangsuiji.core import draw as rule, fastdraw

rng = random.Random(17)
size = fastdraw.PARALLEL_FROM + 10_000
heads = ("91140406", "92140406", "93140404", "11140000")
codes = {f"{rng.choice(heads)}{rng.getrandbits(48):012X}"[:18] for _ in range(size)}
population = {c: rng.choice("AAABBBBCCDU") for c in sorted(codes, key=lambda _: rng.random())}
salts = {c: f"{rng.getrandbits(128):032x}" for c in population}
chosen = rule.Parameters(ratio="0.3", rounds=2)
ceremony = {"kind": "public", "public_value": sys.argv[1], "public_value_at": sys.argv[2]}
options = {"frozen_at": sys.argv[3], "salts": salts}
alone = threading.active_count() == 1  # so processes=2 forks: the path under test
two = fastdraw.run_draw("T-1", chosen, population, ceremony, processes=2, **options)
one = fastdraw.run_draw("T-1", chosen, population, ceremony, processes=1, **options)
ruled = rule.run_draw("T-1", chosen, population, ceremony, **options)
same = [json.dumps(made) == json.dumps(ruled) for made in (two, one)]
print(json.dumps([alone, *same]))
"""


def test_a_population_above_the_parallel_threshold_is_drawn_alike_by_two_processes() -> None:
    """In a fresh interpreter, where no other thread runs (a test session may have some), so
    that the engine forks its hashing child."""
    result = subprocess.run(
        [sys.executable, "-c", PARALLEL, draw_vectors.DICE, VALUE_AT, FROZEN_AT],
        capture_output=True,
        text=True,
        check=True,
    )

    assert json.loads(result.stdout) == [True, True, True]


@pytest.mark.parametrize(
    ("population", "salts"),
    [
        ({"91140406MA0000001X": "A", "91140406ma0000002X": "B"}, None),  # lower case
        ({"91140406MA0000001X": "A", "91140406MA000002X": "B"}, None),  # 17 characters
        ({"91140406MA0000001X": "A", "91140406MA00000二X": "B"}, None),  # not ASCII
        ({"91140406MA0000001X": "A", "91140406MA0000002X": "E"}, None),  # no such class
        ({"91140406MA0000001X": "A", "91140406MA0000002X": ""}, None),
        ({"91140406MA0000001X": "AB", "91140406MA0000002X": ""}, None),
        ({"91140406MA0000001X": "A"}, {"91140406MA0000001X": "0" * 31}),  # salt too short
        ({"91140406MA0000001X": "A"}, {"91140406MA0000001X": "G" * 32}),  # not hex
        ({"91140406MA0000001X": "A"}, {"91140406MA0000001X": ""}),  # empty, when given
        ({"91140406MA0000001X": "A"}, {"91140406MA0000009X": "0" * 32}),  # another code's
        ({"91140406MA0000001X": "A"}, {"91140406MA0000001X": "0" * 32, "X": "1" * 32}),
        ({}, None),
    ],
)
def test_a_malformed_population_or_salt_is_refused_in_the_rules_words(
    population: dict[str, str], salts: dict[str, str] | None
) -> None:
    chosen = rule.Parameters(ratio="0.5")
    ceremony = {"kind": "public", "public_value": draw_vectors.DICE, "public_value_at": VALUE_AT}

    def run(engine: Any) -> Any:
        return engine.run_draw(
            "T-1", chosen, population, ceremony, frozen_at=FROZEN_AT, salts=salts
        )

    assert outcome(lambda: run(fastdraw)) == outcome(lambda: run(rule))


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_the_published_vectors_are_what_the_bulk_engine_derives(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    inputs, expected = data["inputs"], data["expected"]

    bundle = fastdraw.run_draw(
        inputs["draw_id"],
        rule.Parameters.from_dict(inputs["parameters"]),
        inputs["population"],
        inputs["ceremony"],
        inputs["exclusions"],
        inputs["task"],
        frozen_at=inputs["frozen_at"],
        supersedes=inputs["supersedes"],
        redraw_reason=inputs["redraw_reason"],
        salts=inputs["salts"],
    )
    group = fastdraw.entities(inputs["population"], inputs["salts"])
    assert group is not None
    _, public = fastdraw.rounds_v2(bundle, bundle["seed"], group, public=True)

    keys = ["population_digest", "tokens_digest", "freeze_digest", "seed", "record_digest"]
    assert [bundle[k] for k in keys] == [expected[k] for k in keys]
    assert bundle["rounds"] == expected["rounds"]
    assert public == expected["public_rounds"]


# --- the stored listing ------------------------------------------------------------------------


def stored(salted: bool = True, rounds: int = 2) -> tuple[dict[str, Any], dict[str, str], Any]:
    """A frozen draw of the vectors' kind: its freeze record, population and salts."""
    population = draw_vectors.population(40, "AABBBCCDDU")
    salts = salts_of(population, 3) if salted else None
    chosen = rule.Parameters(ratio="0.3", rounds=rounds)
    freeze = rule.freeze_record("T-1", chosen, population, frozen_at=FROZEN_AT, salts=salts)
    return freeze, population, salts


@pytest.mark.parametrize("salted", [True, False])
def test_a_stored_listing_reads_back_as_the_rule_reads_it_and_draws_the_same(
    salted: bool,
) -> None:
    freeze, population, salts = stored(salted)
    text = rule.write_population_csv(population, salts or dict.fromkeys(population, ""))
    ceremony = {"kind": "public", "public_value": draw_vectors.DICE, "public_value_at": VALUE_AT}

    group = fastdraw.population_from_file(text, freeze)
    read, read_salts = rule.population_from_file(text, freeze)

    assert (group.population, group.salt_map) == (read, read_salts)
    assert json.dumps(fastdraw.bundle_from_freeze(freeze, group, ceremony)) == json.dumps(
        rule.bundle_from_freeze(freeze, read, ceremony, (), read_salts)
    )


@settings(max_examples=100, deadline=None)
@given(codes=codes_strategy, strata=st.data(), salted=st.booleans())
def test_the_listing_kept_at_the_freeze_is_the_rules(
    codes: list[str], strata: Any, salted: bool
) -> None:
    population = {c: strata.draw(st.sampled_from("ABCDU")) for c in codes}
    salts = salts_of(codes, 5) if salted else None
    chosen = rule.Parameters(ratio="0.3")

    record, text = fastdraw.freeze_and_listing(
        "T-1", chosen, population, frozen_at=FROZEN_AT, salts=salts
    )

    assert record == rule.freeze_record("T-1", chosen, population, frozen_at=FROZEN_AT, salts=salts)
    assert text == rule.write_population_csv(population, salts)


def listing_changes(text: str) -> list[str]:
    header, first, second, *rest = text.splitlines(keepends=True)
    return [
        header + first.replace(",A,", ",B,", 1) + second + "".join(rest),  # a class changed
        header + first + first + second + "".join(rest),  # a line twice
        header + second + first + "".join(rest),  # out of order: the rule reads it alike
        header + first[:20] + "\n" + second + "".join(rest),  # one salt left out
        "uscc,risk_class\n" + first + second + "".join(rest),  # the version-1 header
        header + first.lower() + second + "".join(rest),
        header,  # nobody
    ]


@pytest.mark.parametrize("change", range(7))
def test_a_changed_listing_is_refused_or_read_as_the_rule_does(change: int) -> None:
    freeze, population, salts = stored()
    text = listing_changes(rule.write_population_csv(population, salts))[change]

    def fast() -> Any:
        group = fastdraw.population_from_file(text, freeze)
        return [group.population, group.salt_map]

    assert outcome(fast) == outcome(lambda: list(rule.population_from_file(text, freeze)))


# --- the pieces, against expectations written by hand ------------------------------------------


def test_rows_whose_first_eight_bytes_are_equal_are_ordered_by_every_byte() -> None:
    keys = np.zeros((4, 32), dtype=np.uint8)
    keys[:, 31] = [9, 3, 3, 1]  # the first 31 bytes equal
    then = np.zeros((4, 32), dtype=np.uint8)
    then[:, 0] = [0, 7, 5, 0]  # rows 1 and 2 tie on every byte of `keys`

    everyone = np.arange(4)

    ranked = fastdraw.ordered(everyone, fastdraw.leads(keys), keys, then)

    assert ranked.tolist() == [3, 2, 1, 0]


def test_codes_with_more_beginnings_than_one_number_ranks_are_sorted_as_text() -> None:
    codes = [f"{i:08d}AAAAAAAAA{i % 7}" for i in range(fastdraw.HEADS_MAX + 5)][::-1]
    table = np.frombuffer("".join(codes).encode(), dtype=np.uint8).reshape(-1, 18)

    ranked = fastdraw.code_order(table)

    assert [codes[i] for i in ranked.tolist()] == sorted(codes)


def test_codes_digest_is_the_digest_of_the_sorted_codes_one_a_line() -> None:
    codes = ["91140406MA0000002X", "11140000MA000000ZZ", "91140406MA0000001X"]
    group = fastdraw.entities(dict.fromkeys(codes, "A"), None)
    assert group is not None
    listing = b"11140000MA000000ZZ\n91140406MA0000001X\n91140406MA0000002X\n"

    digest = fastdraw.codes_digest(group.codes_in_order())

    assert digest == hashlib.sha256(listing).hexdigest()


def test_new_salts_are_one_per_code_32_hex_digits_and_never_the_same() -> None:
    codes = [f"91140406MA{i:08d}" for i in range(1000)]

    salts = fastdraw.new_salts(codes)

    assert list(salts) == codes
    assert rule.check_salts(dict.fromkeys(codes, "A"), salts) == salts
    assert len(set(salts.values())) == 1000
