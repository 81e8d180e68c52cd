"""Audit entries in words: the kind of record, the action, and each field as its label with
before → after, ids of related records as their names."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.recorder import audited_models

ACTIONS = {"create": "新增", "update": "修改", "delete": "删除"}
LONGEST = 160  # characters of a value shown; the entry keeps all of it
HIDDEN = {"id"}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class EntryRow:
    entry: AuditEntry
    action: str
    kind: str
    changes: list[Change]


def audited_kinds() -> list[tuple[str, str]]:
    """(label, name) of every audited model, for the log's filter."""
    return [(m._meta.label_lower, str(m._meta.verbose_name)) for m in audited_models()]


def entry_rows(entries: list[AuditEntry]) -> list[EntryRow]:
    names = _related_names(entries)
    rows = []
    for entry in entries:
        model = _model(entry.model)
        kind = str(model._meta.verbose_name) if model else entry.model
        rows.append(
            EntryRow(
                entry, ACTIONS.get(entry.action, entry.action), kind, _changes(entry, model, names)
            )
        )
    return rows


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _changes(
    entry: AuditEntry, model: type[models.Model] | None, names: dict[tuple[Any, Any], str]
) -> list[Change]:
    """An update's changed fields; a creation's or deletion's filled-in ones."""
    before, after = entry.before or {}, entry.after or {}
    fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    changes = []
    for key in dict.fromkeys([*fields, *before, *after]):
        if key in HIDDEN or (key not in before and key not in after):
            continue
        old, new = before.get(key), after.get(key)
        if old == new or (entry.action != "update" and _empty(old) and _empty(new)):
            continue
        field = fields.get(key)
        label = str(field.verbose_name) if field is not None else key
        changes.append(Change(label, _text(field, old, names), _text(field, new, names)))
    return changes


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


def _text(
    field: models.Field[Any, Any] | None, value: Any, names: dict[tuple[Any, Any], str]
) -> str:
    if _empty(value):
        return "—"
    if field is not None and field.is_relation and field.related_model is not None:
        return names.get((field.related_model, value), f"#{value}")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M:%S")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) and set(value) == {"sha256", "length"}:
        return f"（{value['length']} 字符，摘要 {str(value['sha256'])[:12]}…）"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= LONGEST else text[:LONGEST] + "…"


def _related_names(entries: list[AuditEntry]) -> dict[tuple[Any, Any], str]:
    """One query per related model for the ids the page's entries name."""
    wanted: dict[Any, set[Any]] = {}
    for entry in entries:
        model = _model(entry.model)
        if model is None:
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            for values in (entry.before or {}, entry.after or {}):
                if isinstance(value := values.get(field.attname), int | str) and value != "":
                    wanted.setdefault(field.related_model, set()).add(value)
    names = {}
    for related, ids in wanted.items():
        for obj in related._base_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names
