"""The assignment vectors of docs/draw-vectors/assign-*.json against both verifiers: each file
is what the Python rule derives from its own inputs, an outsider rebuilds each honest one
from the inputs alone, every relabelling of any vector fails, and the JavaScript verifier
(static/js/verify_assign.js, run by node) gives the same verdict as Python on all of them."""

import copy
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shuangsuiji.core import draw
from shuangsuiji.core.assign import (
    AssignError,
    Rules,
    current_teams,
    freeze_assignment,
    main,
    recuse,
    run_assignment,
    verify,
)
from tests.core import assign_vectors as vectors
from tests.core.assign_checker import check_bundle
from tests.core.assign_vectors import EDUCATION, ENVIRONMENT, FOOD, HEALTH, MARKET, SAFETY, E

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "src" / "shuangsuiji" / "static" / "js" / "verify_assign.js"
FILES = vectors.files()
NODE = shutil.which("node")
RUNNER = """
const V = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8"); // a character split between chunks stays whole
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const out = [];
  for (const bundle of JSON.parse(input)) out.push(await V.verify(bundle));
  process.stdout.write(JSON.stringify(out));
});
"""

Bundle = dict[str, Any]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]


def named(name: str) -> dict[str, Any]:
    return load(vectors.FOLDER / f"{name}.json")


