"""The import page's paste box, the preview's wrong-district warning and 重新预览: a table
pasted as text is stored and parsed like an uploaded file; a plan that looks like another
district's says so without being refused; cells corrected in the preview can be previewed
again, and every correction so far is imported."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

import shuangsuiji.demo
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.core.plans.readers import read_grid
from shuangsuiji.plans.forms import MAX_PASTE_CHARS
from shuangsuiji.plans.models import Plan
from shuangsuiji.plans.views import DistrictWarning
from tests.conftest import World
from tests.factories import DepartmentFactory, other_district_coordinator

pytestmark = pytest.mark.django_db

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"
LUCHENG = SEEDS / "lucheng-2023-plan.txt"
CHENGQU = SEEDS / "jincheng-chengqu-2024-plan.txt"


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def as_copied_from_a_web_page(seed: Path) -> str:
    """The seed's table as a browser puts a copied table on the clipboard: the title, then
    one line per row with its cells between tabs; CRLF, as a form's textarea sends it."""
    grid = read_grid(seed.read_bytes(), seed.name)
    rows = ["\t".join(" ".join(cell.split("\n")) for cell in row) for row in grid.rows]
    return "\r\n".join([grid.texts[0], *rows])


def fields_of(plan: Any) -> list[tuple[Any, ...]]:
    return [
        (t.seq, t.name, t.items, t.scope, t.ratio_min, t.lead_department, t.partner_departments)
        for t in plan.tasks
    ]


def stored_uploads() -> list[str]:
    """The files kept for previews (each in a directory of its own)."""
    if not default_storage.exists("plan-uploads"):
        return []
    folders = default_storage.listdir("plan-uploads")[0]
    return [name for f in folders for name in default_storage.listdir(f"plan-uploads/{f}")[1]]


def preview_of(client: Client, seed: Path) -> HttpResponse:
    upload = SimpleUploadedFile(seed.name, seed.read_bytes(), content_type="text/plain")
    return client.post(reverse("plans:upload"), {"file": upload})


def message_texts(response: HttpResponse) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_pasted_table_previews_the_same_tasks_as_the_file_and_names_its_source(
    world: World,
) -> None:
    chengqu = other_district_coordinator()
    text = as_copied_from_a_web_page(CHENGQU)

    response = logged_in(chengqu).post(reverse("plans:upload"), {"text": text})

    parsed = response.context["parsed"]
    assert response.status_code == 200
    assert response.context["source"] == "粘贴的表格"
    assert (parsed.title, len(parsed.tasks)) == (
        "晋城市城区市场监管领域2024年度部门联合双随机抽查工作计划（调整版）",
        27,
    )
    assert fields_of(parsed) == fields_of(parse_plan(CHENGQU.read_bytes(), CHENGQU.name))
    assert response.context["district"] is None
    assert "粘贴的表格 · 识别到 27 项任务" in response.content.decode()


def test_a_pasted_table_is_confirmed_from_the_bytes_stored_at_preview(world: World) -> None:
    chengqu = other_district_coordinator()
    client = logged_in(chengqu)
    preview = client.post(reverse("plans:upload"), {"text": as_copied_from_a_web_page(CHENGQU)})

    response = client.post(
        reverse("plans:confirm"), {"token": preview.context["token"], "region": "140502"}
    )

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert (plan.tasks.count(), plan.source_filename, plan.region.code) == (
        27,
        "粘贴的表格.txt",
        "140502",
    )
    assert stored_uploads() == []


def test_a_file_and_a_paste_together_are_refused_and_nothing_is_stored(world: World) -> None:
    upload = SimpleUploadedFile(LUCHENG.name, LUCHENG.read_bytes(), content_type="text/plain")

    response = logged_in(world.coordinator).post(
        reverse("plans:upload"), {"file": upload, "text": as_copied_from_a_web_page(LUCHENG)}
    )

    assert response.context["form"].non_field_errors() == ["请上传文件或粘贴表格，二者只选一种"]
    assert stored_uploads() == []


def test_neither_a_file_nor_a_paste_asks_for_one(world: World) -> None:
    response = logged_in(world.coordinator).post(reverse("plans:upload"), {"text": " \r\n\t"})

    assert response.context["form"].non_field_errors() == [
        "请选择计划文件，或把计划表格粘贴到文本框中"
    ]


