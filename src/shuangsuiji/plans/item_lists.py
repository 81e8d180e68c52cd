"""A plan's items against its region's published lists (54号: no list, no check; 浙江's
三张清单): an item on none of the region's lists, or only on the 无事不扰 list, is flagged on
the plan's page before anything is drawn. A flag, not a refusal: the list may simply not be
entered yet."""

from collections import defaultdict
from collections.abc import Iterable

from shuangsuiji.directory.enums import ItemList
from shuangsuiji.directory.models import CheckItem
from shuangsuiji.plans.models import Plan, PlanTask


def item_flags(plan: Plan, tasks: Iterable[PlanTask]) -> dict[int, list[str]]:
    """Task id → what its items lack, in words; tasks with nothing to say are left out."""
    lists: dict[str, set[str]] = defaultdict(set)
    rows = CheckItem.objects.filter(department__region_id=plan.region_id).values_list(
        "name", "list_kind"
    )
    for name, kind in rows:
        lists[name].add(kind)
    if not lists:
        return {}  # the region has entered no list yet: one note elsewhere, not a flag a task
    flags: dict[int, list[str]] = {}
    for task in tasks:
        unlisted = [item for item in task.items if item not in lists]
        undisturbed = [item for item in task.items if lists.get(item) == {ItemList.UNDISTURBED}]
        said = []
        if unlisted:
            said.append(f"未列入本辖区公布的抽查事项清单：{'、'.join(unlisted)}")
        if undisturbed:
            said.append(f"仅列入无事不扰事项清单，不应随机抽查：{'、'.join(undisturbed)}")
        if said:
            flags[task.pk] = said
    return flags
