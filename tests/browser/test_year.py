"""The 潞城区 2023 year in the browser, as each role, from an empty plan list to a completed task.

The coordinator imports the seed plan and scopes three tasks (one narrowed to a handful of
entities by registered capital); the 区教育局 department admin commits and reveals its secret
for the task it leads; the coordinator draws all three, runs the second random; the inspectors
on the small task's visits record their results; the coordinator approves them and sees the
task 已完成 on the home page. Each step leaves a screenshot in var/screenshots/year/ (the README
shows some of them).
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import shuangsuiji.demo
from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import in_region_subtree
from shuangsuiji.assignments.models import Visit
from shuangsuiji.demo.build import build_demo
from shuangsuiji.demo.catalog import LUCHENG
from shuangsuiji.directory.models import Entity, Region
from shuangsuiji.draws.models import Draw
from shuangsuiji.plans.models import Plan, PlanTask
from tests.browser.test_assignment import sign_in
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]

SEED = Path(shuangsuiji.demo.__file__).parent / "seeds" / "lucheng-2023-plan.txt"
LED_BY_THE_DEPARTMENT_ADMIN = 30  # 全区中小学校, led by 区教育局 (lucheng-dept-admin's)
TEST_PASSWORD = "pw-for-tests-only"  # tests.factories.make_user's


class Screenshots:
    """Full-page screenshots of each step, kept as the run's artifacts."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.folder = Path("var/screenshots/year")
        self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        self.page.screenshot(path=self.folder / f"{name}.png", full_page=True)


def sign_in_as(page: Page, base: str, username: str, password: str | None = None) -> None:
    """Switch users by dropping the session cookie: clicking 退出 and then going to the login
    page at once can race, the late logout response clearing the new session's cookie."""
    page.context.clear_cookies()
    if password is None:
        sign_in(page, base, username)
        return
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def categories_of(seq: int) -> tuple[str, ...]:
    return next(t.categories for t in LUCHENG.tasks if t.number == seq)


def with_capital(seq: int) -> object:
    lucheng = Region.objects.get(code=LUCHENG.county[0])
    return (
        Entity.objects.filter(
            in_region_subtree("region", lucheng.pk), categories__name__in=categories_of(seq)
        )
        .active()
        .exclude(registered_capital=None)
        .distinct()
    )


def small_task_number() -> int:
    """The task whose categories hold the most entities with a registered capital, so that a
    capital floor can leave exactly three (the demo's directory is random but seeded)."""
    seqs = [t.number for t in LUCHENG.tasks if t.number != LED_BY_THE_DEPARTMENT_ADMIN]
    return max(seqs, key=lambda seq: with_capital(seq).count())


def scope(page: Page, base: str, task: PlanTask, small: bool) -> None:
    """Tick the task's categories; for the small task, a capital floor leaving three entities."""
    page.goto(f"{base}/plans/tasks/{task.pk}/population/")
    for name in categories_of(task.seq):
        page.get_by_label(name, exact=True).check()
    if small:
        capitals = (
            with_capital(task.seq)
            .order_by("-registered_capital")
            .values_list(  # type: ignore[attr-defined]
                "registered_capital", flat=True
            )
        )
        page.get_by_label("注册资本不低于（万元）").fill(str(capitals[2]))
        expect(page.locator("#population-total")).to_have_text("3")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#population-total")).not_to_have_text("0")


def freeze(page: Page, base: str, task: PlanTask) -> Draw:
    page.goto(f"{base}/draws/task/{task.pk}/")
    page.get_by_role("button", name="冻结名单，开始抽取").click()
    return Draw.objects.get(task=task)


def complete(page: Page, base: str, current: Draw, dice: str) -> None:
    page.goto(f"{base}/draws/{current.pk}/")
    page.get_by_label("公开随机值（揭示结束后当场产生，如掷骰20次）").fill(dice)
    page.get_by_label("来源与见证人").fill("联席会议现场掷骰，纪检组见证")
    page.get_by_role("button", name="生成种子并抽取").click()
    expect(page.locator("#draw-state")).to_have_text("已抽取（不可更改）")


