"""Attacks on the company's side (企业端): a forged POST without the page's CSRF token, another
company's or another body's ids for an objection's attachment, and what the audit log keeps of
a company's steps (a company is no user: its steps are told apart only by the log)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.companies.models import Objection, VisitSlot
from shuangsuiji.companies.services import object_to, offer_slot
from shuangsuiji.companies.tokens import notice_token
from shuangsuiji.directory.models import Department
from tests.companies.scene import company_client, department_admin, scene, staff_client

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def a_slot(visit: Any) -> VisitSlot:
    year, month = (int(part) for part in visit.window_start.split("-"))
    starts = timezone.make_aware(datetime(year, month, 10, 9))
    return offer_slot(
        visit, starts_at=starts, ends_at=starts + timedelta(hours=2), note="", actor=SYSTEM
    )


def test_company_pages_refuse_a_post_without_the_csrf_token(demo: None) -> None:
    """A page elsewhere cannot sign a browser in as a company nor post in its name."""
    at = scene()
    forged = Client(enforce_csrf_checks=True)
    token = notice_token(at.visit)

    sign_in = forged.post(
        reverse("companies:sign_in"), {"uscc": at.visit.entity.uscc, "password": token}
    )
    company = company_client(at.visit)
    company.handler.enforce_csrf_checks = True
    slot = a_slot(at.open_visit)
    writes = [
        company.post(reverse("companies:object", args=[at.result.pk]), {"reason": "伪造"}),
        company.post(reverse("companies:rate", args=[at.visit.pk]), {"score": "1"}),
        company.post(reverse("companies:book", args=[at.open_visit.pk]), {"slot": slot.pk}),
        company.post(reverse("companies:sign_out")),
    ]

    assert sign_in.status_code == 403
    assert [w.status_code for w in writes] == [403] * 4
    assert not Objection.objects.filter(inspection=at.result).exists()


def test_an_objections_attachment_is_not_found_for_anyone_but_the_company_and_its_readers(
    demo: None,
) -> None:
    at = scene()
    upload = SimpleUploadedFile("证据.png", PNG, content_type="image/png")
    objection = object_to(at.visit.entity, at.result.pk, reason="证据见附件", upload=upload)
    url = reverse("companies:objection_file", args=[objection.pk])
    lead = at.result.task.lead_department_id
    other_body = (
        Department.objects.filter(region=at.visit.assignment.plan.region)
        .exclude(pk=lead)
        .order_by("pk")
        .first()
    )
    assert other_body is not None
    other_admin = Client()
    other_admin.force_login(department_admin(other_body.pk, "attack-other-body-admin"))
    lead_admin = Client()
    lead_admin.force_login(department_admin(lead, "attack-lead-admin"))

    statuses = {
        "anonymous": Client().get(url).status_code,
        "another company": company_client(at.other).get(url).status_code,
        "another body's admin": other_admin.get(url).status_code,
        "inspector": staff_client("lucheng-inspector").get(url).status_code,
        "another district's coordinator": staff_client("chengqu-coordinator").get(url).status_code,
        "the company": company_client(at.visit).get(url).status_code,
        "the lead body's admin": lead_admin.get(url).status_code,
        "the auditor": staff_client("lucheng-auditor").get(url).status_code,
    }

    assert statuses == {
        "anonymous": 404,
        "another company": 404,
        "another body's admin": 404,
        "inspector": 404,
        "another district's coordinator": 404,
        "the company": 200,
        "the lead body's admin": 200,
        "the auditor": 200,
    }


def test_a_companys_choice_of_a_slot_is_in_the_audit_log(demo: None) -> None:
    """Booking and rebooking change `chosen_at`: each change is an audit entry, as the slot's
    offer is (a queryset update would pass the log by)."""
    at = scene()
    first, second = a_slot(at.open_visit), a_slot(at.open_visit)
    company = company_client(at.open_visit)

    company.post(reverse("companies:book", args=[at.open_visit.pk]), {"slot": first.pk})
    company.post(reverse("companies:book", args=[at.open_visit.pk]), {"slot": second.pk})

    changes = [
        (entry.object_id, entry.before, entry.after)
        for entry in AuditEntry.objects.filter(
            model="companies.visitslot", action="update", object_id__in=[first.pk, second.pk]
        ).order_by("sequence")
    ]
    assert [(object_id, before) for object_id, before, _ in changes] == [
        (str(first.pk), {"chosen_at": None}),
        (str(first.pk), {"chosen_at": changes[0][2]["chosen_at"]}),
        (str(second.pk), {"chosen_at": None}),
    ]
    assert changes[1][2] == {"chosen_at": None}
    assert VisitSlot.objects.get(pk=second.pk).chosen_at is not None
