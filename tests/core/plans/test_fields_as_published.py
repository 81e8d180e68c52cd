"""Cells as real plans write them (issue #18): each read into structure, or kept with a
finding that says what was read and why it is uncertain. Expected values are the plan's
meaning, worked out by hand from the issue's rules (the minimum is the floor, a ceiling is no
minimum, tiers keep every tier, deadlines give only an end)."""

import pytest

from shuangsuiji.core.plans.fields import (
    Parsed,
    parse_window,
    plan_level,
    read_count,
    read_frequency,
    read_ratio,
    split_departments,
    split_items,
)
from shuangsuiji.core.plans.model import Finding, RiskRuleKind, Severity, Window
from shuangsuiji.core.plans.parse import parse_plan

# --- ratios ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ratio", "finding"),
    [
        (
            "10-20%",
            0.1,
            ("ratio_min", Severity.INFO, "抽查比例为区间“10-20%”：按其下限 10% 作为最低比例"),
        ),
        (
            "2%-5%",
            0.02,
            ("ratio_min", Severity.INFO, "抽查比例为区间“2%-5%”：按其下限 2% 作为最低比例"),
        ),
        (
            "5%～3%",
            0.03,
            ("ratio_min", Severity.INFO, "抽查比例为区间“5%～3%”：按其下限 3% 作为最低比例"),
        ),
        (
            "原则上一般检查事项抽查比例不高于10%",
            None,
            (
                "ratio_min",
                Severity.WARNING,
                "“原则上一般检查事项抽查比例不高于10%”写的是上限，不是最低比例："
                "请填写本计划的最低抽查比例",
            ),
        ),
        ("不低于20%", 0.2, None),
        ("不低于0.5%", 0.005, None),
    ],
    ids=["range", "range-with-both-signs", "range-reversed", "ceiling", "floor", "half-percent"],
)
def test_ratio_range_and_ceiling(
    text: str, ratio: float | None, finding: tuple[str, Severity, str] | None
) -> None:
    parsed = Parsed()

    reading = read_ratio(text, parsed)

    assert reading.ratio_min == ratio
    assert parsed.findings == ([Finding(*finding)] if finding else [])


def test_per_class_table_becomes_class_ratios() -> None:
    parsed = Parsed()

    reading = read_ratio("A3% B4% C5% D6%", parsed)

    assert (reading.class_ratios, reading.ratio_min) == (
        {"A": 0.03, "B": 0.04, "C": 0.05, "D": 0.06},
        0.03,
    )
    assert [f.field for f in parsed.findings] == ["class_ratios"]


def test_hospital_grade_tiers_keep_every_tier_and_warn_when_the_level_is_unknown() -> None:
    parsed = Parsed()

    reading = read_ratio("三级≥50%，二级≥30%", parsed)

    assert (reading.tiers, reading.ratio_min) == ((("三级", 0.5), ("二级", 0.3)), 0.3)
    assert parsed.findings == [
        Finding(
            "ratio_min",
            Severity.WARNING,
            "抽查比例分级（三级0.5、二级0.3）：计划未写明本级，暂取最低的 0.3，请核对",
        )
    ]


def test_city_and_county_tiers_take_the_county_plans_own_level() -> None:
    parsed = Parsed()
    text = (
        "市级抽查市级储备粮比例不低于备查库点的30%，县（区）级抽查县级储备粮比例不低于备查库点的50%"
    )

    reading = read_ratio(text, parsed, plan_level("某某县"))

    assert (reading.tiers, reading.ratio_min) == ((("市级", 0.3), ("县（区）级", 0.5)), 0.5)
    assert parsed.findings == [
        Finding(
            "ratio_min",
            Severity.INFO,
            "抽查比例分级（市级0.3、县（区）级0.5）：按本计划的县级取 0.5",
        )
    ]


def test_the_plans_level_column_wins_over_its_locality() -> None:
    assert (plan_level("某某市", "区级发起，区级检查"), plan_level("某某市"), plan_level("")) == (
        "县级",
        "市级",
        None,
    )


@pytest.mark.parametrize(
    ("text", "count", "info"),
    [
        ("60-70家", 60, True),
        ("1户（实际以联合双随机牵头单位抽查数为准。）", 1, False),
        ("1家", 1, False),
        ("基数:7", None, False),
        ("抽查比例:10%", None, False),
    ],
    ids=["range", "with-a-note", "jia", "population-base", "no-count"],
)
def test_counts_and_population_bases(text: str, count: int | None, info: bool) -> None:
    parsed = Parsed()

    assert read_count(text, parsed) == count
    assert [f.severity for f in parsed.findings] == ([Severity.INFO] if info else [])


# --- frequencies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "times"),
    [
        ("=1", True, 1),
        (">=1", True, 1),
        ("至少1次", False, 1),
        ("至少2次", False, 2),
        ("分两批次;第一批7月20日前完成", False, 2),
        ("每季度各抽查1次", False, 4),
        ("每月一次", False, 12),
        ("同一年度对同一单位(人)的抽查次数为1次。", False, 1),
        ("重点监管对象:每季度最低抽查12.5%; 特殊监管对象:每个季度最低抽查比例为25%", False, 4),
        ("每半年抽查10%", False, 2),
    ],
)
def test_frequency_forms(text: str, column: bool, times: int) -> None:
    assert read_frequency(text, Parsed(), column=column) == times


