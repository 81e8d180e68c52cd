"""The draw page's substitution panel (draws/_substitutions.html): the recorded substitutions,
the entities awaiting one (待替补) and whether the acting user may record one. A tag of the
inspections app, because the draws app sits below the results it reads."""

from typing import Any

from django import template

from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.rules import may_substitute
from shuangsuiji.inspections.uninspectable import awaiting_substitution, unvisited_replacements

register = template.Library()


@register.simple_tag(takes_context=True)
def substitution_panel(context: template.Context, draw: Draw) -> dict[str, Any]:
    user = context["request"].user
    return {
        "substitutions": list(draw.substitutions.select_related("recorded_by").order_by("number")),
        "awaiting": awaiting_substitution(draw),
        "unvisited": unvisited_replacements(draw),
        "may_substitute": may_substitute(user, draw),
    }
