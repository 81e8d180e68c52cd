"""A file that is no plan table gives one PlanFileError, in words a clerk can act on."""

import io
import random
import zipfile

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.model import Plan, PlanTask, RiskRule, RiskRuleKind, Window
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.core.plans.readers import MAX_FILE_BYTES, MAX_PDF_PAGES, MAX_XLS_BYTES
from shuangsuiji.core.plans.render import render_docx, render_xlsx

NO_HEADER = "未找到计划表格的表头：应有“序号”“抽查任务名称”“抽查事项”“抽查对象范围”等列名"
NO_ENCODING = "无法识别文件编码：请保存为 UTF-8 或 GBK 文本"
DOCTYPE_REFUSED = (
    ".docx 文件中的“word/document.xml”含有 XML 文档类型声明（DOCTYPE/实体），"
    "Office 软件不会写出这样的内容，已拒绝"
)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how an encrypted .docx/.xlsx begins


def error_for(data: bytes, filename: str) -> str:
    with pytest.raises(PlanFileError) as raised:
        parse_plan(data, filename)
    return str(raised.value)


def small_plan() -> Plan:
    task = PlanTask(
        seq=1,
        name="对学校食堂的抽查",
        items=("食品安全",),
        scope="全区学校食堂",
        ratio_min=0.3,
        sample_count=None,
        frequency_per_year=1,
        sampling_type=None,
        risk_rule=RiskRule(RiskRuleKind.NONE, ""),
        window=Window("2023-03", "2023-11"),
        lead_department="区市场监管局",
        partner_departments=(),
        partners_open_ended=False,
        mode=None,
        note="",
        source={},
    )
    columns = ("seq", "name", "items", "scope", "ratio", "window", "lead")
    return Plan("某某区2023年度部门联合双随机抽查工作计划", "某某区", 2023, columns, (task,))


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "filename"),
    [
        ("潞城区2023年度部门联合双随机抽查工作计划\n\n各部门要认真落实本计划。\n", "计划.txt"),
        ("\t序号\n\t备注\n\n\t1\n\t无\n", "计划.txt"),
        ("标题,说明\n一,二\n", "计划.csv"),
        ("<html><body><h1>工作计划</h1><p>见附件。</p></body></html>", "计划.html"),
        ("", "计划.txt"),
    ],
)
def test_text_without_a_header_row_is_not_a_plan(text: str, filename: str) -> None:
    message = error_for(text.encode(), filename)

    assert message == NO_HEADER


@pytest.mark.parametrize("data", [random.Random(2).randbytes(4096), b""], ids=["random", "empty"])
@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_office_file_that_is_no_zip_package_is_refused(data: bytes, suffix: str) -> None:
    message = error_for(data, f"计划{suffix}")

    assert message == f"文件不是有效的 {suffix}（可能已损坏或实为其他格式）"