def test_frequency_left_open_is_said() -> None:
    parsed = Parsed()

    assert read_frequency("全年抽查比例不低于5%,抽查频次根据监管需要确定", parsed) is None
    assert parsed.findings == [
        Finding(
            "frequency_per_year",
            Severity.WARNING,
            "抽查频次“全年抽查比例不低于5%,抽查频次根据监管需要确定”未写次数",
        )
    ]


def test_a_yearly_ratio_says_no_number_of_rounds_and_is_said() -> None:
    parsed = Parsed()

    assert read_frequency("重点监管对象:每年最低抽查5%", parsed) is None
    assert [(f.field, f.severity) for f in parsed.findings] == [
        ("frequency_per_year", Severity.WARNING)
    ]


def test_separate_frequency_column_is_not_joined_into_the_ratio() -> None:
    text = "序号\t抽查任务名称\t抽查事项\t抽查对象\t抽查比例\t抽查频次\t发起部门\t起止时间\n" + (
        "1\t校外培训机构检查\t办学许可\t全区校外培训机构\t5%\t>=1\t区教育局\t2024年3月至11月\n"
    )

    task = parse_plan(text.encode(), "计划.txt").tasks[0]

    assert (task.ratio_min, task.frequency_per_year) == (0.05, 1)


# --- windows --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "window", "severity"),
    [
        ("2026年1月1日-2026年12月31日", Window("2026-01", "2026-12"), None),
        ("第二批2023年10月15日前完成", Window(None, "2023-10"), Severity.INFO),
        (
            "分两批次;第一批2023年7月20日前完成,第二批2023年10月15日前完成",
            Window(None, "2023-10"),
            Severity.INFO,
        ),
        ("春、秋季", Window(None, None), Severity.WARNING),
        ("根据上级部署确定", Window(None, None), Severity.WARNING),
        ("2025年9月", Window("2025-09", "2025-09"), None),
        ("2024年5月起", Window("2024-05", None), None),
        ("全年", Window("2024-01", "2024-12"), None),
        ("2021.04.01\n2021.10.31", Window("2021-04", "2021-10"), None),
        ("2021/5/10-2021/12/20/", Window("2021-05", "2021-12"), None),
        ("202210", Window("2022-10", "2022-10"), Severity.WARNING),
        ("3月10月", Window("2024-03", "2024-10"), Severity.WARNING),
        ("3月11", Window("2024-03", "2024-11"), Severity.WARNING),
    ],
    ids=[
        *("days", "deadline", "two-deadlines", "season", "event", "one-month", "from"),
        *("whole-year", "start-and-end-columns", "slashed-dates", "glued-year-month"),
        *("months-without-a-dash", "months-without-a-dash-or-last-month-word"),
    ],
)
def test_window_forms(text: str, window: Window, severity: Severity | None) -> None:
    parsed = Parsed()

    assert parse_window(text, 2024, parsed) == window
    assert [f.severity for f in parsed.findings] == ([severity] if severity else [])


def test_window_with_days_keeps_its_days_in_the_source() -> None:
    text = "序号\t抽查任务名称\t抽查事项\t抽查对象\t抽查比例\t发起部门\t起止时间\n" + (
        "1\t校外培训机构检查\t办学许可\t全区校外培训机构\t5%\t区教育局\t2026年1月1日-2026年12月31日\n"
    )

    task = parse_plan(text.encode(), "2026年计划.txt").tasks[0]

    assert (task.window, task.source["window"]) == (
        Window("2026-01", "2026-12"),
        "2026年1月1日-2026年12月31日",
    )


def test_dates_that_lost_their_year_and_month_words_are_read_and_said() -> None:
    parsed = Parsed()

    assert parse_window("第一批2023720日前完成", 2023, parsed) == Window(None, "2023-07")
    assert [f.message for f in parsed.findings] == [
        "日期“2023720日”缺少年、月字样，按“第一批2023年7月20日前完成”读取",
        "“第一批2023年7月20日前完成”只写了完成期限：结束取最后的期限，开始未写",
    ]


# --- departments ----------------------------------------------------------------------------


def test_departments_sharing_a_suffix_are_each_named() -> None:
    parsed = Parsed()

    names = split_departments("人力资源和社会保障、商务、税务部门", parsed)

    assert names == (("人力资源和社会保障部门", "商务部门", "税务部门"), False)
    assert [f.severity for f in parsed.findings] == [Severity.INFO]


def test_beside_a_contents_column_the_matter_column_names_the_task() -> None:
    text = "某某区2022年度抽查计划\n序号\t抽查事项\t抽查内容\t抽查对象\t抽查比例\n" + (
        "1\t注册建造师监管\t注册证书是否有效;是否存在违规挂证\t注册建造师\t5%\n"
    )

    task = parse_plan(text.encode(), "计划.txt").tasks[0]

    assert (task.name, task.items) == ("注册建造师监管", ("注册证书是否有效", "是否存在违规挂证"))


def test_each_run_of_bare_departments_shares_the_suffix_that_ends_it() -> None:
    names = split_departments("城乡建设、卫生健康、市场监管部门 消防救援机构")[0]

    assert names == ("城乡建设部门", "卫生健康部门", "市场监管部门", "消防救援机构")


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("4.保安从业单位的检查", ("保安从业单位的检查",)),
        ("6.许可证情况的检查\n7.消防情况的检查", ("许可证情况的检查", "消防情况的检查")),
        ("12.年度报告公示信息的检查", ("年度报告公示信息的检查",)),
        (
            "1.是否超范围经营。包括:是否吸收存款;是否自营贷款\n2.资产比例是否合规",
            ("是否超范围经营。包括:是否吸收存款;是否自营贷款", "资产比例是否合规"),
        ),
    ],
    ids=["one", "two", "before-a-year-word", "semicolons-inside-an-item"],
)
def test_items_numbered_throughout_the_table_lose_their_numbers(
    text: str, items: tuple[str, ...]
) -> None:
    assert split_items(text) == items


