"""潞城区's coordinator copies 晋城市城区's plan from its web page with the real clipboard,
pastes it into the import page, is warned that the plan looks like another district's,
corrects a cell, previews again and imports it deliberately. Screenshots of each step go to
var/screenshots/plan-paste/."""

import html
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import shuangsuiji.demo
from shuangsuiji.core.plans.readers import read_grid
from shuangsuiji.plans.models import Plan
from tests.browser.test_sign_in import sign_in
from tests.conftest import World
from tests.factories import other_district_coordinator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(shuangsuiji.demo.__file__).parent / "seeds" / "jincheng-chengqu-2024-plan.txt"
SHOTS = Path("var/screenshots/plan-paste")
TITLE = "晋城市城区市场监管领域2024年度部门联合双随机抽查工作计划（调整版）"


def published_page(seed: Path) -> str:
    """The plan as a government site publishes it: the title, then the table, each cell one
    paragraph. (A cell broken with <br> is copied by Chromium as several lines, which the
    text reader does not yet join back into its row: 41 rows instead of 27.)"""
    grid = read_grid(seed.read_bytes(), seed.name)

    def cell(text: str) -> str:
        return html.escape(" ".join(text.split("\n")))

    rows = "".join(
        "<tr>" + "".join(f"<td>{cell(text)}</td>" for text in row) + "</tr>" for row in grid.rows
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(grid.texts[0])}</title></head><body>"
        f"<h2>{html.escape(grid.texts[0])}</h2>"
        f'<table border="1">{rows}</table></body></html>'
    )


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_a_table_copied_from_a_web_page_is_pasted_warned_of_corrected_and_imported(
    page: Page, live_server: object, world: World
) -> None:
    base = str(live_server)
    other_district_coordinator()  # 晋城市城区's 城区市场监管局 is on record
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.route(
        f"{base}/published/chengqu-plan.html",
        lambda route: route.fulfill(
            body=published_page(SEED), content_type="text/html; charset=utf-8"
        ),
    )
    sign_in(page, base, "wangmin")

    page.goto(f"{base}/published/chengqu-plan.html")
    page.locator("table").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+C")
    copied = page.evaluate("navigator.clipboard.readText()")
    page.goto(f"{base}/plans/import/")
    box = page.get_by_label("或粘贴表格")
    box.click()
    page.keyboard.press("Control+V")
    pasted = box.input_value()
    shot(page, "1-pasted")

    assert pasted.startswith(TITLE)
    assert pasted.rstrip() == copied.rstrip()
    assert "1\t对中小学学校办学情况双随机抽查\t" in pasted  # cells between tabs: a copied table

    page.get_by_role("button", name="解析预览").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"核对：{TITLE}")
    warning = page.locator("section.district-warning")
    expect(warning.get_by_role("heading")).to_have_text(
        "这份计划似乎是晋城市城区的，而您的辖区是长治市潞城区"
    )
    expect(warning.locator("p.finding")).to_have_text(
        [
            "注意计划标题中的地区是晋城市城区，不在您的辖区内。",
            "注意计划中的城区市场监管局是晋城市城区的部门。",
            "注意计划中的 18 个部门有 18 个在您的辖区找不到，导入后将标为“未知的部门”。",
        ]
    )
    expect(page.get_by_text("粘贴的表格 · 识别到 27 项任务")).to_be_visible()
    shot(page, "2-preview-warned")

    scope = page.locator('textarea[name="cell-1-scope"]')
    scope.locator("xpath=ancestor::details").locator("summary").click()  # 修改第 1 行原文
    scope.fill("全区中小学校")
    page.get_by_role("button", name="重新预览").click()

    first_row = page.locator("table.plan-table tbody tr").first
    expect(first_row.locator("td.col-scope")).to_have_text("全区中小学校")
    expect(first_row.locator("xpath=following-sibling::tr[2]")).to_contain_text(
        "导入时人工修改了“抽查对象范围”，原文为“全区中小学、普通初中”"
    )
    expect(page.locator('textarea[name="cell-1-scope"]')).to_have_value("全区中小学校")
    expect(warning).to_be_visible()
    shot(page, "3-previewed-again")

    page.locator("#region").select_option("140406")
    with page.expect_request(f"{base}/plans/import/confirm/") as confirm:
        page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    shot(page, "4-imported")
    posted = confirm.value.post_data or ""
    plan = Plan.objects.get()
    assert "cell-" not in posted  # the correction came from 重新预览, not from the cells
    assert (plan.region.code, plan.tasks.count()) == ("140406", 27)
    assert plan.tasks.get(position=1).scope == "全区中小学校"
