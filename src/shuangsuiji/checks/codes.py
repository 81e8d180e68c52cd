"""Inspection codes: one random code per visit, its public card, and its QR image.

A code has 12 characters of Crockford's base-32 alphabet (no I, L, O, U: read aloud or typed
from paper without confusion), 60 random bits: nobody finds a visit by trying codes. It is
shown as XXXX-XXXX-XXXX; typed in lower case, with or without dashes, with I/L for 1 and O
for 0, it is the same code."""

import hmac
import secrets
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shuangsuiji.accounts.permissions import Role, require, role_of, within
from shuangsuiji.approvals.standing import approval_line, standing_of
from shuangsuiji.assignments.models import Visit
from shuangsuiji.assignments.services import visit_items
from shuangsuiji.checks.models import VisitCode, VisitRating
from shuangsuiji.core import draw as rule
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.inspections.models import Inspection, InspectionState

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})


def code_for(visit: Visit, *, actor: Any) -> VisitCode | None:
    """The visit's code, made the first time anyone who may see the visit asks for it; an
    auditor, who writes nothing, sees it only once it exists (None before)."""
    require(within(actor, visit, "view"), "只有能查看本次检查的人员可以取得检查码")
    existing = VisitCode.objects.filter(visit=visit).first()
    if existing is not None or role_of(actor) is Role.AUDITOR:
        return existing
    for _ in range(5):  # a collision in 2^60 is not expected; a concurrent first ask is
        try:
            with transaction.atomic():
                return VisitCode.objects.create(visit=visit, code=_new_code())
        except IntegrityError:
            existing = VisitCode.objects.filter(visit=visit).first()
            if existing is not None:
                return existing
    raise RuntimeError("无法生成检查码")


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))


def read(text: str) -> str:
    """A code as typed or scanned, in its stored form (or "" if it cannot be one)."""
    code = text.upper().translate(READ_AS)
    return code if len(code) == LENGTH and set(code) <= set(ALPHABET) else ""


def qr_svg(url: str) -> str:
    """The QR image of `url` as inline SVG (no image file, nothing for the CSP to allow)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return str(image.to_string(encoding="unicode"))


def qr_png(url: str) -> bytes:
    """The QR image of `url` as PNG, for the printed notice."""
    output = BytesIO()
    qrcode.make(url, box_size=8, border=2).save(output)
    return output.getvalue()


@dataclass(frozen=True)
class Member:
    name: str
    department: str
    role: str
    certificate_no: str
    valid_until: date
    valid: bool  # on the day of the check if it was made, else today


@dataclass(frozen=True)
class Card:
    """What the holder of a code sees: the visit as registered, the team as certified, and a
    link per draw to prove in its own browser that the rule chose it."""

    code: str
    entity: str
    departments: list[str]
    lead: str
    window: str
    plan: str
    items: list[dict[str, str]]
    members: list[Member]
    state: str
    carried_out: bool  # a result records the day it was done: the company may rate it
    validity_day: str  # the day the certificates are judged on, in words
    proofs: list[tuple[str, str, str]]  # (task name, draw id, code.salt for 为什么是我)
    approval: str = ""  # who approved and when, or that it is not yet approved


def card(code: VisitCode) -> Card:
    visit = code.visit
    checked_on = (
        Inspection.objects.filter(visit=visit)
        .exclude(inspected_on=None)
        .order_by("inspected_on")
        .values_list("inspected_on", flat=True)
        .first()
    )
    day = checked_on or timezone.localdate()
    members = visit.members.select_related("inspector", "department").order_by("slot")
    return Card(
        code=shown(code.code),
        entity=visit.entity.name,
        departments=[d.short_name for d in visit.departments.order_by("name")],
        lead=visit.lead_department.short_name,
        window=f"{visit.window_start} 至 {visit.window_end}",
        plan=visit.assignment.plan.title,
        items=visit_items(visit),
        members=[
            Member(
                name=m.inspector.name,
                department=m.department.short_name,
                role=m.role,
                certificate_no=m.inspector.certificate_no,
                valid_until=m.inspector.certificate_valid_until,
                valid=m.inspector.certificate_valid_from
                <= day
                <= m.inspector.certificate_valid_until,
            )
            for m in members
        ],
        state=_state(visit, checked_on),
        carried_out=checked_on is not None,
        validity_day=f"检查当日（{checked_on:%Y-%m-%d}）" if checked_on else "今日",
        proofs=_proofs(visit),
        approval=approval_line(standing_of(visit)),
    )


def _state(visit: Visit, checked_on: date | None) -> str:
    """Where the visit stands, from the day it was first carried out (read once by `card`)."""
    if Inspection.objects.filter(visit=visit, state=InspectionState.PUBLISHED).exists():
        return f"已检查（{checked_on:%Y-%m-%d}），结果已公示" if checked_on else "结果已公示"
    if checked_on is not None:
        return f"已于 {checked_on:%Y-%m-%d} 检查"
    return "待检查"


def _proofs(visit: Visit) -> list[tuple[str, str, str]]:
    """For each task of the visit, its published draw and the company's own 核验码 (its salt):
    the holder of the code is the company, whose salt hides only its own class."""
    proofs = []
    uscc = visit.entity.uscc
    draws = Draw.objects.filter(
        task__in=visit.tasks.all(), state=DrawState.DRAWN, superseded_by__isnull=True
    ).select_related("task")
    for draw in draws.order_by("task__position"):
        if draw.freeze.get("spec") != rule.SPEC_V2:
            continue
        _, salts = rule.population_from_file(draw.population_csv, draw.freeze)
        if salts and uscc in salts:
            proofs.append((draw.task.name, draw.draw_id, f"{uscc}.{salts[uscc]}"))
    return proofs


RATING_LENGTH = 8


def rating_code(code: str) -> str:
    """The visit's rating code, printed on the notice beside the inspection code: derived
    from the inspection code under the installation's secret, so it is stored nowhere and the
    card's page, which anyone with the inspection code opens, cannot show it."""
    mac = hmac.new(settings.SECRET_KEY.encode(), f"visit-rating:{code}".encode(), "sha256")
    number = int.from_bytes(mac.digest()[:5], "big")  # 40 bits
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(RATING_LENGTH))


class RatingError(ValueError):
    """A rating the card refuses, said to the company."""


def rate_visit(code: VisitCode, *, rating_code_text: str, score: int, comment: str) -> VisitRating:
    """The company's one rating of its visit, once the visit has been carried out."""
    given = rating_code_text.upper().translate(READ_AS)  # typed as the inspection code is
    if not hmac.compare_digest(given, rating_code(code.code)):
        raise RatingError("评价码不正确：请核对通知书上的评价码")
    if not Inspection.objects.filter(visit=code.visit, inspected_on__isnull=False).exists():
        raise RatingError("本次检查尚未进行，检查结束后才能评价")
    if not 1 <= score <= 5:
        raise RatingError("请选择 1 至 5 分")
    if len(comment) > 500:
        raise RatingError("意见不超过 500 字")
    try:
        with transaction.atomic():
            return VisitRating.objects.create(
                visit=code.visit, score=score, comment=comment.strip()
            )
    except IntegrityError as error:
        raise RatingError("本次检查已经评价过，每次检查只能评价一次") from error