@pytest.mark.parametrize(
    ("title", "locality"),
    [
        ("亳州市市场监管领域2024年度部门联合抽查工作计划", "亳州市"),
        ("临沂市城市管理局2024年度抽查工作计划", "临沂市"),
        ("连州市卫生健康局2023年度双随机抽查工作计划", "连州市"),
    ],
    ids=["market", "urban-management", "zhou-city"],
)
def test_the_locality_is_the_place_name_the_title_starts_with(title: str, locality: str) -> None:
    text = f"{title}\n序号\t抽查任务名称\t抽查事项\t抽查对象\t抽查比例\n1\t检查\t检查\t企业\t5%\n"

    assert parse_plan(text.encode(), "计划.txt").locality == locality


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("县应急管理局县消防救援大队", ("县应急管理局", "县消防救援大队")),
        ("区市场监管、区税务局", ("区市场监管", "区税务局")),
        ("市市场监管局", ("市市场监管局",)),
    ],
    ids=["run-together", "short-name-kept", "one"],
)
def test_departments_run_together_are_cut_where_the_next_begins(
    text: str, names: tuple[str, ...]
) -> None:
    assert split_departments(text)[0] == names


# --- row structure --------------------------------------------------------------------------


def test_a_table_without_a_task_name_column_names_each_task_by_its_item_and_says_so() -> None:
    text = "某某区2024年度抽查计划\n序号\t检查事项\t检查对象\t抽查比例\t发起部门\t检查时间\n" + (
        "1\t建筑市场检查\t建筑施工企业\t5%\t区住建局\t3月-7月\n"
    )

    task = parse_plan(text.encode(), "2024年计划.txt").tasks[0]

    assert (task.name, task.items) == ("建筑市场检查", ("建筑市场检查",))
    assert [(f.field, f.severity) for f in task.findings] == [("name", Severity.WARNING)]


def test_sub_rows_per_partner_department_make_one_task() -> None:
    text = "\n".join(
        [
            "序号 行业 任务名称 联查部门 抽查事项 联查对象 抽查比例 时间安排",
            "1 粮食收储 2023年度粮食收储企业部门联合抽查 粮食行政管理部门 粮食收购活动监督检查;"
            "地方储备粮监督检查 粮食收储企业 30% 2023年7月至10月",
            "市场监管部门 在用计量器具监督检查",
            "2 粮食加工 2023年度粮食加工企业部门联合抽查 粮食行政管理部门 社会粮食流通监督检查"
            " 粮食加工企业 10% 2023年7月至10月",
            "市场监管部门 食品生产监督检查",
        ]
    )

    plan = parse_plan(text.encode(), "计划.txt")

    assert [
        (task.seq, task.lead_department, task.partner_departments, task.items)
        for task in plan.tasks
    ] == [
        (
            1,
            "粮食行政管理部门",
            ("市场监管部门",),
            ("粮食收购活动监督检查", "地方储备粮监督检查", "在用计量器具监督检查"),
        ),
        (2, "粮食行政管理部门", ("市场监管部门",), ("社会粮食流通监督检查", "食品生产监督检查")),
    ]


TABLE = "序号\t抽查任务名称\t抽查事项\t抽查对象\t抽查比例\t发起部门\t起止时间\n" + (
    "1\t校外培训机构检查\t办学许可\t全区校外培训机构\t5%\t区教育局\t3月至11月\n"
)


@pytest.mark.parametrize(
    ("before", "title"),
    [
        (
            "首页>政务公开>双随机、一公开\n"
            "标题:某某市城市管理局2024年度抽查工作计划 成文日期:2024-03-01",
            "某某市城市管理局2024年度抽查工作计划",
        ),
        ("某某市市场监督管理局关于印发《2024年度抽查工作计划》的通知", "2024年度抽查工作计划"),
        (
            "某某市2023年度部门联合抽查工作计划\n为贯彻落实抽查工作计划，现印发如下。\n附件1\n"
            "某某市市场监管领域2023年度部门联合抽查工作计划",
            "某某市市场监管领域2023年度部门联合抽查工作计划",
        ),
    ],
    ids=["labelled-with-metadata", "notice", "annex"],
)
def test_title_as_a_page_gives_it(before: str, title: str) -> None:
    plan = parse_plan(f"{before}\n{TABLE}".encode(), "计划.txt")

    assert plan.title == title


def test_cells_between_bar_lines_with_wrapped_header_and_no_seq_column() -> None:
    cells = [
        *("抽查任务\n名称", "抽查\n比例", "抽查事项", "抽查对象\n范围", "发起处室", "联合处室"),
        "抽查时间",
        *("2023年市文广旅局内部联合随机抽查", "2%-5%", "经营性互联网文化单位经营活动检查"),
        *("市区已成立状态的相关市场主体", "市文化市场综合行政执法局", "市文广旅局传媒管理科"),
        "2023年10月至11月",
    ]
    text = "某某市2023年度抽查计划\n" + "\n|\n".join(cells) + "\n|\n"

    task = parse_plan(text.encode(), "计划.txt").tasks[0]

    assert (
        task.name,
        task.ratio_min,
        task.items,
        task.scope,
        task.lead_department,
        task.partner_departments,
        task.window,
    ) == (
        "2023年市文广旅局内部联合随机抽查",
        0.02,
        ("经营性互联网文化单位经营活动检查",),
        "市区已成立状态的相关市场主体",
        "市文化市场综合行政执法局",
        ("市文广旅局传媒管理科",),
        Window("2023-10", "2023-11"),
    )


