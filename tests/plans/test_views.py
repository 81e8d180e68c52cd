"""The coordinator's import: upload, see findings on their cells, confirm; others may only read."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import shuangsuiji.demo
from shuangsuiji.plans.models import Plan
from tests.conftest import World

pytestmark = pytest.mark.django_db

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def seed_upload(name: str = "lucheng-2023-plan.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SEEDS / name).read_bytes(), content_type="text/plain")


def test_upload_shows_a_preview_with_findings_on_their_cells(world: World) -> None:
    response = logged_in(world.coordinator).post(reverse("plans:upload"), {"file": seed_upload()})

    rows = response.context["rows"]
    task8 = rows[7]
    ratio_cell = next(cell for cell in task8.cells if cell.key == "ratio")
    assert response.status_code == 200
    assert len(rows) == 38
    assert (ratio_cell.severity, [f["message"] for f in ratio_cell.findings]) == (
        "error",
        ["抽查频次写在了“智慧监管（信用风险分类）要求”列，已按频次识别", "未写明抽查比例"],
    )
    assert response.context["region"].code == "140406"
    assert Plan.objects.count() == 0


def test_confirm_imports_the_previewed_plan(world: World) -> None:
    client = logged_in(world.coordinator)
    preview = client.post(reverse("plans:upload"), {"file": seed_upload()})

    response = client.post(
        reverse("plans:confirm"), {"token": preview.context["token"], "region": "140406"}
    )

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert (plan.tasks.count(), plan.imported_by) == (38, world.coordinator)


def test_confirm_with_a_forged_token_imports_nothing(world: World) -> None:
    response = logged_in(world.coordinator).post(
        reverse("plans:confirm"), {"token": "plan-uploads/x/evil.txt", "region": "140406"}
    )

    assert (response.status_code, Plan.objects.count()) == (302, 0)


def test_upload_of_a_file_that_is_no_plan_says_why(world: World) -> None:
    bad = SimpleUploadedFile("notes.txt", "会议纪要\n今天天气很好。\n".encode())

    response = logged_in(world.coordinator).post(reverse("plans:upload"), {"file": bad})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "未找到计划表格的表头：应有“序号”“抽查任务名称”“抽查事项”“抽查对象范围”等列名"
    ]


def test_department_admin_reads_plans_but_cannot_import(world: World) -> None:
    client = logged_in(world.education_admin)
    client_coordinator = logged_in(world.coordinator)
    preview = client_coordinator.post(reverse("plans:upload"), {"file": seed_upload()})
    client_coordinator.post(
        reverse("plans:confirm"), {"token": preview.context["token"], "region": "140406"}
    )
    plan = Plan.objects.get()

    listing = client.get(reverse("plans:list"))
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    upload = client.post(reverse("plans:upload"), {"file": seed_upload()})

    assert list(listing.context["plans"]) == [plan]
    assert page.status_code == 200
    assert upload.status_code == 403


def test_plan_of_another_region_is_not_found(world: World) -> None:
    client = logged_in(world.coordinator)
    preview = client.post(
        reverse("plans:upload"), {"file": seed_upload("jincheng-chengqu-2024-plan.txt")}
    )

    forbidden_region = client.post(
        reverse("plans:confirm"), {"token": preview.context["token"], "region": "140502"}
    )

    assert forbidden_region.status_code == 302
    assert Plan.objects.count() == 0


def test_plan_page_lists_every_task(world: World) -> None:
    client = logged_in(world.coordinator)
    preview = client.post(reverse("plans:upload"), {"file": seed_upload()})
    client.post(reverse("plans:confirm"), {"token": preview.context["token"], "region": "140406"})

    page = client.get(reverse("plans:detail", args=[Plan.objects.get().pk]))

    html = page.content.decode()
    assert len(re.findall(r'<td class="col-seq', html)) == 38
    assert page.context["rows"][21].cells[1].severity == "error"


def test_a_cell_corrected_in_the_preview_is_imported_with_the_original_on_record(
    world: World,
) -> None:
    client = logged_in(world.coordinator)
    preview = client.post(reverse("plans:upload"), {"file": seed_upload()})
    row22 = preview.context["rows"][21]
    fields = {f"cell-22-{key}": text for key, _, text in row22.sources}
    fields["cell-22-name"] = "物流寄递企业运输烟草制品情况抽查"

    client.post(
        reverse("plans:confirm"), {"token": preview.context["token"], "region": "140406", **fields}
    )

    task = Plan.objects.get().tasks.get(seq=22)
    assert task.name == "物流寄递企业运输烟草制品情况抽查"
    assert [f["message"] for f in task.findings if f["field"] == "table"] == [
        "导入时人工修改了“抽查任务名称”，原文为“（空）”"
    ]
