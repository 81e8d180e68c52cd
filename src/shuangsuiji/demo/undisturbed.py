"""The demo's 无事不扰 list (issue 19): the region marks its food and work-safety items as
重点监管事项 and lists three A-class companies before the year's draws, so a task without a
key item leaves them out with the list's reason, and a task checking a key item still draws
them."""

from django.db.models import Q

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.checks.undisturbed import checks_key_items, list_undisturbed
from shuangsuiji.directory.enums import ItemList
from shuangsuiji.directory.models import CheckItem
from shuangsuiji.draws.services import task_population
from shuangsuiji.plans.models import PlanTask

KEY_WORDS = ("食品", "安全生产", "特种设备", "药品")


def demo_undisturbed(tasks: list[PlanTask]) -> list[str]:
    """List three A-class companies of the tasks without a key item; return their codes."""
    plan = tasks[0].plan
    key = Q()
    for word in KEY_WORDS:
        key |= Q(name__contains=word)
    CheckItem.objects.filter(key, department__region_id=plan.region_id).update(
        list_kind=ItemList.KEY
    )
    chosen: list[str] = []
    for task in tasks[1:]:
        if len(chosen) >= 3 or checks_key_items(task):
            continue
        population, _ = task_population(task)
        graded_a = sorted(c for c, s in population.items() if s == "A" and c not in chosen)
        chosen += graded_a[: 3 - len(chosen)]
    if chosen:
        list_undisturbed(
            "\n".join(chosen),
            year=plan.year,
            source=f"{plan.region.full_name}{plan.year}年度无事不扰企业名单（演示数据）",
            actor=SYSTEM,
            region=plan.region,
        )
    return chosen