def test_a_row_that_slid_into_the_wrong_columns_is_flagged_not_read_silently() -> None:
    lines = [
        "某某区2024年度抽查计划",
        *("序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例", "抽查检查起止时间"),
        *("1", "学校食堂检查", "食品安全情况检查", "全区学校食堂", "5%", "3月至11月"),
        *("2", "民办学校检查", "全区民办学校", "10%", "4-11月"),
    ]

    tasks = parse_plan("\n".join(lines).encode(), "计划.txt").tasks

    assert [[f.message for f in task.findings if f.field == "table"] for task in tasks] == [
        [],
        [
            "表格第2行只有5个单元格，表头有6列：按内容归入“序号、抽查任务名称、抽查对象范围、"
            "抽查比例及频次、抽查检查起止时间”列，“抽查事项”按合并单元格沿用上一行，请核对",
        ],
    ]


def test_cells_merged_down_the_last_columns_of_a_copied_table_reach_the_lower_rows() -> None:
    # A browser copies a table whose 发起部门 and 配合部门 are merged down three tasks as
    # rows without those cells.
    text = "\n".join(
        [
            "某某区2024年度抽查计划",
            "序号\t抽查任务名称\t抽查事项\t抽查对象\t抽查比例\t发起部门\t配合部门",
            "1\t校外培训机构检查\t办学许可\t全区校外培训机构\t20%\t区教育局\t区市场监管局",
            "2\t民办幼儿园检查\t收费行为\t全区民办幼儿园\t10%",
            "3\t学校食堂检查\t食品安全\t全区学校食堂\t5%",
        ]
    )

    tasks = parse_plan(text.encode(), "计划.txt").tasks

    assert [(t.lead_department, t.partner_departments) for t in tasks] == [
        ("区教育局", ("区市场监管局",)),
        ("区教育局", ("区市场监管局",)),
        ("区教育局", ("区市场监管局",)),
    ]
    assert [f.message for f in tasks[1].findings if f.field == "table"] == [
        "表格第2行只有5个单元格，表头有7列：按内容归入“序号、抽查任务名称、抽查事项、"
        "抽查对象范围、抽查比例及频次”列，“发起部门、配合部门”按合并单元格沿用上一行，请核对"
    ]


def test_a_header_whose_seq_cell_is_blank_is_read_by_the_numbers_under_it() -> None:
    # One cell per paragraph; the header's first cell was empty, so the header has a name
    # fewer than each row has cells, and every row starts with its number. The 抽查类别 of the
    # second row is merged down from the first.
    lines = [
        "标题 2023年度某某市建筑市场检查计划",
        *("抽查类别", "抽查事项", "检查对象", "抽查比例", "预估抽查对象风险等级", "检查时间"),
        *("1", "建筑市场检查", "对在建工程的检查", "在建工程", "5%", "低风险对象50个", "9月-11月"),
        *("2", "对招标代理机构的检查", "招标代理机构", "5%", "低风险对象20家", "9月-11月"),
    ]

    plan = parse_plan("\n".join(lines).encode(), "计划.txt")

    assert [
        (t.seq, t.name, t.items, t.scope, t.risk_rule.kind, t.risk_rule.risk_class, t.window)
        for t in plan.tasks
    ] == [
        (1, "建筑市场检查", ("对在建工程的检查",), "在建工程", RiskRuleKind.FIXED, "A", W911),
        (
            2,
            "建筑市场检查",
            ("对招标代理机构的检查",),
            "招标代理机构",
            RiskRuleKind.FIXED,
            "A",
            W911,
        ),
    ]
    assert (plan.title, plan.locality, plan.year) == (
        "2023年度某某市建筑市场检查计划",
        "某某市",
        2023,
    )


W911 = Window("2023-09", "2023-11")


def test_a_pages_catalogue_line_is_not_the_title() -> None:
    before = "公开目录 抽查计划 发布日期 2023/06/26\n标题 某某县2023年度抽查工作计划"

    plan = parse_plan(f"{before}\n{TABLE}".encode(), "计划.txt")

    assert plan.title == "某某县2023年度抽查工作计划"


def test_a_pages_furniture_line_is_not_the_title() -> None:
    # The stored page starts with its update line; the table under it has no title of its own.
    before = "更新时间:2023-04-23来源:区市场监督管理局作者:区市场监督管理局字体[ 大 中 小 ]"

    plan = parse_plan(f"{before}\n{TABLE}".encode(), "计划.txt")

    assert (plan.title, plan.locality, plan.year) == ("", "", None)
    assert Finding("year", Severity.WARNING, "标题中未找到计划年度，请指定年度") in plan.findings


def test_a_platform_task_code_is_not_a_row_number() -> None:
    # 抽查任务编号 holds the platform's 18-digit code: not a 序号, so no task has one (and the
    # sequence check does not count up to 430000202302231006).
    text = (
        "抽查任务编号 | 抽查任务名称 | 抽查事项 | 抽查对象范围 | 抽取比例 | 检查时间 |\n"
        "430000202302231001 | 年报信息检查 | 公示信息 | 全区企业 | 1% | 2023年7月至12月 |\n"
        "430000202302231006 | 价格行为检查 | 明码标价 | 全区转供电主体 | 15% | 2023年7月至11月 |\n"
    )

    plan = parse_plan(text.encode(), "计划.txt")

    assert [task.seq for task in plan.tasks] == [None, None]
    assert [task.ratio_min for task in plan.tasks] == [0.01, 0.15]
    assert (
        Finding(
            "seq",
            Severity.INFO,
            "任务编号“430000202302231006”是平台编码，不是序号：不作序号读取",
        )
        in plan.tasks[1].findings
    )
    assert not [finding for finding in plan.findings if finding.field == "seq"]


