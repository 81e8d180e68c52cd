"""The inspection pages: the team records, the lead department reviews, files stay inert."""

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Visit
from shuangsuiji.directory.models import Department
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from shuangsuiji.inspections.services import inspections_of
from tests.assignments.conftest import client_for
from tests.inspections.conftest import day_in

pytestmark = pytest.mark.django_db


def test_an_inspector_records_and_submits_through_the_visit_page(
    inspector: User, own_visit: Visit
) -> None:
    client = client_for(inspector.username)
    page = client.get(reverse("inspections:visit", args=[own_visit.pk]))
    inspection = page.context["rows"][0]["inspection"]
    clean = ResultCategory.objects.get(code="01")

    assert page.context["rows"][0]["may_record"]
    client.post(
        reverse("inspections:step", args=[inspection.pk]),
        {
            "step": "submit",
            "results": [clean.pk],
            "inspected_on": day_in(own_visit).isoformat(),
            "measures": "",
            "notes": "现场核查经营场所",
        },
    )

    inspection.refresh_from_db()
    assert inspection.state == InspectionState.SUBMITTED
    assert list(inspection.results.all()) == [clean]


def test_a_refused_step_says_why_on_the_page(inspector: User, own_visit: Visit) -> None:
    client = client_for(inspector.username)
    inspection = inspections_of(own_visit)[0]

    response = client.post(
        reverse("inspections:step", args=[inspection.pk]),
        {"step": "submit", "inspected_on": day_in(own_visit).isoformat()},
        follow=True,
    )

    assert "请至少选择一项检查结果" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.PENDING


def test_other_inspectors_visits_are_not_found(inspector: User) -> None:
    other = Visit.objects.exclude(members__inspector=inspector.inspector).first()

    response = client_for(inspector.username).get(reverse("inspections:visit", args=[other.pk]))

    assert response.status_code == 404


def test_the_review_queue_shows_what_each_user_may_review(demo: object) -> None:
    admin = User.objects.get(username="lucheng-dept-admin")
    submitted = Inspection.objects.filter(
        state=InspectionState.SUBMITTED, visit__assignment__plan__region__code="140406"
    )

    everything = client_for("lucheng-coordinator").get(reverse("inspections:review"))
    own = client_for(admin.username).get(reverse("inspections:review")).context["waiting"]

    assert {i.pk for i in everything.context["waiting"]} == set(
        submitted.values_list("pk", flat=True)
    )
    assert {i.pk for i in own} == set(
        submitted.filter(task__lead_department=admin.department).values_list("pk", flat=True)
    )


def test_the_notice_names_the_entity_the_window_and_the_refusal_rule(own_visit: Visit) -> None:
    response = client_for("lucheng-coordinator").get(
        reverse("inspections:notice", args=[own_visit.pk, "docx"])
    )

    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert own_visit.entity.uscc in text
    assert own_visit.window_start in text
    assert "不予配合情节严重的，将通过国家企业信用信息公示系统向社会公示" in text


