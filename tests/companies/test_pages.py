"""The company's pages and the two the platform's side uses, through the client: company A's
session sending company B's ids is refused and changes nothing; staff of every role cannot act
as a company; the department cannot see who rated what; the team offers slots and sees the
company's choice; the lead department answers an objection and the public result shows it."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Visit
from shuangsuiji.checks.models import VisitRating
from shuangsuiji.companies.models import Objection, VisitSlot
from shuangsuiji.companies.services import object_to, offer_slot, rate
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.companies.scene import (
    company_client,
    department_admin,
    scene,
    staff_client,
    team_inspector,
)
from tests.demo_data import module_demo

pytestmark = pytest.mark.django_db

STAFF = ["lucheng-coordinator", "lucheng-dept-admin", "lucheng-inspector", "lucheng-auditor"]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with module_demo(django_db_blocker, entities_per_district=300) as summary:
        yield summary


def a_slot(visit: Any) -> VisitSlot:
    year, month = (int(part) for part in visit.window_start.split("-"))
    starts = timezone.make_aware(datetime(year, month, 10, 9))
    return offer_slot(
        visit, starts_at=starts, ends_at=starts + timedelta(hours=2), note="", actor=SYSTEM
    )


def counts() -> tuple[int, int, int]:
    chosen = VisitSlot.objects.filter(chosen_at__isnull=False).count()
    return VisitRating.objects.count(), chosen, Objection.objects.count()


def test_company_a_sending_company_bs_ids_is_refused_and_nothing_changes(
    demo: DemoSummary,
) -> None:
    at = scene()
    theirs = a_slot(at.open_visit)  # company C's visit
    client = company_client(at.visit)  # company A
    before = counts()

    answers = [
        client.get(reverse("companies:visit", args=[at.other.pk])).status_code,
        client.get(reverse("companies:notice", args=[at.other.pk, "docx"])).status_code,
        client.post(reverse("companies:rate", args=[at.other.pk]), {"score": "1"}).status_code,
        client.post(
            reverse("companies:book", args=[at.visit.pk]), {"slot": str(theirs.pk)}
        ).status_code,
        client.get(reverse("companies:object", args=[at.other_result.pk])).status_code,
        client.post(
            reverse("companies:object", args=[at.other_result.pk]), {"reason": "冒充"}
        ).status_code,
    ]
    objection = object_to(at.other.entity, at.other_result.pk, reason="B 的异议", upload=None)
    file = client.get(reverse("companies:objection_file", args=[objection.pk]))

    assert answers == [403] * 6
    assert file.status_code == 404
    assert counts() == (before[0], before[1], before[2] + 1)  # only B's own objection


@pytest.mark.parametrize("username", STAFF)
def test_staff_of_every_role_cannot_act_as_the_company(demo: DemoSummary, username: str) -> None:
    at = scene()
    slot = a_slot(at.open_visit)
    client = staff_client(username)
    before = counts()

    posts = [
        client.post(reverse("companies:rate", args=[at.visit.pk]), {"score": "5"}),
        client.post(reverse("companies:book", args=[at.open_visit.pk]), {"slot": str(slot.pk)}),
        client.post(reverse("companies:object", args=[at.result.pk]), {"reason": "代企业提出"}),
    ]

    assert [(p.status_code, p.url) for p in posts] == [(302, reverse("companies:sign_in"))] * 3
    assert counts() == before


def test_the_department_cannot_see_who_rated_what(demo: DemoSummary) -> None:
    """A rating names no person, and no page of the visit's departments, team or lead shows
    one visit's rating: the company sees its own; coordinators read them in aggregate."""
    at = scene()
    rate(at.visit.entity, at.visit.pk, score=2, comment="检查人员态度生硬（评价甲）")
    company = company_client(at.visit)
    readers = [
        staff_client("lucheng-dept-admin"),
        staff_client("lucheng-inspector"),
        Client(),
    ]
    readers[0].force_login(department_admin(at.visit.lead_department_id, "lead-reader"))
    member = team_inspector(at.visit)
    readers[1].force_login(member)
    pages = [
        reverse("inspections:visit", args=[at.visit.pk]),
        reverse("assignments:visit", args=[at.visit.pk]),
        reverse("checks:index"),
        reverse("checks:entity", args=[at.visit.entity.uscc]),
        reverse("companies:offer", args=[at.visit.pk]),
        reverse("companies:objections"),
        reverse("companies:home"),
        reverse("companies:visit", args=[at.visit.pk]),
        reverse("code", args=[at.visit.check_code.code]),
    ]

    seen = ["评价甲" in reader.get(url).content.decode() for reader in readers for url in pages]
    own = company.get(reverse("companies:visit", args=[at.visit.pk])).content.decode()

    assert seen == [False] * len(seen)
    assert "贵单位已评价：2 分，检查人员态度生硬（评价甲）" in own
    fields = {f.name for f in VisitRating._meta.get_fields()}
    assert fields == {"id", "visit", "score", "comment", "created_at"}  # nobody named


