"""The 行政检查审批表, 行政检查通知书 and 现场检查笔录 of a visit: every required field filled
from the records (the body, the legal basis, the task's source, the frequency against the
body's cap, the right to request 回避, the team with certificate numbers, the assistants, the
approval, the inspection code with its QR image), in the 公文 layout of GB/T 9704, as .docx and
PDF; LibreOffice converts each .docx to a PDF that still says all of it. The notice and the
record are not issued for a visit nobody approved."""

import io
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Mm, Pt

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.approvals.documents import (
    ASSISTANTS_RULE,
    CERTIFICATES,
    RECUSAL_RIGHT,
    REMEDIES,
)
from shuangsuiji.approvals.services import approve_visits, declare_assistant, report_emergency
from shuangsuiji.approvals.standing import approval_line, standing_of
from shuangsuiji.assignments.models import Visit
from shuangsuiji.checks.codes import code_for, shown
from shuangsuiji.checks.ledger import yearly_counts
from shuangsuiji.checks.models import CheckCap
from shuangsuiji.directory.models import CheckItem
from shuangsuiji.draws.models import Draw
from tests.approvals.conftest import Scene, client_for

pytestmark = pytest.mark.django_db

KINDS = ("approval", "notice", "record")


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def flat(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch != "\x00")


def pdf_text(source: bytes | Path) -> str:
    """The PDF's text as PDFium reads it (pypdf misreads fpdf2's CJK subsets past page 1)."""
    document = pdfium.PdfDocument(source)
    try:
        return flat("".join(page.get_textpage().get_text_range() for page in document))
    finally:
        document.close()


def approved(scene: Scene) -> Visit:
    declare_assistant(
        scene.led, name="王工", organisation="区检测中心", duty="现场检测", actor=scene.admin
    )
    approve_visits(
        [scene.led], approver="李明", approver_title="局长", opinion="同意", actor=scene.admin
    )
    return scene.led


def required_fields(visit: Visit, name: str) -> list[str]:
    """What each document must say, read from the records (not from the documents' code)."""
    plan = visit.assignment.plan
    tasks = list(visit.tasks.order_by("position"))
    items = CheckItem.objects.filter(
        department__in=visit.departments.all(), name__in=[i for t in tasks for i in t.items]
    )
    members = visit.members.select_related("inspector")
    frequency = []
    for department in visit.departments.all():
        count = yearly_counts(department.pk, plan.year)[visit.entity.uscc]
        cap = CheckCap.objects.filter(department=department, year=plan.year).first()
        frequency.append(f"{department.short_name}：本年度对该单位第{count}次检查（含本次）")
        frequency.append(f"每年{cap.limit}次（{cap.source}）" if cap else "未公布年度检查频次上限")
    fields = [
        visit.lead_department.name,
        visit.entity.name,
        visit.entity.uscc,
        *[d.name for d in visit.departments.exclude(pk=visit.lead_department_id)],
        *{i.legal_basis for i in items},
        plan.title,
        *[t.name for t in tasks],
        *[d.draw_id for d in Draw.objects.filter(task__in=tasks, superseded_by__isnull=True)],
        visit.assignment.assignment_id,
        *frequency,
        *[m.inspector.name for m in members],
        *[m.inspector.certificate_no for m in members],
        "王工",
        "区检测中心",
        approval_line(standing_of(visit)),
        shown(code_for(visit, actor=SYSTEM).code),  # type: ignore[union-attr]
    ]
    if name in ("approval", "notice"):  # the record says when it was actually made
        fields.append(f"{visit.window_start}至{visit.window_end}")
    if name in ("notice", "record"):
        fields += [RECUSAL_RIGHT, CERTIFICATES if name == "notice" else visit.entity.address]
    if name == "notice":
        fields += [ASSISTANTS_RULE, REMEDIES]
    assert len(items) > 0
    assert len(members) >= 2
    return fields


def download(client: Client, visit: Visit, name: str, kind: str) -> bytes:
    response = client.get(reverse("approvals:document", args=[visit.pk, name, kind]))
    assert response.status_code == 200, response.content[:300]
    return response.content


@pytest.mark.parametrize("name", KINDS)
def test_each_document_fills_every_required_field_from_the_records(scene: Scene, name: str) -> None:
    visit = approved(scene)
    client = client_for("lucheng-inspector")

    text = flat(docx_text(download(client, visit, name, "docx")))
    printed = pdf_text(download(client, visit, name, "pdf"))

    fields = [flat(f) for f in required_fields(visit, name)]
    assert [f for f in fields if f not in text] == []
    assert [f for f in fields if f not in printed] == []


def test_the_documents_are_laid_out_as_gb_t_9704_says(scene: Scene) -> None:
    visit = approved(scene)

    document = Document(
        io.BytesIO(download(client_for("lucheng-dept-admin"), visit, "notice", "docx"))
    )

    section = document.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m / Mm(1)) for m in margins] == [37, 35, 28, 26]  # type: ignore[operator]
    normal = document.styles["Normal"].font  # type: ignore[attr-defined]
    assert (normal.name, normal.size) == ("仿宋_GB2312", Pt(16))
    title = document.paragraphs[0].runs[0]
    assert (title.text, title.font.name, title.font.size) == (
        "行政检查通知书",
        "方正小标宋简体",
        Pt(22),
    )
    assert len(document.inline_shapes) == 1  # the QR image of the inspection code
    qr = next(p for p in document.paragraphs if p._element.xpath(".//w:drawing"))
    assert qr.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE  # not clipped


def test_a_visit_not_approved_gets_its_approval_form_but_no_notice_or_record(
    scene: Scene,
) -> None:
    client = client_for("lucheng-dept-admin")
    url = lambda name: reverse("approvals:document", args=[scene.led.pk, name, "pdf"])  # noqa: E731

    before = [client.get(url(name)).status_code for name in KINDS]
    report_emergency(
        scene.led, reason="现场发现险情", started_at=timezone.now(), actor=scene.inspector
    )
    after_emergency = [client.get(url(name)).status_code for name in KINDS]

    assert before == [200, 409, 409]
    assert after_emergency == [200, 200, 200]


def test_the_public_code_card_shows_the_approval(scene: Scene) -> None:
    code = code_for(scene.led, actor=SYSTEM)
    assert code is not None
    card_url = reverse("code", args=[code.code])

    before = Client().get(card_url).content.decode()
    approved(scene)
    after = Client().get(card_url).content.decode()

    assert "尚未经检查主体负责人审批：审批前不得实施检查" in before
    assert approval_line(standing_of(scene.led)) in after


def test_libreoffice_converts_the_three_documents_to_pdfs_with_every_field(
    scene: Scene, tmp_path: Path
) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.fail("LibreOffice is required: `make browser` installs it")
    visit = approved(scene)
    client = client_for("lucheng-dept-admin")
    for name in KINDS:
        (tmp_path / f"{name}.docx").write_bytes(download(client, visit, name, "docx"))

    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *[str(tmp_path / f"{name}.docx") for name in KINDS],
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )

    for name in KINDS:
        text = pdf_text(tmp_path / "pdf" / f"{name}.pdf")
        fields = [flat(f) for f in required_fields(visit, name)]
        assert [f for f in fields if f not in text] == [], name
