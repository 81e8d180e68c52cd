"""Who registered each ceremony step, and when, read back from the audit chain: the draw's
own record holds only what the rule needs (party, commitment, secret), and every step is
already an audit entry naming its user and time, so the page needs no second copy."""

from dataclasses import dataclass
from datetime import datetime

from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.draws.models import Draw

STEPS = ("commitments", "reveals")


@dataclass(frozen=True)
class Registration:
    who: str
    at: datetime


def registrations(draw: Draw) -> dict[tuple[str, str], Registration]:
    """(step, party) → who registered it: the first entry whose list gains the party."""
    found: dict[tuple[str, str], Registration] = {}
    entries = (
        AuditEntry.objects.filter(model="draws.draw", object_id=str(draw.pk), action="update")
        .select_related("user__department")
        .order_by("sequence")
    )
    for entry in entries:
        for step in STEPS:
            after = (entry.after or {}).get(step)
            if not isinstance(after, list):
                continue
            before = {item["party"] for item in (entry.before or {}).get(step) or []}
            for item in after:
                key = (step, item["party"])
                if item["party"] not in before and key not in found:
                    found[key] = Registration(_name(entry), entry.at)
    return found


def _name(entry: AuditEntry) -> str:
    user = entry.user if entry.user_id else None
    if user is None:
        return entry.username or "系统"
    name = user.get_full_name() or user.get_username()
    department = getattr(user, "department", None)
    return f"{name}（{department}）" if department else name
