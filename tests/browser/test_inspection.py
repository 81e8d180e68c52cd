"""An inspector records a visit's results; the coordinator reviews them from the queue."""

import pytest
from playwright.sync_api import Page, expect

from shuangsuiji.assignments.models import Visit
from shuangsuiji.demo.build import build_demo
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.browser.test_assignment import sign_in
from tests.factories import demo_inspector_with_open_results

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]


def unrecorded_visit() -> Visit:
    """The demo, and a visit of the 城区 inspector with nothing recorded: the demo's own
    results are cleared there (none of them published, and a published one never changes)."""
    build_demo(entities_per_district=300)
    inspector = demo_inspector_with_open_results("chengqu-inspector").inspector
    visit = (
        Visit.objects.filter(members__inspector=inspector)
        .exclude(inspections__state=InspectionState.PUBLISHED)
        .order_by("code")
        .first()
    )
    assert visit is not None
    Inspection.objects.filter(visit=visit).delete()
    return visit


def test_an_inspector_records_results_and_the_coordinator_approves_them(
    page: Page, live_server: object
) -> None:
    visit = unrecorded_visit()
    sign_in(page, str(live_server), "chengqu-inspector")
    page.get_by_role("link", name="我的检查").click()
    page.get_by_role("link", name=visit.code).click()
    page.get_by_role("link", name="检查结果录入与审核").click()

    for task in visit.tasks.order_by("position"):
        form = page.get_by_role("form", name=f"录入结果 {task.name}")
        form.get_by_label("未发现问题").check()
        form.get_by_label("检查日期").fill(f"{visit.window_start}-10")
        form.get_by_role("button", name="保存并提交审核").click()
        expect(page.get_by_role("region", name=task.name).locator("[data-state]")).to_have_text(
            "待审核"
        )

    page.get_by_role("button", name="退出").click()
    sign_in(page, str(live_server), "chengqu-coordinator")
    page.get_by_role("link", name="结果审核").click()
    page.get_by_role("link", name=visit.entity.name).first.click()
    for task in visit.tasks.order_by("position"):
        page.get_by_role("form", name=f"审核 {task.name}").get_by_role(
            "button", name="审核通过"
        ).click()
        expect(page.get_by_role("region", name=task.name).locator("[data-state]")).to_have_text(
            "审核通过"
        )
    states = set(Inspection.objects.filter(visit=visit).values_list("state", flat=True))
    assert states == {"approved"}


def test_on_a_phone_the_result_form_fits_and_a_sub_result_is_named_with_its_parent(
    page: Page, live_server: object
) -> None:
    visit = unrecorded_visit()
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, str(live_server), "chengqu-inspector")
    page.goto(f"{live_server}/inspections/visit/{visit.pk}/")
    task = visit.tasks.order_by("position").first()
    form = page.get_by_role("form", name=f"录入结果 {task.name}")

    sub_result = form.get_by_label("发现问题待后续处理：未按规定公示应当公示的信息")
    sub_result.check()
    form.get_by_label("后续处置措施").fill("责令限期公示")
    form.get_by_label("检查日期").fill(f"{visit.window_start}-10")
    form.get_by_role("button", name="保存", exact=True).click()

    expect(page.get_by_role("region", name=task.name)).to_contain_text("未按规定公示应当公示的信息")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = form.get_by_label("后续处置措施").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 375
