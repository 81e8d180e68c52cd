"""The audit chain anchored outside the database: its head (sequence, digest, time) published
on the public site and in the Atom feed, each day's last head kept by whoever reads them; and
the check that an earlier published head is still a prefix of the chain.

Whoever holds the database can cut the chain's tail and reset its head, or edit an entry and
recompute every hash after it: the chain then holds again. It no longer contains an earlier
published head, which is what `check_against` finds. Stateless: the heads are read from the
audit table (the head at the end of a day is that day's last entry)."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from shuangsuiji.audit.chain import first_break
from shuangsuiji.audit.models import AuditEntry

DAYS = 30  # daily heads published
FEED_DAYS = 7  # days whose last head the Atom feed carries
HEAD = re.compile(r"(?:(\d+)\D{0,40}?)?\b([0-9a-f]{64})\b")


@dataclass(frozen=True)
class Head:
    sequence: int
    digest: str
    at: datetime

    def line(self) -> str:
        """The head as one line of heads.txt, which `audit verify --against` reads back."""
        return f"{self.sequence} {self.digest} {timezone.localtime(self.at).isoformat()}"


def _head(entry: AuditEntry | None) -> Head | None:
    return Head(entry.sequence, entry.hash, entry.at) if entry is not None else None


def current_head() -> Head | None:
    entry = AuditEntry.objects.only("sequence", "hash", "at").order_by("-sequence").first()
    return _head(entry)


def daily_heads(days: int = DAYS) -> list[Head]:
    """The last entry of each of the last `days` days (local time) that had one, newest first:
    one index look-up per day."""
    today = timezone.localdate()
    heads = []
    for back in range(days):
        day = today - timedelta(days=back)
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        entry = (
            AuditEntry.objects.filter(at__gte=start, at__lt=start + timedelta(days=1))
            .only("sequence", "hash", "at")
            .order_by("-at", "-sequence")
            .first()
        )
        if (head := _head(entry)) is not None:
            heads.append(head)
    return heads


def feed_items(link: str) -> list[dict[str, Any]]:
    """The Atom feed's 审计日志摘要 entries: the last head of each of the last FEED_DAYS
    finished days (today's is still moving, and the head page shows it), as add_item keywords."""
    today = timezone.localdate()
    return [
        {
            "title": f"审计日志摘要 {timezone.localdate(head.at):%Y-%m-%d}",
            "link": link,
            "description": (
                f"截至 {timezone.localdate(head.at):%Y-%m-%d} 最后一条：第 {head.sequence} 条，"
                f"摘要 {head.digest}"
            ),
            "pubdate": head.at,
            "unique_id": f"audit-head:{head.sequence}:{head.digest}",
        }
        for head in daily_heads(FEED_DAYS + 1)
        if timezone.localdate(head.at) < today
    ]


def parse_heads(text: str) -> list[tuple[int | None, str]]:
    """Published heads in any text that carries them: heads.txt, a saved page or feed, or a bare
    digest: each 64-hex digest with the sequence number written before it, if any."""
    return [(int(n) if n else None, digest) for n, digest in HEAD.findall(text.lower())]


def check_against(published: list[tuple[int | None, str]]) -> list[str]:
    """Whether each published head is still in the chain and the chain holds: the problems in
    Chinese (an empty list: every published head is a prefix of the current chain)."""
    problems = []
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    for sequence, digest in published:
        if sequence is None:
            if not AuditEntry.objects.filter(hash=digest).exists():
                problems.append(f"公布的摘要 {digest} 不在当前日志中：日志被截断或重算")
            continue
        entry = AuditEntry.objects.filter(sequence=sequence).only("hash").first()
        if entry is None:
            problems.append(
                f"公布的第 {sequence} 条（摘要 {digest}）已不存在，当前日志只到第 {last or 0} 条："
                "日志被截断"
            )
        elif entry.hash != digest:
            problems.append(
                f"第 {sequence} 条的摘要为 {entry.hash}，与公布的 {digest} 不符：日志被改动后重算"
            )
    broken = first_break(AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000))
    if broken:
        problems.append(f"日志本身校验未通过：{broken}")
    return problems