def node_verify(bundles: list[Bundle]) -> list[list[str]]:
    """JavaScript's verdict on each bundle."""
    if NODE is None:
        pytest.skip("node is not installed")
    result = subprocess.run(
        [NODE, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps(bundles, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# --- relabellings: what a coordinator, a department or a forger might change afterwards ----


def forge_conflict(bundle: Bundle) -> None:
    """A conflict for the first visit's leader, with digests and seed recomputed (a forger who
    can run the rule): the teams no longer follow from the seed."""
    add_conflict(bundle)
    freeze = freeze_assignment(
        bundle["assignment_id"],
        Rules.from_dict(bundle["rules"]),
        bundle["tasks"],
        bundle["inspectors"],
        bundle["conflicts"],
        bundle["history"],
        bundle["units"],
    )
    reveals = draw.check_ceremony(bundle["ceremony"], bundle["assignment_id"])
    bundle.update(
        pool_digest=freeze["pool_digest"],
        freeze_digest=freeze["freeze_digest"],
        seed=draw.combine_seed(
            freeze["freeze_digest"], reveals, str(bundle["ceremony"]["public_value"])
        ),
    )


def add_conflict(bundle: Bundle) -> None:
    visit = bundle["visits"][0]
    row = {"inspector": visit["team"][0]["inspector"], "uscc": visit["uscc"], "reason": "事后申报"}
    bundle["conflicts"] = sorted(
        [*bundle["conflicts"], row], key=lambda r: (r["inspector"], r["uscc"], r["reason"])
    )


def swap_first_two(bundle: Bundle) -> None:
    team = bundle["visits"][0]["team"]
    team[0]["inspector"], team[1]["inspector"] = team[1]["inspector"], team[0]["inspector"]


def recuse_without_reason(bundle: Bundle) -> None:
    visit = bundle["visits"][0]
    leader = current_teams(bundle)[visit["id"]][0]["inspector"]
    bundle["recusals"].append(
        {
            "number": len(bundle["recusals"]) + 1,
            "visit": visit["id"],
            "slot": 1,
            "inspector": leader,
            "reason": " ",
            "replacement": leader,
        }
    )


def recuse_into_oneself(bundle: Bundle) -> None:
    """A recusal whose 'replacement' is the recused leader: the rule never names them."""
    recuse_without_reason(bundle)
    bundle["recusals"][-1]["reason"] = "与该企业有业务往来"


def first_department(bundle: Bundle) -> str:
    return sorted(bundle["caps"])[0]


RELABELLINGS: dict[str, Callable[[Bundle], Any]] = {
    "spec": lambda b: b.update(spec="shuangsuiji-assign/0"),
    "assignment id": lambda b: b.update(assignment_id="第二次随机"),
    "history dropped": lambda b: b.pop("history"),
    "rules": lambda b: b["rules"].update(cap_slack=b["rules"]["cap_slack"] + 1),
    "draw seed": lambda b: b["tasks"][0].update(draw_seed="0" * 64),
    "late conflict": add_conflict,
    "forged conflict": forge_conflict,
    "public value": lambda b: b["ceremony"].update(public_value="6 6 6 6 6 6 6 6 6 6"),
    "seed kind": lambda b: b["ceremony"].update(kind="commit-reveal", reveals=[]),
    "caps": lambda b: b["caps"].update({first_department(b): b["caps"][first_department(b)] + 1}),
    "window": lambda b: b["visits"][0].update(window=[b["visits"][0]["window"][0], "2099-12"]),
    "team order": swap_first_two,
    "role": lambda b: b["visits"][0]["team"][0].update(role="组员"),
    "extra member": lambda b: b["visits"][0]["team"].append(dict(b["visits"][0]["team"][-1])),
    "over_limit": lambda b: b["report"].update(over_limit=[b["visits"][0]["uscc"]]),
    "loads": lambda b: b["loads"][first_department(b)].update(
        total=b["loads"][first_department(b)]["total"] + 1
    ),
    "recusal without reason": recuse_without_reason,
    "recusal into oneself": recuse_into_oneself,
}


def relabelled(bundle: Bundle) -> list[Bundle]:
    variants = []
    for change in RELABELLINGS.values():
        variant = copy.deepcopy(bundle)
        change(variant)
        variants.append(variant)
    return variants


# --- the files -----------------------------------------------------------------------------


def test_there_are_enough_vectors_for_the_issue() -> None:
    draws = sorted(vectors.FOLDER.glob("[0-9]*.json"))

    assert (len(FILES), len(FILES) + len(draws) >= 20) == (len(vectors.cases()), True)
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vector_is_what_the_python_rule_derives(path: Path) -> None:
    data = load(path)

    verdict = verify(vectors.bundle_of(data))

    assert data == vectors.vector(data["name"], vectors.cases()[data["name"]])
    assert verdict == data["expected"]["verdict"]
    assert (verdict == [], data["tampered"] is None) == (not path.stem.endswith("-fails"),) * 2


@pytest.mark.parametrize(
    "path", [p for p in FILES if not p.stem.endswith("-fails")], ids=lambda p: p.stem
)
def test_honest_vector_is_rebuilt_from_its_inputs_alone(path: Path) -> None:
    """What an outsider does: freeze the inputs, run the ceremony, record the recusals asked
    for in order; the result is the vector's bundle, key for key."""
    data = load(path)
    inputs = data["inputs"]

    frozen = freeze_assignment(
        inputs["assignment_id"],
        Rules.from_dict(inputs["rules"]),
        inputs["tasks"],
        inputs["inspectors"],
        inputs["conflicts"],
        inputs["history"],
        inputs["units"],
    )
    bundle = run_assignment(frozen, inputs["ceremony"])
    for asked in inputs["recusals"]:
        bundle["recusals"].append(
            recuse(bundle, asked["visit"], asked["inspector"], asked["reason"])
        )

    assert bundle == vectors.bundle_of(data)
    assert check_bundle(bundle) == []  # the independent checker of the rules agrees


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vector_relabelled_fails_in_python(path: Path) -> None:
    bundle = vectors.bundle_of(load(path))

    verdicts = [verify(variant) for variant in relabelled(bundle)]

    assert [name for name, v in zip(RELABELLINGS, verdicts, strict=True) if not v] == []


def test_vectors_pass_and_relabellings_fail_alike_in_javascript() -> None:
    bundles, expected = [], []
    for path in FILES:
        data = load(path)
        for bundle in [vectors.bundle_of(data), *relabelled(vectors.bundle_of(data))]:
            bundles.append(bundle)
            expected.append(verify(bundle))

    verdicts = node_verify(bundles)

    assert verdicts == expected
    assert [v == [] for v in verdicts].count(True) == len(
        [p for p in FILES if not p.stem.endswith("-fails")]
    )


def test_the_javascript_verifier_prints_what_verify_assign_py_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if NODE is None:
        pytest.skip("node is not installed")
    outputs = []
    for name in ("assign-08-recusals-refill", "assign-14-recusal-replacement-chosen-fails"):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(vectors.bundle_of(named(name)), ensure_ascii=False), "utf-8")
        python_code = main([str(path)])
        node = subprocess.run(
            [NODE, str(SCRIPT), str(path)], capture_output=True, text=True, check=False
        )
        outputs.append((node.returncode, node.stdout, python_code, capsys.readouterr().out))

    assert [(n, p) for n, _, p, _ in outputs] == [(0, 0), (1, 1)]
    assert [node for _, node, _, _ in outputs] == [python for _, _, _, python in outputs]
    assert outputs[0][1] == "PASS AV-RECUSAL：5 次检查，13 人次\n"


# --- what each vector is named for, worked out by hand from the spec ------------------------


def test_vector_02_merges_overlapping_windows_and_splits_the_rest() -> None:
    expected = named("assign-02-windows-merge-split-over-limit")["expected"]

    ids = [v["id"] for v in expected["visits"]]
    tasks = {v["id"]: v["tasks"] for v in expected["visits"]}

    # E1: MG-A (01–03) and MG-B (02–06) meet in 03; MG-C (08–10) cannot: two visits.
    assert ids == [
        f"{E[1]}-202502",
        f"{E[1]}-202508",
        f"{E[2]}-202502",
        f"{E[3]}-202501",
        f"{E[3]}-202508",
        f"{E[4]}-202508",
    ]
    assert tasks[f"{E[1]}-202502"] == ["MG-A", "MG-B"]
    assert expected["report"] == {
        "visits_before": 8,
        "visits_after": 6,
        "entities": 4,
        "visits_per_entity": {"1": 2, "2": 2},
        "over_limit": [E[1], E[3]],
    }


def test_vector_03_fixed_cap_makes_everyone_go_twice() -> None:
    expected = named("assign-03-fixed-cap-rotation-off")["expected"]

    # 4 visits × 3 places = 12 places over 6 inspectors capped at 2 each.
    assert expected["caps"] == {MARKET: 2}
    assert expected["loads"] == {MARKET: {"inspectors": 6, "min": 2, "max": 2, "total": 12}}


def test_vector_04_computed_caps() -> None:
    expected = named("assign-04-computed-cap-no-slack-visit-limit-2")["expected"]

    # 区市场监管局: reach 5 × (1 + 2 − 2 + 1) = 10 over 3 → 4; 食品检验 on 5 visits, 1 holder
    # → 5; slack 0: 9. 区卫健局: 10 over 2 → 5, no holder: 5. 区教育局: 2 × (1 + 2 − 1) = 4
    # over 3 → 2. E1 has two visits, allowed by visit_limit 2.
    assert expected["caps"] == {HEALTH: 5, MARKET: 9, EDUCATION: 2}
    assert (expected["report"]["visits_per_entity"], expected["report"]["over_limit"]) == (
        {"1": 5, "2": 1},
        [],
    )


def test_vector_05_team_sizes() -> None:
    visits = named("assign-05-team-sizes-min-team-3")["expected"]["visits"]

    shapes = [(v["departments"], v["team_size"], len(v["team"])) for v in visits]

    assert shapes == [
        ([MARKET, HEALTH, SAFETY, ENVIRONMENT], 4, 4),  # SZ-T2 asks 4
        ([MARKET, HEALTH, SAFETY], 3, 3),  # three departments
        ([ENVIRONMENT], 4, 4),
        ([EDUCATION, MARKET], 3, 3),  # min_team 3
    ]


def test_vector_08_recusals_keep_the_qualification_and_bar_who_left() -> None:
    expected = named("assign-08-recusals-refill")["expected"]
    people = {i["id"]: i for i in named("assign-08-recusals-refill")["inputs"]["inspectors"]}

    first, second, third = expected["recusals"]

    assert [r["number"] for r in expected["recusals"]] == [1, 2, 3]
    assert (second["inspector"], FOOD in people[second["replacement"]]["qualifications"]) == (
        "SC101",
        True,
    )
    assert third["inspector"] == first["replacement"]
    assert third["replacement"] not in {first["inspector"], third["inspector"]}


def test_failing_vectors_name_what_was_changed() -> None:
    verdicts = {
        p.stem: load(p)["expected"]["verdict"][0] for p in FILES if p.stem.endswith("-fails")
    }

    assert verdicts["assign-11-swapped-member-fails"] == (
        f"检查 {E[1]}-202504 第1岗位不符：记录 SC103，应为 SC104（SC103 已申报与该检查对象回避）"
    )
    assert verdicts["assign-12-conflict-declared-after-fails"].startswith("pool_digest 不符：")
    assert verdicts["assign-13-shortfall-forged-fails"].startswith(
        "无法重算分派：执法人员不足：没有可用的执法人员持有“食品检验”资格"
    )
    assert verdicts["assign-14-recusal-replacement-chosen-fails"] == (
        "第1次回避的替补应为 SC106，记录为 SC102"
    )


def test_the_spec_quotes_the_worked_example_as_it_is() -> None:
    spec = (ROOT / "docs" / "assign-spec.md").read_text("utf-8")
    worked = named("assign-01-worked-example")["expected"]

    quoted = [f"`{key}` = `{worked[key]}`" for key in ("pool_digest", "freeze_digest", "seed")]

    assert [text for text in quoted if text not in spec] == []


def test_javascript_agrees_with_python_on_generated_assignments() -> None:
    """Beyond the vectors: the small scenario of test_assign.py and three generated county-sized
    batches (every feature at once, strict and slack rules), each with three recusals made by
    the rule, and each with its second visit's team reversed."""
    from tests.core.test_assign import PUBLIC_VALUES, medium_freeze, public, small_freeze

    frozen = [small_freeze()] + [
        medium_freeze(seed, rules)
        for seed, rules in ((2024, Rules()), (7, Rules(avoid_own_unit=True, cap=9)))
    ]
    bundles = []
    for freeze in frozen:
        for value in PUBLIC_VALUES[:4]:
            bundle = run_assignment(freeze, public(value))
            for visit in bundle["visits"][1:]:
                leader = current_teams(bundle)[visit["id"]][0]["inspector"]
                try:  # a recusal the rule cannot refill (nobody else qualified) is refused
                    bundle["recusals"].append(recuse(bundle, visit["id"], leader, "申请回避"))
                except AssignError:
                    continue
                if len(bundle["recusals"]) == 3:
                    break
            reversed_team = copy.deepcopy(bundle)
            reversed_team["visits"][1]["team"].reverse()
            bundles += [bundle, reversed_team]

    python = [verify(bundle) for bundle in bundles]

    assert python[::2] == [[]] * len(frozen) * 4
    assert [len(b["recusals"]) for b in bundles[::2]] == [3] * len(frozen) * 4
    assert all(python[1::2])
    assert node_verify(bundles) == python
