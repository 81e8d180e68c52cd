"""The import page takes every format a locality publishes, and says what is missing."""

import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shuangsuiji.core.plans.convert import office_program
from shuangsuiji.plans.forms import PlanUploadForm
from tests.conftest import World
from tests.core.plans.test_layouts import reordered_xlsx

pytestmark = pytest.mark.django_db

FORMATS_SHOWN = (
    "支持 .txt、.docx、.doc、.wps、.xlsx、.xls、.et、.csv、.html、.htm、.pdf，不超过 20 MB"
)


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.skipif(
    office_program() is None,
    reason="LibreOffice (soffice) is not installed; `make browser` installs it",
)
def test_xls_saved_by_an_office_program_is_previewed_task_by_task(
    world: World, tmp_path: Path
) -> None:
    source = tmp_path / "plan.xlsx"
    source.write_bytes(reordered_xlsx())
    subprocess.run(
        [
            str(office_program()),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    upload = SimpleUploadedFile("计划.xls", (tmp_path / "plan.xls").read_bytes())

    response = logged_in(world.coordinator).post(reverse("plans:upload"), {"file": upload})

    assert response.status_code == 200
    assert [task.name for task in response.context["parsed"].tasks] == [
        "电梯维保单位检查",
        "加油站计量检查",
        "机动车排放检验机构检查",
    ]


def test_doc_upload_without_libreoffice_says_what_is_missing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOFFICE_PROGRAM", "no-such-office-program")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    upload = SimpleUploadedFile("计划.doc", ole)

    response = logged_in(world.coordinator).post(reverse("plans:upload"), {"file": upload})

    assert response.context["form"].errors["file"] == [
        "读取 .doc 文件需要服务器安装 LibreOffice（soffice），当前未安装："
        "请管理员安装 LibreOffice，或在 WPS/Office 中将文件另存为 .docx 后再上传"
    ]


def test_upload_form_names_every_format_and_the_missing_office_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOFFICE_PROGRAM", "no-such-office-program")

    form = PlanUploadForm()

    assert form.fields["file"].help_text == (
        f"{FORMATS_SHOWN}；本服务器未安装 LibreOffice，"
        "暂不能读取 .doc、.wps（可另存为 .docx 后上传）"
    )
    assert form.fields["file"].widget.attrs["accept"] == (
        ".txt,.docx,.doc,.wps,.xlsx,.xls,.et,.csv,.html,.htm,.pdf"
    )
