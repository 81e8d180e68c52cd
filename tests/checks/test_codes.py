"""The inspection code (扫码入企): one random code per visit, given only to those who may see
the visit; whoever holds it opens the visit's card without signing in and sees the registered
team with its certificates, the items and their basis, and a link per draw to prove in its own
browser that the rule chose it; the notice prints the code and its QR image."""

from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import NotAllowed
from shuangsuiji.assignments.models import Visit
from shuangsuiji.checks.codes import (
    ALPHABET,
    RatingError,
    code_for,
    rate_visit,
    rating_code,
    read,
    shown,
)
from shuangsuiji.checks.models import VisitCode
from shuangsuiji.core import draw as rule
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.draws.models import Draw
from tests.demo_data import module_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with module_demo(django_db_blocker, entities_per_district=300) as summary:
        yield summary


def first_visit() -> Visit:
    visits = Visit.objects.filter(assignment__plan__region__code="140406")
    return min(visits, key=lambda visit: visit.code)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_a_visit_has_one_random_code_given_only_to_those_who_see_the_visit(
    demo: DemoSummary,
) -> None:
    visit = first_visit()
    coordinator = User.objects.get(username="lucheng-coordinator")

    code = code_for(visit, actor=coordinator)
    again = code_for(visit, actor=coordinator)

    assert again.pk == code.pk
    assert len(code.code) == 12
    assert set(code.code) <= set(ALPHABET)
    assert visit.entity.uscc[:6] not in code.code  # nothing derived from the company
    with pytest.raises(NotAllowed):
        code_for(visit, actor=User.objects.get(username="chengqu-coordinator"))


def test_a_code_reads_the_same_typed_in_lower_case_with_or_without_dashes() -> None:
    assert read("abcd-efgh-jk01") == "ABCDEFGHJK01"
    assert read("ABCD EFGH JKO1") == "ABCDEFGHJK01"  # O read as 0
    assert read("ABCDEFGHJK0") == ""  # too short
    assert read("ABCDEFGHJKU1") == ""  # U is not in the alphabet
    assert shown("ABCDEFGHJK01") == "ABCD-EFGH-JK01"


def test_anyone_holding_the_code_sees_the_team_items_and_a_proof_link_without_signing_in(
    demo: DemoSummary,
) -> None:
    visit = first_visit()
    code = code_for(visit, actor=User.objects.get(username="lucheng-coordinator"))
    members = list(visit.members.select_related("inspector"))
    draw = Draw.objects.filter(task__in=visit.tasks.all()).order_by("task__position").first()
    _, salts = rule.population_from_file(draw.population_csv, draw.freeze)

    page = Client().get(reverse("code", args=[code.code]))
    typed = Client().get(reverse("code", args=[shown(code.code).lower()]))
    unknown = Client().get(reverse("code", args=["0000-0000-0000"]))

    text = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert visit.entity.name in text
    for member in members:
        assert member.inspector.name in text
        assert member.inspector.certificate_no in text
    assert (
        f"/public/draws/{draw.draw_id}/why/#{visit.entity.uscc}.{salts[visit.entity.uscc]}" in text
    )
    assert "风险分类" not in text  # the card names no class
    assert (typed.status_code, typed.url) == (302, reverse("code", args=[code.code]))
    assert unknown.status_code == 404


def test_the_inspectors_visit_page_shows_the_code_and_its_qr_and_the_notice_prints_them(
    demo: DemoSummary,
) -> None:
    visit = first_visit()
    client = signed_in("lucheng-coordinator")

    page = client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    notice = client.get(reverse("inspections:notice", args=[visit.pk, "pdf"]))

    code = visit.check_code.code
    assert f"检查码 <strong>{shown(code)}</strong>" in page
    assert "<svg" in page
    reader = PdfReader(BytesIO(notice.content))
    text = "".join("".join(p.extract_text().split()) for p in reader.pages).replace("\x00", "")
    assert f"检查码{shown(code)}" in text  # white space as the PDF's text extraction gives it
    assert f"/c/{code}/" in text
    assert any(page.images for page in reader.pages)  # the QR image


def test_an_auditor_reading_the_visit_makes_no_code(demo: DemoSummary) -> None:
    visits = Visit.objects.filter(assignment__plan__region__code="140406", check_code=None)
    visit = max(visits, key=lambda v: v.code)

    page = signed_in("lucheng-auditor").get(reverse("inspections:visit", args=[visit.pk]))

    assert page.status_code == 200
    assert "亮码检查" not in page.content.decode()
    assert not Visit.objects.filter(pk=visit.pk, check_code__isnull=False).exists()


def rated_visit() -> tuple[Visit, str]:
    """The first visit already carried out and not yet rated (the demo's company account has
    rated its own), and its inspection code."""
    done = Visit.objects.filter(
        assignment__plan__region__code="140406",
        inspections__inspected_on__isnull=False,
        rating__isnull=True,
    ).distinct()
    visit = min(done, key=lambda v: v.code)
    code = code_for(visit, actor=User.objects.get(username="lucheng-coordinator"))
    assert code is not None
    return visit, code.code


def test_the_company_rates_a_carried_out_visit_once_with_the_code_on_its_notice(
    demo: DemoSummary,
) -> None:
    visit, code = rated_visit()
    card_url = reverse("code", args=[code])
    company = Client()

    wrong = company.post(card_url, {"rating_code": "00000000", "score": "5"}, follow=True)
    rated = company.post(
        card_url,
        {"rating_code": rating_code(code).lower(), "score": "2", "comment": "检查人员态度生硬"},
        follow=True,
    )
    again = company.post(card_url, {"rating_code": rating_code(code), "score": "5"}, follow=True)

    assert "评价码不正确" in wrong.content.decode()
    assert "感谢您的评价" in rated.content.decode()
    assert "已经评价过" in again.content.decode()
    assert (visit.rating.score, visit.rating.comment) == (2, "检查人员态度生硬")


def test_a_visit_not_yet_carried_out_cannot_be_rated(demo: DemoSummary) -> None:
    waiting = Visit.objects.filter(assignment__plan__region__code="140406").exclude(
        inspections__inspected_on__isnull=False
    )
    visit = min(waiting, key=lambda v: v.code)
    code = code_for(visit, actor=User.objects.get(username="lucheng-coordinator"))
    assert code is not None

    with pytest.raises(RatingError, match="尚未进行"):
        rate_visit(code, rating_code_text=rating_code(code.code), score=5, comment="")


def test_the_department_never_sees_a_visits_rating_the_coordinator_sees_the_aggregate(
    demo: DemoSummary,
) -> None:
    visit, code = rated_visit()
    stored = VisitCode.objects.get(code=code)
    rate_visit(stored, rating_code_text=rating_code(code), score=1, comment="未出示执法证")
    lead = visit.lead_department.short_name

    coordinator = signed_in("lucheng-coordinator").get(reverse("checks:index") + "?year=2023")
    department = signed_in("lucheng-dept-admin").get(reverse("checks:index") + "?year=2023")
    visit_page = signed_in("lucheng-dept-admin").get(reverse("inspections:visit", args=[visit.pk]))

    shown_to_coordinator = coordinator.content.decode()
    assert f'<td>{lead}</td><td class="num">1</td><td class="num">1.0</td>' in shown_to_coordinator
    assert "未出示执法证" in shown_to_coordinator
    assert visit.entity.name not in shown_to_coordinator.split("企业评价")[1].split("</section>")[0]
    for page in (department, visit_page):
        text = page.content.decode()
        assert "企业评价" not in text
        assert "未出示执法证" not in text
