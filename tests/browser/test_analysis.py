"""The coordinator's analysis page draws its charts with the vendored ECharts, offline."""

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.demo.build import build_demo
from tests.browser.test_assignment import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]


def test_the_coordinator_sees_the_year_in_charts_and_downloads_the_report(
    page: Page, live_server: object
) -> None:
    build_demo(entities_per_district=300)
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(str(live_server)) else None,
    )
    sign_in(page, str(live_server), "lucheng-coordinator")
    page.get_by_role("link", name="统计分析与年度报告").click()

    for name in ("merging", "classes", "categories", "workload", "trend"):
        chart = page.locator(f'[data-chart="{name}"]')
        expect(chart).to_have_attribute("data-rendered", "true")
        expect(chart.locator("svg")).to_have_count(1)
    expect(page.get_by_role("table").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word（.docx）").click()

    assert download.value.suggested_filename == "2023-annual-report.docx"
    assert outside == []  # no CDN: everything came from the app
