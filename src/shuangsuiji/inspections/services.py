"""Recording, submitting, reviewing and following up inspection results; attachments.

Every step checks who acts (a member of the visit's team records; the task's lead department
or the coordinator reviews, never the person who recorded) and the state it starts from.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from shuangsuiji.accounts.permissions import SYSTEM, require
from shuangsuiji.assignments.models import Visit
from shuangsuiji.audit.recorder import append_many
from shuangsuiji.inspections.models import (
    Attachment,
    FollowUp,
    Inspection,
    InspectionState,
    ResultCategory,
)
from shuangsuiji.inspections.rules import (
    may_close_follow_up,
    may_record,
    may_review,
    reviewable,
)

EDITABLE = (InspectionState.PENDING, InspectionState.RETURNED)
# Accepted attachments, recognised by their first bytes, not by the name or the browser's word.
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", (".jpg", ".jpeg")),
    b"\x89PNG\r\n\x1a\n": ("image/png", (".png",)),
    b"%PDF-": ("application/pdf", (".pdf",)),
}


class InspectionStepError(ValueError):
    """A step refused: wrong person, wrong state, or results that do not fit together."""


def inspections_of(visit: Visit) -> list[Inspection]:
    """One inspection per task of the visit, created the first time the visit is opened."""
    existing = {i.task_id: i for i in visit.inspections.all()}
    missing = [t for t in visit.tasks.all() if t.pk not in existing]
    if missing:
        Inspection.objects.bulk_create(
            [Inspection(visit=visit, task=t) for t in missing], ignore_conflicts=True
        )
    return list(visit.inspections.select_related("task").prefetch_related("results", "attachments"))


def check_results(categories: list[ResultCategory]) -> None:
    """At least one result; a result with sub-results is given by its sub-results; one that
    stands alone (未发现问题, 已注销 …) is the only one."""
    if not categories:
        raise InspectionStepError("请至少选择一项检查结果")
    for category in categories:
        if category.children.exists():
            raise InspectionStepError(f"“{category.name}”请选择具体情形")
    alone = [c for c in categories if c.stands_alone]
    if alone and len(categories) > 1:
        raise InspectionStepError(f"“{alone[0].name}”不能与其他检查结果同时选择")


@transaction.atomic
def record(
    inspection: Inspection,
    *,
    actor: Any,
    results: list[ResultCategory],
    inspected_on: date | None,
    measures: str = "",
    notes: str = "",
) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(may_record(actor, locked), "只有本次检查的检查组成员可以录入结果")
    if locked.state not in EDITABLE:
        raise InspectionStepError(f"结果{locked.get_state_display()}，不能再修改")
    check_results(results)
    visit = locked.visit
    if inspected_on is None:
        raise InspectionStepError("请填写检查日期")
    if inspected_on > timezone.localdate():
        raise InspectionStepError("检查日期不能晚于今天")
    if not visit.window_start <= inspected_on.strftime("%Y-%m") <= visit.window_end:
        raise InspectionStepError(
            f"检查日期应在检查时间 {visit.window_start} 至 {visit.window_end} 之内"
        )
    if any(c.needs_follow_up for c in results) and not measures.strip():
        raise InspectionStepError("发现问题需后续处理的，请填写后续处置措施")
    locked.results.set(results)
    locked.inspected_on, locked.measures, locked.notes = inspected_on, measures.strip(), notes
    locked.recorded_by = actor
    locked.save(update_fields=["inspected_on", "measures", "notes", "recorded_by"])
    return locked


@transaction.atomic
def submit(inspection: Inspection, *, actor: Any) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(may_record(actor, locked), "只有本次检查的检查组成员可以提交结果")
    if locked.state not in EDITABLE:
        raise InspectionStepError(f"结果{locked.get_state_display()}，不能提交")
    check_results(list(locked.results.all()))
    locked.state, locked.submitted_at = InspectionState.SUBMITTED, timezone.now()
    locked.save(update_fields=["state", "submitted_at"])
    return locked


@transaction.atomic
def review(inspection: Inspection, *, actor: Any, approve: bool, reason: str = "") -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(may_review(actor, locked), "只有牵头部门或协调员可以审核，且录入人不能审核自己的结果")
    if locked.state != InspectionState.SUBMITTED:
        raise InspectionStepError("只能审核待审核的结果")
    if not approve and not reason.strip():
        raise InspectionStepError("退回必须说明原因")
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    if approve:
        locked.state, locked.return_reason = InspectionState.APPROVED, ""
        if locked.results.filter(needs_follow_up=True).exists():
            locked.follow_up = FollowUp.OPEN
    else:
        locked.state, locked.return_reason = InspectionState.RETURNED, reason.strip()
    locked.save(update_fields=["state", "reviewed_by", "reviewed_at", "return_reason", "follow_up"])
    return locked


REVIEWED_FIELDS = ("state", "reviewed_by_id", "reviewed_at", "return_reason", "follow_up")
REFUSED = "只有牵头部门或协调员可以审核，且录入人不能审核自己的结果"


@transaction.atomic
def review_many(
    inspections: Iterable[Inspection], *, actor: Any, approve: bool, reason: str = ""
) -> int:
    """Approve, or return with one reason, several results at once: all or none.

    The rule is `review`'s: `reviewable` is `may_review` as a filter, so a result the actor
    may not review (another department's, one it recorded itself, a forged id) refuses the
    whole step, named. Then one UPDATE for all and one chained run of audit entries
    (`append_many`, as `disclosure.services.publish` does), with the fields and values
    `review`'s save would have recorded: 1,000 results are one step, not 1,000 saves (28 s
    at province scale)."""
    reason = reason.strip()
    if not approve and not reason:
        raise InspectionStepError("退回必须说明原因")
    chosen = Inspection.objects.filter(pk__in=sorted({i.pk for i in inspections}))
    rows = list(
        chosen.select_for_update().order_by("pk").values_list("pk", "region_id", *REVIEWED_FIELDS)
    )
    if actor is not SYSTEM:
        allowed = set(reviewable(chosen, actor).values_list("pk", flat=True))
        refused = [pk for pk, *_ in rows if pk not in allowed]
        require(not refused, f"“{_entity_name(refused[0]) if refused else ''}”：{REFUSED}")
    waiting = [pk for pk, _, state, *_ in rows if state != InspectionState.SUBMITTED]
    if waiting:
        raise InspectionStepError(f"“{_entity_name(waiting[0])}”：只能审核待审核的结果")
    now = timezone.now()
    if approve:
        needs_follow_up = Inspection.results.through.objects.filter(
            inspection_id=OuterRef("pk"), resultcategory__needs_follow_up=True
        )
        updated = chosen.update(
            state=InspectionState.APPROVED,
            reviewed_by_id=actor.pk,
            reviewed_at=now,
            return_reason="",
            follow_up=Case(
                When(Exists(needs_follow_up), then=Value(FollowUp.OPEN)), default=F("follow_up")
            ),
        )
    else:
        updated = chosen.update(
            state=InspectionState.RETURNED,
            reviewed_by_id=actor.pk,
            reviewed_at=now,
            return_reason=reason,
        )
    if updated != len(rows):  # the rows are locked: only a concurrent writer on SQLite gets here
        raise InspectionStepError("审核期间结果被他人改动，请刷新后重试")
    after = dict(chosen.values_list("pk", "follow_up"))
    state = (InspectionState.APPROVED if approve else InspectionState.RETURNED).value
    append_many(
        "update",
        (
            (
                LABEL,
                str(pk),
                region_id,
                dict(
                    zip(REVIEWED_FIELDS, (*values[:2], _iso(values[2]), *values[3:]), strict=True)
                ),
                {
                    "state": state,
                    "reviewed_by_id": actor.pk,
                    "reviewed_at": now.isoformat(),
                    "return_reason": "" if approve else reason,
                    "follow_up": after[pk],
                },
            )
            for pk, region_id, *values in rows
        ),
    )
    return len(rows)


LABEL = Inspection._meta.label_lower


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _entity_name(inspection_id: int) -> str:
    name: str = Inspection.objects.values_list("visit__entity__name", flat=True).get(
        pk=inspection_id
    )
    return name


@transaction.atomic
def close_follow_up(inspection: Inspection, *, actor: Any, note: str) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(may_close_follow_up(actor, locked), "无权办结后续处理")
    if locked.follow_up != FollowUp.OPEN:
        raise InspectionStepError("没有进行中的后续处理")
    if not note.strip():
        raise InspectionStepError("请说明后续处理情况")
    locked.follow_up, locked.follow_up_note = FollowUp.CLOSED, note.strip()
    locked.follow_up_closed_at = timezone.now()
    locked.save(update_fields=["follow_up", "follow_up_note", "follow_up_closed_at"])
    return locked


def attach(inspection: Inspection, upload: UploadedFile, *, actor: Any) -> Attachment:
    """A photo (JPEG/PNG) or PDF, its type read from its first bytes and its name checked."""
    require(may_record(actor, inspection), "只有本次检查的检查组成员可以上传附件")
    if inspection.state not in EDITABLE:
        raise InspectionStepError("结果已提交，不能再添加附件")
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size is None or upload.size > limit:
        raise InspectionStepError(f"附件“{upload.name}”超过 {settings.ATTACHMENT_MAX_MB} MB")
    head = upload.read(8)
    upload.seek(0)
    name = upload.name or "附件"
    for signature, (content_type, suffixes) in SIGNATURES.items():
        if head.startswith(signature):
            if not name.lower().endswith(suffixes):
                raise InspectionStepError(f"附件“{name}”的扩展名与内容（{content_type}）不符")
            return Attachment.objects.create(
                inspection=inspection,
                file=upload,
                name=name[:200],
                content_type=content_type,
                size=upload.size,
                uploaded_by=actor,
            )
    raise InspectionStepError(f"附件“{name}”不是 JPEG、PNG 图片或 PDF 文件")
