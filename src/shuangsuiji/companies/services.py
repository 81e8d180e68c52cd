"""The company's side, as services the pages (and later the API) share: a company's own
visits, results and ratings; time slots the team offers and the company picks; objections to a
published result and the lead department's answer.

A service that a company calls takes the company (`directory.Entity`, from its session) and
finds the record among the company's own, so another company's id is refused (NotAllowed,
403) whatever the form says. A service the team calls takes the acting user and asks
`companies.rules`."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shuangsuiji.accounts.permissions import NotAllowed, require, restrict
from shuangsuiji.assignments.models import AssignmentState, Visit
from shuangsuiji.checks.codes import RatingError, rate_visit, rating_code
from shuangsuiji.checks.models import VisitCode, VisitRating
from shuangsuiji.companies.models import Objection, ObjectionState, VisitSlot
from shuangsuiji.companies.rules import may_answer, may_offer_slots, may_read_objections
from shuangsuiji.directory.models import Entity
from shuangsuiji.inspections.models import Inspection, InspectionState
from shuangsuiji.inspections.services import SIGNATURES

OPEN_SLOTS_LIMIT = 10  # offers a company reads on a phone, not a calendar
REASON_LIMIT = 2000


class CompanyStepError(ValueError):
    """A step the data refuses (not a permission), said to the user."""


def visits_of(company: Entity) -> QuerySet[Visit]:
    """The company's visits of assigned, current (not superseded) assignments, newest first."""
    return (
        Visit.objects.filter(
            entity=company,
            assignment__state=AssignmentState.ASSIGNED,
            assignment__superseded_by__isnull=True,
        )
        .select_related("assignment__plan", "lead_department")
        .order_by("-window_start", "code")
    )


def visit_of(company: Entity, visit_id: int) -> Visit:
    visit = visits_of(company).filter(pk=visit_id).first()
    if visit is None:
        raise NotAllowed("这不是贵单位的检查")
    return visit


def carried_out(visit: Visit) -> bool:
    return Inspection.objects.filter(visit=visit, inspected_on__isnull=False).exists()


def results_of(company: Entity) -> QuerySet[Inspection]:
    """The company's published results (what the public sees of it, and what it may object
    to)."""
    return (
        Inspection.objects.filter(
            visit__in=visits_of(company).values("pk"), state=InspectionState.PUBLISHED
        )
        .select_related("visit", "task__lead_department")
        .prefetch_related("results__parent")
        .order_by("-published_at", "-pk")
    )


def ratings_of(company: Entity) -> dict[int, VisitRating]:
    """The company's own ratings by visit: it sees what it gave; no department page does."""
    ratings = VisitRating.objects.filter(visit__in=visits_of(company).values("pk"))
    return {rating.visit_id: rating for rating in ratings}


def rate(company: Entity, visit_id: int, *, score: int, comment: str) -> VisitRating:
    """The company rates its own visit once, through the card's rule (`checks.codes.rate_visit`):
    its session stands in for the rating code printed on its notice."""
    visit = visit_of(company, visit_id)
    code = VisitCode.objects.filter(visit=visit).first()
    if code is None:
        raise RatingError("本次检查尚未生成检查码，暂不能评价")
    return rate_visit(code, rating_code_text=rating_code(code.code), score=score, comment=comment)


# --- time slots (双预约) ---


def _month(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m}"


