"""The annual report (年度抽查工作报告) of a plan: the analysis page's tables and charts, as a
Word document a county office submits and as a workbook of the same tables.

Charts are drawn by matplotlib with a CJK font (fonts-noto-cjk, or PDF_FONT), never with a
fallback that would print boxes instead of characters.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Font

from shuangsuiji.analysis.figures import PlanFigures, YearRow, plan_figures, trend
from shuangsuiji.assignments.sheet import DOCX_FONT, Table, add_docx_table, chinese_font
from shuangsuiji.checks.ledger import cap_standings
from shuangsuiji.core.celltext import xlsx_row
from shuangsuiji.plans.models import Plan

REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DEFINITIONS = [
    "已确认结果：审核通过或已公示的检查结果。",
    "发现问题：检查结果属于“发现问题待后续处理”（含其具体情形）、“发现问题经责令已改正”或“不配合检查情节严重”。",
    "风险分类：检查对象被抽中时所在的信用风险分类层，取自抽取记录。",
    "置信区间：发现问题率的 95% Wilson 置信区间；样本越少，区间越宽。",
    "合并前后：合并前按任务统计抽中户次，合并后统计实际开展的联合检查次数（进一次门、查多项事）。",
]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def interval(rate: Any) -> str:
    return f"{100 * rate.low:.1f}%–{100 * rate.high:.1f}%" if rate.total else "—"


@dataclass
class ReportContent:
    title: str
    overview: list[str]
    tables: list[Table]
    charts: dict[str, bytes]  # table title → PNG shown after it


def report_content(plan: Plan) -> ReportContent:
    """What the report says, whatever the format: the same numbers as the analysis page."""
    f = plan_figures(plan)
    years = trend(plan)
    overview = [
        f"{plan.region.full_name}{plan.year}年部门联合“双随机、一公开”抽查计划共列抽查任务 "
        f"{f.tasks} 项，已完成随机抽取 {f.drawn} 项，已全部审核完成 {f.completed} 项。",
        f"各任务合计抽中检查对象 {f.selections} 户次，合并同一对象的多项任务后实际开展联合检查 "
        f"{f.visits} 次，减少入企 {f.merged_away} 次。",
        f"已确认检查结果 {f.confirmed} 项，其中发现问题 {f.findings.hits} 项，发现问题率 "
        f"{percent(f.findings.value)}（95% 置信区间 {interval(f.findings)}）。",
    ]
    tables = [
        Table(
            "检查结果分类",
            ["代码", "检查结果", "数量", "占已确认结果"],
            [[c.code, c.name, str(c.count), percent(c.share)] for c in f.categories],
        ),
        Table(
            "按信用风险分类的发现问题情况",
            ["风险分类", "已确认结果", "发现问题", "发现问题率", "95% 置信区间"],
            [
                [
                    c.label,
                    str(c.findings.total),
                    str(c.findings.hits),
                    percent(c.findings.value),
                    interval(c.findings),
                ]
                for c in f.by_class
            ],
        ),
        Table(
            "各发起部门完成情况",
            ["发起部门", "任务", "已抽取", "已完成", "已确认结果", "发现问题"],
            [
                [
                    d.name,
                    str(d.tasks),
                    str(d.drawn),
                    str(d.completed),
                    str(d.confirmed),
                    str(d.findings.hits),
                ]
                for d in f.departments
            ],
        ),
        Table(
            "执法人员工作量",
            ["部门", "参加检查的执法人员", "检查人次", "人均", "最少", "最多"],
            [
                [
                    w.department,
                    str(w.inspectors),
                    str(w.places),
                    f"{w.mean:.1f}",
                    str(w.fewest),
                    str(w.most),
                ]
                for w in f.workload
            ],
        ),
        Table(
            "涉企检查频次上限执行情况",
            [
                "检查主体",
                "每年上限（次）",
                "检查或安排检查的企业",
                "达到上限",
                "超过上限",
                "公布依据",
            ],
            [
                [c.body, str(c.limit), str(c.companies), str(c.at_cap), str(c.over_cap), c.source]
                for c in cap_standings(plan.region_id, plan.year)
            ],
        ),
        Table(
            "历年对比",
            ["年度", "计划", "已确认结果", "发现问题", "发现问题率", "95% 置信区间"],
            [_year_row(y) for y in years],
        ),
    ]
    return ReportContent(
        title=f"{plan.region.name}{plan.year}年度部门联合“双随机、一公开”抽查工作报告",
        overview=overview,
        tables=tables,
        charts=report_charts(f),
    )


def _year_row(y: YearRow) -> list[str]:
    rate = y.findings
    return [
        str(y.plan.year),
        y.plan.title,
        str(y.confirmed),
        str(rate.hits),
        percent(rate.value),
        interval(rate),
    ]


# --- charts ------------------------------------------------------------------------------------


@cache
def _pyplot() -> Any:
    """matplotlib with a Chinese face registered (imported once, on first use)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    path, index = chinese_font()
    font_manager.fontManager.addfont(path)
    faces = [f.name for f in font_manager.fontManager.ttflist if f.fname == path]
    chosen = next((n for n in faces if n.endswith(" SC")), faces[min(index, len(faces) - 1)])
    plt.rcParams["font.family"] = [chosen]
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _png(draw: Callable[[Any], None], height: float = 3.2) -> bytes:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, height), dpi=150)
    draw(axes)
    figure.tight_layout()
    output = BytesIO()
    figure.savefig(output, format="png")
    plt.close(figure)
    return output.getvalue()