@pytest.mark.parametrize(("suffix", "old"), [(".docx", ".doc"), (".xlsx", ".xls")])
def test_encrypted_or_old_office_file_is_named_as_such(suffix: str, old: str) -> None:
    message = error_for(OLE_SIGNATURE + random.Random(1).randbytes(4096), f"计划{suffix}")

    assert message == (
        f"文件是设有打开密码（已加密）的 {suffix} 文件，或旧版 {old} 格式："
        f"请取消密码，或另存为 {suffix} 后再上传"
    )


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (
            render_xlsx(small_plan()),
            "计划.docx",
            "无法读取 .docx 文件：文件已损坏，或不是 Word 文档",
        ),
        (
            render_docx(small_plan()),
            "计划.xlsx",
            "无法读取 .xlsx 文件：文件已损坏，或不是 Excel 工作簿",
        ),
        (
            zip_of({"a.txt": b"hi"}),
            "计划.docx",
            "无法读取 .docx 文件：文件已损坏，或不是 Word 文档",
        ),
    ],
    ids=["xlsx-named-docx", "docx-named-xlsx", "other-zip"],
)
def test_zip_package_of_the_wrong_kind_is_refused_in_plain_words(
    data: bytes, filename: str, expected: str
) -> None:
    message = error_for(data, filename)

    assert message == expected


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_zip_bomb_is_refused_before_it_is_unpacked(suffix: str) -> None:
    bomb = zip_of({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": bytes(16 << 20)})

    message = error_for(bomb, f"计划{suffix}")

    assert message == f"{suffix} 文件解压后过大，疑似压缩炸弹，已拒绝"


def test_zip_member_claiming_a_huge_size_is_refused() -> None:
    package = bytearray(zip_of({"xl/sharedStrings.xml": b"<sst/>"}))
    directory = package.find(b"PK\x01\x02")  # the central directory entry ZipFile reads
    package[directory + 24 : directory + 28] = (3 << 30).to_bytes(4, "little")

    message = error_for(bytes(package), "计划.xlsx")

    assert message == ".xlsx 文件解压后过大，疑似压缩炸弹，已拒绝"


def test_entity_expansion_in_docx_is_refused() -> None:
    entities = "".join(f'<!ENTITY e{depth} "{f"&e{depth - 1};" * 10}">' for depth in range(1, 10))
    document = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e0 "lol">{entities}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&e9;</w:t></w:r></w:p></w:body></w:document>"
    )
    package = io.BytesIO(render_docx(small_plan()))
    with zipfile.ZipFile(package) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    members["word/document.xml"] = document.encode()

    message = error_for(zip_of(members), "计划.docx")

    assert message == DOCTYPE_REFUSED


def test_csv_cell_too_long_to_read_is_refused() -> None:
    data = f'序号,抽查任务名称,抽查事项\n1,"{"甲" * 200_000}",乙\n'.encode()

    message = error_for(data, "计划.csv")

    assert message == "无法读取 CSV 文件：第 2 行格式有误"


def test_text_over_the_size_limit_is_refused_unread() -> None:
    data = b"\t" + b"a" * MAX_FILE_BYTES

    message = error_for(data, "计划.txt")

    assert message == "文件过大（20 MB）：计划文件不应超过 20 MB"


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x80\x81\xfe\xff", b"\x80", "\t序号".encode("utf-16"), b"\t\xd0\xf2\x00\xba\xc5"],
    ids=["invalid-bytes", "cut-multibyte", "utf-16", "nul-in-gbk"],
)
@pytest.mark.parametrize("suffix", [".txt", ".csv", ".html"])
def test_undecodable_bytes_are_refused(data: bytes, suffix: str) -> None:
    message = error_for(data, f"计划{suffix}")

    assert message == NO_ENCODING


@pytest.mark.parametrize(
    ("filename", "shown"),
    [("计划.odt", ".odt"), ("计划.PNG", ".png"), ("计划", "计划")],
)
def test_unsupported_file_type_is_refused_with_the_types_that_work(
    filename: str, shown: str
) -> None:
    message = error_for("\t序号\n".encode(), filename)

    assert message == (
        f"不支持的文件类型“{shown}”：请使用 .txt、.docx、.doc、.wps、.xlsx、.xls、.et、.csv、"
        ".html、.htm、.pdf"
    )


# --- the legacy formats and PDF ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xls", ".et", ".doc", ".wps"])
def test_legacy_office_file_that_is_no_office_file_is_refused(suffix: str) -> None:
    message = error_for(random.Random(3).randbytes(4096), f"计划{suffix}")

    assert message == f"文件不是有效的 {suffix}（可能已损坏或实为其他格式）"


def test_xls_over_its_own_size_limit_is_refused_unread() -> None:
    data = OLE_SIGNATURE + bytes(MAX_XLS_BYTES)

    message = error_for(data, "计划.xls")

    assert message == ".xls 文件过大（超过 5 MB）：请另存为 .xlsx 后再上传"


@pytest.mark.parametrize("data", [random.Random(4).randbytes(4096), b"%PDF-1.7\n" + bytes(64)])
def test_pdf_that_is_damaged_or_no_pdf_is_refused(data: bytes) -> None:
    message = error_for(data, "计划.pdf")

    assert message == "无法读取 .pdf 文件：文件已损坏，或不是 PDF 文件"


def test_pdf_without_text_is_named_a_scan() -> None:
    document = FPDF()
    document.add_page()

    message = error_for(bytes(document.output()), "计划.pdf")

    assert message == "PDF 文件中没有文字（可能是扫描件）：请上传计划的 Word、Excel 或文字版 PDF"


def test_pdf_over_the_page_limit_is_refused() -> None:
    document = FPDF()
    for _ in range(MAX_PDF_PAGES + 1):
        document.add_page()

    message = error_for(bytes(document.output()), "计划.pdf")

    assert (
        message
        == f".pdf 文件页数过多（{MAX_PDF_PAGES + 1} 页）：计划文件不应超过 {MAX_PDF_PAGES} 页"
    )


def test_pdf_with_an_open_password_says_so() -> None:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="plan")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(document.output()))))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)

    message = error_for(buffer.getvalue(), "计划.pdf")

    assert message == "PDF 文件设有打开密码：请取消密码后再上传"
