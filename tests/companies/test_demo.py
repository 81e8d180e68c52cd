"""The demo's company account: printed with its token like the staff accounts, signs in once
with it, and finds its booked slot, its rating and two objections (one answered, one
pending, which the public result page shows as 异议处理中)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.checks.models import VisitRating
from shuangsuiji.companies.models import Objection, ObjectionState, VisitSlot
from shuangsuiji.demo.build import DemoSummary
from tests.demo_data import module_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with module_demo(django_db_blocker, entities_per_district=300) as summary:
        yield summary


def test_the_demo_company_signs_in_with_its_printed_token_and_finds_its_year(
    demo: DemoSummary,
) -> None:
    [(uscc, token, name)] = demo.companies  # as `make demo` prints it
    client = Client()

    signed_in = client.post(reverse("companies:sign_in"), {"uscc": uscc, "password": token})
    home = client.get(reverse("companies:home")).content.decode()
    public = Client().get(reverse("disclosure:results") + f"?q={uscc}").content.decode()

    objections = Objection.objects.filter(inspection__visit__entity__uscc=uscc)
    assert signed_in.status_code == 302
    assert name in home
    assert sorted(o.state for o in objections) == [ObjectionState.PENDING, ObjectionState.REJECTED]
    assert VisitSlot.objects.filter(visit__entity__uscc=uscc, chosen_at__isnull=False).count() == 1
    assert VisitRating.objects.filter(visit__entity__uscc=uscc).count() == 1
    assert "已评价 4 分" in home
    assert '<span class="objection">异议处理中</span>' in public
    assert '<span class="objection">企业异议不成立（' in public
