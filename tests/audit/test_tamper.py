"""Tamper evidence against whoever holds the database: each attack replayed in SQL and found
(the chain, the published head) or refused (the database's triggers)."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.audit.anchor import check_against, current_head, parse_heads
from shuangsuiji.audit.chain import GENESIS, HASH_VERSION, content, entry_hash, first_break
from shuangsuiji.audit.models import AuditEntry, AuditHead
from shuangsuiji.demo.build import DemoSummary, build_demo
from shuangsuiji.directory.models import Region
from shuangsuiji.inspections.models import FollowUp, Inspection
from shuangsuiji.inspections.services import close_follow_up
from tests.audit.test_log import guard_lifted
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.draws.test_views import logged_in

pytestmark = pytest.mark.django_db


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        if statement.startswith("TRUNCATE"):  # not while the test's own FK checks are pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement, params or [])


def _chain() -> str | None:
    return first_break(AuditEntry.objects.order_by("sequence"))


def test_new_entries_hash_their_region_and_older_entries_still_verify(world: World) -> None:
    make_task(world)
    first, *rest = AuditEntry.objects.order_by("sequence")
    # An entry as written before the region was hashed: no version, hashed without it.
    first.version = None
    with guard_lifted():
        AuditEntry.objects.filter(pk=first.pk).update(version=None, hash=entry_hash(content(first)))
        for entry in rest:  # the chain after it, as it would have been appended then
            entry.previous_hash = AuditEntry.objects.get(sequence=entry.sequence - 1).hash
            AuditEntry.objects.filter(pk=entry.pk).update(
                previous_hash=entry.previous_hash, hash=entry_hash(content(entry))
            )

    assert {e.version for e in rest} == {HASH_VERSION}
    assert _chain() is None


def test_re_tagging_an_entrys_region_is_reported_by_the_log_page(world: World) -> None:
    make_task(world)
    entry = AuditEntry.objects.filter(model="plans.plan").get()
    other = Region.objects.get(code="140502")

    with guard_lifted():
        AuditEntry.objects.filter(pk=entry.pk).update(region=other)
    page = logged_in(world.auditor).get(reverse("audit"))

    assert page.context["broken"] == (
        f"第 {entry.sequence} 条的所属区划被改动：记为 {other.name}（#{other.pk}），"
        f"摘要所含为 {entry.region.name}（#{entry.region_id}）"
    )


def test_setting_an_entry_back_to_the_old_rule_is_found(world: World) -> None:
    make_task(world)
    entry = AuditEntry.objects.order_by("sequence").last()

    with guard_lifted():
        AuditEntry.objects.filter(pk=entry.pk).update(version=None)

    assert _chain() == f"第 {entry.sequence} 条的摘要规则版本被改动（None）"


def test_a_cut_tail_with_its_head_reset_is_found_against_a_published_head(world: World) -> None:
    make_task(world)
    published = current_head()
    keep = published.sequence - 3
    with guard_lifted():  # the owner removes the tail and resets the head: the chain holds
        AuditEntry.objects.filter(sequence__gt=keep).delete()
        last = AuditEntry.objects.get(sequence=keep)
        AuditHead.objects.update(sequence=keep, last_hash=last.hash)

    assert _chain() is None
    assert check_against([(published.sequence, published.digest)]) == [
        f"公布的第 {published.sequence} 条（摘要 {published.digest}）已不存在，"
        f"当前日志只到第 {keep} 条：日志被截断"
    ]


def test_an_edit_with_the_chain_recomputed_is_found_against_a_published_head(
    world: World,
) -> None:
    make_task(world)
    published = current_head()
    previous = None
    with guard_lifted():  # edit the first entry, recompute every hash after it
        for entry in AuditEntry.objects.order_by("sequence"):
            if previous is None:
                entry.after = {**(entry.after or {}), "title": "改过的标题"}
            else:
                entry.previous_hash = previous
            entry.hash = entry_hash(content(entry))
            AuditEntry.objects.filter(pk=entry.pk).update(
                after=entry.after, previous_hash=entry.previous_hash, hash=entry.hash
            )
            previous = entry.hash

    assert _chain() is None
    assert check_against(parse_heads(published.line())) == [
        f"第 {published.sequence} 条的摘要为 {previous}，与公布的 {published.digest} 不符："
        "日志被改动后重算"
    ]


def test_the_verify_command_passes_on_a_kept_head_file_and_fails_once_the_tail_is_cut(
    world: World, tmp_path: object
) -> None:
    make_task(world)
    heads = tmp_path / "heads.txt"  # type: ignore[operator]
    heads.write_text(current_head().line() + "\n", encoding="utf-8")
    call_command("audit", "verify", "--against", str(heads))

    with guard_lifted():
        AuditEntry.objects.filter(sequence=current_head().sequence).delete()

    with pytest.raises(CommandError, match="日志被截断"):
        call_command("audit", "verify", "--against", str(heads))


def test_the_public_head_page_and_heads_txt_carry_the_current_head(world: World) -> None:
    make_task(world)
    head = current_head()

    page = Client().get(reverse("audit:head"))
    text = Client().get(reverse("audit:heads"))

    assert page.status_code == 200
    assert page.context["head"] == head
    assert page.context["heads"][0] == head
    assert text.content.decode().splitlines() == [head.line(), head.line()]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncating_the_audit_log_is_refused(world: World) -> None:
    make_task(world)
    count = AuditEntry.objects.count()

    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        _sql("TRUNCATE audit_auditentry")

    assert AuditEntry.objects.count() == count


@pytest.fixture
def demo(db: None) -> DemoSummary:
    """The demo's two plans with results, some published (smaller than `make demo`)."""
    return build_demo(entities_per_district=600)


