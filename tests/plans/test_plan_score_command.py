"""`shuangsuiji plan score DIR` prints fields right of fields total per plan and per field kind."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import shuangsuiji.demo
from shuangsuiji.core.plans.score import TASK_FIELDS
from tests.core.plans.seed_expectations import LUCHENG_2023, PLAN_META

SEED = Path(shuangsuiji.demo.__file__).parent / "seeds" / "lucheng-2023-plan.txt"
FIELDS = 3 + 38 * len(TASK_FIELDS)  # title, locality, year and 15 fields of each of 38 tasks
ALL_RIGHT = f"{FIELDS}/{FIELDS}（100.0%）  有提示 0 无提示 0"


def corpus_of_the_seed(folder: Path, *, ratio_of_task_1: float = 0.3) -> None:
    """The 潞城 seed with its hand-written expectations, as the corpus keeps a plan."""
    shutil.copy(SEED, folder / "lucheng.txt")
    tasks = [{k: v for k, v in task.items() if k != "finding_fields"} for task in LUCHENG_2023]
    tasks[0]["ratio_min"] = ratio_of_task_1
    expected = {**PLAN_META["lucheng"], "tasks": tasks}
    (folder / "lucheng.expected.json").write_text(json.dumps(expected, ensure_ascii=False))


def score_lines(folder: Path, *args: str) -> list[str]:
    out = io.StringIO()
    call_command("plan", "score", str(folder), *args, stdout=out)
    return out.getvalue().splitlines()


def test_plan_score_prints_each_plan_each_field_kind_and_the_total(tmp_path: Path) -> None:
    corpus_of_the_seed(tmp_path)

    lines = score_lines(tmp_path)

    assert lines[1] == f"lucheng.txt  38/38 任务数正确  {ALL_RIGHT}"
    assert lines[3] == "  title                1/1（100.0%）  有提示 0 无提示 0"
    assert lines[10] == "  ratio_min            38/38（100.0%）  有提示 0 无提示 0"
    assert lines[-1] == f"合计：{ALL_RIGHT}；任务数正确的计划 1/1"


def test_plan_score_lists_a_silent_miss(tmp_path: Path) -> None:
    corpus_of_the_seed(tmp_path, ratio_of_task_1=0.5)

    lines = score_lines(tmp_path, "--misses")

    assert lines[1:3] == [
        f"lucheng.txt  38/38 任务数正确  {FIELDS - 1}/{FIELDS}（99.8%）  有提示 0 无提示 1",
        "    任务1 ratio_min（无提示）：应为 0.5，读出 0.3",
    ]


def test_plan_score_of_a_folder_without_expectations_says_so(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        call_command("plan", "score", str(tmp_path))

    assert str(error.value) == f"{tmp_path} 中没有 *.expected.json 期望值文件"
