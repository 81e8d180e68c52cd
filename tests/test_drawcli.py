"""`shuangsuiji draw run` writes a bundle folder that `shuangsuiji verify` passes."""

import json
from pathlib import Path

import pytest

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
            "6 2 5 1",
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
        "verify_draw.py",
    ]
    assert bundle["ceremony"]["kind"] == "commit-reveal"
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
            "dice",
            "--out",
            str(out),
        ]
    )
    bundle = json.loads((out / "bundle.json").read_text("utf-8"))
    bundle["parameters"]["count"] = 4
    (out / "bundle.json").write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")

    code = verify_main([str(out / "bundle.json"), str(population_file)])

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
