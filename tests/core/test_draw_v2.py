"""Version 2 of the draw (shuangsuiji-draw/2): the canonical public value, everything bound
into the seed or the record digest, and the rule fixes of issue 16 (item 7)."""

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import shuangsuiji.core.draw as draw_module
from shuangsuiji.core.draw import (
    SPEC,
    SPEC_V2,
    DrawError,
    Parameters,
    canonical_public_value,
    read_population_csv,
    run_draw,
    sample_sizes,
    verify,
)
from tests.core import draw_example as example
from tests.core import draw_vectors

DICE = example.DICE
FROZEN_AT = "2026-03-02T01:30:00Z"


def v2_bundle(
    parameters: Parameters = example.PARAMETERS,
    people: dict[str, str] = example.POPULATION,
    ceremony: dict[str, Any] | None = None,
    **freeze: Any,
) -> dict[str, Any]:
    return run_draw(
        "V2-T",
        parameters,
        people,
        ceremony or draw_vectors.public(),
        frozen_at=FROZEN_AT,
        **freeze,
    )


# --- the canonical public value ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        DICE,
        DICE.replace(" ", ","),
        DICE.replace(" ", ""),
        DICE.replace(" ", "，"),
        DICE.replace(" ", "、"),
        "  " + DICE.replace(" ", " ,\t") + "\n",
        "".join(chr(0xFF10 + int(d)) if d.isdigit() else d for d in DICE),  # full-width digits
    ],
)
def test_every_rendering_of_one_roll_is_one_canonical_value(typed: str) -> None:
    assert canonical_public_value(typed) == DICE


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("6 2 5 1 3 4", "公开随机值应为20个骰子点数（每个 1–6），录入了6个"),
        (DICE + " 1", "公开随机值应为20个骰子点数（每个 1–6），录入了21个"),
        ("6 2 7" + DICE[5:], "公开随机值第3个骰子“7”无效：六面骰的点数为 1–6"),
        ("6 2 ０" + DICE[5:], "公开随机值第3个骰子“０”无效：六面骰的点数为 1–6"),
        (
            "6;2" + DICE[3:],
            "公开随机值第2个字符“;”无效：只能录入骰子点数 1–6，用空格、逗号或顿号分隔",
        ),
        ("", "公开随机值应为20个骰子点数（每个 1–6），录入了0个"),
    ],
)
def test_a_value_not_20_dice_is_refused_naming_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(DrawError) as refused:
        canonical_public_value(typed)

    assert str(refused.value) == message


def test_the_seed_takes_the_canonical_value_not_the_typed_text() -> None:
    typed = draw_vectors.public(DICE.replace(" ", "，"))

    assert v2_bundle(ceremony=typed)["ceremony"]["public_value"] == DICE
    assert v2_bundle(ceremony=typed)["seed"] == v2_bundle()["seed"]


def test_a_re_rendered_value_in_a_bundle_fails_verify() -> None:
    bundle = v2_bundle()
    bundle["ceremony"]["public_value"] = DICE.replace(" ", ",")

    assert verify(bundle, example.POPULATION) == [
        f"种子仪式无效：公开随机值“{DICE.replace(' ', ',')}”不是规范写法：应为 {DICE}"
    ]


# --- everything bound ----------------------------------------------------------------------


def relabelled(change: str) -> list[str]:
    secrets = {"区市场监管局": "a1" * 16, "区公安分局": "b2" * 16}
    ceremony = draw_vectors.commit_reveal("V2-T", secrets, ["区市场监管局"])
    bundle = v2_bundle(ceremony=ceremony)
    tampered = copy.deepcopy(bundle)
    ceremony = tampered["ceremony"]
    if change == "kind":
        ceremony["kind"] = "system"
    elif change == "withheld party dropped":
        ceremony["commitments"] = [c for c in ceremony["commitments"] if c["party"] != "区公安分局"]
    elif change == "source":
        ceremony["public_source"] = "系统随机数"
    elif change == "value time":
        ceremony["public_value_at"] = "2026-03-02T03:00:00Z"
    elif change == "freeze time":
        tampered["frozen_at"] = "2026-03-01T01:30:00Z"
    elif change == "supersedes":
        tampered["supersedes"], tampered["redraw_reason"] = "V2-S", "结果不理想"
    elif change == "commitment time":  # re-dated within the ceremony's order
        ceremony["commitments"][0]["at"] = "2026-03-02T01:55:00Z"
    elif change == "commitment after the reveals":
        ceremony["commitments"][0]["at"] = "2026-03-02T02:40:00Z"
    elif change == "reveal after the value":
        ceremony["reveals"][0]["at"] = "2026-03-02T02:50:00Z"
    elif change == "commitment before the freeze":
        ceremony["commitments"][0]["at"] = "2026-03-02T01:00:00Z"
    elif change == "time dropped":
        del ceremony["reveals"][0]["at"]
    assert verify(bundle, example.POPULATION) == []
    return verify(tampered, example.POPULATION)


