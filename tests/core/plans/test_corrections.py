from pathlib import Path

import shuangsuiji.demo
from shuangsuiji.core.plans.parse import parse_plan

SEED = Path(shuangsuiji.demo.__file__).parent / "seeds" / "lucheng-2023-plan.txt"


def test_corrections_replace_cells_before_fields_are_read() -> None:
    plan = parse_plan(SEED.read_bytes(), SEED.name, corrections={(8, "ratio"): "不低于20%"})

    task = plan.tasks[7]
    assert (task.ratio_min, task.frequency_per_year) == (0.2, 4)
    assert [(f.field, f.message) for f in task.findings] == [
        ("table", "导入时人工修改了“抽查比例及频次”，原文为“（空）”"),
        ("frequency_per_year", "抽查频次写在了“智慧监管（信用风险分类）要求”列，已按频次识别"),
    ]


def test_unchanged_or_out_of_range_corrections_leave_no_trace() -> None:
    original = parse_plan(SEED.read_bytes(), SEED.name)

    plan = parse_plan(
        SEED.read_bytes(),
        SEED.name,
        corrections={(1, "name"): " 对学校食堂食品安全情况的双随机抽查\n", (99, "name"): "不存在"},
    )

    assert plan == original