def test_the_lucheng_year_as_each_role(page: Page, live_server: object) -> None:
    base = str(live_server)
    build_demo(entities_per_district=300, plans=False)
    shot = Screenshots(page)

    # 协调员: import the plan as published.
    sign_in_as(page, base, "lucheng-coordinator")
    page.get_by_role("link", name="抽查计划").click()
    page.get_by_role("link", name="导入年度计划").click()
    page.get_by_label("计划文件").set_input_files(str(SEED))
    page.get_by_role("button", name="解析预览").click()
    page.locator('textarea[name="cell-22-name"]').fill("物流寄递企业运输烟草制品情况抽查")
    shot("01-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("潞城区2023年度")
    shot("02-plan")
    page.get_by_role("button", name="发布计划").click()  # a draft's tasks are not drawn
    expect(page.locator("#publication h2")).to_have_text("计划状态：已发布")
    plan = Plan.objects.get(region__code="140406")
    small_seq = small_task_number()
    scoped = [LED_BY_THE_DEPARTMENT_ADMIN, LED_BY_THE_DEPARTMENT_ADMIN + 1, small_seq]
    tasks = {seq: plan.tasks.get(seq=seq) for seq in scoped}

    # 协调员: the population of three tasks.
    for seq in scoped:
        scope(page, base, tasks[seq], small=seq == small_seq)
    shot("03-population")

    # 协调员 freezes; the lead department of task 30 (区教育局) commits and reveals its own
    # secret in the browser; then the public dice.
    frozen = {seq: freeze(page, base, task) for seq, task in tasks.items()}
    sign_in_as(page, base, "lucheng-dept-admin")
    page.goto(f"{base}/draws/{frozen[LED_BY_THE_DEPARTMENT_ADMIN].pk}/")
    commit = page.get_by_role("form", name="登记承诺")
    secret = "区教育局2023年第30项任务的秘密"  # typed, so every run draws the same teams
    commit.locator("[data-secret]").fill(secret)
    commit.get_by_role("button", name="计算承诺").click()
    commit.get_by_role("button", name="登记承诺").click()
    page.get_by_role("form", name="揭示秘密").get_by_label("秘密").fill(secret)
    page.get_by_role("form", name="揭示秘密").get_by_role("button", name="揭示").click()
    shot("04-ceremony")
    sign_in_as(page, base, "lucheng-coordinator")
    for n, current in enumerate(frozen.values()):
        complete(page, base, current, f"{n + 1} 6 2 5 1 3 4 4 2 6 5 5 3 6 2 1 4 3 6 5")
    shot("05-draw")

    # 协调员: the second random (teams, merged visits).
    page.goto(f"{base}/plans/{plan.pk}/")
    page.get_by_role("link", name="第二次随机：联合检查与人员分派").click()
    page.get_by_role("button", name="冻结人员名单").click()
    page.get_by_label("公开随机值（冻结公布后当场产生，如掷骰20次）").fill("4 4 2 6 1 3")
    page.get_by_role("button", name="生成种子并分派").click()
    expect(page.locator("#assignment-state")).to_have_text("已分派（不可更改）")
    shot("06-assignment")

    # 执法人员: each team leader of the small task's visits records every task of the visit.
    small = tasks[small_seq]
    visits = list(Visit.objects.filter(tasks=small).order_by("code"))
    assert visits
    for visit in visits:
        leader = visit.members.order_by("slot").first().inspector
        user = User.objects.filter(inspector=leader).first() or make_user(
            f"inspector-{leader.pk}", "执法人员", leader.department, staff=False, inspector=leader
        )
        password = None if user.username.startswith("lucheng-") else TEST_PASSWORD
        sign_in_as(page, base, user.username, password)
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
    shot("07-results")

    # 协调员: review, then the home page shows the small task done.
    sign_in_as(page, base, "lucheng-coordinator")
    for visit in visits:
        page.goto(f"{base}/inspections/visit/{visit.pk}/")
        for task in visit.tasks.order_by("position"):
            page.get_by_role("form", name=f"审核 {task.name}").get_by_role(
                "button", name="审核通过"
            ).click()
            expect(page.get_by_role("region", name=task.name).locator("[data-state]")).to_have_text(
                "审核通过"
            )
    page.goto(f"{base}/")
    row = page.get_by_role("row").filter(has_text=f"{small.seq}. ")
    expect(row.first).to_contain_text("已完成")
    shot("08-complete")
