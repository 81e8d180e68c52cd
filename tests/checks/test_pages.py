"""The ledger's pages: a body's admin publishes its cap and enters a check; the company's
ledger shows it against the cap; another body's admin forging a POST is refused and nothing is
written; an inspector does not see the ledger."""

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.checks.models import CheckCap, OtherCheck
from tests.conftest import World

pytestmark = pytest.mark.django_db


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def check_form(world: World, **fields: str) -> dict[str, str]:
    return {
        "uscc": world.company.uscc,
        "department": str(world.education.pk),
        "checked_on": "2023-05-06",
        "kind": "专项检查",
        "method": "现场检查",
        "items": "校外培训机构消防安全",
        "basis": "区教育局2023年专项行动方案",
        **fields,
    }


def test_a_body_publishes_its_cap_enters_a_check_and_the_company_ledger_counts_it(
    world: World,
) -> None:
    admin = client_of(world.education_admin)

    admin.post(
        reverse("checks:cap"),
        {"department": world.education.pk, "year": 2023, "limit": 1, "source": "区教育局公告"},
    )
    entered = admin.post(reverse("checks:record"), check_form(world), follow=True)
    index = admin.get(reverse("checks:index") + "?year=2023").content.decode()

    page = entered.content.decode()
    assert "已登记 甲公司 的专项检查（2023-05-06）" in page
    assert "区教育局：已检查或安排 1 次，上限 1 次，<strong>已达上限</strong>" in page
    assert "校外培训机构消防安全" in page
    assert "区教育局公告" in index


def test_another_bodys_admin_cannot_set_its_cap_or_enter_its_checks(world: World) -> None:
    police = client_of(world.police_admin)

    cap = police.post(
        reverse("checks:cap"),
        {"department": world.education.pk, "year": 2023, "limit": 9, "source": "伪造"},
    )
    check = police.post(reverse("checks:record"), check_form(world))

    assert (cap.status_code, check.status_code) == (403, 403)
    assert not CheckCap.objects.exists()
    assert not OtherCheck.objects.exists()


def test_a_bad_entry_says_which_field_and_writes_nothing(world: World) -> None:
    admin = client_of(world.education_admin)

    unknown = admin.post(
        reverse("checks:record"), check_form(world, uscc="91140406MA0000000X"), follow=True
    )
    undated = admin.post(reverse("checks:record"), check_form(world, checked_on=""), follow=True)

    assert "检查对象统一社会信用代码：名录库中没有 91140406MA0000000X" in unknown.content.decode()
    assert "检查日期：" in undated.content.decode()
    assert not OtherCheck.objects.exists()


def test_inspectors_do_not_see_the_ledger(world: World) -> None:
    inspector = client_of(world.inspector_user)

    assert inspector.get(reverse("checks:index")).status_code == 403
    assert inspector.get(reverse("checks:entity", args=[world.company.uscc])).status_code == 403
