"""The inspection pages: the team records, the lead department reviews, files stay inert."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Visit
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


def test_the_review_queue_counts_everything_and_lists_the_oldest_first(
    demo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shuangsuiji.inspections.views.QUEUE_SHOWN", 3)
    submitted = Inspection.objects.filter(
        state=InspectionState.SUBMITTED, visit__assignment__plan__region__code="140406"
    )

    page = client_for("lucheng-coordinator").get(reverse("inspections:review"))

    assert submitted.count() > 3
    assert page.context["waiting_count"] == submitted.count()
    assert [i.pk for i in page.context["waiting"]] == list(
        submitted.order_by("submitted_at", "pk").values_list("pk", flat=True)[:3]
    )
    assert f"共 {submitted.count()} 项，按提交时间先后列出最早的 3 项" in page.content.decode()