def test_rows_without_numbers_whose_cells_wrap_or_left_no_paragraph_are_rebuilt_by_content() -> (
    None
):
    # A web page's text, one paragraph a line: no 序号; a name and an object wrap onto a second
    # line, and a row checked by one department alone has no line for its empty 参与部门 cell.
    lines = [
        "某某县卫生健康局2022年抽查计划表",
        *("任务名称", "任务开始", "时间", "任务结束", "时间", "抽查类型", "参与联合抽查部门"),
        *("抽查范围", "抽查比例"),
        *("学校卫生", "监督抽检", "2022.03.01", "2022.06.30", "本部门抽查"),
        *("辖区内中小学校", "5%"),
        *("游泳场所卫生监督抽检", "2022.06.01", "2022.08.31", "多部门联合", "抽查"),
        *("卫健局、体育局", "辖区内游泳", "场所", "10%"),
        "备注:抽查类型是指本部门抽查或跨部门联合抽查。",
    ]

    plan = parse_plan("\n".join(lines).encode(), "计划.txt")

    assert [
        (t.name, t.scope, t.ratio_min, t.partner_departments, t.window) for t in plan.tasks
    ] == [
        ("学校卫生监督抽检", "辖区内中小学校", 0.05, (), Window("2022-03", "2022-06")),
        (
            "游泳场所卫生监督抽检",
            "辖区内游泳场所",
            0.1,
            ("卫健局", "体育局"),
            Window("2022-06", "2022-08"),
        ),
    ]
    assert [f.message for f in plan.findings if f.field == "table"][:1] == [
        "表格没有序号列，各行的段落数与表头的 7 列不一致：按各段内容拆分为 2 行"
        "（折行的单元格已接回，空单元格留空），请核对"
    ]


def test_a_department_under_the_plan_name_is_the_lead_and_a_bare_count_by_a_ratio_is_doubted() -> (
    None
):
    # 本部门计划名称 holds the department whose plan it is, merged down over its tasks; the
    # 抽查对象数量 beside the ratio has no unit, so it may be the pool rather than the draw.
    lines = [
        "某某市教育局2021年度本部门抽查工作计划表",
        *("本部门", "计划名称", "任务名称", "任务类型", "抽查事项", "抽查对象范围"),
        *("抽取时间自", "抽取时间至", "抽查对象数量", "抽查对象比例", "分配任务的处(科)室"),
        *("某某市教育局", "校车安全检查", "定向", "抽查", "对校车安全管理的", "检查"),
        *("市属学校", "2021/4/1", "2021/6/30", "6", "10%", "安全处"),
        *("民办学校年检", "定向抽查", "对民办学校办学行为的检查", "局管民办", "学校"),
        *("2021/9/1", "2021/12/31", "5", "17%", "基教处、", "职成处"),
    ]

    plan = parse_plan("\n".join(lines).encode(), "计划.txt")

    assert [
        (t.name, t.items, t.scope, t.sample_count, t.ratio_min, t.lead_department, t.window)
        for t in plan.tasks
    ] == [
        (
            "校车安全检查",
            ("对校车安全管理的检查",),
            "市属学校",
            6,
            0.1,
            "某某市教育局",
            Window("2021-04", "2021-06"),
        ),
        (
            "民办学校年检",
            ("对民办学校办学行为的检查",),
            "局管民办学校",
            5,
            0.17,
            "某某市教育局",
            Window("2021-09", "2021-12"),
        ),
    ]
    assert [
        [f.message for f in task.findings if f.field == "sample_count"] for task in plan.tasks
    ] == [
        ["抽查数量“6”与抽查比例并列，未写单位：按抽取户数读取；如是抽查对象总数，请改正"],
        ["抽查数量“5”与抽查比例并列，未写单位：按抽取户数读取；如是抽查对象总数，请改正"],
    ]


def test_a_bar_separated_header_wrapped_onto_a_second_line_is_one_header() -> None:
    # A page's text of a wide form: the header's row breaks after its fourth cell, the rest
    # of it on a line that does not open with a bar. 实施层级 holds a bare level (not a mode)
    # and 联合部门 names no department.
    text = "\n".join(
        [
            "| 某某县2026年行政检查计划统计表 | ||||||||",
            "| 序号 | 任务名称 | 制定任务依据 | 检查类型 (日常/专项) |",
            "实施主体 | 联合部门 | 实施层级 | 检查事项 | 任务日期 | 检查对象 | 检查比例 "
            "| 检查频次上限 |",
            "| 1 | 校外培训机构检查 | 《民办教育促进法》 | 日常 | 某某县教育局 | 根据需要 | 县 "
            "| 办学行为检查 | 2026.01.01-2026.12.31 | 校外培训机构 | 100% | 年均1-2次 |",
        ]
    )

    task = parse_plan(text.encode(), "计划.txt").tasks[0]

    assert (
        task.seq,
        task.name,
        task.items,
        task.scope,
        task.ratio_min,
        task.frequency_per_year,
        task.lead_department,
        task.partner_departments,
        task.window,
        task.mode,
    ) == (
        1,
        "校外培训机构检查",
        ("办学行为检查",),
        "校外培训机构",
        1.0,
        1,
        "某某县教育局",
        (),
        Window("2026-01", "2026-12"),
        None,
    )
    assert [f.message for f in task.findings if f.field == "partner_departments"] == [
        "配合部门“根据需要”未写部门名称：按没有配合部门读取"
    ]