@pytest.mark.parametrize(
    ("change", "first_words"),
    [
        ("kind", "种子仪式无效：种子类型 system 的公开值格式应为 system"),
        ("withheld party dropped", "种子不符"),
        ("source", "record_digest 不符"),
        ("value time", "record_digest 不符"),
        ("freeze time", "freeze_digest 不符"),
        ("supersedes", "freeze_digest 不符"),
        ("commitment time", "record_digest 不符"),
        ("commitment after the reveals", "种子仪式无效：揭示登记时间早于最后一个承诺"),
        ("reveal after the value", "种子仪式无效：承诺或揭示登记时间晚于公开随机值的录入时间"),
        ("commitment before the freeze", "种子仪式无效：承诺登记时间早于冻结时间"),
        ("time dropped", "种子仪式无效：承诺或揭示记录的字段不符"),
    ],
)
def test_relabelling_what_version_2_binds_fails_verify(change: str, first_words: str) -> None:
    problems = relabelled(change)

    assert problems[0][: len(first_words)] == first_words


def test_a_version_1_bundle_relabelled_version_2_fails() -> None:
    bundle = run_draw(
        example.DRAW_ID, example.PARAMETERS, example.POPULATION, example.ceremony(), spec=SPEC
    )
    bundle["spec"] = SPEC_V2

    assert verify(bundle, example.POPULATION) == [
        "记录的字段不符：多出 无，"
        "缺少 ['frozen_at', 'redraw_reason', 'tokens_digest', 'record_digest']"
    ]


# --- rule fixes ----------------------------------------------------------------------------


def test_count_mode_gives_a_positive_stratum_one_where_version_1_gave_none() -> None:
    parameters = Parameters(count=3, factors={"D": "10"})
    sizes = {"A": 100, "B": 0, "C": 0, "D": 1, "U": 0}

    assert sample_sizes(parameters, sizes, SPEC) == {"A": 3, "B": 0, "C": 0, "D": 0, "U": 0}
    assert sample_sizes(parameters, sizes, SPEC_V2) == {"A": 2, "B": 0, "C": 0, "D": 1, "U": 0}


def test_count_mode_moves_one_each_to_empty_strata_from_the_largest() -> None:
    sizes = {"A": 50, "B": 50, "C": 1, "D": 1, "U": 0}

    assert sample_sizes(Parameters(count=4), sizes, SPEC) == {
        "A": 2,
        "B": 2,
        "C": 0,
        "D": 0,
        "U": 0,
    }
    four, two = Parameters(count=4), Parameters(count=2)
    assert sample_sizes(four, sizes, SPEC_V2) == {"A": 1, "B": 1, "C": 1, "D": 1, "U": 0}
    assert sample_sizes(two, sizes, SPEC_V2) == {"A": 1, "B": 1, "C": 0, "D": 0, "U": 0}


def test_a_later_round_tops_up_its_reserve_from_earlier_picks() -> None:
    people = draw_vectors.population(10, "A")
    v1 = run_draw("N10", Parameters(count=3, rounds=3), people, draw_vectors.public(), spec=SPEC)
    v2 = v2_bundle(Parameters(count=3, rounds=3), people)

    assert [len(r["strata"]["A"]["reserve"]) for r in v1["rounds"]] == [3, 3, 1]
    assert [len(r["strata"]["A"]["reserve"]) for r in v2["rounds"]] == [3, 3, 3]
    third = v2["rounds"][2]["strata"]["A"]
    assert set(third["selected"]) & set(third["reserve"]) == set()


