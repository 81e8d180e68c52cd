"""The public site (一公开) as a visitor uses it, in Chromium: find a result by its code,
download every open-data format, and read every public page with axe-core's accessibility
rules, on a phone's screen and with JavaScript switched off."""

import csv
import io
import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from shuangsuiji.demo.build import build_demo
from shuangsuiji.disclosure.services import PUBLIC_FIELDS
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection, InspectionState
from shuangsuiji.plans.models import Plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]

PHONE = {"width": 375, "height": 740}


def published() -> object:
    return Inspection.objects.filter(state=InspectionState.PUBLISHED)


def public_pages() -> dict[str, str]:
    draw = Draw.objects.filter(state=DrawState.DRAWN).first()
    one = published().select_related("visit__entity").first()
    return {
        "首页": reverse("disclosure:index"),
        "抽查事项清单": reverse("disclosure:items"),
        "抽查计划公告": reverse("disclosure:plan", args=[Plan.objects.first().pk]),
        "抽查任务公告": reverse("disclosure:draw", args=[draw.draw_id]),
        "抽查结果公告": reverse("disclosure:results"),
        "按代码查询": reverse("disclosure:results") + f"?q={one.visit.entity.uscc}",
    }


def test_a_visitor_finds_a_result_by_code_and_downloads_every_format(
    page: Page, live_server: object, tmp_path: Path
) -> None:
    build_demo(entities_per_district=300)
    one = published().select_related("visit__entity").first()
    code = one.visit.entity.uscc
    expected = published().filter(visit__entity=one.visit.entity).count()

    page.goto(f"{live_server}/public/")
    page.get_by_role("navigation", name="公示栏目").get_by_role("link", name="抽查结果公告").click()
    page.get_by_label("检查对象名称或统一社会信用代码").fill(code.lower())
    page.get_by_role("button", name="查询").click()

    table = page.get_by_role("table", name="抽查结果")
    expect(table.locator("tbody tr")).to_have_count(expected)
    expect(table).to_contain_text(one.visit.entity.name)
    files = {}
    for name in ("CSV", "Excel", "JSON"):
        with page.expect_download() as download:
            page.get_by_role("link", name=name, exact=True).first.click()
        files[name] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[name])
    as_csv = list(csv.DictReader(io.StringIO(files["CSV"].read_text(encoding="utf-8-sig"))))
    sheet = list(load_workbook(files["Excel"]).active.iter_rows(values_only=True))
    as_json = json.loads(files["JSON"].read_text(encoding="utf-8"))

    assert [r["uscc"] for r in as_csv] == [code] * expected
    assert sheet[0] == PUBLIC_FIELDS
    assert len(sheet) == expected + 2
    assert as_json["schema"] == "shuangsuiji-results/1"
    assert [r["uscc"] for r in as_json["results"]] == [code] * expected


def test_every_public_page_passes_axe_fits_a_phone_and_searches_without_javascript(
    browser: Browser, live_server: object
) -> None:
    build_demo(entities_per_district=300)
    pages = public_pages()
    axe = Axe()
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    no_script = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = phone.new_page()
        problems = {}
        for title, path in pages.items():
            page.goto(f"{live_server}{path}")
            violations = axe.run(page).response["violations"]
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if violations or overflow > 0:
                problems[title] = {
                    "axe": [(v["id"], v["impact"], len(v["nodes"])) for v in violations],
                    "wider than the phone by": overflow,
                }
        assert problems == {}

        plain = no_script.new_page()
        one = published().select_related("visit__entity").first()
        plain.goto(f"{live_server}{pages['抽查结果公告']}")
        plain.get_by_label("检查对象名称或统一社会信用代码").fill(one.visit.entity.uscc)
        plain.get_by_role("button", name="查询").click()
        expect(plain.get_by_role("table", name="抽查结果")).to_contain_text(one.visit.entity.name)
        plain.goto(f"{live_server}{pages['抽查任务公告']}")
        expect(plain.get_by_role("button", name="验证本次抽取")).to_be_hidden()  # needs JS
        expect(plain.get_by_role("link", name="验证程序 verify_draw.py")).to_be_visible()
    finally:
        phone.close()
        no_script.close()