@pytest.mark.parametrize(
    ("header", "cell", "mode"),
    [
        ("抽查层级", "市县(区)级", "市县(区)级"),
        ("实施层级", "区级发起，区级检查", "区级发起，区级检查"),
        ("实施层级", "县", None),
    ],
    ids=["check-level", "level-saying-who-draws", "bare-level"],
)
def test_a_level_column_is_the_mode_where_it_is_the_checks_own_or_says_who_draws(
    header: str, cell: str, mode: str | None
) -> None:
    text = f"序号\t抽查任务名称\t抽查事项\t抽查对象\t抽查比例\t{header}\n" + (
        f"1\t检查\t检查\t企业\t5%\t{cell}\n"
    )

    task = parse_plan(text.encode(), "2024年计划.txt").tasks[0]

    assert (task.mode.text if task.mode else None) == mode


def test_blank_separated_paragraphs_with_a_merged_column_before_the_numbers() -> None:
    # Each cell its own paragraph (blank lines between), one cell wrapped onto a second line
    # without a blank; 抽查单位 comes before 序号 and is merged down, so only the first row has
    # it; no time column but 抽取日期; the first task's ratio is written in its object cell.
    cells = [
        "某某市卫生健康局2023年度双随机抽查工作计划",
        *("抽查单位", "序号", "抽查任务名称", "抽查事项", "抽查数量", "抽查对象范围", "抽取日期"),
        *("某某市卫生健康局", "1", "学校卫生监督抽查", "参照省随机监督抽查\n实施方案检查"),
        *("5户", "辖区学校总数的 20%", "2023年1月至12月"),
        *("2", "公共场所卫生监督抽查", "参照省随机监督抽查\n实施方案检查", "49户"),
        *("住宿场所、沐浴场所", "2023年3月至10月"),
    ]

    plan = parse_plan("\n\n".join(cells).encode(), "计划.txt")

    assert [
        (
            t.seq,
            t.items,
            t.scope,
            t.sample_count,
            t.ratio_min,
            t.lead_department,
            t.window,
        )
        for t in plan.tasks
    ] == [
        (
            1,
            ("参照省随机监督抽查实施方案检查",),
            "辖区学校总数的20%",
            5,
            0.2,
            "某某市卫生健康局",
            Window("2023-01", "2023-12"),
        ),
        (
            2,
            ("参照省随机监督抽查实施方案检查",),
            "住宿场所、沐浴场所",
            49,
            None,
            "某某市卫生健康局",
            Window("2023-03", "2023-10"),
        ),
    ]
    assert [f.field for f in plan.tasks[0].findings if f.severity is Severity.INFO] == [
        "ratio_min",
        "window",
    ]


def test_a_two_level_header_reads_its_lower_names_in_place_of_the_one_above() -> None:
    # A page's text, one cell a line between bars: 检查对象 spans 对象范围, 抽查比例 and 频次,
    # which come after the upper row's names.
    cells = [
        *("序号", "抽查事项", "具体内容", "检查对象", "执法人员范围", "时间安排"),
        *("对象范围", "抽查比例", "频次"),
        *("1", "兽药监督抽查", "兽药质量", "辖区内兽药经营企业", "30%以上", "4次", "农业"),
        "全年",
        *("2", "饲料监督抽查", "饲料质量", "辖区内饲料生产企业", "5%以上", "12次", "农业"),
        "3月-10月",
    ]
    text = "某某县2024年农业抽查计划\n" + "\n|\n".join(cells) + "\n|\n"

    plan = parse_plan(text.encode(), "计划.txt")

    assert [
        (t.seq, t.name, t.items, t.scope, t.ratio_min, t.frequency_per_year, t.window)
        for t in plan.tasks
    ] == [
        (
            1,
            "兽药监督抽查",
            ("兽药质量",),
            "辖区内兽药经营企业",
            0.3,
            4,
            Window("2024-01", "2024-12"),
        ),
        (
            2,
            "饲料监督抽查",
            ("饲料质量",),
            "辖区内饲料生产企业",
            0.05,
            12,
            Window("2024-03", "2024-10"),
        ),
    ]
    assert [f.message for f in plan.findings if "两层" in f.message] == [
        "表头有两层：“检查对象”下分为下层的列，按各列读取为：序号、抽查事项、具体内容、对象范围、"
        "抽查比例、频次、执法人员范围、时间安排，请核对"
    ]


@pytest.mark.parametrize(
    ("before", "title", "locality"),
    [
        (
            "首页 > 专题专栏 > 区文化和旅游局\n某某区文化和旅游局随机抽查事项清单(文化执法部分)",
            "某某区文化和旅游局随机抽查事项清单(文化执法部分)",
            "某某区",
        ),
        (
            "某某市生态环境局某某区分局2025年度抽查工作计划表",
            "某某市生态环境局某某区分局2025年度抽查工作计划表",
            "某某市某某区",
        ),
    ],
    ids=["list-of-check-items", "district-branch-of-a-city-bureau"],
)
def test_title_and_locality_of_a_list_and_of_a_branch(
    before: str, title: str, locality: str
) -> None:
    plan = parse_plan(f"{before}\n{TABLE}".encode(), "计划.txt")

    assert (plan.title, plan.locality) == (title, locality)


