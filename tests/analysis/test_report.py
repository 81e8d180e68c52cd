"""The annual report: Word and Excel with the analysis's tables, charts drawn with Chinese
glyphs, and a document LibreOffice opens."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from shuangsuiji.analysis.figures import plan_figures
from shuangsuiji.analysis.report import _pyplot, build_report, report_content
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.plans.models import Plan
from tests.analysis.test_figures import Year, year  # noqa: F401 (fixture)
from tests.assignments.conftest import client_for, demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def lucheng_2023() -> Plan:
    return Plan.objects.get(year=2023, region__name="潞城区")


def docx_tables(content: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(content))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def test_the_word_report_tabulates_what_the_database_holds(year: Year) -> None:  # noqa: F811
    tables = docx_tables(build_report(year.plan, "docx"))
    by_class = {row[0]: row[1:4] for row in tables[1][1:]}
    departments = {row[0]: row[1:] for row in tables[2][1:]}

    assert tables[1][0] == ["风险分类", "已确认结果", "发现问题", "发现问题率", "95% 置信区间"]
    assert by_class["B 一般风险"] == ["2", "2", "100.0%"]
    assert by_class["A 低风险"] == ["1", "0", "0.0%"]
    assert departments == {"甲局": ["1", "1", "0", "3", "2"], "乙局": ["1", "1", "1", "2", "2"]}
    assert len(Document(io.BytesIO(build_report(year.plan, "docx"))).inline_shapes) == 3


def test_the_workbook_has_a_sheet_per_table_with_numbers_as_numbers(year: Year) -> None:  # noqa: F811
    book = load_workbook(io.BytesIO(build_report(year.plan, "xlsx")))
    workload = list(book["执法人员工作量"].iter_rows(values_only=True))

    assert book.sheetnames == [
        "概况",
        "检查结果分类",
        "按信用风险分类的发现问题情况",
        "各发起部门完成情况",
        "执法人员工作量",
        "涉企检查频次上限执行情况",
        "历年对比",
    ]
    assert workload[1:] == [("甲局", 3, 7, 2.3, 1, 3), ("乙局", 2, 3, 1.5, 1, 2)]
    assert len(book["检查结果分类"]._images) == 1


def test_every_character_in_the_charts_has_a_glyph(year: Year) -> None:  # noqa: F811
    """A chart with boxes instead of characters is a failure: the chosen face must hold every
    character the charts print (labels, titles, class names)."""
    from matplotlib.font_manager import findfont
    from matplotlib.ft2font import FT2Font

    content = report_content(year.plan)
    plt = _pyplot()
    face = FT2Font(findfont(plt.rcParams["font.family"][0], fallback_to_default=False))
    texts = "各风险分类的发现问题率（误差线为 95% 置信区间）检查结果分类数量各部门执法人员检查人次"
    texts += "".join(c.label for c in plan_figures(year.plan).by_class)
    texts += "".join(c.name for c in plan_figures(year.plan).categories)
    missing = {ch for ch in texts if not ch.isspace() and face.get_char_index(ord(ch)) == 0}

    assert missing == set()
    for png in content.charts.values():
        assert Image.open(io.BytesIO(png)).size[0] >= 900  # 6.4 in at 150 dpi


def test_the_coordinator_downloads_the_demo_report_and_libreoffice_opens_it(
    demo: DemoSummary,  # noqa: F811
    tmp_path: Path,
) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.fail("LibreOffice is required: apt-get install libreoffice-writer-nogui")
    plan = lucheng_2023()
    response = client_for("lucheng-coordinator").get(f"/analysis/plans/{plan.pk}/report.docx")
    report = tmp_path / "report.docx"
    report.write_bytes(response.content)

    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(report)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in "“”")
    figures = plan_figures(plan)
    by_class = {row[0]: row[1:3] for row in docx_tables(response.content)[1][1:]}
    assert response.status_code == 200
    assert "潞城区2023年度部门联合双随机、一公开抽查工作报告" in text
    assert f"已确认检查结果{figures.confirmed}项，其中发现问题{figures.findings.hits}项" in text
    assert by_class == {
        c.label: [str(c.findings.total), str(c.findings.hits)] for c in figures.by_class
    }


def test_only_the_coordinator_and_the_auditor_read_the_analysis(
    demo: DemoSummary,  # noqa: F811
) -> None:
    plan = lucheng_2023()
    pages = [f"/analysis/plans/{plan.pk}/", f"/analysis/plans/{plan.pk}/report.xlsx"]

    for user, expected in [
        ("lucheng-coordinator", 200),
        ("lucheng-auditor", 200),
        ("lucheng-dept-admin", 403),
        ("lucheng-inspector", 403),
        ("chengqu-coordinator", 404),  # another county's plan
    ]:
        client = client_for(user)
        assert [client.get(p).status_code for p in pages] == [expected] * 2, user


def test_the_chengqu_2024_report_is_made_although_a_class_has_no_finding(
    demo: DemoSummary,  # noqa: F811
) -> None:
    plan = Plan.objects.get(region__code="140502")
    classes = plan_figures(plan).by_class

    response = client_for("chengqu-coordinator").get(f"/analysis/plans/{plan.pk}/report.docx")

    assert any(c.findings.total and not c.findings.hits for c in classes)  # the case that broke
    assert response.status_code == 200
