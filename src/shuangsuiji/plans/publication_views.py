"""The plan page's three buttons: 发布, 撤回 (with a reason) and 删除草稿. Each posts to the
service of the same name (`plans.publication`), which decides who may."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from shuangsuiji.plans.models import Plan
from shuangsuiji.plans.publication import (
    PlanStateError,
    delete_draft,
    publish_plan,
    withdraw_plan,
)


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("region"), pk=pk)


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        publish_plan(plan, actor=request.user)
    except PlanStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已发布“{plan.title}”：计划已在公示网站公开，各任务可以抽取。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        withdraw_plan(plan, actor=request.user, reason=request.POST.get("reason", ""))
    except PlanStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已撤回“{plan.title}”：公示网站标明撤回时间和原因。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        title = delete_draft(plan, actor=request.user)
    except PlanStateError as error:
        messages.error(request, str(error))
        return redirect("plans:detail", pk=plan.pk)
    messages.success(request, f"已删除草稿“{title}”。")
    return redirect("plans:list")
