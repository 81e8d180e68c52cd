"""The coordinator makes the second random through the pages."""

import json

import pytest
from django.urls import reverse

from shuangsuiji.assignments.models import Assignment
from shuangsuiji.core import assign as rule
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.plans.capacity import plan_capacity
from shuangsuiji.plans.models import Plan
from tests.assignments.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_coordinator_previews_freezes_and_assigns_through_the_pages(
    drawn: DemoSummary,
) -> None:
    plan = Plan.objects.get(region__code="140406")
    client = client_for("lucheng-coordinator")

    page = client.get(reverse("assignments:plan", args=[plan.pk]))
    assert page.status_code == 200
    before = page.context["preview"]["report"]["visits_before"]
    frozen = client.post(reverse("assignments:plan", args=[plan.pk]))
    assignment = Assignment.objects.get(plan=plan)
    assert frozen.url == reverse("assignments:detail", args=[assignment.pk])
    client.post(
        reverse("assignments:step", args=[assignment.pk]),
        {"step": "complete", "public_value": "3 1 4 1 5 9 2 6", "public_source": "联席会议"},
    )

    assignment.refresh_from_db()
    assert assignment.is_assigned
    assert assignment.bundle["report"]["visits_before"] == before
    detail = client.get(reverse("assignments:detail", args=[assignment.pk]))
    assert detail.context["page"].paginator.count == assignment.visits.count()
    downloaded = client.get(reverse("assignments:file", args=[assignment.pk]))
    assert rule.verify(json.loads(downloaded.content)) == []


def test_the_assignment_preview_warns_of_the_departments_over_capacity(
    drawn: DemoSummary,
    settings: object,
) -> None:
    settings.CAPACITY_VISITS_PER_INSPECTOR_MONTH = 1  # type: ignore[attr-defined]
    plan = Plan.objects.get(region__code="140406")
    over = plan_capacity(plan).over

    page = client_for("lucheng-coordinator").get(reverse("assignments:plan", args=[plan.pk]))

    text = page.content.decode()
    assert f"{len(over)} 个部门在最忙月份超出可承担的检查人次" in text
    assert f"{over[0].department}：{over[0].busiest_month} 需 {over[0].busiest_places} 人次" in text
