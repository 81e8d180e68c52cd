"""Task pages: the coordinator and the lead department edit, everyone else reads; every change
is on the audit chain; what a draw was frozen from stays as it was."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.directory import tally
from shuangsuiji.directory.models import ScopeCategory
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import freeze_draw
from shuangsuiji.plans.models import PlanTask
from shuangsuiji.plans.services import POPULATION_FIELDS, TaskLockedError, update_task
from tests.conftest import World
from tests.plans.test_population_filter import hotel_task, hotels
from tests.plans.test_views import logged_in

pytestmark = pytest.mark.django_db


def edit_data(task: PlanTask, **changes: object) -> dict[str, object]:
    """The edit form as the page fills it, with `changes` typed over it."""
    data = {
        "seq": task.seq,
        "name": task.name,
        "items": "\n".join(task.items),
        "scope": task.scope,
        "ratio_percent": "30",
        "frequency_per_year": task.frequency_per_year,
        "risk_kind": task.risk_kind,
        "risk_class": "",
        "window_start": task.window_start,
        "window_end": task.window_end,
        "lead_department": task.lead_department_id,
        "joint_inspection": "on",
        **changes,
    }
    return {key: value for key, value in data.items() if value is not None}


def population_data(*categories: ScopeCategory, **changes: object) -> dict[str, object]:
    return {
        "scope_categories": [c.pk for c in categories],
        "scope_industry_codes": "",
        "scope_statuses": ["存续", "在业"],
        "scope_min_capital": "",
        **changes,
    }


def test_the_coordinator_edits_a_task(world: World) -> None:
    task = hotel_task(world)

    response = logged_in(world.coordinator).post(
        reverse("plans:task_edit", args=[task.pk]),
        edit_data(task, name="旅馆业治安管理检查", ratio_percent="50", items="登记制度\n巡查"),
    )

    task.refresh_from_db()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("plans:task", args=[task.pk]),
    )
    assert (task.name, task.ratio_min, task.items) == (
        "旅馆业治安管理检查",
        Decimal("0.5"),
        ["登记制度", "巡查"],
    )


def test_the_edit_form_shows_the_ratio_as_a_plain_percentage(world: World) -> None:
    task = hotel_task(world)

    response = logged_in(world.coordinator).get(reverse("plans:task_edit", args=[task.pk]))

    assert 'name="ratio_percent" value="30"' in response.content.decode()


def test_the_lead_departments_admin_edits_but_cannot_hand_the_task_on(world: World) -> None:
    task = hotel_task(world)

    response = logged_in(world.police_admin).post(
        reverse("plans:task_edit", args=[task.pk]),
        edit_data(task, note="夜间检查", lead_department=world.education.pk),
    )

    task.refresh_from_db()
    assert response.status_code == 302
    assert (task.note, task.lead_department) == ("夜间检查", world.police)


def test_a_new_lead_or_partner_set_becomes_the_plans_text_for_it(world: World) -> None:
    task = hotel_task(world, lead_department_text="区公安分局")
    client = logged_in(world.coordinator)

    client.post(
        reverse("plans:task_edit", args=[task.pk]),
        edit_data(
            task,
            lead_department=world.education.pk,
            partner_departments=[world.market.pk, world.police.pk],
        ),
    )

    task.refresh_from_db()
    history = client.get(reverse("plans:task_history", args=[task.pk])).context["rows"]
    assert (task.lead_department_text, task.partner_texts) == (
        "区教育局",
        ["区市场监管局", "区公安分局"],
    )
    assert [(c.label, c.before, c.after) for row in history for c in row.changes] == [
        ("发起部门", "区公安分局", "区教育局"),
        ("发起部门（原文）", "区公安分局", "区教育局"),
        ("配合部门（原文）", "—", "区市场监管局、区公安分局"),
        ("配合部门", "—", "区市场监管局、区公安分局"),
    ]


@pytest.mark.parametrize("who", ["education_admin", "auditor"])
def test_others_who_see_the_task_may_not_edit_it(world: World, who: str) -> None:
    task = hotel_task(world)
    client = logged_in(getattr(world, who))
    pages = ["plans:task_edit", "plans:task_population"]

    statuses = [client.get(reverse(page, args=[task.pk])).status_code for page in pages]
    posted = client.post(reverse("plans:task_edit", args=[task.pk]), edit_data(task, name="改"))

    task.refresh_from_db()
    assert (statuses, posted.status_code, task.name) == (
        [403, 403],
        403,
        "对旅馆业特种行业的双随机抽查",
    )


def test_an_inspector_does_not_see_task_pages(world: World) -> None:
    task = hotel_task(world)
    client = logged_in(world.inspector_user)
    pages = ["plans:task", "plans:task_edit", "plans:task_history"]

    assert [client.get(reverse(p, args=[task.pk])).status_code for p in pages] == [404] * 3


def test_the_task_page_shows_every_field_and_the_live_counts(world: World) -> None:
    task = hotel_task(world)
    hotels(*"ABBCD" * 2, "")

    response = logged_in(world.education_admin).get(reverse("plans:task", args=[task.pk]))

    fields = {label: cell.lines for label, cell in response.context["fields"]}
    assert fields["抽查对象范围"] == ["本辖区内的旅馆业"]
    assert fields["抽查比例及频次"] == ["不低于 30%", "每年 1 次"]
    assert response.context["strata"] == [
        ("A 低风险", 2),
        ("B 一般风险", 4),
        ("C 较高风险", 2),
        ("D 高风险", 2),
        ("未分类", 1),
    ]
    assert response.context["may_edit"] is False


def test_the_history_shows_who_changed_what_from_what_to_what(world: World) -> None:
    task = hotel_task(world)
    client = logged_in(world.coordinator)
    client.post(reverse("plans:task_edit", args=[task.pk]), edit_data(task, name="旅馆业检查"))
    ktv = ScopeCategory.objects.create(name="KTV")
    client.post(
        reverse("plans:task_population", args=[task.pk]),
        population_data(ScopeCategory.objects.get(name="旅馆"), ktv),
    )

    response = client.get(reverse("plans:task_history", args=[task.pk]))

    rows = response.context["rows"]
    changes = [[(c.label, c.before, c.after) for c in row.changes] for row in rows]
    assert [(row.username, row.action) for row in rows] == [
        ("wangmin", "修改"),
        ("wangmin", "修改"),
        ("wangmin", "修改"),
        ("系统", "新增"),
    ]
    assert changes[1] == [("检查对象类别", "旅馆", "旅馆、KTV")]
    assert changes[2] == [("抽查任务名称", "对旅馆业特种行业的双随机抽查", "旅馆业检查")]
    assert [label for label, _, _ in changes[0]] == ["名单户数（按信用风险分类）"]


def test_saving_the_population_keeps_the_counts_for_the_plan_page(world: World) -> None:
    task = hotel_task(world)
    hotels("A", "B", "")

    logged_in(world.coordinator).post(
        reverse("plans:task_population", args=[task.pk]),
        population_data(ScopeCategory.objects.get(name="旅馆"), scope_min_capital=""),
    )

    task.refresh_from_db()
    assert task.population_counts == {"A": 1, "B": 1, "C": 0, "D": 0, "U": 1}


def test_the_count_follows_the_filter_in_the_query_string(world: World) -> None:
    task = hotel_task(world)
    hotels("A", "B")
    ktv = ScopeCategory.objects.create(name="KTV")
    hotels("C")
    client = logged_in(world.coordinator)
    url = reverse("plans:population_count", args=[task.pk])

    narrowed = client.get(url, population_data(ktv))
    everything = client.get(url, population_data(ScopeCategory.objects.get(name="旅馆")))
    invalid = client.get(url, population_data(scope_industry_codes="旅馆"))

    assert (narrowed.context["total"], everything.context["total"]) == (0, 3)
    assert invalid.context["strata"] is None
    assert everything.content.decode().lstrip().startswith('<div id="population-counts"')


def test_the_scope_is_locked_once_the_draw_is_frozen(world: World) -> None:
    task = hotel_task(world)
    hotels("A", "B")
    freeze_draw(task, actor=SYSTEM)
    ktv = ScopeCategory.objects.create(name="KTV")

    response = logged_in(world.police_admin).post(
        reverse("plans:task_population", args=[task.pk]), population_data(ktv), follow=True
    )

    messages = [str(m) for m in response.context["messages"]]
    assert [c.name for c in task.scope_categories.all()] == ["旅馆"]
    assert len(messages) == 1
    assert messages[0].startswith("本任务已于")
    assert "（140406-2023-T09-1），检查对象类别不能再修改" in messages[0]


def test_the_draws_parameters_are_locked_once_the_draw_is_frozen(world: World) -> None:
    task = hotel_task(world)
    hotels("A")
    freeze_draw(task, actor=SYSTEM)

    posted = logged_in(world.coordinator).post(
        reverse("plans:task_edit", args=[task.pk]),
        edit_data(task, ratio_percent="100", scope="全区旅馆", note="已核对"),
    )

    task.refresh_from_db()
    assert posted.status_code == 302
    assert (task.ratio_min, task.scope, task.note) == (Decimal("0.3"), "本辖区内的旅馆业", "已核对")
    with pytest.raises(TaskLockedError, match="最低抽查比例不能再修改"):
        update_task(task, actor=SYSTEM, changes={"ratio_min": Decimal("1")})


def test_the_coordinator_corrects_a_drawn_scope_only_through_a_redraw(world: World) -> None:
    task = hotel_task(world)
    hotels("A", "B")
    first = freeze_draw(task, actor=SYSTEM)
    ktv = ScopeCategory.objects.create(name="KTV")
    hotels("C")
    ktv_entity = ScopeCategory.objects.get(name="旅馆").entities.get(risk_class="C")
    ktv_entity.categories.set([ktv])

    response = logged_in(world.coordinator).post(
        reverse("plans:task_population", args=[task.pk]),
        population_data(ScopeCategory.objects.get(name="旅馆"), ktv, reason="冻结时漏选了KTV类别"),
    )

    second = Draw.objects.get(supersedes=first)
    assert response["Location"] == reverse("draws:detail", args=[second.pk])
    assert (second.reason, second.freeze["population_size"]) == ("冻结时漏选了KTV类别", 3)


def test_the_plan_page_flags_tasks_whose_population_is_empty_or_small(world: World) -> None:
    task = hotel_task(world)
    nothing = PlanTask.objects.create(plan=task.plan, position=10, seq=10, scope="本辖区网吧")
    hotels("A", "B")
    logged_in(world.coordinator).post(
        reverse("plans:task_population", args=[task.pk]),
        population_data(ScopeCategory.objects.get(name="旅馆")),
    )

    response = logged_in(world.auditor).get(reverse("plans:detail", args=[task.plan_id]))

    assert [(row.task_id, row.population_flags) for row in response.context["rows"]] == [
        (task.pk, ["名单仅 2 户，按抽查比例应抽 2 户，即全部抽中"]),
        (nothing.pk, ["未设置检查对象类别或行业代码：抽取名单为空"]),
    ]


def test_the_plan_page_recounts_from_the_directory_tally_when_it_is_current(
    world: World,
) -> None:
    task = hotel_task(world)
    hotels("A", "B")
    logged_in(world.coordinator).post(
        reverse("plans:task_population", args=[task.pk]),
        population_data(ScopeCategory.objects.get(name="旅馆")),
    )
    hotels(*"ABCDABCDAB")  # ten more since the counts were saved with the filter
    page = reverse("plans:detail", args=[task.plan_id])

    def flags() -> list[str]:
        response = logged_in(world.auditor).get(page)
        return next(r.population_flags for r in response.context["rows"] if r.task_id == task.pk)

    stale = flags()
    tally.rebuild()

    assert (stale, flags()) == (["名单仅 2 户，按抽查比例应抽 2 户，即全部抽中"], [])


def test_suggestions_are_offered_as_labels_of_their_checkboxes(world: World) -> None:
    task = hotel_task(world)
    task.scope_categories.clear()

    response = logged_in(world.coordinator).get(reverse("plans:task_population", args=[task.pk]))

    (category, reason, checkbox), *_ = response.context["suggested"]
    assert (category.name, reason) == ("旅馆", "类别名称与范围文字相符")
    assert f'<label for="{checkbox}" class="suggestion">旅馆（H6110）</label>' in (
        response.content.decode()
    )


def test_applying_the_suggestions_fills_the_form_without_saving(world: World) -> None:
    task = hotel_task(world)
    task.scope_categories.clear()
    hotels("A")

    response = logged_in(world.coordinator).get(
        reverse("plans:task_population", args=[task.pk]), {"apply": "suggestions"}
    )

    form = response.context["form"]
    assert [c.name for c in form.cleaned_data["scope_categories"]] == ["旅馆"]
    assert (form.cleaned_data["scope_industry_codes"], response.context["total"]) == (["H6110"], 1)
    assert list(task.scope_categories.all()) == []


def test_the_plan_page_takes_as_many_queries_for_three_tasks_as_for_one(world: World) -> None:
    task = hotel_task(world)
    client = logged_in(world.coordinator)
    url = reverse("plans:detail", args=[task.plan_id])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for position in (10, 11):
        PlanTask.objects.create(plan=task.plan, position=position, scope_industry_codes=["H61"])

    with CaptureQueriesContext(connection) as three:
        client.get(url)

    assert len(three) == len(one)


def test_the_admin_does_not_open_a_way_around_the_lock(world: World) -> None:
    task = hotel_task(world)
    hotels("A")
    client = logged_in(world.coordinator)
    url = reverse("admin:plans_plantask_change", args=[task.pk])
    before = set(client.get(url).context["adminform"].form.fields)
    freeze_draw(task, actor=SYSTEM)

    after = set(client.get(url).context["adminform"].form.fields)

    assert sorted(before - after) == [
        "frequency_per_year",
        "ratio_min",
        "risk_kind",
        "sample_count",
        "scope",
    ]
    assert not before & set(POPULATION_FIELDS)  # set on the task's population page only
