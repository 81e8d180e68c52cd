"""The hash of an audit entry: SHA-256 over the canonical JSON of its content and the previous
entry's hash (the same canonical JSON as the draw rule)."""

from collections.abc import Iterable
from typing import Any

from shuangsuiji.core.draw import canonical_json, sha256_hex

GENESIS = "0" * 64


def entry_hash(fields: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(fields))


def content(entry: Any) -> dict[str, Any]:
    """What an entry's hash covers."""
    return {
        "sequence": entry.sequence,
        "at": entry.at.isoformat(),
        "user": entry.user_id,
        "username": entry.username,
        "action": entry.action,
        "model": entry.model,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
        "previous_hash": entry.previous_hash,
    }


def first_break(entries: Iterable[Any]) -> str | None:
    """The first entry whose hash or link does not hold, described; None when all hold."""
    previous, expected_sequence = GENESIS, 1
    for entry in entries:
        if entry.sequence != expected_sequence:
            return f"第 {expected_sequence} 条缺失（下一条为第 {entry.sequence} 条）"
        if entry.previous_hash != previous:
            return f"第 {entry.sequence} 条的上一条摘要与第 {entry.sequence - 1} 条不符"
        if entry_hash(content(entry)) != entry.hash:
            return f"第 {entry.sequence} 条的内容与其摘要不符（被改动）"
        previous, expected_sequence = entry.hash, entry.sequence + 1
    return None
