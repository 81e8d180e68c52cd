"""Numbers typed as what `str.isdigit` accepts but `int` refuses (superscripts such as ²): a
page that checks a field with isdigit and then calls int answered 500 to anyone, the public
included. Every such field is read as a number only when `int` can read it (isdecimal), and
otherwise as no number at all."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.checks.codes import code_for
from shuangsuiji.plans.models import Plan
from tests.companies.scene import company_client, scene, staff_client

pytestmark = pytest.mark.django_db

NOT_A_NUMBER = "²"  # str.isdigit() is True, int() raises ValueError
TOO_LONG = "1" * 5000  # int() refuses more than 4,300 digits (ValueError)


def answered(client: Client, method: str, url: str, data: dict[str, str]) -> int:
    """The status, once a streamed body has been read whole (a CSV fails while it streams)."""
    client.raise_request_exception = False
    response = getattr(client, method)(url, data)
    if response.streaming:
        try:
            b"".join(response.streaming_content)
        except ValueError:
            return 500
    return int(response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/public/results/",
        "/public/results.csv",
        "/public/results/publicity.csv",
        "/api/v1/results/publicity.csv",
    ],
)
def test_the_public_search_reads_a_superscript_year_as_no_year(demo: None, url: str) -> None:
    assert answered(Client(), "get", url, {"year": NOT_A_NUMBER}) == 200
    assert answered(Client(), "get", url, {"year": TOO_LONG}) == 200


def test_a_superscript_score_on_the_code_card_is_refused_with_a_message(demo: None) -> None:
    at = scene()
    code = code_for(at.visit, actor=SYSTEM)
    assert code is not None
    url = reverse("code", args=[code.code])

    statuses = [
        answered(Client(), "post", url, {"score": score, "rating_code": "X"})
        for score in (NOT_A_NUMBER, TOO_LONG)
    ]

    assert statuses == [302, 302]


def test_a_company_posting_superscript_ids_is_answered_with_a_message(demo: None) -> None:
    at = scene()
    company = company_client(at.visit)

    statuses = [
        answered(company, "post", reverse(name, args=[at.visit.pk]), data)
        for name, data in (
            ("companies:book", {"slot": NOT_A_NUMBER}),
            ("companies:rate", {"score": NOT_A_NUMBER}),
            ("companies:book", {"slot": TOO_LONG}),
            ("companies:rate", {"score": TOO_LONG}),
        )
    ]

    assert statuses == [302] * 4


def test_the_undisturbed_list_reads_superscript_numbers_as_none(demo: Any) -> None:
    coordinator = staff_client("lucheng-coordinator")
    url = reverse("checks:undisturbed")

    statuses = [
        answered(coordinator, "get", url, {"year": NOT_A_NUMBER}),
        answered(coordinator, "post", url, {"remove": NOT_A_NUMBER}),
        answered(coordinator, "get", url, {"year": TOO_LONG}),
        answered(coordinator, "post", url, {"remove": TOO_LONG}),
    ]

    assert statuses == [200, 404, 200, 404]


def test_the_analysis_pages_read_superscript_ids_as_none(demo: None) -> None:
    coordinator = staff_client("lucheng-coordinator")
    plan = Plan.objects.filter(region__code="140406").order_by("-year").first()
    assert plan is not None

    statuses = [
        answered(coordinator, "get", reverse("analysis:latest"), {"plan": value})
        for value in (NOT_A_NUMBER, TOO_LONG)
    ] + [
        answered(coordinator, "get", reverse("analysis:plan", args=[plan.pk]), {"department": v})
        for v in (NOT_A_NUMBER, TOO_LONG)
    ]

    assert statuses == [302, 302, 200, 200]


def test_bulk_approval_and_bulk_review_read_superscript_ids_as_none(demo: None) -> None:
    admin = staff_client("lucheng-dept-admin")
    coordinator = staff_client("lucheng-coordinator")

    statuses = [
        answered(admin, "post", reverse("approvals:approve"), {"visits": value})
        for value in (NOT_A_NUMBER, TOO_LONG)
    ] + [
        answered(coordinator, "post", reverse("inspections:review"), data)
        for data in (
            {"chosen": NOT_A_NUMBER, "action": "approve"},
            {"chosen": TOO_LONG, "action": "approve"},
        )
    ]

    assert 500 not in statuses
