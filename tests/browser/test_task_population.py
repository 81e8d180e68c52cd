"""A coordinator narrows a task's population and sees the count follow the form (HTMX)."""

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.directory.models import ScopeCategory
from tests.browser.test_sign_in import sign_in
from tests.conftest import World
from tests.factories import EntityFactory
from tests.plans.test_population_filter import hotel_task, hotels

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_count_follows_the_filter_as_the_coordinator_changes_it(
    page: Page, live_server: object, world: World
) -> None:
    task = hotel_task(world)
    hotels("A", "B", "B", "")
    ktv = ScopeCategory.objects.create(name="KTV", industry_code="R9011")
    EntityFactory(risk_class="D").categories.add(ktv)
    EntityFactory(risk_class="C", industry_code="R9013")  # an untagged 网吧
    sign_in(page, str(live_server), "wangmin")
    page.goto(f"{live_server}/plans/tasks/{task.pk}/population/")
    total = page.locator("#population-total")
    expect(total).to_have_text("4")

    page.get_by_label("KTV", exact=True).check()
    expect(total).to_have_text("5")
    page.get_by_label("行业代码（前缀）").fill("R90")
    expect(total).to_have_text("6")
    page.get_by_label("在业", exact=True).uncheck()  # the factories' entities are 存续
    page.get_by_label("存续", exact=True).uncheck()

    expect(page.locator("#population-counts")).to_contain_text("请先改正表单中的错误")
    page.get_by_label("存续", exact=True).check()
    expect(total).to_have_text("6")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#population-total")).to_have_text("6")
    task.refresh_from_db()
    assert (task.scope_industry_codes, task.population_counts) == (
        ["R90"],
        {"A": 1, "B": 2, "C": 1, "D": 1, "U": 1},
    )