@transaction.atomic
def offer_slot(
    visit: Visit, *, starts_at: datetime, ends_at: datetime, note: str, actor: Any
) -> VisitSlot:
    """A time the team can come, within the visit's window and on one day."""
    require(
        may_offer_slots(actor, visit), "只有本次检查的检查组成员或参加部门的管理员可以提供预约时段"
    )
    if ends_at <= starts_at:
        raise CompanyStepError("结束时间应晚于开始时间")
    if timezone.localtime(starts_at).date() != timezone.localtime(ends_at).date():
        raise CompanyStepError("一个时段应在同一天内")
    if not visit.window_start <= _month(starts_at) <= visit.window_end:
        raise CompanyStepError(f"时段应在检查时段 {visit.window_start} 至 {visit.window_end} 之内")
    if carried_out(visit):
        raise CompanyStepError("本次检查已经进行，不能再提供预约时段")
    if VisitSlot.objects.filter(visit=visit).count() >= OPEN_SLOTS_LIMIT:
        raise CompanyStepError(f"每次检查最多提供 {OPEN_SLOTS_LIMIT} 个时段")
    return VisitSlot.objects.create(
        visit=visit,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note.strip()[:100],
        offered_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def withdraw_slot(slot: VisitSlot, *, actor: Any) -> None:
    """An offer taken back before the company chose it."""
    require(
        may_offer_slots(actor, slot.visit),
        "只有本次检查的检查组成员或参加部门的管理员可以撤回预约时段",
    )
    locked = VisitSlot.objects.select_for_update().get(pk=slot.pk)
    if locked.chosen_at is not None:
        raise CompanyStepError("企业已选择该时段，不能撤回")
    locked.delete()


@transaction.atomic
def book_slot(company: Entity, slot_id: int) -> VisitSlot:
    """The company picks one of the times offered for its visit (and may pick another until
    the visit is carried out)."""
    slot = VisitSlot.objects.filter(pk=slot_id).select_related("visit").first()
    if slot is None:
        raise NotAllowed("这不是贵单位检查的预约时段")
    visit = visit_of(company, slot.visit_id)  # another company's slot: refused
    if carried_out(visit):
        raise CompanyStepError("本次检查已经进行，不能再预约")
    offered = list(VisitSlot.objects.select_for_update().filter(visit=visit).order_by("pk"))
    # Saved one by one, not by a queryset update, so the audit log keeps each change: the
    # company is no user, and the log is what tells its choices apart.
    for other in offered:
        if other.pk != slot.pk and other.chosen_at is not None:
            other.chosen_at = None
            other.save(update_fields=["chosen_at"])
    chosen = next(s for s in offered if s.pk == slot.pk)
    chosen.chosen_at = timezone.now()
    chosen.save(update_fields=["chosen_at"])
    return chosen


def chosen_slot(visit: Visit) -> VisitSlot | None:
    return VisitSlot.objects.filter(visit=visit, chosen_at__isnull=False).first()


# --- objections (异议) ---


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def _checked_upload(upload: UploadedFile) -> CheckedFile:
    """The inspections' attachment rule: bounded by ATTACHMENT_MAX_MB before a byte is read,
    then recognised by its first bytes (JPEG, PNG, PDF) with a matching name."""
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size is None or upload.size > limit:
        raise CompanyStepError(f"附件“{upload.name}”超过 {settings.ATTACHMENT_MAX_MB} MB")
    head = upload.read(8)
    upload.seek(0)
    name = upload.name or "附件"
    for signature, (content_type, suffixes) in SIGNATURES.items():
        if head.startswith(signature):
            if not name.lower().endswith(suffixes):
                raise CompanyStepError(f"附件“{name}”的扩展名与内容（{content_type}）不符")
            return CheckedFile(name=name[:200], content_type=content_type, size=upload.size)
    raise CompanyStepError(f"附件“{name}”不是 JPEG、PNG 图片或 PDF 文件")


def object_to(
    company: Entity, inspection_id: int, *, reason: str, upload: UploadedFile | None
) -> Objection:
    """The company's objection to one of its published results: a reason and at most one
    attachment; one objection per result."""
    inspection = results_of(company).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotAllowed("这不是贵单位已公示的检查结果")
    reason = reason.strip()
    if not reason:
        raise CompanyStepError("请写明异议理由")
    if len(reason) > REASON_LIMIT:
        raise CompanyStepError(f"异议理由不超过 {REASON_LIMIT} 字")
    checked = _checked_upload(upload) if upload is not None else None
    if Objection.objects.filter(inspection=inspection).exists():
        raise CompanyStepError("已对该结果提出过异议")
    objection = Objection(inspection=inspection, reason=reason)
    if upload is not None and checked is not None:
        objection.file = upload  # type: ignore[assignment]
        objection.file_name, objection.file_type = checked.name, checked.content_type
        objection.file_size = checked.size
    objection.save()
    return objection


@transaction.atomic
def answer_objection(objection: Objection, *, accept: bool, answer: str, actor: Any) -> Objection:
    """The lead department's answer: the objection accepted or not, with its reasons."""
    locked = (
        Objection.objects.select_for_update()
        .select_related("inspection__task")
        .get(pk=objection.pk)
    )
    require(may_answer(actor, locked), "只有该结果的牵头部门可以答复异议")
    if locked.state != ObjectionState.PENDING:
        raise CompanyStepError("该异议已经答复")
    if not answer.strip():
        raise CompanyStepError("请填写答复意见")
    locked.state = ObjectionState.ACCEPTED if accept else ObjectionState.REJECTED
    locked.answer = answer.strip()[:REASON_LIMIT]
    locked.answered_by = actor if getattr(actor, "pk", None) else None
    locked.answered_at = timezone.now()
    locked.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    return locked


def objections_for(user: Any) -> QuerySet[Objection]:
    """The objections a staff member may read: the result's lead department, the region's
    coordinator and auditor."""
    if not may_read_objections(user):
        return Objection.objects.none()
    return restrict(Objection.objects.all(), user, "view").select_related(
        "inspection__visit__entity", "inspection__task__lead_department"
    )


def parse_slot(day: str, start: str, end: str) -> tuple[datetime, datetime]:
    """A slot as the offer form gives it (a day and two times), in local time."""
    try:
        on = date.fromisoformat(day)
        starts = datetime.combine(on, datetime.strptime(start, "%H:%M").time())
        ends = datetime.combine(on, datetime.strptime(end, "%H:%M").time())
    except ValueError as error:
        raise CompanyStepError("请填写日期和起止时间") from error
    zone = timezone.get_current_timezone()
    return timezone.make_aware(starts, zone), timezone.make_aware(ends, zone)
