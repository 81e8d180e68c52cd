"""Every service of the company's side refuses the wrong company, and the team's services the
wrong staff: a company acts on its own visits and results only, whatever ids it sends; slots
are offered by the visit's team or its departments' admins; an objection is answered by the
result's lead department; the attachment is bounded before it is read."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM, NotAllowed
from shuangsuiji.checks.codes import RatingError
from shuangsuiji.checks.models import VisitRating
from shuangsuiji.companies.models import ObjectionState, VisitSlot
from shuangsuiji.companies.public import public_objection_states
from shuangsuiji.companies.services import (
    CompanyStepError,
    answer_objection,
    book_slot,
    object_to,
    offer_slot,
    rate,
    withdraw_slot,
)
from shuangsuiji.demo.build import DemoSummary
from tests.companies.scene import department_admin, scene, team_inspector
from tests.demo_data import module_demo

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 objection evidence"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with module_demo(django_db_blocker, entities_per_district=300) as summary:
        yield summary


def in_window(visit: Any, hour: int = 9) -> tuple[datetime, datetime]:
    year, month = (int(part) for part in visit.window_start.split("-"))
    starts = timezone.make_aware(datetime(year, month, 10, hour))
    return starts, starts + timedelta(hours=2)


def test_a_company_rates_its_own_visit_once_and_never_another_companys(
    demo: DemoSummary,
) -> None:
    at = scene()
    company = at.visit.entity

    with pytest.raises(NotAllowed):
        rate(company, at.other.pk, score=1, comment="冒充")
    rating = rate(company, at.visit.pk, score=4, comment="规范")
    with pytest.raises(RatingError):
        rate(company, at.visit.pk, score=5, comment="再评")

    assert (rating.visit_id, rating.score) == (at.visit.pk, 4)
    assert VisitRating.objects.filter(visit=at.other).exists() is False


def test_slots_are_offered_by_the_team_or_its_departments_admins_only(demo: DemoSummary) -> None:
    at = scene()
    visit = at.open_visit
    starts, ends = in_window(visit)
    member = team_inspector(visit)
    outsider_department = (
        type(visit.lead_department)
        .objects.filter(region=visit.lead_department.region)
        .exclude(pk__in=visit.departments.values("pk"))
        .first()
    )
    refused = [
        User.objects.get(username="lucheng-coordinator"),
        User.objects.get(username="lucheng-auditor"),
        User.objects.get(username="chengqu-coordinator"),
        department_admin(outsider_department.pk, "outsider-admin"),
    ]
    if not visit.members.filter(inspector__user__username="lucheng-inspector").exists():
        refused.append(User.objects.get(username="lucheng-inspector"))

    outcomes = []
    for actor in refused:
        with pytest.raises(NotAllowed):
            offer_slot(visit, starts_at=starts, ends_at=ends, note="", actor=actor)
        outcomes.append("refused")
    by_member = offer_slot(visit, starts_at=starts, ends_at=ends, note="现场", actor=member)
    admin = department_admin(visit.departments.order_by("pk").first().pk, "visit-admin")
    by_admin = offer_slot(
        visit,
        starts_at=starts + timedelta(days=1),
        ends_at=ends + timedelta(days=1),
        note="",
        actor=admin,
    )

    assert outcomes == ["refused"] * len(refused)
    assert [by_member.offered_by, by_admin.offered_by] == [member, admin]


def test_a_slot_lies_in_the_visits_window_on_one_day(demo: DemoSummary) -> None:
    visit = scene().open_visit
    starts, ends = in_window(visit)
    before = starts.replace(year=starts.year - 1)

    errors = []
    for s, e in [
        (before, before + timedelta(hours=1)),
        (ends, starts),
        (starts, starts + timedelta(days=1)),
    ]:
        with pytest.raises(CompanyStepError) as caught:
            offer_slot(visit, starts_at=s, ends_at=e, note="", actor=SYSTEM)
        errors.append(str(caught.value))

    assert errors == [
        f"时段应在检查时段 {visit.window_start} 至 {visit.window_end} 之内",
        "结束时间应晚于开始时间",
        "一个时段应在同一天内",
    ]


def test_a_company_books_a_slot_of_its_own_visit_only_and_may_change_it(
    demo: DemoSummary,
) -> None:
    at = scene()
    visit = at.open_visit
    starts, ends = in_window(visit)
    first = offer_slot(visit, starts_at=starts, ends_at=ends, note="", actor=SYSTEM)
    second = offer_slot(
        visit,
        starts_at=starts + timedelta(days=1),
        ends_at=ends + timedelta(days=1),
        note="",
        actor=SYSTEM,
    )

    with pytest.raises(NotAllowed):
        book_slot(at.visit.entity, first.pk)  # another company's visit
    with pytest.raises(NotAllowed):
        book_slot(visit.entity, 10_000_000)  # no such slot
    book_slot(visit.entity, first.pk)
    book_slot(visit.entity, second.pk)
    with pytest.raises(CompanyStepError):
        withdraw_slot(second, actor=SYSTEM)  # the company chose it

    chosen = list(VisitSlot.objects.filter(visit=visit, chosen_at__isnull=False))
    assert chosen == [second]


def test_a_carried_out_visit_takes_no_slot(demo: DemoSummary) -> None:
    at = scene()
    starts, ends = in_window(at.visit)

    with pytest.raises(CompanyStepError) as caught:
        offer_slot(at.visit, starts_at=starts, ends_at=ends, note="", actor=SYSTEM)

    assert str(caught.value) == "本次检查已经进行，不能再提供预约时段"


def test_a_company_objects_to_its_own_published_result_only_and_once(demo: DemoSummary) -> None:
    at = scene()
    company = at.visit.entity

    with pytest.raises(NotAllowed):
        object_to(company, at.other_result.pk, reason="冒充", upload=None)
    objection = object_to(
        company,
        at.result.pk,
        reason="检查当日我单位已整改完毕",
        upload=SimpleUploadedFile("整改报告.pdf", PDF),
    )
    with pytest.raises(CompanyStepError) as again:
        object_to(company, at.result.pk, reason="再提", upload=None)

    assert (objection.file_name, objection.file_type, objection.file_size) == (
        "整改报告.pdf",
        "application/pdf",
        len(PDF),
    )
    assert objection.file.read() == PDF
    assert str(again.value) == "已对该结果提出过异议"


def test_an_attachment_over_the_limit_is_refused_before_it_is_read(
    demo: DemoSummary, settings: Any
) -> None:
    at = scene()
    settings.ATTACHMENT_MAX_MB = 1
    too_big = SimpleUploadedFile("big.pdf", b"not even a pdf" + b"0" * (1024 * 1024))
    disguised = SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 10)

    errors = []
    for upload in (too_big, disguised):
        with pytest.raises(CompanyStepError) as caught:
            object_to(at.visit.entity, at.result.pk, reason="理由", upload=upload)
        errors.append(str(caught.value))

    assert errors == ["附件“big.pdf”超过 1 MB", "附件“photo.pdf”的扩展名与内容（image/png）不符"]
    assert too_big.tell() == 0  # not a byte read


def test_the_lead_department_answers_and_the_public_page_shows_the_state(
    demo: DemoSummary,
) -> None:
    at = scene()
    objection = object_to(at.visit.entity, at.result.pk, reason="理由", upload=None)
    lead = at.result.task.lead_department
    partner = (
        at.result.visit.departments.exclude(pk=lead.pk).first()
        or type(lead).objects.filter(region=lead.region).exclude(pk=lead.pk).first()
    )
    refused = [
        department_admin(partner.pk, "partner-admin"),
        User.objects.get(username="lucheng-auditor"),
        User.objects.get(username="chengqu-coordinator"),
    ]
    pending = public_objection_states([at.result.pk])

    for actor in refused:
        with pytest.raises(NotAllowed):
            answer_objection(objection, accept=True, answer="成立", actor=actor)
    answered = answer_objection(
        objection,
        accept=False,
        answer="现场照片显示当日未整改",
        actor=department_admin(lead.pk, "lead-admin"),
    )

    assert pending == {at.result.pk: "异议处理中"}
    assert answered.state == ObjectionState.REJECTED
    day = timezone.localtime(answered.answered_at).date()
    assert public_objection_states([at.result.pk]) == {
        at.result.pk: f"企业异议不成立（{day:%Y-%m-%d} 答复）"
    }