def report_charts(f: PlanFigures) -> dict[str, bytes]:
    def by_class(axes: Any) -> None:
        rows = [c for c in f.by_class if c.findings.total]
        labels = [c.label for c in rows]
        values = [100 * (c.findings.value or 0) for c in rows]
        below = [max(0.0, v - 100 * c.findings.low) for v, c in zip(values, rows, strict=True)]
        above = [max(0.0, 100 * c.findings.high - v) for v, c in zip(values, rows, strict=True)]
        axes.bar(labels, values, color="#b91c1c", yerr=[below, above], capsize=6)
        axes.set_ylabel("发现问题率（%）")
        axes.set_title("各风险分类的发现问题率（误差线为 95% 置信区间）")

    def categories(axes: Any) -> None:
        rows = [c for c in f.categories if c.count and "：" not in c.name]
        axes.barh([c.name for c in rows][::-1], [c.count for c in rows][::-1], color="#1f6feb")
        axes.set_xlabel("数量")
        axes.set_title("检查结果分类")

    def workload(axes: Any) -> None:
        rows = f.workload[:12]
        axes.barh([w.department for w in rows][::-1], [w.places for w in rows][::-1])
        axes.set_xlabel("检查人次")
        axes.set_title("各部门执法人员检查人次")

    return {
        "检查结果分类": _png(categories),
        "按信用风险分类的发现问题情况": _png(by_class),
        "执法人员工作量": _png(workload, height=max(3.2, 0.3 * len(f.workload[:12]) + 1)),
    }


# --- formats -----------------------------------------------------------------------------------


def build_report(plan: Plan, fmt: str) -> bytes:
    content = report_content(plan)
    return report_docx(content) if fmt == "docx" else report_xlsx(content)


def report_docx(content: ReportContent) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
    title = document.add_heading(content.title, level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading("一、基本情况", level=2)
    for line in content.overview:
        document.add_paragraph(line)
    numbers = "二三四五六七八九"
    for number, table in zip(numbers, content.tables, strict=False):
        document.add_heading(f"{number}、{table.title}", level=2)
        add_docx_table(document, table)
        if chart := content.charts.get(table.title):
            document.add_picture(BytesIO(chart), width=Cm(15))
    document.add_heading(f"{numbers[len(content.tables)]}、说明", level=2)
    for line in DEFINITIONS:
        document.add_paragraph(line)
    made = timezone.localdate().isoformat()
    document.add_paragraph(f"本报告由双随机抽查平台于 {made} 根据系统记录生成。")
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _number_or_text(value: str) -> int | float | str:
    """Counts and means as numbers, so a spreadsheet can sum them; the rest as written."""
    if value.isdigit():
        return int(value)
    whole, dot, fraction = value.partition(".")
    return float(value) if dot and whole.isdigit() and fraction.isdigit() else value


def report_xlsx(content: ReportContent) -> bytes:
    """Every text through xlsx_row: a plan or department named =HYPERLINK(…) stays text."""
    book = Workbook()
    overview = book.active
    overview.title = "概况"
    overview.append(xlsx_row(overview, [content.title]))
    overview["A1"].font = Font(bold=True, size=14)
    for line in content.overview:
        overview.append(xlsx_row(overview, [line]))
    for table in content.tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(xlsx_row(sheet, table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(xlsx_row(sheet, [_number_or_text(v) for v in row]))
        if chart := content.charts.get(table.title):
            image = SheetImage(BytesIO(chart))
            image.width, image.height = image.width * 0.5, image.height * 0.5
            sheet.add_image(image, f"{chr(ord('A') + len(table.header) + 1)}2")
    output = BytesIO()
    book.save(output)
    return output.getvalue()
