"""Plan imports that used to end in a 500: replacing a plan that has draws, and a .docx with
an XML entity reference. Replayed as the coordinator, through the page and the command: a
Chinese message, and the plan and its draws as they were."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

import shuangsuiji.demo
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.core.plans.render import render_docx
from shuangsuiji.directory.models import ScopeCategory
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import freeze_draw
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.publication import publish_plan
from shuangsuiji.plans.services import import_plan
from tests.conftest import World

pytestmark = pytest.mark.django_db

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
LUCHENG = "lucheng-2023-plan.txt"
REFUSED_REPLACE = (
    "计划已有抽取记录，不能整体替换：第1项“对学校食堂食品安全情况的双随机抽查”已抽取，"
    "抽取记录须随任务留存。请在任务页面逐项修改，或以新的计划标题导入"
)
DOCTYPE = (
    ".docx 文件中的“word/document.xml”含有 XML 文档类型声明（DOCTYPE/实体），"
    "Office 软件不会写出这样的内容，已拒绝"
)


def drawn_plan(world: World) -> tuple[Plan, Draw]:
    plan = import_plan(
        parse_plan((SEEDS / LUCHENG).read_bytes(), LUCHENG),
        filename=LUCHENG,
        actor=world.coordinator,
    )
    canteens = ScopeCategory.objects.create(name="学校食堂")
    task = plan.tasks.get(position=1)
    task.scope_categories.set([canteens])
    world.company.categories.add(canteens)
    publish_plan(plan, actor=world.coordinator)
    return plan, freeze_draw(task, actor=world.coordinator)


def logged_in(world: World) -> Client:
    client = Client()
    client.force_login(world.coordinator)
    return client


def test_page_replacing_a_plan_with_draws_is_refused(world: World) -> None:
    plan, draw = drawn_plan(world)
    client = logged_in(world)
    upload = SimpleUploadedFile(LUCHENG, (SEEDS / LUCHENG).read_bytes())
    preview = client.post(reverse("plans:upload"), {"file": upload})

    response = client.post(
        reverse("plans:confirm"),
        {"token": preview.context["token"], "region": "140406", "replace": "on"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [REFUSED_REPLACE]
    assert list(Plan.objects.all()) == [plan]
    assert (PlanTask.objects.count(), list(Draw.objects.all())) == (38, [draw])


def test_command_replacing_a_plan_with_draws_is_refused(world: World) -> None:
    plan, draw = drawn_plan(world)

    with pytest.raises(CommandError) as raised:
        call_command(
            "plan",
            "import",
            str(SEEDS / LUCHENG),
            "--replace",
            "--user",
            world.coordinator.username,
            stdout=io.StringIO(),
        )

    assert str(raised.value) == REFUSED_REPLACE
    assert (list(Plan.objects.all()), list(Draw.objects.all())) == ([plan], [draw])


def docx_with_entity_reference() -> bytes:
    """The seed plan as Word writes it, then an internal entity declared and used in the
    title paragraph (the reader used to trip over the entity node: a 500)."""
    parsed = parse_plan((SEEDS / LUCHENG).read_bytes(), LUCHENG)
    with zipfile.ZipFile(io.BytesIO(render_docx(parsed))) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    document = members["word/document.xml"].decode()
    document = document.replace("?>", '?><!DOCTYPE w:document [<!ENTITY org "潞城区">]>', 1)
    members["word/document.xml"] = document.replace("潞城区", "&org;", 1).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def test_page_upload_of_a_docx_with_an_entity_reference_says_why(world: World) -> None:
    upload = SimpleUploadedFile("计划.docx", docx_with_entity_reference())

    response = logged_in(world).post(reverse("plans:upload"), {"file": upload})

    assert (response.status_code, response.context["form"].errors["file"]) == (200, [DOCTYPE])
    assert Plan.objects.count() == 0


def test_command_import_of_a_docx_with_an_entity_reference_says_why(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "计划.docx"
    path.write_bytes(docx_with_entity_reference())

    with pytest.raises(CommandError) as raised:
        call_command(
            "plan", "import", str(path), "--user", world.coordinator.username, stdout=io.StringIO()
        )

    assert str(raised.value) == DOCTYPE
    assert Plan.objects.count() == 0
