import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import shuangsuiji.demo
from shuangsuiji.plans.models import Plan
from tests.conftest import World
from tests.factories import other_district_coordinator

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
JINCHENG = SEEDS / "jincheng-chengqu-2024-plan.txt"


def test_plan_parse_json_has_the_documented_shape() -> None:
    out = io.StringIO()

    call_command("plan", "parse", str(JINCHENG), "--format", "json", stdout=out)

    plan = json.loads(out.getvalue())
    task = plan["tasks"][19]
    assert (plan["title"], plan["locality"], plan["year"], len(plan["tasks"])) == (
        "晋城市城区市场监管领域2024年度部门联合双随机抽查工作计划（调整版）",
        "晋城市城区",
        2024,
        27,
    )
    assert plan["columns"] == [
        "seq",
        "name",
        "items",
        "scope",
        "ratio",
        "risk",
        "window",
        "lead",
        "partners",
        "mode",
    ]
    assert sorted(task) == sorted(
        [
            "seq",
            "name",
            "items",
            "scope",
            "ratio_min",
            "class_ratios",
            "ratio_tiers",
            "sample_count",
            "frequency_per_year",
            "sampling_type",
            "risk_rule",
            "window",
            "lead_department",
            "partner_departments",
            "partners_open_ended",
            "mode",
            "note",
            "source",
            "findings",
        ]
    )
    assert (task["window"], task["mode"]) == (
        {"start": "2024-12", "end": "2025-02"},
        {"text": "县抽县查", "pairs": [["县", "县"]]},
    )


def test_plan_parse_table_prints_a_line_per_task() -> None:
    out = io.StringIO()

    call_command("plan", "parse", str(JINCHENG), stdout=out)

    assert len([line for line in out.getvalue().splitlines() if " | 比例 " in line]) == 27


@pytest.mark.django_db
def test_plan_import_stores_the_plan(world: World) -> None:
    out = io.StringIO()
    coordinator = other_district_coordinator()  # 晋城市城区's, where the plan is

    call_command("plan", "import", str(JINCHENG), "--user", coordinator.username, stdout=out)

    assert Plan.objects.get().tasks.count() == 27
    assert out.getvalue().startswith("已导入“晋城市城区市场监管领域2024年度")


def test_plan_parse_of_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("plan", "parse", str(tmp_path / "nope.docx"))
