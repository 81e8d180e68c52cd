"""Storing a parsed plan (regions and departments resolved, one transaction, findings kept),
and editing a stored task and its population filter."""

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.utils import timezone

from shuangsuiji.accounts.permissions import NotAllowed, in_region_subtree, require
from shuangsuiji.audit.recorder import append
from shuangsuiji.core.plans.jsonio import finding_to_dict
from shuangsuiji.core.plans.model import Finding, Mode, RiskRule, RiskRuleKind, Severity, Window
from shuangsuiji.core.plans.model import Plan as ParsedPlan
from shuangsuiji.core.plans.model import PlanTask as ParsedTask
from shuangsuiji.directory.models import Department, Region, ScopeCategory
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import freeze_draw
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.population import PopulationFilter, risk_counts
from shuangsuiji.plans.rules import (
    may_change_lead,
    may_edit_task,
    may_import_plan,
    may_set_population,
)

# What a draw is frozen from besides the population filter: the scope as published and the
# draw's parameters (`draws.services.task_parameters`). Changing them after the freeze would
# make the published task disagree with its draw.
LOCKED_AFTER_DRAW = ("scope", "ratio_min", "sample_count", "frequency_per_year", "risk_kind")
# The saved population filter (`plans.population.PopulationFilter.of_task` reads these).
POPULATION_FIELDS = (
    "scope_categories",
    "scope_regions",
    "scope_industry_codes",
    "scope_statuses",
    "scope_min_capital",
)


INDUSTRY_PREFIX = re.compile(r"[A-T]\d{0,4}")


class InvalidScope(ValueError):
    """A population filter naming what cannot be: a malformed industry code, a region outside
    the plan's; nothing was saved."""


class PlanImportError(ValueError):
    """The plan cannot be stored (no region, a duplicate); nothing was written."""


class TaskLockedError(ValueError):
    """The task has a draw: what the draw was frozen from changes only through a redraw."""


def resolve_region(locality: str) -> Region:
    """The region a plan's title names: 长治市潞城区, 潞城区 or 晋城市城区 (city + county).

    The most specific match wins (晋城市城区 over 晋城市); two equally specific ones
    (a bare 城区, which many cities have) are ambiguous and must be given explicitly.
    """
    candidates = [
        region
        for region in Region.objects.select_related("parent")
        if locality and (locality.startswith(region.full_name) or locality == region.name)
    ]
    longest = max((len(region.full_name) for region in candidates), default=0)
    best = [region for region in candidates if len(region.full_name) == longest]
    if len(best) != 1:
        known = "、".join(region.full_name for region in best) or "无"
        raise PlanImportError(
            f"无法从计划标题中的地区“{locality or '（空）'}”确定行政区划（匹配：{known}），"
            "请指定行政区划代码"
        )
    return best[0]


@transaction.atomic
def import_plan(
    parsed: ParsedPlan,
    *,
    filename: str,
    region: Region | None = None,
    year: int | None = None,
    actor: Any,
    replace: bool = False,
) -> Plan:
    """Store the plan and its tasks; departments are linked through their aliases."""
    region = region or resolve_region(parsed.locality)
    require(
        may_import_plan(actor, region),
        f"只有本辖区的协调员可以导入{region.full_name}的计划",
    )
    plan_year = year or parsed.year
    if plan_year is None:
        raise PlanImportError("计划年度未知：标题中没有年度，请指定年度")
    existing = Plan.objects.filter(region=region, year=plan_year, title=parsed.title)
    if existing.exists():
        if not replace:
            raise PlanImportError(
                f"{region.full_name}{plan_year}年已有同名计划“{parsed.title}”；如需覆盖请使用替换导入"
            )
        _delete_replaced(existing)
    plan = Plan.objects.create(
        title=parsed.title,
        locality=parsed.locality,
        year=plan_year,
        region=region,
        columns=list(parsed.columns),
        findings=[finding_to_dict(f) for f in parsed.findings],
        source_filename=filename,
        imported_by=actor if getattr(actor, "pk", None) else None,
    )
    departments = _department_index(region)
    for position, task in enumerate(parsed.tasks, start=1):
        _store_task(plan, position, task, departments)
    return plan


def _delete_replaced(existing: QuerySet[Plan]) -> None:
    """Delete the plan a replacing import supersedes, unless anything was done under it: a
    draw is a public record that must stay with the task it was drawn for."""
    drawn = list(
        PlanTask.objects.filter(plan__in=existing, draws__isnull=False)
        .distinct()
        .order_by("position")
        .values_list("position", "name")
    )
    if drawn:
        shown = "、".join(f"第{position}项“{name}”" for position, name in drawn[:5])
        more = f"等{len(drawn)}项任务" if len(drawn) > 5 else ""
        raise PlanImportError(
            f"计划已有抽取记录，不能整体替换：{shown}{more}已抽取，抽取记录须随任务留存。"
            "请在任务页面逐项修改，或以新的计划标题导入"
        )
    try:
        with transaction.atomic():
            existing.delete()
    except (ProtectedError, RestrictedError) as error:  # an assignment or a risk proposal
        raise PlanImportError(
            "计划已有分配或风险分析记录，不能整体替换：请在任务页面逐项修改，或以新的计划标题导入"
        ) from error


