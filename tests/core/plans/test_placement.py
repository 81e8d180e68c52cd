"""A short row's cells go to the columns their content fits; merged cells are carried down."""

import pytest

from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.core.plans.placement import cell_kind, misfits, place_cells

KEYS = ["seq", "domain", "items", "scope", "ratio", "lead", "partners", "level"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("3", "seq"),
        ("10-20%", "ratio"),
        ("60-70家", "ratio"),
        ("2021年9月", "window"),
        ("至少1次", "frequency"),
        ("人力资源和社会保障、市场监管部门", "department"),
        ("农业综合行政执法大队一中队", "department"),
        ("区级发起,区级检查", "level"),
        ("市县(区)级", "level"),
        ("定向抽查", "sampling"),
        ("2.中小学教育装备产品检查", "item"),
        ("各类学校", "scope"),
        ("", "empty"),
    ],
)
def test_a_cell_is_known_by_what_it_holds(text: str, kind: str) -> None:
    assert cell_kind(text) == kind


@pytest.mark.parametrize(
    ("cells", "columns"),
    [
        (["2.教育装备产品检查", "各类中小学", "60-70家", "区级发起,区级检查"], [2, 3, 4, 7]),
        (["中小学、幼儿园", "50%"], [3, 4]),
        (["7.宾馆、旅店卫生情况的检查"], [2]),
        (
            ["2", "出版物零售单位抽查", "对出版物零售单位经营情况的检查", "出版物零售单位"],
            [0, 1, 2, 3],
        ),
        (["营利性民办学校", "市场监管、税务部门", "市县(区)级"], [3, 6, 7]),
    ],
    ids=["merged-name-and-departments", "object-and-ratio", "one-item", "numbered", "partners"],
)
def test_cells_of_a_short_row_go_to_the_columns_they_fit(
    cells: list[str], columns: list[int]
) -> None:
    assert place_cells(cells, KEYS) == columns


def test_a_full_row_whose_cells_slid_is_told_apart() -> None:
    row = ["1", "污水处理设施抽查", "处理厂", "某某环境局", "某某建设部门", "10%", "现场检查", ""]

    assert misfits(row, KEYS) == [3, 4, 5]


def test_marked_rows_keep_sub_rows_as_tasks_and_lone_items_as_more_items() -> None:
    # A page's text: one cell per line ending in " |"; after a row's last cell the bars count
    # the cells merged from above.
    lines = [
        "某某区2022年度部门联合抽查计划",
        *(f"{name} |" for name in ("序号", "抽查领域", "抽查事项", "检查对象", "抽查比例")),
        *(f"{name} |" for name in ("发起部门", "配合部门", "实施层级")),
        *(f"{cell} |" for cell in ("1", "学校办学情况抽查", "1.学校收费情况的检查")),
        *(f"{cell} |" for cell in ("校外培训机构", "10%", "教育部门", "市场监管部门")),
        "区级发起,区级检查 |",
        "高校 |",
        "30% | ||||||",
        "2.学校食堂情况的检查 | |||||||",
    ]

    plan = parse_plan("\n".join(lines).encode(), "计划.txt")

    assert [
        (t.seq, t.name, t.items, t.scope, t.ratio_min, t.lead_department) for t in plan.tasks
    ] == [
        (1, "学校办学情况抽查", ("学校收费情况的检查",), "校外培训机构", 0.1, "教育部门"),
        (
            1,
            "学校办学情况抽查",
            ("学校收费情况的检查", "学校食堂情况的检查"),
            "高校",
            0.3,
            "教育部门",
        ),
    ]
    assert [f.message for f in plan.findings if f.field == "seq"] == []


def test_space_separated_text_with_wrapped_header_cells_and_wrapped_items() -> None:
    # A PDF copied as text: cells separated by single spaces, header names wrapped over
    # lines (抽查 / 类型), a cell's numbered items and its laws on lines of their own, and the
    # third row missing the cells merged down from the second (name, 发起主体).
    lines = [
        "序号 抽查任务名称 抽查",
        "类型",
        "抽查事项 抽查对象",
        "范围",
        "抽查",
        "比例/数量",
        "发起主体",
        "/指导单位",
        "检查主体",
        "1 拍卖企业抽查 定向 1、拍卖资格的检查",
        "2、登记事项检查",
        "拍卖企业 100% 消保股 区市场监管局",
        "2 食品生产企业抽查 定向 食品生产监督检查 小作坊 3% 食品股 区市场监管局",
        "3 定向 食品生产监督检查 食品生产企业 5% 区市场监管局",
    ]

    tasks = parse_plan("\n".join(lines).encode(), "计划.txt").tasks

    assert [(t.seq, t.name, t.items, t.scope, t.ratio_min, t.lead_department) for t in tasks] == [
        (1, "拍卖企业抽查", ("拍卖资格的检查", "登记事项检查"), "拍卖企业", 1.0, "消保股"),
        (2, "食品生产企业抽查", ("食品生产监督检查",), "小作坊", 0.03, "食品股"),
        (3, "食品生产企业抽查", ("食品生产监督检查",), "食品生产企业", 0.05, "食品股"),
    ]
