"""`make demo`'s command: the demo as a visitor meets it, with what the tests' demo leaves
out (the bodies' approvals), and the accounts it prints."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.approvals.models import VisitApproval
from shuangsuiji.checks.codes import code_for

pytestmark = pytest.mark.django_db


def test_the_demo_command_approves_most_visits_and_prints_every_account() -> None:
    out = io.StringIO()

    call_command("load_demo", "--entities", "300", stdout=out)

    printed = out.getvalue()
    approved = VisitApproval.objects.filter(approval__isnull=False).select_related("visit")
    assert approved.count() > 0
    assert "检查审批" in printed
    assert "lucheng-coordinator" in printed
    assert "令牌 " in printed  # the company account's one-time token
    card = Client().get(reverse("code", args=[code_for(approved[0].visit, actor=SYSTEM).code]))
    assert "尚未经检查主体负责人审批" not in card.content.decode()
