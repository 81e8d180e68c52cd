"""What the public result page says of a company's objection to a result: 异议处理中 while
the lead department has not answered, then its outcome and the day (not the reasons, which
may name the company's business)."""

from django.utils import timezone

from shuangsuiji.companies.models import Objection, ObjectionState

PUBLIC_STATES = {
    ObjectionState.PENDING: "异议处理中",
    ObjectionState.ACCEPTED: "企业异议成立",
    ObjectionState.REJECTED: "企业异议不成立",
}


def public_objection_states(inspection_ids: list[int]) -> dict[int, str]:
    """What the public result page says beside each result objected to, in one query."""
    rows = Objection.objects.filter(inspection_id__in=inspection_ids).values_list(
        "inspection_id", "state", "answered_at"
    )
    states = {}
    for inspection_id, state, answered_at in rows:
        text = PUBLIC_STATES[ObjectionState(state)]
        if answered_at is not None:
            text += f"（{timezone.localtime(answered_at):%Y-%m-%d} 答复）"
        states[inspection_id] = text
    return states
