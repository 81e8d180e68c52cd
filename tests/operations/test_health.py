"""`/health/` answers 200 with every check named when all hold, and 503 naming the one that
does not: no live worker, a migration not applied, an audit entry edited behind the chain."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.directory.models import Department
from shuangsuiji.operations import health, heartbeat
from shuangsuiji.operations.models import WorkerHeartbeat
from tests.audit.test_log import guard_lifted
from tests.factories import lucheng

pytestmark = pytest.mark.django_db


def answer() -> tuple[int, dict[str, Any]]:
    response = Client().get(reverse("health"))
    return response.status_code, json.loads(response.content)


def some_entries() -> None:
    region = lucheng()
    with acting_as(None):
        for n in range(3):
            Department.objects.create(name=f"测试部门{n}", short_name=f"部门{n}", region=region)


def test_all_holds_with_a_live_worker() -> None:
    some_entries()
    heartbeat.beat("worker-1", timezone.now())

    status, body = answer()

    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "worker", "audit_chain"}
    assert body["checks"]["worker"] == {"ok": True, "alive": 1}
    assert body["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert body["checks"]["audit_chain"]["ok"] is True


def test_a_worker_that_stopped_beating_makes_it_fail() -> None:
    heartbeat.beat("worker-1", timezone.now())
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - heartbeat.STALE_AFTER - timedelta(1))

    status, body = answer()

    assert status == 503
    assert body["checks"]["worker"] == {"ok": False, "alive": 0}


def test_an_edited_audit_entry_makes_it_fail_naming_the_entry() -> None:
    some_entries()
    heartbeat.beat("worker-1", timezone.now())
    last = AuditEntry.objects.order_by("-sequence").first()
    with guard_lifted():  # as someone with the database owner's rights could
        AuditEntry.objects.filter(pk=last.pk).update(username="nobody")

    status, body = answer()

    assert status == 503
    assert body["checks"]["audit_chain"]["problem"] == f"第 {last.sequence} 条的内容与其摘要不符"


def test_a_pending_migration_makes_it_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    heartbeat.beat("worker-1", timezone.now())
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("app", False)]
    )

    status, body = answer()

    assert status == 503
    assert body["checks"]["migrations"] == {"ok": False, "pending": 1}


def test_a_database_that_does_not_answer_makes_it_fail_naming_each_check(tmp_path: Any) -> None:
    """The app's connection pointed at a database that cannot be reached: a closed port on
    PostgreSQL, a file in a missing directory on SQLite."""
    original = connections["default"]
    unreachable = (
        {"PORT": "1"}
        if original.vendor == "postgresql"
        else {"NAME": str(tmp_path / "missing" / "db.sqlite3")}
    )
    gone = type(original)({**original.settings_dict, **unreachable}, "default")
    connections["default"] = gone
    try:
        status, body = answer()
    finally:
        gone.close()
        connections["default"] = original

    assert (status, body["status"]) == (503, "fail")
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": False,
        "migrations": False,
        "worker": False,
        "audit_chain": False,
    }
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