def test_a_paste_over_the_limit_is_refused_with_its_length_before_it_is_parsed(
    world: World,
) -> None:
    text = as_copied_from_a_web_page(LUCHENG)
    text += "\n" + "甲" * (MAX_PASTE_CHARS + 1 - len(text) - 1)

    response = logged_in(world.coordinator).post(reverse("plans:upload"), {"text": text})

    form = response.context["form"]
    assert form.errors == {
        "text": [
            f"粘贴的内容过长（{MAX_PASTE_CHARS + 1} 字）：不能超过 {MAX_PASTE_CHARS} 字，"
            "请把计划保存为文件后上传"
        ]
    }
    assert stored_uploads() == []


def test_the_paste_box_does_not_cut_a_long_paste_in_the_browser(world: World) -> None:
    response = logged_in(world.coordinator).get(reverse("plans:upload"))

    box = response.context["form"]["text"]
    assert "maxlength" not in box.field.widget.attrs
    assert 'name="text"' in str(box)


def test_a_paste_that_is_no_plan_says_why_on_the_paste_box(world: World) -> None:
    response = logged_in(world.coordinator).post(
        reverse("plans:upload"), {"text": "会议纪要\n今天天气很好。\n"}
    )

    assert response.context["form"].errors == {
        "text": ["未找到计划表格的表头：应有“序号”“抽查任务名称”“抽查事项”“抽查对象范围”等列名"]
    }
    assert stored_uploads() == []


def test_another_districts_plan_is_named_in_a_warning_with_the_users_district(
    world: World,
) -> None:
    other_district_coordinator()  # 晋城市城区 and its 城区市场监管局 are on record

    response = preview_of(logged_in(world.coordinator), CHENGQU)

    assert response.context["district"] == DistrictWarning(
        seems="晋城市城区",
        home="长治市潞城区",
        reasons=[
            "计划标题中的地区是晋城市城区，不在您的辖区内。",
            "计划中的城区市场监管局是晋城市城区的部门。",
            "计划中的 18 个部门有 18 个在您的辖区找不到，导入后将标为“未知的部门”。",
        ],
    )
    html = response.content.decode()
    assert "这份计划似乎是晋城市城区的，而您的辖区是长治市潞城区" in html


def test_a_locality_not_on_record_is_quoted_in_the_warning(world: World) -> None:
    text = as_copied_from_a_web_page(CHENGQU).replace("晋城市城区", "阳泉市郊区", 1)

    response = logged_in(world.coordinator).post(reverse("plans:upload"), {"text": text})

    assert response.context["parsed"].locality == "阳泉市郊区"
    assert response.context["district"] == DistrictWarning(
        seems="阳泉市郊区",
        home="长治市潞城区",
        reasons=[
            "计划标题中的地区“阳泉市郊区”与您辖区内的行政区划都对不上。",
            "计划中的 18 个部门有 18 个在您的辖区找不到，导入后将标为“未知的部门”。",
        ],
    )


def test_departments_of_another_district_are_warned_of_without_a_locality(
    world: World,
) -> None:
    chengqu = other_district_coordinator().department.region
    DepartmentFactory(name="晋城市城区教育科技局", short_name="城区教科局", region=chengqu)
    text = as_copied_from_a_web_page(CHENGQU).replace("晋城市城区市场监管领域", "", 1)

    response = logged_in(world.coordinator).post(reverse("plans:upload"), {"text": text})

    assert response.context["parsed"].locality == ""
    assert response.context["district"] == DistrictWarning(
        seems="晋城市城区",
        home="长治市潞城区",
        reasons=[
            "计划中的城区教科局、城区市场监管局是晋城市城区的部门。",
            "计划中的 18 个部门有 18 个在您的辖区找不到，导入后将标为“未知的部门”。",
        ],
    )


def test_the_users_own_plan_has_no_district_warning(world: World) -> None:
    response = preview_of(logged_in(world.coordinator), LUCHENG)

    assert response.context["district"] is None
    assert "您的辖区是" not in response.content.decode()


def test_the_warning_does_not_block_a_deliberate_import(world: World) -> None:
    other_district_coordinator()
    client = logged_in(world.coordinator)
    preview = preview_of(client, CHENGQU)

    client.post(reverse("plans:confirm"), {"token": preview.context["token"], "region": "140406"})

    plan = Plan.objects.get()
    assert (plan.region.code, plan.tasks.count()) == ("140406", 27)