def test_the_team_offers_slots_and_sees_the_companys_choice(demo: DemoSummary) -> None:
    at = scene()
    visit = at.open_visit
    team = Client()
    team.force_login(team_inspector(visit))
    day = f"{visit.window_start}-10"

    offered = team.post(
        reverse("companies:offer", args=[visit.pk]),
        {"day": day, "start": "09:00", "end": "11:00", "note": "现场检查"},
    )
    slot = VisitSlot.objects.get(visit=visit)
    company = company_client(visit)
    page = company.get(reverse("companies:visit", args=[visit.pk])).content.decode()
    booked = company.post(reverse("companies:book", args=[visit.pk]), {"slot": str(slot.pk)})
    seen = team.get(reverse("companies:offer", args=[visit.pk])).content.decode()

    assert offered.status_code == 302
    assert f"{day} 09:00–11:00（现场检查）" in page
    assert (booked.status_code, booked.url) == (302, reverse("companies:visit", args=[visit.pk]))
    assert '<strong class="chosen">企业已选择' in seen


def test_a_staff_member_off_the_team_gets_no_offer_page(demo: DemoSummary) -> None:
    at = scene()
    visit = at.open_visit
    on_team = visit.members.filter(inspector__user__username="lucheng-inspector").exists()

    statuses = [
        staff_client(name).get(reverse("companies:offer", args=[visit.pk])).status_code
        for name in ("lucheng-coordinator", "lucheng-auditor", "chengqu-coordinator")
    ]
    inspector = staff_client("lucheng-inspector").get(reverse("companies:offer", args=[visit.pk]))

    assert statuses == [403, 403, 404]
    assert inspector.status_code == (200 if on_team else 404)


def test_an_objection_is_answered_by_the_lead_and_shown_on_the_public_results(
    demo: DemoSummary,
) -> None:
    at = scene()
    company = company_client(at.visit)
    filed = company.post(
        reverse("companies:object", args=[at.result.pk]),
        {"reason": "检查当日已整改", "file": SimpleUploadedFile("整改.pdf", b"%PDF-1.4 x")},
    )
    objection = Objection.objects.get(inspection=at.result)
    public = reverse("disclosure:results") + f"?q={at.visit.entity.uscc}"
    while_pending = Client().get(public).content.decode()
    lead = Client()
    lead.force_login(department_admin(at.result.task.lead_department_id, "lead-answers"))
    listed = lead.get(reverse("companies:objections")).content.decode()
    attachment = lead.get(reverse("companies:objection_file", args=[objection.pk]))
    answered = lead.post(
        reverse("companies:answer", args=[objection.pk]),
        {"decision": "accept", "answer": "经复核，异议成立"},
    )
    after = Client().get(public).content.decode()
    mine = company.get(reverse("companies:home")).content.decode()

    assert (filed.status_code, filed.url) == (302, reverse("companies:home"))
    assert '<span class="objection">异议处理中</span>' in while_pending
    assert at.visit.entity.name in listed
    assert (attachment.status_code, attachment["Content-Security-Policy"]) == (200, "sandbox")
    assert answered.status_code == 302
    assert '<span class="objection">企业异议成立（' in after
    assert "异议成立</span>：经复核，异议成立" in mine


def more_visits(visit: Any, count: int) -> None:
    """`count` more visits of the visit's company in its assignment, each with a published
    result objected to (visits may be inserted into an assigned assignment; only updates and
    deletes are refused)."""
    task = visit.tasks.order_by("position").first()
    for n in range(count):
        extra = Visit.objects.create(
            assignment=visit.assignment,
            code=f"{visit.code}-X{n}",
            entity=visit.entity,
            window_start=visit.window_start,
            window_end=visit.window_end,
            lead_department=visit.lead_department,
        )
        result = Inspection.objects.create(
            visit=extra,
            task=task,
            state=InspectionState.PUBLISHED,
            inspected_on=timezone.localdate(),
            published_at=timezone.now(),
        )
        object_to(visit.entity, result.pk, reason=f"异议{n}", upload=None)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_companys_page_and_the_objection_list_ask_as_often_for_one_visit_as_for_three(
    demo: DemoSummary,
) -> None:
    at = scene()
    object_to(at.visit.entity, at.result.pk, reason="异议", upload=None)
    company = company_client(at.visit)
    coordinator = staff_client("lucheng-coordinator")
    home, listed = reverse("companies:home"), reverse("companies:objections")
    few = (queries(company, home), queries(coordinator, listed))

    more_visits(at.visit, 2)
    many = (queries(company, home), queries(coordinator, listed))

    assert many == few
