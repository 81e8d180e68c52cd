"""The company's one-time sign-in token and the rating code are printed only on the notice the
team or the lead body hands over: the coordinator, the auditor and a partner body read the
notice without them, so none of them can sign in or rate as the company (an auditor once
could, by reading the token off the notice and spending the company's own)."""

from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.checks.codes import code_for, rating_code
from shuangsuiji.companies.tokens import notice_token
from shuangsuiji.demo.build import DemoSummary
from tests.companies.scene import department_admin, scene, team_inspector
from tests.demo_data import module_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with module_demo(django_db_blocker, entities_per_district=300) as summary:
        yield summary


def notice_text(user: User, visit_pk: int) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("inspections:notice", args=[visit_pk, "docx"]))
    assert response.status_code == 200
    return "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)


def test_only_those_who_hand_the_notice_over_get_the_token_and_the_rating_code(
    demo: DemoSummary,
) -> None:
    visit = scene().visit
    code = code_for(visit, actor=SYSTEM).code
    partner = next(d for d in visit.departments.all() if d.pk != visit.lead_department_id)
    readers = {
        "coordinator": User.objects.get(username="lucheng-coordinator"),
        "auditor": User.objects.get(username="lucheng-auditor"),
        "partner admin": department_admin(partner.pk, "partner-admin"),
    }
    deliverers = {
        "team": team_inspector(visit),
        "lead admin": department_admin(visit.lead_department_id, "lead-admin"),
    }

    for who, user in readers.items():
        text = notice_text(user, visit.pk)
        assert "凭统一社会信用代码和本令牌登录" not in text, who
        assert notice_token(visit) not in text, who
        assert rating_code(code) not in text, who
        assert "本份不含评价码和企业端登录令牌" in text, who
    for who, user in deliverers.items():
        text = notice_text(user, visit.pk)
        assert f"企业端登录令牌 {notice_token(visit)}" in text, who
        assert f"评价码 {rating_code(code)}" in text, who
