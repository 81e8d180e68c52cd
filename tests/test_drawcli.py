"""`shuangsuiji draw run` writes a bundle folder that `shuangsuiji verify` passes."""

import json
from pathlib import Path

import pytest

from shuangsuiji.core import assign
from shuangsuiji.core.draw import write_population_csv
from shuangsuiji.drawcli import run_main, verify_main
from tests.core import draw_example as example


@pytest.fixture
def population_file(tmp_path: Path) -> Path:
    path = tmp_path / "population.csv"
    path.write_text(write_population_csv(example.POPULATION), "utf-8")
    return path


def test_draw_run_then_verify_passes(
    population_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bundle"

    code = run_main(
        [
            "--population",
            str(population_file),
            "--draw-id",
            "T1",
            "--ratio",
            "0.3",
            "--reveal",
            "区市场监管局=abc",
            "--reveal",
            "区公安分局=def",
            "--public-value",
            "6，2，5，1，3，4，4，6，1，2，5，5，3，6，2，1，4，3，6，5",
            "--out",
            str(out),
        ]
    )
    verified = verify_main([str(out)])

    bundle = json.loads((out / "bundle.json").read_text("utf-8"))
    assert (code, verified) == (0, 0)
    assert sorted(p.name for p in out.iterdir()) == [
        "bundle.json",
        "population.csv",
        "public",
        "verify_draw.py",
    ]
    assert sorted(p.name for p in (out / "public").iterdir()) == [
        "bundle.json",
        "population.csv",
        "tokens.csv",
    ]
    assert verify_main([str(out / "public")]) == 0
    assert bundle["ceremony"]["kind"] == "commit-reveal"
    assert bundle["ceremony"]["public_value"] == "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
    assert capsys.readouterr().out.splitlines()[-1].startswith("PASS T1")


def test_verify_fails_on_an_edited_bundle(
    population_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bundle"
    run_main(
        [
            "--population",
            str(population_file),
            "--draw-id",
            "T2",
            "--count",
            "3",
            "--public-value",
            "1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
            "--out",
            str(out),
        ]
    )
    bundle = json.loads((out / "bundle.json").read_text("utf-8"))
    bundle["parameters"]["count"] = 4
    (out / "bundle.json").write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")

    code = verify_main([str(out / "bundle.json"), str(out / "population.csv")])  # with salts

    assert code == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("FAIL freeze_digest 不符")


def test_draw_run_without_a_seed_source_says_what_is_missing(
    population_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_main(
        [
            "--population",
            str(population_file),
            "--draw-id",
            "T3",
            "--ratio",
            "0.3",
            "--out",
            str(tmp_path / "b"),
        ]
    )

    assert code == 1
    assert (
        capsys.readouterr().err.strip() == "错误：需要 --public-value（公开随机值）或 --system-seed"
    )


def test_verify_recognises_an_assignment_bundle_and_needs_no_population(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inspectors = [
        {
            "id": f"C{n}",
            "department": "市场监管局" if n < 3 else "卫健局",
            "valid_from": "2020-01-01",
            "valid_until": "2030-12-31",
            "active": True,
            "qualifications": [],
        }
        for n in range(6)
    ]
    task = {
        "task": "T1",
        "window": ["2024-03", "2024-06"],
        "lead": "市场监管局",
        "partners": ["卫健局"],
        "qualifications": [],
        "team_size": 2,
        "selected": [example_code(n) for n in range(4)],
    }
    freeze = assign.freeze_assignment("A1", assign.Rules(), [task], inspectors)
    bundle = assign.run_assignment(freeze, {"kind": "public", "public_value": "2 5 6"})
    path = tmp_path / "assignment.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")

    assert verify_main([str(path)]) == 0
    assert capsys.readouterr().out.startswith("PASS A1")
    member = bundle["visits"][0]["team"][1]  # the 卫健局 place: C3, C4 or C5
    member["inspector"] = "C4" if member["inspector"] == "C5" else "C5"
    path.write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")
    assert verify_main([str(path)]) == 1
    assert "第2岗位不符" in capsys.readouterr().out


def example_code(number: int) -> str:
    return sorted(example.POPULATION)[number]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--ratio", "0"], "错误：抽查比例（ratio）“0”应大于 0 且不超过 1"),
        (["--ratio", "2"], "错误：抽查比例（ratio）“2”应大于 0 且不超过 1"),
        ([], "错误：需要且只能给出抽查比例（ratio）或抽查户数（count）之一"),
        (
            ["--class-ratio", "D=1"],
            "错误：需要给出抽查比例（ratio）或抽查户数（count）；只给分类比例时须给全 A/B/C/D 四类",
        ),
        (["--count", "0"], "错误：抽查户数（count）“0”应为不小于 1 的整数"),
        (
            ["--ratio", "0.3", "--public-value", "6 2 5 1"],
            "错误：公开随机值应为20个骰子点数（每个 1–6），录入了4个",
        ),
        (
            ["--ratio", "0.3", "--supersedes", "T0"],
            "错误：重新抽取必须记录原因（redraw_reason）",
        ),
    ],
)
def test_draw_run_refuses_bad_parameters_and_values_by_name(
    population_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    dice = ["--public-value", "1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2"]
    base = ["--population", str(population_file), "--draw-id", "T4", "--out", str(tmp_path / "b")]

    code = run_main(base + (arguments if "--public-value" in arguments else arguments + dice))

    assert (code, capsys.readouterr().err.strip()) == (1, message)
    assert not (tmp_path / "b").exists()


def test_a_redraw_names_what_it_supersedes_and_relabelling_it_fails(
    population_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "redraw"
    run_main(
        [
            "--population",
            str(population_file),
            "--draw-id",
            "T5-2",
            "--ratio",
            "0.3",
            "--supersedes",
            "T5-1",
            "--redraw-reason",
            "名录库漏录2户",
            "--public-value",
            "1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
            "--out",
            str(out),
        ]
    )
    bundle = json.loads((out / "bundle.json").read_text("utf-8"))
    bundle["supersedes"] = "T5-0"
    (out / "bundle.json").write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")

    code = verify_main([str(out)])

    assert code == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("FAIL freeze_digest 不符")
