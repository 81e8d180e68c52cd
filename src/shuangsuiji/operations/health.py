"""What `/health/` checks, each cheaply (a few indexed queries), each named in the answer so an
operator sees which part is wrong: the database answers, every migration is applied, a worker
beat recently, and the audit chain's newest entries hold and end at the published head."""

from itertools import pairwise
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor

from shuangsuiji.audit.chain import content, entry_hash
from shuangsuiji.audit.models import AuditEntry, AuditHead
from shuangsuiji.operations.heartbeat import live_workers

AUDIT_TAIL = 50  # newest entries whose hashes and links are checked on every call

Check = dict[str, Any]


def database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


def migrations() -> Check:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {"ok": not pending, "pending": len(pending)}


def worker() -> Check:
    alive = live_workers()
    return {"ok": alive > 0, "alive": alive}


def audit_chain() -> Check:
    head = AuditHead.objects.filter(pk=1).first()
    tail = list(AuditEntry.objects.order_by("-sequence")[:AUDIT_TAIL])[::-1]
    if head is None or not tail:
        return {"ok": head is None and not tail, "entries": 0}
    problem = ""
    for before, entry in pairwise(tail):
        if entry.previous_hash != before.hash or entry.sequence != before.sequence + 1:
            problem = f"第 {entry.sequence} 条与上一条不相连"
            break
    else:
        broken = [e.sequence for e in tail if entry_hash(content(e)) != e.hash]
        if broken:
            problem = f"第 {broken[0]} 条的内容与其摘要不符"
        elif (tail[-1].sequence, tail[-1].hash) != (head.sequence, head.last_hash):
            problem = "最新一条与链头不符"
    return {"ok": not problem, "entries": head.sequence, "problem": problem}


CHECKS = {
    "database": database,
    "migrations": migrations,
    "worker": worker,
    "audit_chain": audit_chain,
}


def health() -> dict[str, Check]:
    """Every check's answer; a check that cannot run (the database gone) says why."""
    answers: dict[str, Check] = {}
    for name, check in CHECKS.items():
        try:
            answers[name] = check()
        except DatabaseError as error:
            answers[name] = {"ok": False, "error": type(error).__name__}
    return answers
