"""抽查结果公告, open data and the publication step, on the demo year."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import NotAllowed
from shuangsuiji.audit.chain import first_break
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.demo.build import DemoSummary
from shuangsuiji.disclosure.services import PUBLIC_FIELDS, PublicationError, publish
from shuangsuiji.inspections.models import Inspection, InspectionState
from tests.assignments.conftest import client_for, demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SECRET_NOTE = "内部备注：不应公开的文字"


def body(response: HttpResponseBase) -> bytes:
    """The bytes of a response, streamed (CSV, JSON) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


def published() -> object:
    return Inspection.objects.filter(state=InspectionState.PUBLISHED)


def test_the_public_lists_published_results_only_and_finds_an_entity_by_code(
    demo: DemoSummary,  # noqa: F811
) -> None:
    one = published().select_related("visit__entity").first()
    client = Client()

    everything = client.get(reverse("disclosure:results"))
    found = client.get(reverse("disclosure:results"), {"q": one.visit.entity.uscc})

    assert everything.context["page"].paginator.count == published().count()
    assert {r["uscc"] for r in found.context["rows"]} == {one.visit.entity.uscc}
    assert (
        found.context["page"].paginator.count
        == published().filter(visit__entity=one.visit.entity).count()
    )


def test_open_data_in_three_formats_has_the_documented_columns_and_every_row(
    demo: DemoSummary,  # noqa: F811
) -> None:
    client = Client()
    total = published().count()

    as_json = json.loads(body(client.get(reverse("disclosure:results_data", args=["json"]))))
    as_csv = list(
        csv.DictReader(
            io.StringIO(
                body(client.get(reverse("disclosure:results_data", args=["csv"]))).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    book = load_workbook(
        io.BytesIO(client.get(reverse("disclosure:results_data", args=["xlsx"])).content)
    )
    rows = list(book.active.iter_rows(values_only=True))

    assert as_json["schema"] == "shuangsuiji-results/1"
    assert len(as_json["results"]) == len(as_csv) == len(rows) - 2 == total
    assert list(as_json["results"][0]) == list(PUBLIC_FIELDS) == list(as_csv[0])
    assert rows[0] == PUBLIC_FIELDS


def test_nothing_internal_reaches_any_public_response(demo: DemoSummary) -> None:  # noqa: F811
    one = published().first()
    Inspection.objects.filter(pk=one.pk).update(
        notes=SECRET_NOTE, return_reason=SECRET_NOTE, measures="责令改正"
    )
    inspector_names = list(one.visit.members.values_list("inspector__name", flat=True))
    client = Client()
    responses = [
        client.get(reverse("disclosure:results")),
        client.get(reverse("disclosure:results_data", args=["json"])),
        client.get(reverse("disclosure:results_data", args=["csv"])),
        client.get(reverse("disclosure:feed")),
        client.get(reverse("disclosure:index")),
    ]

    texts = [body(response).decode("utf-8-sig") for response in responses]
    for text in texts:
        assert SECRET_NOTE not in text
        assert "lucheng-coordinator" not in text
        assert not any(f"{name}" in text for name in inspector_names if len(name) > 1)
    fields = set(json.loads(texts[1])["results"][0])
    assert fields.isdisjoint({"notes", "return_reason", "attachments", "recorded_by", "team"})


def test_the_feed_is_atom_with_draws_and_results(demo: DemoSummary) -> None:  # noqa: F811
    feed = ET.fromstring(Client().get(reverse("disclosure:feed")).content)

    ids = [
        e.findtext("{http://www.w3.org/2005/Atom}id")
        for e in feed.iter("{http://www.w3.org/2005/Atom}entry")
    ]
    assert any(i.startswith("draw:") for i in ids)
    assert any(i.startswith("result:") for i in ids)


def test_the_coordinator_publishes_what_is_due_and_sees_what_is_late(
    demo: DemoSummary,  # noqa: F811
) -> None:
    client = client_for("lucheng-coordinator")
    page = client.get(reverse("publication"))
    due = page.context["due"]
    chosen = [d.inspection.pk for d in due[:3]]

    client.post(reverse("publication"), {"publish": chosen})

    assert due
    assert page.context["overdue"] == len(due)  # approved in 2023: all late by now
    assert set(Inspection.objects.filter(pk__in=chosen).values_list("state", flat=True)) == {
        InspectionState.PUBLISHED
    }
    assert client.get(reverse("home")).context["publication"]["due"] == len(due) - 3


def test_only_approved_results_are_published_and_only_by_the_coordinator(
    demo: DemoSummary,  # noqa: F811
) -> None:
    lucheng = Inspection.objects.filter(task__plan__region__code="140406")
    submitted = lucheng.filter(state=InspectionState.SUBMITTED)[:1]
    approved = lucheng.filter(state=InspectionState.APPROVED)[:1]

    with pytest.raises(PublicationError, match="未审核通过"):
        publish(submitted, actor=User.objects.get(username="lucheng-coordinator"))
    with pytest.raises(NotAllowed, match="协调员"):
        publish(approved, actor=User.objects.get(username="lucheng-dept-admin"))


def test_a_name_search_and_a_result_filter_list_each_result_once(
    demo: DemoSummary,  # noqa: F811
) -> None:
    one = published().select_related("visit__entity").first()
    part = one.visit.entity.name[2:6]
    finding = one.results.first()

    by_name = Client().get(reverse("disclosure:results"), {"q": part})
    by_result = Client().get(reverse("disclosure:results"), {"result": finding.code})
    expected = published().filter(results__code=finding.code).count()

    assert one.visit.entity.uscc in {r["uscc"] for r in by_name.context["rows"]}
    assert all(part in r["entity"] for r in by_name.context["rows"])
    assert by_result.context["page"].paginator.count == expected
    pks = [i.pk for i in by_result.context["page"]]
    assert len(pks) == len(set(pks))


def test_page_links_keep_the_search_and_the_choices_come_from_published_results(
    demo: DemoSummary,  # noqa: F811
) -> None:
    year = published().values_list("task__plan__year", flat=True).first()
    response = Client().get(reverse("disclosure:results"), {"year": year, "page": 1})

    departments = set(published().values_list("task__lead_department__name", flat=True))
    assert response.context["query"] == f"year={year}"
    assert set(response.context["departments"]) == departments - {None}
    assert response.context["years"] == sorted(
        set(published().values_list("task__plan__year", flat=True)), reverse=True
    )
    if response.context["page"].has_next():
        assert f'href="?year={year}&amp;page=2"' in response.content.decode()


def test_the_count_stops_at_the_cap_so_a_million_rows_are_never_counted(
    demo: DemoSummary,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shuangsuiji.disclosure.services import CappedPaginator

    total = published().count()
    monkeypatch.setattr(CappedPaginator, "CAP", total - 1)

    page = Client().get(reverse("disclosure:results"))

    assert page.context["page"].paginator.count == total  # cap + 1: "more than the cap"
    assert page.context["page"].paginator.capped
    assert f"{total - 1} 条以上" in page.content.decode()


def test_an_excel_file_too_large_is_refused_with_a_reason_and_csv_still_streams_it(
    demo: DemoSummary,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shuangsuiji.disclosure import views

    total = published().count()
    monkeypatch.setattr(views, "XLSX_MAX_ROWS", total - 1)
    monkeypatch.setattr(views, "STREAM_CHUNK", 7)  # several chunks, joined correctly
    client = Client()

    refused = client.get(reverse("disclosure:results_data", args=["xlsx"]))
    as_csv = body(client.get(reverse("disclosure:results_data", args=["csv"])))
    as_json = json.loads(body(client.get(reverse("disclosure:results_data", args=["json"]))))

    assert refused.status_code == 400
    assert "下载 CSV" in refused.content.decode()
    assert len(list(csv.DictReader(io.StringIO(as_csv.decode("utf-8-sig"))))) == total
    assert len(as_json["results"]) == total


def test_a_search_with_a_nul_character_is_answered_not_an_error(
    demo: DemoSummary,  # noqa: F811
) -> None:
    response = Client().get(
        reverse("disclosure:results"), {"q": "潞城\x00区", "department": "\x00"}
    )

    assert response.status_code == 200


def test_each_published_result_is_on_the_audit_chain_with_who_and_the_region(
    demo: DemoSummary,  # noqa: F811
) -> None:
    coordinator = User.objects.get(username="lucheng-coordinator")
    approved = Inspection.objects.filter(
        state=InspectionState.APPROVED, visit__assignment__plan__region__code="140406"
    )[:3]
    chosen = {i.pk: i.visit.assignment.plan.region_id for i in approved}

    with acting_as(coordinator):
        publish(Inspection.objects.filter(pk__in=chosen), actor=coordinator)

    entries = AuditEntry.objects.filter(
        model="inspections.inspection", object_id__in=[str(pk) for pk in chosen]
    ).filter(after__state=InspectionState.PUBLISHED)
    assert {(int(e.object_id), e.region_id) for e in entries} == set(chosen.items())
    assert {e.username for e in entries} == {"lucheng-coordinator"}
    assert {e.before["state"] for e in entries} == {InspectionState.APPROVED}
    assert {e.after["published_by_id"] for e in entries} == {coordinator.pk}
    assert first_break(AuditEntry.objects.order_by("sequence")) is None