def test_re_preview_parses_the_stored_upload_again_with_the_corrections(world: World) -> None:
    client = logged_in(world.coordinator)
    preview = preview_of(client, LUCHENG)
    token = preview.context["token"]

    again = client.post(
        reverse("plans:upload"),
        {"token": token, "region": "140406", "cell-22-name": "物流寄递企业运输烟草制品情况抽查"},
    )

    row22 = again.context["rows"][21]
    assert again.status_code == 200
    assert again.context["token"] == token
    assert [cell.severity for cell in preview.context["rows"][21].cells][:2] == ["", "error"]
    assert [cell.severity for cell in row22.cells][:2] == ["", ""]
    assert row22.cells[1].lines == ["物流寄递企业运输烟草制品情况抽查"]
    assert again.context["corrected"] == '[[22, "name", "物流寄递企业运输烟草制品情况抽查"]]'
    assert Plan.objects.count() == 0


def test_corrections_from_every_re_preview_are_imported_though_only_new_ones_are_posted(
    world: World,
) -> None:
    client = logged_in(world.coordinator)
    token = preview_of(client, LUCHENG).context["token"]
    first = client.post(
        reverse("plans:upload"),
        {"token": token, "cell-22-name": "物流寄递企业运输烟草制品情况抽查"},
    )
    second = client.post(
        reverse("plans:upload"),
        {"token": token, "corrected": first.context["corrected"], "cell-3-scope": "全区加油站"},
    )

    client.post(
        reverse("plans:confirm"),
        {"token": token, "region": "140406", "corrected": second.context["corrected"]},
    )

    plan = Plan.objects.get()
    assert plan.tasks.get(position=22).name == "物流寄递企业运输烟草制品情况抽查"
    assert plan.tasks.get(position=3).scope == "全区加油站"


def test_a_cell_typed_again_overrides_its_earlier_correction(world: World) -> None:
    client = logged_in(world.coordinator)
    token = preview_of(client, LUCHENG).context["token"]
    first = client.post(reverse("plans:upload"), {"token": token, "cell-22-name": "初稿"})

    client.post(
        reverse("plans:confirm"),
        {
            "token": token,
            "region": "140406",
            "corrected": first.context["corrected"],
            "cell-22-name": "定稿",
        },
    )

    assert Plan.objects.get().tasks.get(position=22).name == "定稿"


def test_re_preview_keeps_the_chosen_region_and_replace(world: World) -> None:
    client = logged_in(world.coordinator)
    token = preview_of(client, LUCHENG).context["token"]

    again = client.post(
        reverse("plans:upload"), {"token": token, "region": "140406", "replace": "on"}
    )

    html = again.content.decode()
    assert (again.context["region"].code, again.context["replace"]) == ("140406", True)
    assert 'name="replace" checked' in html


def test_re_preview_of_a_pasted_table_still_names_the_paste(world: World) -> None:
    client = logged_in(world.coordinator)
    token = client.post(
        reverse("plans:upload"), {"text": as_copied_from_a_web_page(LUCHENG)}
    ).context["token"]

    again = client.post(reverse("plans:upload"), {"token": token})

    assert again.context["source"] == "粘贴的表格"


def test_re_preview_with_a_forged_token_goes_back_to_the_upload(world: World) -> None:
    response = logged_in(world.coordinator).post(
        reverse("plans:upload"), {"token": "plan-uploads/x/evil.txt"}
    )

    assert (response.status_code, response["Location"]) == (302, reverse("plans:upload"))
    assert message_texts(response) == ["上传已过期或无效，请重新上传计划文件。"]


def test_re_preview_after_the_import_says_the_upload_is_gone(world: World) -> None:
    client = logged_in(world.coordinator)
    token = preview_of(client, LUCHENG).context["token"]
    client.post(reverse("plans:confirm"), {"token": token, "region": "140406"})

    response = client.post(reverse("plans:upload"), {"token": token})

    assert (response.status_code, response["Location"]) == (302, reverse("plans:upload"))
    assert message_texts(response)[-1] == "上传已过期或无效，请重新上传计划文件。"


def test_a_malformed_carried_correction_is_ignored(world: World) -> None:
    client = logged_in(world.coordinator)
    token = preview_of(client, LUCHENG).context["token"]

    again = client.post(
        reverse("plans:upload"),
        {"token": token, "corrected": '[[22, "name"], {"a": 1}, [1, "DROP", "x"], "nope'},
    )

    assert again.status_code == 200
    assert again.context["corrected"] == "[]"
