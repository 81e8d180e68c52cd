"""A coordinator imports the 潞城区 plan in the browser, correcting task 22's missing name."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import shuangsuiji.demo
from shuangsuiji.plans.models import Plan
from tests.browser.test_sign_in import sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(shuangsuiji.demo.__file__).parent / "seeds" / "lucheng-2023-plan.txt"


def test_coordinator_uploads_corrects_and_confirms_a_plan(
    page: Page, live_server: object, world: World
) -> None:
    sign_in(page, str(live_server), "wangmin")
    page.get_by_role("link", name="抽查计划").click()
    page.get_by_role("link", name="导入年度计划").click()

    page.get_by_label("计划文件").set_input_files(str(SEED))
    page.get_by_role("button", name="解析预览").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "核对：潞城区2023年度部门联合双随机抽查工作计划"
    )
    expect(page.locator("td.finding-error")).to_have_count(2)
    page.locator('textarea[name="cell-22-name"]').fill("物流寄递企业运输烟草制品情况抽查")
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "潞城区2023年度部门联合双随机抽查工作计划"
    )
    expect(page.locator("td.finding-error")).to_have_count(1)
    assert Plan.objects.get().tasks.get(seq=22).name == "物流寄递企业运输烟草制品情况抽查"


def plan_of(tasks: int, path: Path) -> Path:
    """The 潞城区 plan's table with its tasks repeated to `tasks` rows, numbered 1…n, as CSV."""
    from dataclasses import replace

    from shuangsuiji.core.plans.parse import parse_plan
    from shuangsuiji.core.plans.render import render_csv

    seed = parse_plan(SEED.read_bytes(), SEED.name)
    rows = [
        replace(seed.tasks[i % len(seed.tasks)], seq=i + 1, name=f"第{i + 1}项抽查")
        for i in range(tasks)
    ]
    path.write_text(render_csv(replace(seed, tasks=tuple(rows))), encoding="utf-8-sig")
    return path


def test_a_plan_of_a_thousand_tasks_is_confirmed_with_one_correction(
    page: Page, live_server: object, world: World, tmp_path: Path
) -> None:
    big = plan_of(1000, tmp_path / "潞城区2023年度部门联合双随机抽查工作计划.csv")
    sign_in(page, str(live_server), "wangmin")
    page.goto(f"{live_server}/plans/import/")
    page.get_by_label("计划文件").set_input_files(str(big))
    page.get_by_role("button", name="解析预览").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("核对")

    cell = page.locator('textarea[name="cell-999-name"]')
    cell.locator("xpath=ancestor::details").locator("summary").click()  # 修改原文
    cell.fill("改正后的第999项")
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "潞城区2023年度部门联合双随机抽查工作计划"
    )
    plan = Plan.objects.get()
    assert plan.tasks.count() == 1000
    assert plan.tasks.get(position=999).name == "改正后的第999项"