def _department_index(region: Region) -> dict[str, Department]:
    """Every spelling (short name, full name, alias) of the region's departments."""
    index: dict[str, Department] = {}
    for department in Department.objects.filter(region=region).prefetch_related("aliases"):
        index[department.short_name] = department
        index[department.name] = department
        for alias in department.aliases.all():
            index[alias.name] = department
    return index


def _store_task(
    plan: Plan, position: int, task: ParsedTask, departments: dict[str, Department]
) -> PlanTask:
    findings = list(task.findings)
    lead = departments.get(task.lead_department)
    if task.lead_department and lead is None:
        findings.append(_unknown_department("lead_department", task.lead_department))
    partners = []
    for name in task.partner_departments:
        department = departments.get(name)
        if department is None:
            findings.append(_unknown_department("partner_departments", name))
        elif department not in partners:
            partners.append(department)
    stored = PlanTask.objects.create(
        plan=plan,
        position=position,
        seq=task.seq,
        name=task.name,
        items=list(task.items),
        scope=task.scope,
        ratio_min=Decimal(str(task.ratio_min)) if task.ratio_min is not None else None,
        sample_count=task.sample_count,
        class_ratios={k: _ratio_text(v) for k, v in sorted((task.class_ratios or {}).items())},
        ratio_tiers=[[name, _ratio_text(ratio)] for name, ratio in task.ratio_tiers],
        frequency_per_year=task.frequency_per_year,
        sampling_type=task.sampling_type or "",
        risk_kind=task.risk_rule.kind.value,
        risk_text=task.risk_rule.text,
        risk_class=task.risk_rule.risk_class or "",
        window_start=task.window.start or "",
        window_end=task.window.end or "",
        lead_department=lead,
        lead_department_text=task.lead_department,
        partner_texts=list(task.partner_departments),
        partners_open_ended=task.partners_open_ended,
        mode_text=task.mode.text if task.mode else "",
        mode_pairs=[list(pair) for pair in task.mode.pairs] if task.mode else [],
        note=task.note,
        source=dict(task.source),
        findings=[finding_to_dict(f) for f in findings],
    )
    stored.partner_departments.set(partners)
    return stored


def _ratio_text(ratio: float) -> str:
    """A parsed ratio as the exact decimal the plan wrote (0.03, not 0.0299999…): the draw
    reads class ratios as decimal texts."""
    return format(Decimal(str(ratio)).normalize(), "f")


def _unknown_department(field: str, name: str) -> Finding:
    message = f"未知的部门“{name}”：请在“部门”中添加，或把它登记为已有部门的别称"
    return Finding(field, Severity.WARNING, message)


def plan_as_parsed(plan: Plan) -> ParsedPlan:
    """A stored plan (as corrected since import) in the core's shape, for export and display."""
    tasks = tuple(
        ParsedTask(
            seq=task.seq,
            name=task.name,
            items=tuple(task.items),
            scope=task.scope,
            ratio_min=float(task.ratio_min) if task.ratio_min is not None else None,
            sample_count=task.sample_count,
            frequency_per_year=task.frequency_per_year,
            sampling_type=task.sampling_type or None,
            risk_rule=RiskRule(
                RiskRuleKind(task.risk_kind), task.risk_text, task.risk_class or None
            ),
            window=Window(task.window_start or None, task.window_end or None),
            lead_department=task.lead_department_text,
            partner_departments=tuple(task.partner_texts),
            partners_open_ended=task.partners_open_ended,
            mode=Mode(task.mode_text, tuple(tuple(pair) for pair in task.mode_pairs))
            if task.mode_text
            else None,
            note=task.note,
            source=dict(task.source),
            class_ratios={k: float(v) for k, v in task.class_ratios.items()} or None,
            ratio_tiers=tuple((name, float(ratio)) for name, ratio in task.ratio_tiers),
        )
        for task in plan.tasks.order_by("position")
    )
    return ParsedPlan(
        title=plan.title,
        locality=plan.locality,
        year=plan.year,
        columns=tuple(plan.columns),
        tasks=tasks,
    )


