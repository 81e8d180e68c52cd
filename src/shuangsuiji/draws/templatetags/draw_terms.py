"""The draw record's vocabulary in the words the pages use."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

SEED_KIND_LABELS = {
    "commit-reveal": "各部门承诺—揭示，加公开随机值",
    "public": "公开随机值",
    "system": "系统随机数（仅演练）",
}


@register.filter
def seed_kind(kind: str) -> str:
    """A ceremony's `kind` as a reader understands it; an unknown one as it is."""
    return SEED_KIND_LABELS.get(kind, kind)


@register.filter
def percent(ratio: object) -> str:
    """A stratum's ratio as the plan writes it ("0.3" → "30%", "0.005" → "0.5%"); a count
    draw's missing ratio as a dash."""
    if ratio in (None, ""):
        return "—"
    try:
        value = Decimal(str(ratio)) * 100
    except InvalidOperation:
        return str(ratio)
    text = format(value.normalize(), "f")
    return f"{text}%"