def test_count_mode_records_no_ratio_per_stratum() -> None:
    strata = v2_bundle(Parameters(count=4))["rounds"][0]["strata"]

    assert {s: v["ratio"] for s, v in strata.items()} == dict.fromkeys("ABCDU")


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (Parameters(), "需要且只能给出抽查比例（ratio）或抽查户数（count）之一"),
        (Parameters(ratio="0"), "抽查比例（ratio）“0”应大于 0 且不超过 1"),
        (Parameters(ratio="2"), "抽查比例（ratio）“2”应大于 0 且不超过 1"),
        (Parameters(count=0), "抽查户数（count）“0”应为不小于 1 的整数"),
        (
            Parameters(count=3, class_ratios={"D": "1"}),
            "抽查户数（count）不能与抽查比例（ratio）或分类比例同时给出",
        ),
        (
            Parameters(ratio="0.3", risk_rule="double"),
            "风险规则（risk_rule）“double”无效：应为 escalate/fixed/none/other",
        ),
        (Parameters(ratio="0.3", reserve=-1), "备选户数（reserve）“-1”应为不小于 0 的整数"),
    ],
)
def test_refused_parameters_are_refused_by_the_rule(parameters: Parameters, message: str) -> None:
    with pytest.raises(DrawError) as refused:
        v2_bundle(parameters)

    assert str(refused.value) == message


def test_class_letters_and_decimals_are_written_one_way() -> None:
    bundle = v2_bundle(
        Parameters(ratio="0.30", factors={" c": "1.50", "d": "2"}, unclassified_as="b")
    )

    assert bundle["parameters"] == {
        "class_ratios": None,
        "count": None,
        "factors": {"A": "1", "B": "1", "C": "1.5", "D": "2"},
        "ratio": "0.3",
        "reserve": None,
        "risk_rule": "escalate",
        "rounds": 1,
        "unclassified_as": "B",
    }
    assert bundle["freeze_digest"] == v2_bundle()["freeze_digest"]


def test_codes_and_classes_are_read_upper_case_and_stripped() -> None:
    text = 'uscc , risk_class\n 91140406ma00000009 ,a\n"91140406MA0000001C",\td \n'

    assert read_population_csv(text) == {"91140406MA00000009": "A", "91140406MA0000001C": "D"}


# --- substitutions -------------------------------------------------------------------------


def substituted(*pairs: tuple[int, int]) -> list[str]:
    """Substitutions in stratum B: (index in the current list, reserve index) each."""
    bundle = v2_bundle()
    data = bundle["rounds"][0]["strata"]["B"]
    current = list(data["selected"])
    records = []
    for position, reserve in pairs:
        replaced, replacement = current[position], data["reserve"][reserve]
        records.append(
            {
                "round": 1,
                "stratum": "B",
                "replaced": replaced,
                "replacement": replacement,
                "reason": "已注销",
            }
        )
        current[position] = replacement
    bundle["substitutions"] = records
    return verify(bundle, example.POPULATION)


def test_a_substitute_may_itself_be_substituted() -> None:
    assert substituted((0, 0), (0, 1)) == []


def test_the_same_entity_substituted_twice_fails() -> None:
    bundle = v2_bundle()
    data = bundle["rounds"][0]["strata"]["B"]
    first = {
        "round": 1,
        "stratum": "B",
        "replaced": data["selected"][0],
        "replacement": data["reserve"][0],
        "reason": "已注销",
    }
    bundle["substitutions"] = [first, dict(first, replacement=data["reserve"][1])]

    assert verify(bundle, example.POPULATION) == [
        f"第2次替换：{data['selected'][0]} 已在第1次替换中被替换，同一主体只能被替换一次"
    ]


def test_the_standalone_script_verifies_a_version_2_vector(tmp_path: Path) -> None:
    data = json.loads((draw_vectors.FOLDER / "07-redraw-supersedes.json").read_text("utf-8"))
    bundle = draw_vectors.bundle_of(data)
    (tmp_path / "verify_draw.py").write_bytes(Path(draw_module.__file__).read_bytes())
    (tmp_path / "population.csv").write_text(draw_vectors.population_csv(data), "utf-8")
    (tmp_path / "bundle.json").write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")
    bundle["redraw_reason"] = "结果不理想"
    (tmp_path / "relabelled.json").write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")

    def run(name: str) -> list[str]:
        done = subprocess.run(  # -I: isolated, only the standard library
            [sys.executable, "-I", "verify_draw.py", name, "population.csv"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        return [str(done.returncode), done.stdout.split("：")[0]]

    assert run("bundle.json") + run("relabelled.json") == [
        "0",
        "PASS V2-CR-2",
        "1",
        "FAIL freeze_digest 不符",
    ]
