"""One plan in every form a locality publishes it gives the same tasks.

The plan is the three-task county table of test_layouts (a 发起部门 merged down all three
tasks, a line break inside 抽查事项 cells); its expected tasks below were written by reading
that table. The .doc, .wps, .xls, .et, .html and .pdf files are made from the .docx and .xlsx
by LibreOffice inside the test, as a locality's office would save them; the text forms are
written as each program copies a table.
"""

import subprocess
from pathlib import Path

import pytest

from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.convert import office_program
from shuangsuiji.core.plans.parse import parse_plan
from tests.core.plans.projection import plan_meta, structured_tasks
from tests.core.plans.test_layouts import expect, merged_docx, reordered_xlsx

needs_office = pytest.mark.skipif(
    office_program() is None,
    reason="LibreOffice (soffice) is not installed; `make browser` installs it",
)

COUNTY = ("某某县2024年度部门联合双随机抽查工作计划", "某某县", 2024)
COUNTY_TASKS = [
    expect(
        seq=1,
        name="食品生产企业监督检查",
        items=("食品生产者资质检查", "生产过程控制检查"),
        scope="全县食品生产企业",
        ratio_min=0.05,
        frequency_per_year=1,
        window=("2024-03", "2024-11"),
        lead="县市场监督管理局",
        partners=("县卫生健康局", "县农业农村局"),
        mode="县抽县查",
    ),
    expect(
        seq=2,
        name="药品零售企业检查",
        items=("第二、三类医疗器械经营情况", "药品经营质量管理规范执行情况"),
        scope="全县药品零售企业",
        ratio_min=0.1,
        frequency_per_year=2,
        window=("2024-04", "2024-10"),
        lead="县市场监督管理局",
        partners=("县医疗保障局",),
        partners_open_ended=True,
        mode="市抽县查",
    ),
    expect(
        seq=3,
        name="特种设备使用单位检查",
        items=("使用登记情况", "作业人员持证情况"),
        scope="全县特种设备使用单位",
        sample_count=20,
        frequency_per_year=2,
        window=("2024-05", None),
        lead="县市场监督管理局",
        partners=("县应急管理局", "县消防救援大队"),
        mode="县抽县查",
    ),
]
CITY_NAMES = ["电梯维保单位检查", "加油站计量检查", "机动车排放检验机构检查"]
CITY_LEADS = ["市市场监管局", "市市场监管局", "市生态环境局"]


