"""The region's 无事不扰 list: entering it (pasted codes, as copied from the published list) and
what a draw leaves out because of it.

A white list protects companies of good standing from random checks; it never hides a company
from a check the rules require: tasks that check an item on the 重点监管事项 list, and
companies rated D at the freeze, are drawn as usual."""

import re
from typing import Any

from django.db import transaction

from shuangsuiji.accounts.permissions import SYSTEM, require
from shuangsuiji.checks.models import UndisturbedListing
from shuangsuiji.checks.rules import may_enter_lists, may_list_undisturbed
from shuangsuiji.directory.enums import ItemList
from shuangsuiji.directory.models import CheckItem, Entity, Region
from shuangsuiji.plans.models import PlanTask

USCC = re.compile(r"[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}")
MAX_LINES = 20_000


class ListingError(ValueError):
    """A list that cannot be entered as given; the message names the line."""


def codes_in(text: str) -> list[tuple[int, str]]:
    """(line number, code) for each non-blank line: the first 18-character credit code on the
    line, so rows copied from a published table (序号, name, code …) read as they are."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ListingError(f"一次最多录入 {MAX_LINES} 行，本次 {len(lines)} 行")
    found = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = USCC.search(line.upper())
        if match is None:
            raise ListingError(f"第 {number} 行没有统一社会信用代码：“{line.strip()[:40]}”")
        found.append((number, match.group()))
    if not found:
        raise ListingError("请粘贴名单：每行一家企业的统一社会信用代码")
    return found


@transaction.atomic
def list_undisturbed(
    text: str, *, year: int, source: str, actor: Any, region: Region | None = None
) -> int:
    """Put the pasted companies on the year's list of the coordinator's region (`region` for
    the system); returns how many were new. All or nothing: one unknown code, one outside the
    coordinator's region, or one rated D refuses the whole paste, naming its line."""
    require(may_enter_lists(actor), "只有本辖区协调员可以录入无事不扰企业名单")
    region = region or _own_region(actor)
    if not source.strip():
        raise ListingError("请填写公布依据：名单所在的文件名称、文号或网址")
    lines = codes_in(text)
    entities = {e.uscc: e for e in Entity.objects.filter(uscc__in=[c for _, c in lines])}
    added = 0
    for number, code in lines:
        entity = entities.get(code)
        # one message for "unknown" and "elsewhere": a paste must not probe other regions
        if entity is None or not may_list_undisturbed(actor, entity):
            raise ListingError(f"第 {number} 行：本辖区名录库中没有 {code}")
        if entity.risk_class == "D":
            raise ListingError(
                f"第 {number} 行：{entity.name}（{code}）信用风险分类为 D（高风险），"
                "不能列入无事不扰名单"
            )
        _, created = UndisturbedListing.objects.get_or_create(
            region=region,
            entity=entity,
            year=year,
            defaults={"source": source.strip(), "listed_by": _user(actor)},
        )
        added += created
    return added


@transaction.atomic
def unlist(listing: UndisturbedListing, *, actor: Any) -> None:
    """Only the region that published the list changes it: a city's coordinator does not
    take companies off a district's list, nor the reverse."""
    own = actor is SYSTEM or getattr(actor.department, "region_id", None) == listing.region_id
    require(may_enter_lists(actor) and own, "只有发布名单辖区的协调员可以修改无事不扰企业名单")
    listing.delete()


def _own_region(actor: Any) -> Region:
    department = getattr(actor, "department", None)
    if department is None:
        raise ListingError("请指定名单所属的辖区")
    region: Region = department.region
    return region


def undisturbed_in(task: PlanTask, population: dict[str, str]) -> dict[str, str]:
    """Companies of `population` (code → stratum) on the list the plan's own region published
    for the plan's year, each with its reason; none when the task checks a 重点监管事项."""
    plan = task.plan
    if checks_key_items(task):
        return {}
    rows = UndisturbedListing.objects.filter(region_id=plan.region_id, year=plan.year).values_list(
        "entity__uscc", "source"
    )
    return {
        code: f"列入{plan.year}年度无事不扰企业名单（{source}），本任务不含重点监管事项"
        for code, source in rows
        if code in population and population[code] != "D"
    }


def checks_key_items(task: PlanTask) -> bool:
    """Whether one of the task's items is on the region's 重点监管事项 list."""
    return CheckItem.objects.filter(
        department__region_id=task.plan.region_id,
        name__in=task.items,
        list_kind=ItemList.KEY,
    ).exists()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
