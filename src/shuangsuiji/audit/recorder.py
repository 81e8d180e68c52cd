"""Signals that write an audit entry for every save and delete of the platform's own models,
and the middleware (or, outside a request, `acting_as`) that tells them who is acting."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from shuangsuiji.core.draw import sha256_hex

ACTOR: ContextVar[Any] = ContextVar("audit_actor", default=None)
AUDITED_APPS = {
    "accounts",
    "approvals",  # who approved which visits, emergencies and their afterward approval
    "directory",
    "plans",
    "draws",
    "assignments",
    "inspections",
    "checks",
    "companies",  # slots offered and chosen, objections and their answers
    "operations",
}
# Derived from audited records and rebuilt whole: auditing them would only repeat those records.
UNAUDITED_MODELS = {
    "directory.entitytally",
    "directory.tallystamp",
    "directory.directorychanges",
    "operations.workerheartbeat",  # a worker's pulse, every 30 s: a clock, not a record
}
LARGE = 2000  # characters: longer values are recorded by their digest and length
SECRET_FIELDS = {"password"}  # recorded by digest and length only


class AuditMiddleware:
    """Remember the signed-in user for the entries this request causes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = ACTOR.set(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            ACTOR.reset(token)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Name `user` in the entries written inside the block, as the middleware does for a
    request: management commands run as the user given with --user."""
    token = ACTOR.set(user)
    try:
        yield
    finally:
        ACTOR.reset(token)


def snapshot(instance: models.Model, only: Any = None) -> dict[str, Any]:
    """The record's concrete fields (or those named in `only`) as JSON values; large ones as
    digest and length, and so are secrets, whatever their length: the log shows a password
    changed, never its hash (which anyone reading the log could try to crack)."""
    values = {}
    for field in instance._meta.concrete_fields:
        if only is None or field.name in only or field.attname in only:
            value = _plain(field.value_from_object(instance))
            if field.attname in SECRET_FIELDS and isinstance(value, str) and value:
                value = {"sha256": sha256_hex(value.encode()), "length": len(value)}
            values[field.attname] = value
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):  # 0.3 as assigned and 0.300000 as read back are one value
        return format(value.normalize(), "f")
    if isinstance(value, bytes | memoryview):
        value = bytes(value).hex()
    if isinstance(value, str | dict | list) and len(text := str(value)) > LARGE:
        return {"sha256": sha256_hex(text.encode()), "length": len(text)}
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _audited(sender: Any) -> bool:
    """The platform's own models, not migrations' historical copies (whose tables may be ahead
    of the audit table's)."""
    meta = sender._meta
    return (
        meta.apps is django_apps
        and meta.app_label in AUDITED_APPS
        and not meta.auto_created
        and meta.label_lower not in UNAUDITED_MODELS
    )


def audited_models() -> list[type[models.Model]]:
    return sorted(
        (model for model in django_apps.get_models() if _audited(model)),
        key=lambda model: model._meta.label_lower,
    )


def shared_models() -> list[str]:
    """Audited models that belong to no region (categories, qualifications): their entries are
    for every reader of the log."""
    return [
        model._meta.label_lower
        for model in audited_models()
        if model._meta.label_lower != "directory.region" and not hasattr(model, "REGION_LOOKUP")
    ]


def _before(
    sender: Any,
    instance: models.Model,
    raw: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    """Keep the stored values a save is about to replace (only the fields it writes)."""
    if raw or not _audited(sender) or instance.pk is None:
        return
    rows = sender._base_manager.filter(pk=instance.pk)
    if update_fields:
        rows = rows.only(*update_fields)
    old = rows.first()
    instance._audit_before = (  # type: ignore[attr-defined]
        snapshot(old, update_fields) if old is not None else None
    )


def _saved(
    sender: Any,
    instance: models.Model,
    created: bool,
    raw: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    if raw or not _audited(sender):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    after = snapshot(instance, None if created else update_fields)
    if before == after:
        return
    append("create" if created else "update", instance, before, after)


def _deleted(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    if _audited(sender):
        append("delete", instance, snapshot(instance), None)


def region_of(instance: models.Model) -> int | None:
    """The region the record belongs to, by its model's `REGION_LOOKUP` (a Region is its own);
    None for shared reference data or when the path is broken (a parent deleted first)."""
    if instance._meta.label_lower == "directory.region":
        return instance.pk
    lookup: str | None = getattr(type(instance), "REGION_LOOKUP", None)
    if lookup is None:
        return None
    *path, last = lookup.split("__")
    owner: Any = instance
    try:
        for name in path:
            owner = getattr(owner, name)
            if owner is None:
                return None
    except ObjectDoesNotExist:
        return None
    region_id: int | None = getattr(owner, f"{last}_id")
    return region_id


def append(action: str, instance: models.Model, before: Any, after: Any) -> None:
    """Add one entry at the end of the chain, under a lock on the chain's head."""
    append_many(
        action,
        [(instance._meta.label_lower, str(instance.pk), region_of(instance), before, after)],
    )


# (model label, object id, region id, before, after): one change, as append_many takes it.
Change = tuple[str, str, int | None, Any, Any]
APPEND_BATCH = 1000  # entries per INSERT: well under SQLite's limit on bound variables


def append_many(action: str, changes: Iterable[Change]) -> int:
    """Add one entry per change at the end of the chain, in order, under one lock on the head:
    a bulk action (publishing 10,000 results) appends its entries in a few INSERTs instead of
    two queries each, chained exactly as one `append` after another would chain them."""
    from shuangsuiji.audit.chain import HASH_VERSION, content, entry_hash
    from shuangsuiji.audit.models import AuditEntry, AuditHead

    actor = ACTOR.get()
    user_id = getattr(actor, "pk", None)
    username = getattr(actor, "username", "") or ""
    written = 0
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        sequence, previous = head.sequence, head.last_hash
        batch: list[AuditEntry] = []
        for model, object_id, region_id, before, after in changes:
            sequence += 1
            entry = AuditEntry(
                sequence=sequence,
                at=timezone.now(),
                user_id=user_id,
                username=username,
                action=action,
                model=model,
                object_id=object_id,
                before=before,
                after=after,
                previous_hash=previous,
                region_id=region_id,
                version=HASH_VERSION,
            )
            entry.hash = previous = entry_hash(content(entry))
            batch.append(entry)
            if len(batch) == APPEND_BATCH:
                written += len(AuditEntry.objects.bulk_create(batch))
                batch = []
        written += len(AuditEntry.objects.bulk_create(batch))
        if written:
            head.sequence, head.last_hash = sequence, previous
            head.save(update_fields=["sequence", "last_hash"])
    return written


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Django's own `last_login` update, named as the user's act: the request that signs in
    began anonymous, so the middleware has no one to name."""
    with acting_as(user):
        update_last_login(sender, user, **kwargs)


def connect() -> None:
    if user_logged_in.disconnect(dispatch_uid="update_last_login"):
        user_logged_in.connect(_signed_in, dispatch_uid="audit-signed-in")
    pre_save.connect(_before, dispatch_uid="audit-before")
    post_save.connect(_saved, dispatch_uid="audit-saved")
    post_delete.connect(_deleted, dispatch_uid="audit-deleted")
