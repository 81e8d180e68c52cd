"""What waits for each user, on the workbench first and sent out as a digest: counts agree
with the pages they link to, an item goes when its step is done, and a digest is not sent
twice unchanged."""

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shuangsuiji.accounts.models import User
from shuangsuiji.assignments.models import Visit
from shuangsuiji.dashboard.inbox import inbox_for
from shuangsuiji.dashboard.models import SentNotice
from shuangsuiji.dashboard.notify import ConsoleChannel, EmailChannel, WebhookChannel, send_digests
from shuangsuiji.disclosure.services import publication_due_count
from shuangsuiji.inspections.models import Inspection, InspectionState, ResultCategory
from shuangsuiji.inspections.rules import reviewable
from shuangsuiji.inspections.services import inspections_of, record, review, submit
from tests.inspections.conftest import day_in, demo, inspector, own_visit  # noqa: F401

pytestmark = pytest.mark.django_db


def coordinator() -> User:
    return User.objects.get(username="lucheng-coordinator")


def returned_result(inspector: User, visit: Visit) -> Inspection:  # noqa: F811
    inspection = inspections_of(visit)[0]
    ok = ResultCategory.objects.get(code="01")
    record(inspection, actor=inspector, results=[ok], inspected_on=day_in(visit))
    submit(inspection, actor=inspector)
    return review(inspection, actor=coordinator(), approve=False, reason="请补充现场照片")


def test_the_coordinator_is_told_what_the_review_queue_and_publication_page_count(
    demo: object,  # noqa: F811
) -> None:
    user = coordinator()
    said = {item.kind: item for item in inbox_for(user)}

    queued = Inspection.objects.visible_to(user).filter(state=InspectionState.SUBMITTED)
    due = publication_due_count(Inspection.objects.visible_to(user))
    assert said["review"].text == f"待审核的检查结果 {reviewable(queued, user).count()} 项"
    assert said["review"].url == reverse("inspections:review")
    assert said["publication"].text.startswith(f"待公示的检查结果 {due.due} 项")
    assert said["publication"].urgent == bool(due.overdue)


def test_a_returned_result_reaches_its_recorder_first_and_goes_when_resubmitted(
    inspector: User,  # noqa: F811
    own_visit: Visit,  # noqa: F811
) -> None:
    returned = returned_result(inspector, own_visit)

    first = inbox_for(inspector)[0]
    assert (first.kind, first.urgent) == ("returned", True)
    assert first.text.endswith("：请补充现场照片")
    assert first.url == reverse("inspections:visit", args=[own_visit.pk])

    ok = ResultCategory.objects.get(code="01")
    record(returned, actor=inspector, results=[ok], inspected_on=day_in(own_visit))
    submit(returned, actor=inspector)
    assert "returned" not in {item.kind for item in inbox_for(inspector)}


def test_the_workbench_lists_the_items_first_as_links(
    inspector: User,  # noqa: F811
    own_visit: Visit,  # noqa: F811
) -> None:
    returned_result(inspector, own_visit)
    client = Client()
    client.force_login(inspector)

    page = client.get(reverse("home")).content.decode()

    inbox = page.index('id="inbox"')
    assert inbox < page.index("两库一单")
    assert reverse("inspections:visit", args=[own_visit.pk]) in page[inbox:]


def test_a_digest_is_sent_once_until_what_waits_changes(
    inspector: User,  # noqa: F811
    own_visit: Visit,  # noqa: F811
) -> None:
    people = User.objects.filter(pk__in=[inspector.pk, coordinator().pk])
    out = io.StringIO()
    channel = ConsoleChannel(out)

    first = send_digests(channel, users=people)
    again = send_digests(channel, users=people)
    returned_result(inspector, own_visit)  # the inspector's list changes (so does the queue)
    changed = send_digests(channel, users=people)

    assert (first.sent, again.sent, again.unchanged) == (2, 0, 2)
    assert changed.sent >= 1
    assert "请补充现场照片" in out.getvalue()
    assert SentNotice.objects.filter(user=inspector).count() == 2


def test_email_goes_to_those_with_an_address(demo: object, settings: Any) -> None:  # noqa: F811
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with_address, without = coordinator(), User.objects.get(username="lucheng-auditor")
    User.objects.filter(pk=with_address.pk).update(email="coordinator@example.gov.cn")
    User.objects.filter(pk=without.pk).update(email="")
    people = User.objects.filter(pk__in=[with_address.pk, without.pk])

    counts = send_digests(EmailChannel(), users=people)

    assert counts.sent == 1
    assert [m.to for m in mail.outbox] == [["coordinator@example.gov.cn"]]
    assert "待审核的检查结果" in mail.outbox[0].body


@pytest.fixture
def robot() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A group robot's webhook on this machine, keeping what it is posted."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=demo", received
    server.shutdown()


def test_a_group_robot_gets_the_text_message_naming_the_person(
    demo: object,  # noqa: F811
    robot: tuple[str, list[dict[str, Any]]],
) -> None:
    url, received = robot
    user = coordinator()

    send_digests(WebhookChannel(url), users=User.objects.filter(pk=user.pk))

    assert len(received) == 1
    assert received[0]["msgtype"] == "text"
    content = received[0]["text"]["content"]
    assert content.startswith(f"@{user.get_full_name() or user.username} 双随机抽查平台")
    assert "待审核的检查结果" in content


def test_the_command_reports_what_it_sent(demo: object) -> None:  # noqa: F811
    out = io.StringIO()

    call_command("notify", "--channel", "console", stdout=out)

    assert "待审核的检查结果" in out.getvalue()
    assert out.getvalue().splitlines()[-1].startswith("已发送 ")