def test_two_plan_titles_above_the_table_are_said() -> None:
    before = (
        "某某市农业农村局2025年度抽查工作计划\n时间:2025-05-08\n"
        "某某市农业农村局2025年度内部抽查计划"
    )

    plan = parse_plan(f"{before}\n{TABLE}".encode(), "计划.txt")

    assert [f.message for f in plan.findings if f.field == "title"] == [
        "表格前有不止一个标题：取“某某市农业农村局2025年度抽查工作计划”，"
        "另有“某某市农业农村局2025年度内部抽查计划”，请核对"
    ]


def test_a_note_under_the_table_is_not_its_title() -> None:
    text = f"{TABLE}备注:1.抽查计划名称为年度+部门+序号。\n"

    assert parse_plan(text.encode(), "计划.txt").title == ""


def test_a_space_only_paragraph_between_blank_lines_is_an_empty_cell() -> None:
    # The 备注 cell is a paragraph holding one space; the next lines are a sub-row (a partner
    # department and its own items), which must not slide into 备注.
    cells = [
        "某某市2024年度部门联合抽查工作计划",
        *("序号", "任务名称", "联查部门", "抽查事项", "联查对象", "抽查比例", "时间安排", "备注"),
        *("1", "民办学校联合抽查", "教育行政部门", "办学行为检查", "民办学校", "不低于5%"),
        *("2024年4月至9月", " ", "市场监管部门", "食品安全检查"),
    ]

    task = parse_plan("\n\n".join(cells).encode(), "计划.txt").tasks[0]

    assert (task.items, task.partner_departments, task.note) == (
        ("办学行为检查", "食品安全检查"),
        ("市场监管部门",),
        "",
    )


def test_a_space_separated_cell_ending_in_a_semicolon_goes_on_at_the_next_line() -> None:
    text = "\n".join(
        [
            "某某市2023年度抽查计划",
            "序号 任务名称 联查部门 抽查事项 抽查比例 时间安排 备注 本市计划",
            "1 粮食加工企业抽查 粮食行政管理部门 粮食流通监督检查 5% 2023年4月至10月 省计划;",
            "市县发起",
            "抽查比例:10%",
            "市场监管部门 食品生产监督检查",
        ]
    )

    task = parse_plan(text.encode(), "计划.txt").tasks[0]

    assert (task.note, task.ratio_min, task.items, task.partner_departments) == (
        "省计划;\n市县发起",
        0.1,
        ("粮食流通监督检查", "食品生产监督检查"),
        ("市场监管部门",),
    )


def test_a_space_separated_header_whose_names_wrap_onto_the_lines_under_it() -> None:
    text = "\n".join(
        [
            "某某市2024年度部门联合抽查工作计划",
            "序号 抽查任务名称 抽查事项 抽查对象范围 抽查比例",
            "及频次",
            "智慧监管",
            "(信用风险分类)要求",
            "发起部门 配合部门 抽查检查",
            "模式",
            "1 医保经办检查 经办服务检查 医疗保障经办部门 20%;1次/年 不涉及信用风险分类 "
            "市医保局 市审批服务管理局 市抽市查",
        ]
    )

    task = parse_plan(text.encode(), "计划.txt").tasks[0]

    assert (
        task.ratio_min,
        task.frequency_per_year,
        task.risk_rule.kind,
        task.lead_department,
        task.partner_departments,
        task.mode.text if task.mode else None,
    ) == (0.2, 1, RiskRuleKind.NONE, "市医保局", ("市审批服务管理局",), "市抽市查")


def test_a_task_number_written_with_zeros_and_a_suffix_is_its_seq() -> None:
    text = "序号\t抽查任务名称\t抽查事项\t抽查对象\t抽查比例\n001号\t检查\t检查\t企业\t5%\n"

    task = parse_plan(text.encode(), "2024年计划.txt").tasks[0]

    assert (task.seq, [f.field for f in task.findings if f.field == "seq"]) == (1, [])


def test_a_ceiling_with_words_before_its_percentage_is_no_minimum() -> None:
    parsed = Parsed()

    reading = read_ratio("抽查比例不超过抽查对象名录库的20%;抽查次数为1次。", parsed)

    assert (reading.ratio_min, [f.severity for f in parsed.findings]) == (None, [Severity.WARNING])


def test_a_class_whose_share_is_no_percentage_leaves_the_minimum_in_doubt() -> None:
    parsed = Parsed()

    reading = read_ratio("重点源100%;一般源全年按在编在岗人员1:10比例抽取。", parsed)

    assert (reading.ratio_min, [f.message for f in parsed.findings]) == (
        1.0,
        [
            "抽查比例“重点源100%;一般源全年按在编在岗人员1:10比例抽取。”中"
            "“一般源全年按在编在岗人员1:10比例抽取”未写百分比：最低比例暂按写明的 1 读取，请核对"
        ],
    )


def test_a_leading_office_and_a_joint_check_unit_are_lead_and_partner() -> None:
    text = "序号\t抽查事项\t抽取对象\t抽查比例\t牵头股室\t联合检查单位\n" + (
        "1\t种子检查\t种子经营单位\t2%\t资源管理股\t林业稽查队\n"
    )

    task = parse_plan(text.encode(), "2022年计划.txt").tasks[0]

    assert (task.lead_department, task.partner_departments) == ("资源管理股", ("林业稽查队",))