def convert(data: bytes, suffix: str, target: str, folder: Path) -> bytes:
    """`data` saved by LibreOffice as `target` (a filter name like "doc" or "pdf")."""
    source = folder / f"plan{suffix}"
    source.write_bytes(data)
    subprocess.run(
        [
            str(office_program()),
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    extension = target.split(":")[0]
    return (folder / "out" / f"plan.{extension}").read_bytes()


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("office")
    docx, xlsx = merged_docx(), reordered_xlsx()
    return {
        "doc": convert(docx, ".docx", "doc", folder),
        "docx.pdf": convert(docx, ".docx", "pdf", folder),
        "docx.html": convert(docx, ".docx", "html", folder),
        "xls": convert(xlsx, ".xlsx", "xls", folder),
    }


@needs_office
@pytest.mark.parametrize(
    ("key", "filename"),
    [
        ("doc", "计划.doc"),
        ("doc", "计划.wps"),
        ("docx.pdf", "计划.pdf"),
        ("docx.html", "计划.html"),
    ],
    ids=["doc", "wps", "pdf", "html"],
)
def test_county_plan_saved_by_an_office_program_gives_the_same_tasks(
    office_files: dict[str, bytes], key: str, filename: str
) -> None:
    plan = parse_plan(office_files[key], filename)

    assert (plan_meta(plan), structured_tasks(plan)) == (COUNTY, COUNTY_TASKS)


@needs_office
@pytest.mark.parametrize("filename", ["计划.xls", "计划.et"])
def test_city_workbook_saved_as_xls_gives_the_same_tasks_as_the_xlsx(
    office_files: dict[str, bytes], filename: str
) -> None:
    from_xlsx = parse_plan(reordered_xlsx(), "计划.xlsx")

    plan = parse_plan(office_files["xls"], filename)

    assert structured_tasks(plan) == structured_tasks(from_xlsx)
    assert [(task["name"], task["lead"]) for task in structured_tasks(plan)] == list(
        zip(CITY_NAMES, CITY_LEADS, strict=True)
    )


@needs_office
def test_xls_renamed_xlsx_is_read_as_the_workbook_it_is(office_files: dict[str, bytes]) -> None:
    plan = parse_plan(office_files["xls"], "计划.xlsx")

    assert [task.name for task in plan.tasks] == CITY_NAMES


def test_doc_without_libreoffice_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOFFICE_PROGRAM", "no-such-office-program")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)

    with pytest.raises(PlanFileError) as raised:
        parse_plan(ole, "计划.doc")

    assert str(raised.value) == (
        "读取 .doc 文件需要服务器安装 LibreOffice（soffice），当前未安装："
        "请管理员安装 LibreOffice，或在 WPS/Office 中将文件另存为 .docx 后再上传"
    )


# --- text: the same county table as each program copies it ----------------------------------

HEADER = [
    *("序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例及频次"),
    *("抽查检查起止时间", "发起部门", "配合部门", "抽查检查模式"),
]
TITLE = "某某县2024年度部门联合双随机抽查工作计划"

# A browser copies a table as tab-separated cells; a line break inside a cell stays a line
# break, so that row runs over two lines.
TAB_TEXT = "\n".join(
    [
        TITLE,
        "\t".join(HEADER),
        "1\t食品生产企业监督检查\t1、食品生产者资质检查",
        "2、生产过程控制检查\t全县食品生产企业\t不低于5%，每年1次\t2024年3月至11月"
        "\t县市场监督管理局\t县卫生健康局、县农业农村局\t县抽县查",
        "2\t药品零售企业检查\t1、第二、三类医疗器械经营情况",
        "2、药品经营质量管理规范执行情况\t全县药品零售企业\t10%；2次/年\t2024.04-2024.10"
        "\t县市场监督管理局\t县医疗保障局等\t市抽县查",
        "3\t特种设备使用单位检查\t（1）使用登记情况（2）作业人员持证情况\t全县特种设备使用单位"
        "\t20户，每半年一次\t2024年5月起\t县市场监督管理局\t县应急管理局 县消防救援大队\t县抽县查",
    ]
)

PIPE_TEXT = "\n".join(
    [
        TITLE,
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
        "| 1 | 食品生产企业监督检查 | 1、食品生产者资质检查 2、生产过程控制检查 | 全县食品生产企业"
        " | 不低于5%，每年1次 | 2024年3月至11月 | 县市场监督管理局 | 县卫生健康局、县农业农村局"
        " | 县抽县查 |",
        "| 2 | 药品零售企业检查 | 1、第二、三类医疗器械经营情况 2、药品经营质量管理规范执行情况"
        " | 全县药品零售企业 | 10%；2次/年 | 2024.04-2024.10 | 县市场监督管理局 | 县医疗保障局等"
        " | 市抽县查 |",
        "| 3 | 特种设备使用单位检查 | （1）使用登记情况（2）作业人员持证情况 | 全县特种设备使用单位"
        " | 20户，每半年一次 | 2024年5月起 | 县市场监督管理局 | 县应急管理局 县消防救援大队"
        " | 县抽县查 |",
    ]
)

# A web page's text: one paragraph per cell, a cell's own paragraphs on lines of their own.
PARAGRAPH_TEXT = "\n".join(
    [
        TITLE,
        "",
        *HEADER,
        *("1", "食品生产企业监督检查", "1、食品生产者资质检查", "2、生产过程控制检查"),
        *("全县食品生产企业", "不低于5%，每年1次", "2024年3月至11月", "县市场监督管理局"),
        *("县卫生健康局、县农业农村局", "县抽县查"),
        *("2", "药品零售企业检查", "1、第二、三类医疗器械经营情况"),
        *("2、药品经营质量管理规范执行情况", "全县药品零售企业", "10%；2次/年"),
        *("2024.04-2024.10", "县市场监督管理局", "县医疗保障局等", "市抽县查"),
        *("3", "特种设备使用单位检查", "（1）使用登记情况（2）作业人员持证情况"),
        *("全县特种设备使用单位", "20户，每半年一次", "2024年5月起", "县市场监督管理局"),
        *("县应急管理局 县消防救援大队", "县抽县查"),
        "",
        "某某县市场监督管理局　2024年2月20日",
    ]
)

# A PDF saved as text with its layout: cells apart by runs of spaces, long cells wrapped
# onto the next lines at their column's position.
SPACED_TEXT = """\
              某某县2024年度部门联合双随机抽查工作计划

序号  抽查任务名称  抽查事项          抽查对象范围  抽查比例及频次  抽查检查起止时间  发起部门      配合部门          抽查检查模式
1     食品生产企业  1、食品生产者资质  全县食品生产  不低于5%，每年  2024年3月至11月   县市场监督管  县卫生健康局、县  县抽县查
      监督检查      检查              企业          1次                              理局          农业农村局
                    2、生产过程控制检
                    查
2     药品零售企业  1、第二、三类医疗  全县药品零售  10%；2次/年     2024.04-2024.10   县市场监督管  县医疗保障局等    市抽县查
      检查          器械经营情况      企业                                            理局
                    2、药品经营质量管
                    理规范执行情况
3     特种设备使用  （1）使用登记情况  全县特种设备  20户，每半年一  2024年5月起       县市场监督管  县应急管理局、县  县抽县查
      单位检查      （2）作业人员持证  使用单位      次                                理局          消防救援大队
                    情况
"""  # noqa: E501 - a laid-out page is wider than a line of code


@pytest.mark.parametrize(
    "text",
    [TAB_TEXT, PIPE_TEXT, PARAGRAPH_TEXT, SPACED_TEXT],
    ids=["tabs", "pipes", "paragraphs", "spaces"],
)
def test_county_plan_as_text_in_each_form_gives_the_same_tasks(text: str) -> None:
    plan = parse_plan(text.encode(), "计划.txt")

    assert (plan_meta(plan), structured_tasks(plan)) == (COUNTY, COUNTY_TASKS)


# --- merged cells in the last columns of a web page's table ---------------------------------

MERGED_LAST_COLUMNS = """<html><body><h1>某某区2024年度部门联合双随机抽查工作计划</h1><table>
<tr><td>序号</td><td>抽查任务名称</td><td>抽查事项</td><td>抽查对象范围</td><td>抽查比例</td>
<td>抽查检查起止时间</td><td>发起部门</td><td>配合部门</td></tr>
<tr><td>1</td><td>校外培训机构检查</td><td>办学许可</td><td>全区校外培训机构</td><td>20%</td>
<td rowspan="3">2024年3月至11月</td><td rowspan="2">区教育局</td>
<td rowspan="3">区市场监管局</td></tr>
<tr><td>2</td><td>民办幼儿园检查</td><td>收费行为</td><td>全区民办幼儿园</td><td>10%</td></tr>
<tr><td>3</td><td>食品小作坊检查</td><td>卫生规范</td><td>全区食品小作坊</td><td>5%</td>
<td>区卫生健康局</td></tr>
</table></body></html>"""


def test_cells_merged_down_the_last_columns_of_a_web_page_reach_every_row() -> None:
    plan = parse_plan(MERGED_LAST_COLUMNS.encode(), "计划.html")

    assert [
        (task.window.start, task.window.end, task.lead_department, task.partner_departments)
        for task in plan.tasks
    ] == [
        ("2024-03", "2024-11", "区教育局", ("区市场监管局",)),
        ("2024-03", "2024-11", "区教育局", ("区市场监管局",)),
        ("2024-03", "2024-11", "区卫生健康局", ("区市场监管局",)),
    ]
    assert [f for task in plan.tasks for f in task.findings] == []
