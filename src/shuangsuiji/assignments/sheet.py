"""The printable 检查任务单 of a joint visit: team, entity, tasks, items and legal basis."""

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from shuangsuiji.assignments.models import Visit

FONT = "SimSun"


def task_sheet(visit: Visit, items: list[dict[str, str]]) -> bytes:
    """A one-visit .docx that the team carries and the entity signs."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # type: ignore[union-attr]
    plan = visit.assignment.plan
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("部门联合“双随机、一公开”抽查检查任务单")
    run.bold, run.font.size = True, Pt(16)
    document.add_paragraph(f"计划：{plan.title}")
    document.add_paragraph(f"检查编号：{visit.code}    分派编号：{visit.assignment.assignment_id}")
    entity = visit.entity
    _table(
        document,
        ["检查对象", "统一社会信用代码", "住所", "检查时间"],
        [[entity.name, entity.uscc, entity.address, f"{visit.window_start} 至 {visit.window_end}"]],
    )
    document.add_paragraph("检查组")
    members = visit.members.select_related("inspector", "department").order_by("slot")
    _table(
        document,
        ["角色", "姓名", "所属部门", "执法证号"],
        [
            [m.role, m.inspector.name, m.department.short_name, m.inspector.certificate_no]
            for m in members
        ],
    )
    document.add_paragraph("检查事项")
    _table(
        document,
        ["抽查任务", "检查事项", "部门", "检查方式", "检查依据"],
        [[i["task"], i["name"], i["department"], i["method"], i["basis"]] for i in items],
    )
    document.add_paragraph(
        "检查人员应出示执法证件，与检查对象存在利害关系的应当回避。"
        "检查结果将依法通过国家企业信用信息公示系统向社会公示。"
    )
    document.add_paragraph(
        "检查人员签名：＿＿＿＿＿＿    检查对象签字（盖章）：＿＿＿＿＿＿    日期：＿＿＿＿"
    )
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _table(document: object, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text or "")
