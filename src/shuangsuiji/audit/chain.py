"""The hash of an audit entry: SHA-256 over the canonical JSON of its content and the previous
entry's hash (the same canonical JSON as the draw rule).

Two rules, told apart by the entry's `version`:
- none (entries written before 2026-12): the region is outside the hash;
- 2: the region and the version are inside, so re-tagging an entry's region (which decides who
  may read it) breaks the chain like any other edit.
Once an entry of rule 2 is written every later one is too: an entry set back to no version
would drop its region from the hash, and the check reports it."""

from collections.abc import Iterable
from typing import Any

from django.apps import apps

from shuangsuiji.core.draw import canonical_json, sha256_hex

GENESIS = "0" * 64
HASH_VERSION = 2  # the rule new entries are hashed with


def entry_hash(fields: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(fields))


def content(entry: Any) -> dict[str, Any]:
    """What an entry's hash covers, by the rule its version names."""
    fields = {
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
    if entry.version is not None:
        fields["version"] = entry.version
        fields["region"] = entry.region_id
    return fields


def first_break(entries: Iterable[Any]) -> str | None:
    """The first entry whose hash or link does not hold, described; None when all hold."""
    previous, expected_sequence, hashed_region = GENESIS, 1, False
    for entry in entries:
        if entry.sequence != expected_sequence:
            return f"第 {expected_sequence} 条缺失（下一条为第 {entry.sequence} 条）"
        if entry.previous_hash != previous:
            return f"第 {entry.sequence} 条的上一条摘要与第 {entry.sequence - 1} 条不符"
        if entry.version not in (None, HASH_VERSION) or (hashed_region and entry.version is None):
            return f"第 {entry.sequence} 条的摘要规则版本被改动（{entry.version}）"
        if entry_hash(content(entry)) != entry.hash:
            return _retagged(entry) or f"第 {entry.sequence} 条的内容与其摘要不符（被改动）"
        previous, expected_sequence = entry.hash, entry.sequence + 1
        hashed_region = entry.version is not None
    return None


def _retagged(entry: Any) -> str | None:
    """When only the region was changed: the region its hash was made with, found among the
    record's present region and none (tried only for an entry that already failed)."""
    if entry.version is None:
        return None
    from shuangsuiji.audit.recorder import region_of  # the recorder imports this module

    candidates: list[int | None] = [None]
    try:
        model = apps.get_model(entry.model)
        record = model._base_manager.filter(pk=entry.object_id).first()
    except (LookupError, ValueError):
        record = None
    if record is not None:
        candidates.insert(0, region_of(record))
    for region in candidates:
        if region == entry.region_id:
            continue
        original = {**content(entry), "region": region}
        if entry_hash(original) == entry.hash:
            return (
                f"第 {entry.sequence} 条的所属区划被改动："
                f"记为 {_region_name(entry.region_id)}，摘要所含为 {_region_name(region)}"
            )
    return None


def _region_name(region_id: int | None) -> str:
    if region_id is None:
        return "（无）"
    region = apps.get_model("directory", "Region")._base_manager.filter(pk=region_id).first()
    return f"{region.name}（#{region_id}）" if region is not None else f"#{region_id}"