def test_a_row_whose_empty_cell_slid_to_its_end_is_placed_again_and_said() -> None:
    # A page's text lost the empty 抽查类型 cell in the middle of the row and kept one at
    # its end, so every cell after it sits one column to the left.
    header = "序号\t任务名称\t抽查类型\t抽查对象\t发起部门\t参与部门\t抽查比例\t起止时间\t抽查事项"
    row = "1\t污水处理设施抽查\t某县处理厂(站)\t某县生态环境局\t某县住房和城乡建设部门\t10%"
    text = f"{header}\n{row}\t2026年1月-12月\t对污水处理设施运营情况的检查\t\n"

    task = parse_plan(text.encode(), "2026年计划.txt").tasks[0]

    assert (
        task.sampling_type,
        task.scope,
        task.lead_department,
        task.partner_departments,
        task.ratio_min,
        task.window,
        task.items,
    ) == (
        None,
        "某县处理厂(站)",
        "某县生态环境局",
        ("某县住房和城乡建设部门",),
        0.1,
        Window("2026-01", "2026-12"),
        ("对污水处理设施运营情况的检查",),
    )
    assert [f.severity for f in task.findings if f.field == "table"] == [Severity.WARNING]


def test_a_blank_paragraph_more_marks_an_empty_cell_that_is_not_merged_from_above() -> None:
    # Cells separated by one blank line; the second row's empty 抽查比例 left a blank line
    # more, so it is empty rather than the first row's ratio carried down.
    lines = [
        "某某市发展和改革局2022年粮食领域监督检查计划",
        *("序号", "检查事项", "检查时间", "抽查比例", "抽查频次", "备注"),
        *("1", "政策性粮食出库检查", "3月-6月", "全年抽查比例不低于5%", "至少1次"),
        *("2", "春季粮油安全普查", "4月-6月", "", "至少2次"),
    ]
    text = "\n\n".join(lines).replace("4月-6月\n\n\n\n", "4月-6月\n\n\n")

    tasks = parse_plan(text.encode(), "计划.txt").tasks

    assert [(t.ratio_min, t.frequency_per_year, t.window) for t in tasks] == [
        (0.05, 1, Window("2022-03", "2022-06")),
        (None, 2, Window("2022-04", "2022-06")),
    ]


def test_the_first_of_two_name_columns_is_the_group_merged_down_over_its_rows() -> None:
    # 计划名称 groups the rows and is merged down; 抽查类别 names each task.
    text = "\n".join(
        [
            "序号\t计划名称\t抽查类别\t抽查对象\t抽查比例\t实施时间",
            "1\t污染源专项抽查\t农村污水设施检查\t污水处理设施\t20%\t4-11月",
            "2\t汽车维修企业监管\t汽车维修单位\t100%\t4-6月",
        ]
    )

    tasks = parse_plan(text.encode(), "2025年计划.txt").tasks

    assert [(t.name, t.scope, t.ratio_min) for t in tasks] == [
        ("农村污水设施检查", "污水处理设施", 0.2),
        ("汽车维修企业监管", "汽车维修单位", 1.0),
    ]


def test_a_department_under_the_note_column_is_doubted_as_the_partners_going_on() -> None:
    text = "序号\t抽查任务名称\t抽查事项\t抽查对象\t抽查比例\t牵头部门\t参与部门\t备注\n" + (
        "1\t预付卡检查\t制度落实情况\t发卡企业\t20%\t商务局\t市场监管局\t市税务局\n"
    )

    task = parse_plan(text.encode(), "2023年计划.txt").tasks[0]

    assert [f.message for f in task.findings if f.field == "partner_departments"] == [
        "备注列为部门名称“市税务局”：可能是配合部门的续行，请核对"
    ]


def test_bracketed_header_qualifiers_and_a_credit_class_scale() -> None:
    # One cell per paragraph; 发起方式 / (牵头指导单位) and 抽查主体 / (层级) are one name each;
    # the risk cell sets a share per credit class, rising with the risk.
    lines = [
        "某某区财政局2021年度抽查工作计划",
        *("序号", "抽查任务名称", "抽查事项", "发起方式", "(牵头指导单位)", "抽查主体", "(层级)"),
        *("抽查对象", "抽查比例", "信用风险分类监管要求", "抽查时间段"),
        *("1", "代理记账机构检查", "记账质量检查", "市财政局", "区财政局", "代理记账机构"),
        *("不低于25%", "根据企业信用分类结果,守信5%、警示10%、失信20%比例抽取。"),
        "2021年10月至11月",
    ]

    task = parse_plan("\n".join(lines).encode(), "计划.txt").tasks[0]

    assert (
        task.lead_department,
        task.scope,
        task.ratio_min,
        task.risk_rule.kind,
        task.window,
    ) == ("市财政局", "代理记账机构", 0.25, RiskRuleKind.ESCALATE, Window("2021-10", "2021-11"))


def test_a_share_per_class_of_object_gives_its_lowest_as_the_minimum() -> None:
    parsed = Parsed()

    reading = read_ratio("日处理能力≥100吨100%;100吨≥日处理能力≥20吨每年20%", parsed)

    assert (reading.ratio_min, [f.severity for f in parsed.findings]) == (0.2, [Severity.INFO])


def test_the_checking_department_column_is_the_lead() -> None:
    text = "序号\t抽查部门\t抽查对象\t抽查事项\t抽查比例\n1\t区住建局\t建筑业企业\t建造师监管\t5%\n"

    task = parse_plan(text.encode(), "2022年计划.txt").tasks[0]

    assert task.lead_department == "区住建局"
