"""Storing a parsed plan: regions and departments resolved, one transaction, findings kept."""

from decimal import Decimal
from typing import Any

from django.db import transaction

from shuangsuiji.core.plans.jsonio import finding_to_dict
from shuangsuiji.core.plans.model import Finding, Mode, RiskRule, RiskRuleKind, Severity, Window
from shuangsuiji.core.plans.model import Plan as ParsedPlan
from shuangsuiji.core.plans.model import PlanTask as ParsedTask
from shuangsuiji.directory.models import Department, Region
from shuangsuiji.plans.models import Plan, PlanTask


class PlanImportError(ValueError):
    """The plan cannot be stored (no region, a duplicate); nothing was written."""


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
    actor: Any = None,
    replace: bool = False,
) -> Plan:
    """Store the plan and its tasks; departments are linked through their aliases."""
    region = region or resolve_region(parsed.locality)
    plan_year = year or parsed.year
    if plan_year is None:
        raise PlanImportError("计划年度未知：标题中没有年度，请指定年度")
    existing = Plan.objects.filter(region=region, year=plan_year, title=parsed.title)
    if existing.exists():
        if not replace:
            raise PlanImportError(
                f"{region.full_name}{plan_year}年已有同名计划“{parsed.title}”；如需覆盖请使用替换导入"
            )
        existing.delete()
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
