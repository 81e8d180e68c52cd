"""Layouts the seed plans do not have, each built by hand as a real file, read field by field.

The expected values below were written by reading each table as a person would, not by
running the parser.
"""

import io
from typing import Any

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment

from shuangsuiji.core.plans.model import RiskRuleKind, Severity
from shuangsuiji.core.plans.parse import parse_plan
from tests.core.plans.projection import plan_meta, structured_tasks


def expect(**fields: Any) -> dict[str, Any]:
    """A task as the projection shows it; fields a layout does not state default to unknown."""
    task: dict[str, Any] = {
        "seq": None,
        "name": "",
        "items": (),
        "scope": "",
        "ratio_min": None,
        "sample_count": None,
        "frequency_per_year": None,
        "sampling_type": None,
        "risk_kind": RiskRuleKind.NONE,
        "risk_class": None,
        "window": (None, None),
        "lead": "",
        "partners": (),
        "partners_open_ended": False,
        "mode": None,
    }
    task.update(fields)
    return task


# --- .docx: a title row merged across the table, one 发起部门 merged down three tasks ---------

DOCX_HEADER = [
    *("序号", "抽查任务名称", "抽查事项", "抽查对象范围", "抽查比例及频次"),
    *("抽查检查起止时间", "发起部门", "配合部门", "抽查检查模式"),
]
DOCX_ROWS = [
    [
        *("1", "食品生产企业监督检查", "1、食品生产者资质检查\n2、生产过程控制检查"),
        *("全县食品生产企业", "不低于5%，每年1次", "2024年3月至11月", ""),
        *("县卫生健康局、县农业农村局", "县抽县查"),
    ],
    [
        *(
            "2",
            "药品零售企业检查",
            "1、第二、三类医疗器械经营情况\n2、药品经营质量管理规范执行情况",
        ),
        "全县药品零售企业",
        *("10%；2次/年", "2024.04-2024.10", "", "县医疗保障局等", "市抽县查"),
    ],
    [
        *("3", "特种设备使用单位检查", "（1）使用登记情况（2）作业人员持证情况"),
        *("全县特种设备使用单位", "20户，每半年一次", "2024年5月起", ""),
        *("县应急管理局 县消防救援大队", "县抽县查"),
    ],
]


