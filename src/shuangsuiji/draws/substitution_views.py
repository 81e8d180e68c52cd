"""The draw page's substitution form: one POST, the service decides (rule, state, V8)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from shuangsuiji.draws.access import visible_draw
from shuangsuiji.draws.substitutions import SubstitutionError, substitute


@login_required
@require_POST
def substitute_view(request: HttpRequest, pk: int) -> HttpResponse:
    draw = visible_draw(request.user, pk)
    try:
        made = substitute(
            draw,
            replaced=request.POST.get("replaced", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except SubstitutionError as error:
        messages.error(request, str(error))
    else:
        said = f"已登记第 {made.number} 次替补：{made.replaced} 由 {made.replacement} 替补"
        messages.success(request, said)
    return redirect(reverse("draws:detail", args=[draw.pk]) + "#substitutions")