def test_an_attachment_is_served_as_an_inert_download(inspector: User, own_visit: Visit) -> None:
    client = client_for(inspector.username)
    inspection = inspections_of(own_visit)[0]
    client.post(
        reverse("inspections:step", args=[inspection.pk]),
        {
            "step": "attach",
            "files": SimpleUploadedFile("现场.pdf", b"%PDF-1.4\n%test\n", "application/pdf"),
        },
    )
    attachment = Inspection.objects.get(pk=inspection.pk).attachments.get()

    response = client.get(reverse("inspections:attachment", args=[attachment.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%test\n"
    assert client_for("chengqu-inspector").get(response.wsgi_request.path).status_code == 404


def test_the_review_queue_pages_through_everything_oldest_first(
    demo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shuangsuiji.inspections.views.REVIEWS_PER_PAGE", 3)
    submitted = Inspection.objects.filter(
        state=InspectionState.SUBMITTED, visit__assignment__plan__region__code="140406"
    ).order_by("submitted_at", "pk")
    client = client_for("lucheng-coordinator")

    first = client.get(reverse("inspections:review"))
    last_number = first.context["page"].paginator.num_pages
    last = client.get(reverse("inspections:review"), {"page": last_number})

    pages = -(-submitted.count() // 3)
    assert [i.pk for i in first.context["page"]] == list(submitted.values_list("pk", flat=True)[:3])
    assert [i.pk for i in last.context["page"]] == list(
        submitted.values_list("pk", flat=True)[3 * (pages - 1) :]
    )
    assert (
        f"共 {submitted.count()} 项，按提交时间先后排列，第 1/{pages} 页" in first.content.decode()
    )


def lucheng_waiting() -> Any:
    return Inspection.objects.filter(
        state=InspectionState.SUBMITTED, visit__assignment__plan__region__code="140406"
    ).order_by("submitted_at", "pk")


def test_the_review_queue_filters_by_lead_department(demo: object) -> None:
    lead = lucheng_waiting().values_list("task__lead_department", flat=True).last()

    page = client_for("lucheng-coordinator").get(
        reverse("inspections:review"), {"department": lead}
    )

    expected = lucheng_waiting().filter(task__lead_department=lead)
    assert page.context["filters"].is_valid()
    assert 0 < expected.count() < lucheng_waiting().count()
    assert {i.pk for i in page.context["waiting"]} == set(expected.values_list("pk", flat=True))
    offered = {d.pk for d in page.context["filters"].fields["department"].queryset}
    assert offered <= set(
        Department.objects.filter(region__code="140406").values_list("pk", flat=True)
    )


def test_several_results_are_approved_at_once(demo: object) -> None:
    chosen = list(lucheng_waiting().values_list("pk", flat=True)[:5])

    response = client_for("lucheng-coordinator").post(
        reverse("inspections:review"), {"chosen": chosen, "action": "approve"}, follow=True
    )

    states = set(Inspection.objects.filter(pk__in=chosen).values_list("state", flat=True))
    assert states == {InspectionState.APPROVED}
    assert [str(m) for m in response.context["messages"]] == ["已审核通过 5 项结果"]


def test_several_results_are_returned_with_one_reason_or_not_at_all(demo: object) -> None:
    chosen = list(lucheng_waiting().values_list("pk", flat=True)[:4])
    client = client_for("lucheng-coordinator")

    without = client.post(
        reverse("inspections:review"), {"chosen": chosen, "action": "return"}, follow=True
    )
    untouched = set(Inspection.objects.filter(pk__in=chosen).values_list("state", flat=True))
    client.post(
        reverse("inspections:review"),
        {"chosen": chosen, "action": "return", "reason": "请补充现场照片"},
    )

    returned = Inspection.objects.filter(pk__in=chosen)
    assert [str(m) for m in without.context["messages"]] == ["未审核任何结果：退回必须说明原因"]
    assert untouched == {InspectionState.SUBMITTED}
    assert set(returned.values_list("state", "return_reason")) == {
        (InspectionState.RETURNED, "请补充现场照片")
    }


def test_a_forged_id_of_another_district_refuses_the_whole_choice(demo: object) -> None:
    ours = list(lucheng_waiting().values_list("pk", flat=True)[:2])
    theirs = Inspection.objects.filter(
        state=InspectionState.SUBMITTED, visit__assignment__plan__region__code="140502"
    ).values_list("pk", flat=True)[0]
    chosen = [*ours, theirs]

    response = client_for("lucheng-coordinator").post(
        reverse("inspections:review"), {"chosen": chosen, "action": "approve"}
    )

    states = set(Inspection.objects.filter(pk__in=chosen).values_list("state", flat=True))
    assert response.status_code == 403
    assert states == {InspectionState.SUBMITTED}


def test_the_auditor_reads_the_queue_but_decides_nothing(demo: object) -> None:
    client = client_for("lucheng-auditor")
    chosen = list(lucheng_waiting().values_list("pk", flat=True)[:1])

    page = client.get(reverse("inspections:review"))
    response = client.post(reverse("inspections:review"), {"chosen": chosen, "action": "approve"})

    assert page.context["may_decide"] is False
    assert 'name="chosen"' not in page.content.decode()
    assert response.status_code == 403
    assert Inspection.objects.get(pk=chosen[0]).state == InspectionState.SUBMITTED


def test_a_bulk_review_returns_to_the_same_filtered_page(demo: object) -> None:
    chosen = list(lucheng_waiting().values_list("pk", flat=True)[:1])

    response = client_for("lucheng-coordinator").post(
        reverse("inspections:review"),
        {"chosen": chosen, "action": "approve", "query": "page=2&task=\r\nX-Evil: 1"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/inspections/review/?page=2&task=%0D%0AX-Evil%3A+1"
