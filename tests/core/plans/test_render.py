"""An exported plan imports back to the same tasks, in every format the parser reads."""

import csv
import io
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import shuangsuiji.demo
from shuangsuiji.core.errors import ShuangsuijiError
from shuangsuiji.core.plans.columns import COLUMN_LABELS, column_key
from shuangsuiji.core.plans.model import Plan, PlanTask, RiskRule, RiskRuleKind, Window
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.core.plans.render import (
    ESCALATE_TEXT,
    format_percent,
    format_ratio,
    format_risk,
    format_window,
    render_csv,
    render_docx,
    render_file,
    render_html,
    render_text,
    render_xlsx,
)
from tests.core.plans.projection import plan_meta, structured_tasks

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
SEED_FILES = ["lucheng-2023-plan.txt", "jincheng-chengqu-2024-plan.txt"]
SUFFIXES = [".txt", ".csv", ".html", ".xlsx", ".docx"]


def seed_plan(filename: str) -> Plan:
    return parse_plan((SEEDS / filename).read_bytes(), filename)


BASE_TASK = PlanTask(
    seq=1,
    name="对学校食堂的抽查",
    items=("食品安全",),
    scope="全区学校食堂",
    ratio_min=None,
    sample_count=None,
    frequency_per_year=None,
    sampling_type=None,
    risk_rule=RiskRule(RiskRuleKind.NONE, ""),
    window=Window(None, None),
    lead_department="区市场监管局",
    partner_departments=(),
    partners_open_ended=False,
    mode=None,
    note="",
    source={},
)


def task(**changes: Any) -> PlanTask:
    return replace(BASE_TASK, **changes)


def one_task_plan(only: PlanTask, columns: tuple[str, ...] = ()) -> Plan:
    return Plan(
        title="某某区2023年度部门联合双随机抽查工作计划",
        locality="某某区",
        year=2023,
        columns=columns or ("seq", "name", "items", "scope", "ratio", "risk", "window", "lead"),
        tasks=(only,),
    )


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("filename", SEED_FILES)
def test_seed_plan_round_trips_through_every_format(filename: str, suffix: str) -> None:
    plan = seed_plan(filename)

    again = parse_plan(render_file(plan, suffix), f"export{suffix}")

    assert structured_tasks(again) == structured_tasks(plan)
    assert plan_meta(again) == plan_meta(plan)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_corrected_plan_exports_its_fields_not_the_imported_text(suffix: str) -> None:
    imported = seed_plan("jincheng-chengqu-2024-plan.txt")
    first = imported.tasks[0]
    corrected = replace(
        first,
        ratio_min=0.035,
        frequency_per_year=2,
        window=Window("2024-04", "2024-09"),
        partner_departments=("城区市场监管局", "城区消防救援大队"),
        partners_open_ended=True,
    )
    plan = replace(imported, tasks=(corrected, *imported.tasks[1:]))

    again = parse_plan(render_file(plan, suffix), f"export{suffix}")

    assert structured_tasks(again)[0] == structured_tasks(plan)[0]
    assert again.tasks[0].source["window"] == "2024.04至2024.09"


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(0.3, "30%"), (0.035, "3.5%"), (1.0, "100%"), (0.0005, "0.05%"), (0.123456, "12.3456%")],
)
def test_percent_has_no_trailing_zeros(ratio: float, text: str) -> None:
    assert format_percent(ratio) == text


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"ratio_min": 0.3, "frequency_per_year": 1}, "不低于30%；1次/年"),
        ({"sample_count": 5}, "5户"),
        ({"ratio_min": 0.1, "sample_count": 20, "frequency_per_year": 2}, "10%（20户）；2次/年"),
        ({"ratio_min": 0.05, "sampling_type": "不定向"}, "不定向；不低于5%"),
        ({}, ""),
    ],
)
def test_ratio_cell_is_formatted_from_the_fields(changes: dict[str, Any], text: str) -> None:
    result = format_ratio(task(**changes), with_count=True, with_type=True)

    assert result == text


def test_ratio_cell_leaves_count_and_type_to_their_own_columns() -> None:
    plain = task(ratio_min=0.1, sample_count=20, sampling_type="定向")

    result = format_ratio(plain, with_count=False, with_type=False)

    assert result == "不低于10%"


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (RiskRule(RiskRuleKind.ESCALATE, ""), ESCALATE_TEXT),
        (RiskRule(RiskRuleKind.ESCALATE, "对高风险企业递增抽查比例"), "对高风险企业递增抽查比例"),
        (RiskRule(RiskRuleKind.FIXED, "", "B"), "一般风险"),
        (RiskRule(RiskRuleKind.FIXED, "低风险", "D"), "高风险"),
        (RiskRule(RiskRuleKind.NONE, ""), "无"),
        (RiskRule(RiskRuleKind.NONE, "/"), "/"),
        (RiskRule(RiskRuleKind.OTHER, "根据雷电灾害风险类型"), "根据雷电灾害风险类型"),
    ],
)
def test_risk_cell_keeps_text_only_while_it_says_the_rule(rule: RiskRule, text: str) -> None:
    assert format_risk(rule) == text


@pytest.mark.parametrize(
    ("window", "text"),
    [
        (Window("2023-03", "2023-11"), "2023.03至2023.11"),
        (Window("2023-03", None), "2023.03起"),
        (Window(None, "2023-11"), "至2023.11"),
        (Window(None, None), ""),
    ],
)
def test_window_cell_is_formatted_from_its_months(window: Window, text: str) -> None:
    assert format_window(window) == text


