"""The coordinator makes the second random through the pages."""

import json

import pytest
from django.urls import reverse

from shuangsuiji.assignments.models import Assignment
from shuangsuiji.core import assign as rule
from shuangsuiji.demo.build import DemoSummary
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