def _published() -> Inspection:
    return Inspection.objects.filter(state="published").order_by("pk").first()


def test_a_published_result_cannot_be_set_back_edited_or_deleted_in_sql(
    demo: DemoSummary,
) -> None:
    published = _published()
    attacks = [
        ("UPDATE inspections_inspection SET state = 'returned' WHERE id = %s", [published.pk]),
        ("UPDATE inspections_inspection SET inspected_on = NULL WHERE id = %s", [published.pk]),
        ("DELETE FROM inspections_inspection WHERE id = %s", [published.pk]),
        ("DELETE FROM inspections_inspection_results WHERE inspection_id = %s", [published.pk]),
    ]
    if connection.vendor == "postgresql":
        attacks.append(("TRUNCATE inspections_inspection CASCADE", []))

    for statement, params in attacks:
        refused = pytest.raises(DatabaseError, match=r"immutable|TRUNCATE refused")
        with refused, transaction.atomic():
            _sql(statement, params)

    published.refresh_from_db()
    assert (published.state, published.results.count() > 0) == ("published", True)


def test_a_published_results_follow_up_is_still_closed(demo: DemoSummary) -> None:
    inspection = Inspection.objects.filter(state="published", follow_up="open").first()
    if inspection is None:  # the demo's published results may have none open: open one
        inspection = _published()
        Inspection.objects.filter(pk=inspection.pk).update(follow_up=FollowUp.OPEN)

    coordinator = User.objects.get(username="lucheng-coordinator")

    close_follow_up(inspection, actor=coordinator, note="已复查整改到位")

    inspection.refresh_from_db()
    assert (inspection.state, inspection.follow_up) == ("published", FollowUp.CLOSED)


def test_the_atom_feed_carries_yesterdays_last_head(world: World) -> None:
    make_task(world)
    yesterday = timezone.now() - timedelta(days=1)
    previous = GENESIS
    with guard_lifted():  # entries written yesterday, as the chain would have them
        for entry in AuditEntry.objects.order_by("sequence"):
            entry.at, entry.previous_hash = yesterday, previous
            entry.hash = previous = entry_hash(content(entry))
            AuditEntry.objects.filter(pk=entry.pk).update(
                at=entry.at, previous_hash=entry.previous_hash, hash=entry.hash
            )
    head = current_head()

    feed = Client().get(reverse("disclosure:feed")).content.decode()

    day = f"{timezone.localdate(yesterday):%Y-%m-%d}"
    assert _chain() is None
    assert f"<title>审计日志摘要 {day}</title>" in feed
    assert f"截至 {day} 最后一条：第 {head.sequence} 条，摘要 {head.digest}" in feed