@pytest.mark.parametrize("window", [Window("2023-03", None), Window("2024-12", "2025-02")])
def test_window_round_trips_through_text(window: Window) -> None:
    plan = one_task_plan(task(window=window))

    again = parse_plan(render_text(plan).encode(), "export.txt")

    assert again.tasks[0].window == window


def test_every_column_label_reads_back_as_its_key() -> None:
    keys = {key: column_key(label) for key, label in COLUMN_LABELS.items()}

    assert keys == {key: key for key in COLUMN_LABELS}


def test_text_export_starts_every_cell_with_a_tab_and_separates_rows() -> None:
    plan = one_task_plan(task(items=("甲项", "乙项")), ("seq", "name", "items"))

    text = render_text(plan)

    assert text == (
        "某某区2023年度部门联合双随机抽查工作计划\n\n"
        "\t序号\n\t抽查任务名称\n\t抽查事项\n\n"
        "\t1\n\t对学校食堂的抽查\n\t1.甲项\n2.乙项\n"
    )


def test_text_export_drops_tabs_and_blank_lines_inside_cells() -> None:
    plan = one_task_plan(task(note="第一行\t续\n\n\v第二行"), ("seq", "name", "items", "note"))

    text = render_text(plan)

    assert text.endswith("\t第一行 续\n第二行\n")


def test_csv_export_has_title_header_and_one_row_per_task() -> None:
    plan = one_task_plan(task(items=("甲项", "乙项")), ("seq", "name", "items"))

    rows = list(csv.reader(io.StringIO(render_csv(plan))))

    assert rows == [
        ["某某区2023年度部门联合双随机抽查工作计划"],
        ["序号", "抽查任务名称", "抽查事项"],
        ["1", "对学校食堂的抽查", "1.甲项\n2.乙项"],
    ]


def test_html_export_escapes_text_and_breaks_lines() -> None:
    plan = one_task_plan(task(name="<script>甲&乙</script>", items=("甲项", "乙项")))

    page = render_html(plan)

    assert '<th scope="row">&lt;script&gt;甲&amp;乙&lt;/script&gt;</th>' in page
    assert "<td>1.甲项<br>2.乙项</td>" in page
    assert "<script>" not in page


def test_html_export_is_a_labelled_page_with_header_cells() -> None:
    page = render_html(one_task_plan(task()))

    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert '<h1 id="plan-title">某某区2023年度部门联合双随机抽查工作计划</h1>' in page
    assert '<table aria-labelledby="plan-title">\n<thead>\n<tr><th scope="col">序号</th>' in page
    assert page.count("<tbody>") == page.count("</tbody>") == 1


def test_xlsx_export_is_set_up_for_printing() -> None:
    plan = one_task_plan(task(items=("甲项", "乙项")), ("seq", "name", "items", "scope"))

    sheet = load_workbook(io.BytesIO(render_xlsx(plan))).worksheets[0]

    assert [str(merged) for merged in sheet.merged_cells.ranges] == ["A1:D1"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        ["序号", "抽查任务名称", "抽查事项", "抽查对象范围"],
        [1, "对学校食堂的抽查", "1.甲项\n2.乙项", "全区学校食堂"],
    ]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet["C3"].alignment.wrap_text is True
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


def test_xlsx_export_keeps_formula_like_text_as_text() -> None:
    plan = one_task_plan(task(name="=HYPERLINK(1)"), ("seq", "name", "items", "scope"))

    sheet = load_workbook(io.BytesIO(render_xlsx(plan))).worksheets[0]

    assert (sheet["B3"].value, sheet["B3"].data_type) == ("=HYPERLINK(1)", "s")


def test_docx_export_is_landscape_with_a_repeating_header_row() -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    plan = one_task_plan(task(items=("甲项", "乙项")), ("seq", "name", "items", "scope"))

    document = Document(io.BytesIO(render_docx(plan)))

    section = document.sections[0]
    table = document.tables[0]
    header_xml = table.rows[0]._tr.xml
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert document.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "<w:tblHeader" in header_xml
    assert table.rows[1].cells[2].width > table.rows[1].cells[0].width  # 抽查事项 wider than 序号
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["序号", "抽查任务名称", "抽查事项", "抽查对象范围"],
        ["1", "对学校食堂的抽查", "1.甲项\n2.乙项", "全区学校食堂"],
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_office_exports_are_zip_packages(suffix: str) -> None:
    data = render_file(one_task_plan(task()), suffix)

    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_control_characters_do_not_break_office_exports() -> None:
    plan = one_task_plan(task(name="甲\x00乙\x1f丙"))

    again = parse_plan(render_docx(plan), "export.docx")

    assert again.tasks[0].name == "甲乙丙"


def test_plan_without_known_columns_exports_the_usual_columns() -> None:
    plan = replace(one_task_plan(task()), columns=())

    again = parse_plan(render_text(plan).encode(), "export.txt")

    assert again.columns[:4] == ("seq", "name", "items", "scope")


def test_render_file_refuses_an_unknown_format() -> None:
    with pytest.raises(ShuangsuijiError) as raised:
        render_file(one_task_plan(task()), ".pdf")

    assert str(raised.value) == "不支持导出为“.pdf”：可选 .txt、.csv、.html、.xlsx、.docx"