def merged_docx() -> bytes:
    document = Document()
    document.add_paragraph("附件1")
    table = document.add_table(rows=2 + len(DOCX_ROWS), cols=len(DOCX_HEADER))
    table.style = "Table Grid"
    title = table.cell(0, 0).merge(table.cell(0, len(DOCX_HEADER) - 1))
    title.text = "某某县2024年度部门联合双随机抽查工作计划"
    for column, text in enumerate(DOCX_HEADER):
        table.cell(1, column).text = text
    for row, texts in enumerate(DOCX_ROWS, start=2):
        for column, text in enumerate(texts):
            lines = text.split("\n")
            cell = table.cell(row, column)
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    lead = table.cell(2, 6).merge(table.cell(4, 6))
    lead.text = "县市场监督管理局"
    document.add_paragraph("某某县市场监督管理局　2024年2月20日")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_with_merged_title_row_and_merged_lead_department_parses_every_task() -> None:
    plan = parse_plan(merged_docx(), "计划.docx")

    assert structured_tasks(plan) == [
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


def test_docx_title_comes_from_the_merged_title_row() -> None:
    plan = parse_plan(merged_docx(), "计划.docx")

    assert plan_meta(plan) == ("某某县2024年度部门联合双随机抽查工作计划", "某某县", 2024)
    assert plan.columns == (
        *("seq", "name", "items", "scope", "ratio", "window", "lead", "partners", "mode"),
    )


# --- .xlsx: title row, columns reordered under other names, merged cells, notes below -------

XLSX_HEADER = [
    *("序号", "牵头部门", "检查任务", "抽查对象", "抽查事项", "抽查比例", "抽查频次"),
    *("起止时间", "参与部门", "抽查模式", "备注"),
]
XLSX_ROWS: list[list[object]] = [
    [
        *(1, "市市场监管局", "电梯维保单位检查", "全市电梯维护保养单位"),
        *("1.维保资质\n2.维保记录", 0.3, "每季度1次", "2024年4月—2024年10月"),
        *("市住建局", "市抽市查", None),
    ],
    [
        *(2, None, "加油站计量检查", "全市加油站", "计量器具检定情况", "15%", "1次/年"),
        *("2024.05至2024.09", "市商务局、市应急管理局", None, "与成品油专项整治合并开展"),
    ],
    [
        *(3, "市生态环境局", "机动车排放检验机构检查", "全市机动车排放检验机构"),
        *("排放检验情况；设备使用情况", 1, "2次/年", "2024年3月至12月"),
        *("市公安局交警支队、市市场监管局等", None, None),
    ],
]


def reordered_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    width = len(XLSX_HEADER)
    sheet.append(["某某市2024年度市场监管领域部门联合双随机抽查工作计划"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(XLSX_HEADER)
    for row in XLSX_ROWS:
        sheet.append(row)
    for ratio_cell in ("F3", "F5"):
        sheet[ratio_cell].number_format = "0%"  # typed in as 30% and 100%: numbers, not text
    sheet["E3"].alignment = Alignment(wrap_text=True)
    sheet.merge_cells("B3:B4")  # one 牵头部门 for the first two tasks
    sheet.merge_cells("J3:J5")  # one 抽查模式 for all three
    sheet.append([])
    sheet.append(["注：抽查比例为最低比例，各部门可根据企业信用风险分类结果提高。"])
    sheet.merge_cells(start_row=7, start_column=1, end_row=7, end_column=width)
    sheet.append(["制表单位：某某市市场监督管理局", *[None] * 6, "制表日期：2024年2月"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_reordered_synonym_columns_and_merged_cells_parses_every_task() -> None:
    plan = parse_plan(reordered_xlsx(), "计划.xlsx")

    assert structured_tasks(plan) == [
        expect(
            seq=1,
            name="电梯维保单位检查",
            items=("维保资质", "维保记录"),
            scope="全市电梯维护保养单位",
            ratio_min=0.3,
            frequency_per_year=4,
            window=("2024-04", "2024-10"),
            lead="市市场监管局",
            partners=("市住建局",),
            mode="市抽市查",
        ),
        expect(
            seq=2,
            name="加油站计量检查",
            items=("计量器具检定情况",),
            scope="全市加油站",
            ratio_min=0.15,
            frequency_per_year=1,
            window=("2024-05", "2024-09"),
            lead="市市场监管局",
            partners=("市商务局", "市应急管理局"),
            mode="市抽市查",
        ),
        expect(
            seq=3,
            name="机动车排放检验机构检查",
            items=("排放检验情况", "设备使用情况"),
            scope="全市机动车排放检验机构",
            ratio_min=1.0,
            frequency_per_year=2,
            window=("2024-03", "2024-12"),
            lead="市生态环境局",
            partners=("市公安局交警支队", "市市场监管局"),
            partners_open_ended=True,
            mode="市抽市查",
        ),
    ]


def test_xlsx_keeps_notes_and_reports_the_text_below_the_table() -> None:
    plan = parse_plan(reordered_xlsx(), "计划.xlsx")

    notes = [f.message for f in plan.findings if f.field == "table"]
    assert plan_meta(plan) == (
        "某某市2024年度市场监管领域部门联合双随机抽查工作计划",
        "某某市",
        2024,
    )
    assert [task.note for task in plan.tasks] == ["", "与成品油专项整治合并开展", ""]
    assert notes == [
        "表格中的说明文字未作为任务：“注：抽查比例为最低比例，各部门可根据企业信用风险分类结果提高。”",
        "表格中的说明文字未作为任务：“制表单位：某某市市场监督管理局；制表日期：2024年2月”",
    ]


# --- .html: a page saved from a government site, GBK, spans, <br>, source line wrapping ------

GOV_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>某某区2024年度部门联合双随机抽查工作计划_某某区人民政府</title>
<script type="text/javascript">var _hmt = _hmt || []; document.write("<td>统计</td>");</script>
<style type="text/css">.nav li { float: left; } td { font-size: 14px; }</style>
</head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/wza">无障碍</a> | <a href="/zz">长者模式</a></div>
<ul class="nav">
  <li><a href="/zwgk">政务公开</a></li><li><a href="/zwfw">政务服务</a></li>
  <li><a href="/hdjl">互动交流</a></li>
</ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a>
  &gt; 双随机一公开</div>
<h1 class="title">某某区2024年度部门联合双随机抽查工作计划</h1>
<div class="info">发布时间：2024-03-01&nbsp;&nbsp;来源：区市场监管局&nbsp;&nbsp;浏览次数：128</div>
<div class="content">
<p>为深入推进部门联合“双随机、一公开”监管，现将本区2024年度工作计划公布如下：</p>
<table border="1" cellspacing="0" cellpadding="0" width="100%">
  <tbody>
    <tr>
      <td><p><b>序号</b></p></td>
      <td><p><b>抽查任务<br />名称</b></p></td>
      <td><p><b>抽查事项</b></p></td>
      <td><p><b>抽查对象<br />范围</b></p></td>
      <td><p><b>抽查比例<br />及频次</b></p></td>
      <td><p><b>智慧监管（信用风险分类）要求</b></p></td>
      <td><p><b>抽查检查<br />起止时间</b></p></td>
      <td><p><b>发起部门</b></p></td>
      <td><p><b>配合部门</b></p></td>
    </tr>
    <tr>
      <td colspan="9"><p>一、市场监管领域</p></td>
    </tr>
    <tr>
      <td>1</td>
      <td>对校外培训机构的
        双随机抽查</td>
      <td><p>1.办学许可情况检查</p><p>2.收费及退费情况检查</p></td>
      <td>全区校外培训机构</td>
      <td>不低于20%&nbsp;1次/年</td>
      <td>根据企业信用风险分类结果，对低风险、一般风险、较高风险、高风险企业分别
        递加抽查比例、频次</td>
      <td>2024年3月&mdash;2024年11月</td>
      <td rowspan="2">区教育局</td>
      <td>区市场监管局<br>区消防救援大队</td>
    </tr>
    <tr>
      <td>2</td>
      <td>民办幼儿园办园行为检查</td>
      <td>1、办园条件；2、保育教育；3、收费行为</td>
      <td>全区民办幼儿园</td>
      <td colspan="2">不低于10%，1次/年</td>
      <td>2024.04至2024.10</td>
      <td>区卫生健康局&amp;区市场监管局</td>
    </tr>
    <tr>
      <td>3</td>
      <td>食品小作坊监督检查</td>
      <td>生产加工条件&lt;卫生规范&gt;
        执行情况</td>
      <td>全区食品小作坊</td>
      <td>5户</td>
      <td>C类</td>
      <td>2024年6月至9月</td>
      <td>区市场监管局</td>
      <td>&nbsp;</td>
    </tr>
  </tbody>
</table>
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="footer">主办：某某区人民政府办公室 网站标识码：1400000000 晋ICP备00000000号</div>
</body>
</html>
"""


def test_gbk_government_page_parses_every_task() -> None:
    plan = parse_plan(GOV_PAGE.encode("gbk"), "某某区政府网.html")

    assert structured_tasks(plan) == [
        expect(
            seq=1,
            name="对校外培训机构的双随机抽查",
            items=("办学许可情况检查", "收费及退费情况检查"),
            scope="全区校外培训机构",
            ratio_min=0.2,
            frequency_per_year=1,
            risk_kind=RiskRuleKind.ESCALATE,
            window=("2024-03", "2024-11"),
            lead="区教育局",
            partners=("区市场监管局", "区消防救援大队"),
        ),
        expect(
            seq=2,
            name="民办幼儿园办园行为检查",
            items=("办园条件", "保育教育", "收费行为"),
            scope="全区民办幼儿园",
            ratio_min=0.1,
            frequency_per_year=1,
            window=("2024-04", "2024-10"),
            lead="区教育局",
            partners=("区卫生健康局&区市场监管局",),
        ),
        expect(
            seq=3,
            name="食品小作坊监督检查",
            items=("生产加工条件<卫生规范>执行情况",),
            scope="全区食品小作坊",
            sample_count=5,
            risk_kind=RiskRuleKind.FIXED,
            risk_class="C",
            window=("2024-06", "2024-09"),
            lead="区市场监管局",
        ),
    ]


def test_gbk_government_page_takes_its_title_from_the_heading_not_the_browser_tab() -> None:
    plan = parse_plan(GOV_PAGE.encode("gbk"), "某某区政府网.html")

    assert plan_meta(plan) == ("某某区2024年度部门联合双随机抽查工作计划", "某某区", 2024)


def test_gbk_government_page_keeps_the_category_row_out_of_the_tasks() -> None:
    plan = parse_plan(GOV_PAGE.encode("gbk"), "某某区政府网.html")

    assert [f.message for f in plan.findings if f.severity is Severity.INFO] == [
        "表格中的说明文字未作为任务：“一、市场监管领域”"
    ]


# --- .csv: saved by Excel on a Chinese Windows (GBK, CRLF), blank rows, quoted line breaks --

EXCEL_CSV = (
    "某某县2023年度部门联合双随机抽查工作计划,,,,,,,,,\r\n"
    ",,,,,,,,,\r\n"
    "序号,抽查任务名称,抽查事项,抽查对象范围,抽查比例及频次,"
    "智慧监管（信用风险分类）要求,抽查检查起止时间,发起部门,配合部门,抽查检查模式\r\n"
    '1,对旅馆业的双随机抽查,"1.治安管理制度落实情况\r\n2.旅客登记情况",全县旅馆,'
    '"定向抽查，不低于30%，抽查1次",高风险企业,2023.3至2023.11,县公安局,"县市场监管局，县消防救援大队",县抽县查\r\n'
    ",,,,,,,,,\r\n"
    '2,对娱乐场所的检查,"经营许可情况； 消防安全情况",全县歌舞娱乐场所,"3.5%（12户）；每半年1次",'
    '"根据企业信用风险等级，分别递增抽查比例和频次",2023年5月-10月,县文化和旅游局,县公安局、县消防救援大队等,'
    '"市抽县查、县抽县查"\r\n'
    "3,对加油站的抽查,油品质量检查,全县加油站,不定向；10%,无,2023年4月起,县商务局,,\r\n"
)


def test_excel_csv_in_gbk_parses_every_task() -> None:
    plan = parse_plan(EXCEL_CSV.encode("gbk"), "计划.csv")

    assert structured_tasks(plan) == [
        expect(
            seq=1,
            name="对旅馆业的双随机抽查",
            items=("治安管理制度落实情况", "旅客登记情况"),
            scope="全县旅馆",
            ratio_min=0.3,
            frequency_per_year=1,
            sampling_type="定向",
            risk_kind=RiskRuleKind.FIXED,
            risk_class="D",
            window=("2023-03", "2023-11"),
            lead="县公安局",
            partners=("县市场监管局", "县消防救援大队"),
            mode="县抽县查",
        ),
        expect(
            seq=2,
            name="对娱乐场所的检查",
            items=("经营许可情况", "消防安全情况"),
            scope="全县歌舞娱乐场所",
            ratio_min=0.035,
            sample_count=12,
            frequency_per_year=2,
            risk_kind=RiskRuleKind.ESCALATE,
            window=("2023-05", "2023-10"),
            lead="县文化和旅游局",
            partners=("县公安局", "县消防救援大队"),
            partners_open_ended=True,
            mode="市抽县查、县抽县查",
        ),
        expect(
            seq=3,
            name="对加油站的抽查",
            items=("油品质量检查",),
            scope="全县加油站",
            ratio_min=0.1,
            sampling_type="不定向",
            window=("2023-04", None),
            lead="县商务局",
        ),
    ]


def test_excel_csv_in_gbk_keeps_title_and_mode_pairs() -> None:
    plan = parse_plan(EXCEL_CSV.encode("gbk"), "计划.csv")

    assert plan_meta(plan) == ("某某县2023年度部门联合双随机抽查工作计划", "某某县", 2023)
    assert [task.mode.pairs if task.mode else () for task in plan.tasks] == [
        (("县", "县"),),
        (("市", "县"), ("县", "县")),
        (),
    ]


def test_csv_saved_with_old_mac_line_endings_reads_the_same() -> None:
    mac = EXCEL_CSV.replace("\r\n", "\r")
    windows = parse_plan(EXCEL_CSV.encode("gbk"), "计划.csv")

    plan = parse_plan(mac.encode("gbk"), "计划.csv")

    assert structured_tasks(plan) == structured_tasks(windows)
    assert len(plan.tasks) == 3


def test_a_seq_cut_off_from_its_row_by_a_blank_line_is_joined_not_taken_for_a_page_number() -> None:
    header = "\t序号\n\t抽查任务名称\n\t抽查事项\n\t抽查对象范围\n\t抽查比例及频次\n"
    text = (
        "某县2024年度部门联合双随机抽查工作计划\n\n" + header + "\n"
        "\t1\n\t甲任务\n\t甲事项\n\t甲对象\n\t不低于30%\n\n"
        "\t2\n\n\t乙任务\n\t乙事项\n\t乙对象\n\t不低于20%\n\n"
        "3\n"
    )

    plan = parse_plan(text.encode(), "plan.txt")

    assert [(t.seq, t.name, t.ratio_min) for t in plan.tasks] == [
        (1, "甲任务", 0.3),
        (2, "乙任务", 0.2),
    ]
    assert [f.message for f in plan.findings] == ["已去除表格外的页码“3”"]
