"""Table text whose cells lost every separator (core/plans/glued.py), read as a new user's
paste would be: the expected values were written by reading the table, not by the parser."""

from shuangsuiji.core.plans.model import Severity, Window
from shuangsuiji.core.plans.parse import parse_plan

# The header's names run together over wrapped lines, each row one line of cells run
# together; the second row's partners wrap onto a line of their own.
GLUED = "\n".join(
    [
        "某某省2022年度部门联合双随机抽查工作计划",
        "",
        "序号抽查任务名称抽查",
        "类型",
        "抽查事项抽查对象",
        "范围",
        "抽查比例",
        "抽查检查起止时间发起部门配合部门",
        "",
        "1对旅馆业治安情况的双随机抽查定向旅馆业治安管理检查临江市旅馆不低于5%3—9市公安局"
        "市市场监管局",
        "2对加油站经营情况的双随机抽查不定向1.油品质量;2.计量器具临江市加油站10%4—11市商务局"
        "市应急管理局、",
        "市市场监管局",
    ]
)


def test_a_table_whose_cells_lost_every_separator_is_cut_by_names_and_content() -> None:
    plan = parse_plan(GLUED.encode(), "计划.txt")

    assert [
        (
            t.seq,
            t.name,
            t.sampling_type,
            t.items,
            t.scope,
            t.ratio_min,
            t.window,
            t.lead_department,
            t.partner_departments,
        )
        for t in plan.tasks
    ] == [
        (
            1,
            "对旅馆业治安情况的双随机抽查",
            "定向",
            ("旅馆业治安管理检查",),
            "临江市旅馆",
            0.05,
            Window("2022-03", "2022-09"),
            "市公安局",
            ("市市场监管局",),
        ),
        (
            2,
            "对加油站经营情况的双随机抽查",
            "不定向",
            ("油品质量", "计量器具"),
            "临江市加油站",
            0.1,
            Window("2022-04", "2022-11"),
            "市商务局",
            ("市应急管理局", "市市场监管局"),
        ),
    ]


def test_every_row_cut_so_carries_a_warning() -> None:
    plan = parse_plan(GLUED.encode(), "计划.txt")

    assert [
        [f.severity for f in task.findings if f.message.startswith("本行的单元格之间没有分隔符")]
        for task in plan.tasks
    ] == [[Severity.WARNING], [Severity.WARNING]]
