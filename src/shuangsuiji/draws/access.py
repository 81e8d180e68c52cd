"""Who may see a draw: the object-level read rule the draw pages, the API and the `draw`
command share (who may act on one is `draws.rules`)."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.rules import party_of


def visible_draw(user: Any, pk: int) -> Draw:
    """A draw the user may see: by row scope, or as a department taking part in its task."""
    draws = Draw.objects.select_related("task__plan__region", "task__lead_department")
    draw = draws.visible_to(user).filter(pk=pk).first()
    if draw is None:
        draw = get_object_or_404(draws, pk=pk)
        if party_of(user, draw.task) is None:
            raise Http404("没有这次抽取")
    return draw