@transaction.atomic
def update_task(task: PlanTask, *, actor: Any, changes: dict[str, Any]) -> PlanTask:
    """Write a task's edited fields (model field names; `partner_departments` a list).

    A new lead department or partner set also becomes the plan's text for it, so the export
    (which prints the original cells) says what the task now is. Fields a draw was frozen from
    are refused once the task has one.
    """
    require(may_edit_task(actor, task), "只有协调员和发起部门可以修改本任务")
    locked = PlanTask.objects.select_for_update().get(pk=task.pk)
    changes = dict(changes)
    if changes.get("lead_department", locked.lead_department) != locked.lead_department:
        require(may_change_lead(actor, locked), "只有协调员可以更换发起部门")
    _refuse_outside_region(locked, changes)
    partners = changes.pop("partner_departments", None)
    changed = [name for name in LOCKED_AFTER_DRAW if name in changes]
    changed = [name for name in changed if changes[name] != getattr(locked, name)]
    if changed:
        refuse_if_drawn(locked, changed)
    if "lead_department" in changes and changes["lead_department"] != locked.lead_department:
        lead = changes["lead_department"]
        locked.lead_department_text = lead.short_name if lead is not None else ""
    for name, value in changes.items():
        setattr(locked, name, value)
    if partners is not None and _set_many(locked, "partner_departments", partners):
        locked.partner_texts = [department.short_name for department in partners]
    locked.save()
    return locked


@transaction.atomic
def save_population(
    task: PlanTask,
    *,
    categories: Iterable[ScopeCategory],
    regions: Iterable[Region],
    industry_codes: list[str],
    statuses: list[str],
    min_capital: Decimal | None,
    actor: Any,
    redraw_reason: str = "",
) -> Draw | None:
    """Save the task's population filter with its counts at this moment.

    Before any draw this is an edit. After one it is refused, unless a reason is given: then
    the filter is saved and a new draw correcting the latest is frozen from it, in the same
    transaction (the redraw path `freeze_draw` keeps: public, numbered, with its reason).
    """
    require(may_set_population(actor, task), "只有协调员和发起部门可以设定抽查对象范围")
    locked = PlanTask.objects.select_for_update(of=("self",)).select_related("plan").get(pk=task.pk)
    latest = locked.draws.order_by("-number").first()
    industry_codes = industry_prefixes(industry_codes)
    regions = list(regions)
    inside = Region.objects.filter(in_region_subtree("", locked.plan.region_id))
    outside = sorted({r.code for r in regions} - set(inside.values_list("code", flat=True)))
    if outside:
        raise InvalidScope(f"区划 {'、'.join(outside)} 不在本计划的辖区（{locked.plan.region}）内")
    if latest is not None and not redraw_reason.strip():
        refuse_if_drawn(locked, ["scope_categories"])
    _set_many(locked, "scope_categories", list(categories))
    _set_many(locked, "scope_regions", regions)
    locked.scope_industry_codes = industry_codes
    locked.scope_statuses = statuses
    locked.scope_min_capital = min_capital
    locked.population_counts = risk_counts(PopulationFilter.of_task(locked))
    locked.population_counted_at = timezone.now()
    locked.save()
    if latest is None:
        return None
    return freeze_draw(locked, actor=actor, supersedes=latest, reason=redraw_reason)


def industry_prefixes(codes: Iterable[str]) -> list[str]:
    """GB/T 4754 codes or their prefixes (a section letter and up to four digits), upper
    case, each once: the page's form and the `scope` command read them the same way."""
    cleaned = [code.strip().upper() for code in codes if code.strip()]
    bad = [code for code in cleaned if not INDUSTRY_PREFIX.fullmatch(code)]
    if bad:
        raise InvalidScope(
            f"行业代码“{'、'.join(bad)}”无效：应为门类字母加至多4位数字，如 H、H61、P8331"
        )
    return list(dict.fromkeys(cleaned))


def _refuse_outside_region(task: PlanTask, changes: dict[str, Any]) -> None:
    """A task's lead and partner departments are of its plan's region or above it."""
    named = [changes.get("lead_department"), *(changes.get("partner_departments") or [])]
    region = task.plan.region
    allowed = {region.pk, region.parent_id, getattr(region.parent, "parent_id", None)}
    strangers = [d.short_name for d in named if d is not None and d.region_id not in allowed]
    if strangers:
        raise NotAllowed(f"部门“{'、'.join(strangers)}”不属于本计划的辖区，不能参加本任务")


def refuse_if_drawn(task: PlanTask, fields: list[str]) -> None:
    """Raise TaskLockedError naming the draw, if the task has one."""
    latest = task.draws.order_by("-number").first()
    if latest is None:
        return
    labels = "、".join(str(PlanTask._meta.get_field(name).verbose_name) for name in fields)
    raise TaskLockedError(
        f"本任务已于{timezone.localtime(latest.created_at):%Y-%m-%d}冻结抽取名单"
        f"（{latest.draw_id}），{labels}不能再修改：名单和参数已计算摘要，"
        "改动会使抽取无法复核。如确需更正，请由协调员说明原因重新抽取。"
    )


def _set_many(task: PlanTask, name: str, objects: list[Any]) -> bool:
    """Set a many-to-many field and put the change on the audit chain, whose signals see
    only concrete fields. True if it changed."""
    manager: Any = getattr(task, name)
    before = sorted(manager.values_list("pk", flat=True))
    after = sorted(obj.pk for obj in objects)
    if before == after:
        return False
    manager.set(objects)
    append("update", task, {name: before}, {name: after})
    return True
