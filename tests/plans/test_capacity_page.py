"""The plan page's 检查力量测算 on the demo: the year's draws per department against its active
inspectors, the over-capacity ones named, and the tasks that crowd them flagged beside their row."""

import pytest
from django.urls import reverse

from shuangsuiji.core.draw import sample_sizes
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.directory.models import Inspector, TallyStamp
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import task_parameters
from shuangsuiji.plans.capacity import plan_capacity
from shuangsuiji.plans.models import Plan, PlanTask
from tests.assignments.conftest import client_for, demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def lucheng_plan() -> Plan:
    return Plan.objects.get(region__code="140406")


def test_a_department_is_asked_what_its_draws_select_with_a_team_when_alone(
    demo: DemoSummary,  # noqa: F811
) -> None:
    plan = lucheng_plan()
    tax = "国家税务总局长治市潞城区税务局"
    expected = 0
    for task in plan.tasks.select_related("lead_department").prefetch_related(
        "partner_departments"
    ):
        departments = {task.lead_department.name} | {d.name for d in task.partner_departments.all()}
        if tax not in departments:
            continue
        draw = Draw.objects.filter(task=task).order_by("-number").first()
        parameters = task_parameters(task)
        selected = sum(sample_sizes(parameters, draw.freeze["strata_sizes"]).values())
        expected += (
            selected * parameters.rounds * (task.team_size or 2 if departments == {tax} else 1)
        )

    loads = {load.department: load for load in plan_capacity(plan).loads}

    assert loads[tax].places == expected
    assert (
        loads[tax].inspectors
        == Inspector.objects.filter(department__name=tax, is_active=True).count()
    )


def test_the_plan_page_names_the_departments_over_capacity_and_flags_their_tasks(
    demo: DemoSummary,  # noqa: F811
    settings: object,
) -> None:
    # The test demo is small (600 entities a district): one visit a month per inspector
    # stands in for a county whose draws outgrow its people.
    settings.CAPACITY_VISITS_PER_INSPECTOR_MONTH = 1  # type: ignore[attr-defined]
    plan = lucheng_plan()
    capacity = plan_capacity(plan)
    over = capacity.over[0]

    page = client_for("lucheng-coordinator").get(reverse("plans:detail", args=[plan.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert "检查力量测算" in text
    assert f"{len(capacity.over)} 个部门的最忙月份超出可承担的检查人次" in text
    assert over.monthly_capacity == over.inspectors * 1 < over.busiest_places
    flagged = [row for row in page.context["rows"] if row.capacity_flags]
    assert {row.task_id for row in flagged} == set(capacity.flagged)
    assert any(
        f"按每人每月 1 次只能承担 {over.monthly_capacity} 人次" in f
        for row in flagged
        for f in row.capacity_flags
    )


def test_a_department_with_enough_inspectors_is_not_flagged(
    demo: DemoSummary,  # noqa: F811
    settings: object,
) -> None:
    settings.CAPACITY_VISITS_PER_INSPECTOR_MONTH = 100_000  # type: ignore[attr-defined]

    capacity = plan_capacity(lucheng_plan())

    assert capacity.over == []
    assert capacity.flagged == {}


def test_a_task_never_counted_is_left_out_and_linked_to_its_population_page(
    demo: DemoSummary,  # noqa: F811
) -> None:
    plan = lucheng_plan()
    first = plan.tasks.order_by("position").first()
    added = PlanTask.objects.create(
        plan=plan,
        position=999,
        seq=99,
        name="尚未设置名单的任务",
        ratio_min="0.05",
        lead_department=first.lead_department,
    )
    TallyStamp.objects.all().delete()  # the directory changed since it was last tallied

    page = client_for("lucheng-coordinator").get(reverse("plans:detail", args=[plan.pk]))

    assert added in page.context["capacity"].uncounted
    link = reverse("plans:task_population", args=[added.pk])
    assert f'href="{link}"' in page.content.decode()


def test_a_flagged_task_says_so_on_its_own_page(
    demo: DemoSummary,  # noqa: F811
    settings: object,
) -> None:
    settings.CAPACITY_VISITS_PER_INSPECTOR_MONTH = 1  # type: ignore[attr-defined]
    capacity = plan_capacity(lucheng_plan())
    flagged = next(iter(capacity.flagged))
    calm = lucheng_plan().tasks.exclude(pk__in=capacity.flagged).first()
    client = client_for("lucheng-coordinator")

    shown = client.get(reverse("plans:task", args=[flagged]))
    quiet = client.get(reverse("plans:task", args=[calm.pk]))

    department = capacity.flagged[flagged][0].department
    assert any(department in flag for flag in shown.context["capacity_flags"])
    assert "检查力量测算" in shown.content.decode()
    assert quiet.context["capacity_flags"] == []
