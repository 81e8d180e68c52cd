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


# A bureau's plan whose first column (计划类别) is merged down: its text is written before the
# first row's 序号 and again after a page break. The count of objects to draw runs into the
# window's year (6%22022年…), every row shares one 抽查类别 while 计划名称 names each task
# (two rows that cut plainly tell the 抽查类别 the others share), and the 牵头处室 cell wraps.
GROUPED = "\n".join(
    [
        "某某市农业农村局2022年抽查工作计划表",
        "",
        "部门抽查计划序号抽查计",
        "划名称",
        "抽查类别抽查事项事项类别检查对象抽查",
        "比例",
        "抽取检查对象数量抽查检",
        "查时间",
        "牵头处室",
        "部门抽查计划1肥料生产经营和使用行为监督检查农业生产资料监管肥料监督检查一般检查事项"
        "肥料生产经营者6%22022年3月-8月种植业处市农业综合执法支队",
        "2饲料生产经营和使用行为监督检查农业生产资料监管饲料监督检查一般检查事项"
        "饲料和饲料添加剂生产企业10%72022年3月-11月畜牧处市农业综合执法支队",
        "3农药生产经营企业农业生产资料监管农药监督检查重点检查事项农药生产经营者6%3"
        "2022年3月-8月种植业处市农业综合执法支队",
        "部门抽查计划4畜禽屠宰农业生产资料监管畜禽产品生产监督检查重点检查事项辖区畜禽屠宰企业"
        "6%172022年4月—12月兽医处",
        "市农业综合执法支队",
    ]
)


def test_a_merged_first_column_written_before_the_number_and_a_count_run_into_the_year() -> None:
    plan = parse_plan(GROUPED.encode(), "计划.txt")

    assert plan.columns[0] == "plan_kind"
    assert [
        (
            t.seq,
            t.name,
            t.items,
            t.scope,
            t.ratio_min,
            t.sample_count,
            t.window,
            t.lead_department,
            t.source["plan_kind"],
        )
        for t in plan.tasks
    ] == [
        (
            1,
            "肥料生产经营和使用行为监督检查",
            ("肥料监督检查",),
            "肥料生产经营者",
            0.06,
            2,
            Window("2022-03", "2022-08"),
            "种植业处市农业综合执法支队",
            "部门抽查计划",
        ),
        (
            2,
            "饲料生产经营和使用行为监督检查",
            ("饲料监督检查",),
            "饲料和饲料添加剂生产企业",
            0.1,
            7,
            Window("2022-03", "2022-11"),
            "畜牧处市农业综合执法支队",
            "",
        ),
        (
            3,
            "农药生产经营企业",
            ("农药监督检查",),
            "农药生产经营者",
            0.06,
            3,
            Window("2022-03", "2022-08"),
            "种植业处市农业综合执法支队",
            "",
        ),
        (
            4,
            "畜禽屠宰",
            ("畜禽产品生产监督检查",),
            "辖区畜禽屠宰企业",
            0.06,
            17,
            Window("2022-04", "2022-12"),
            "兽医处市农业综合执法支队",
            "部门抽查计划",
        ),
    ]
    assert all(
        any(f.field == "table" and f.severity is Severity.WARNING for f in t.findings)
        for t in plan.tasks
    )
