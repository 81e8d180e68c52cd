"""A task reduced to its structured fields, so two parses of one plan can be compared."""

from typing import Any

from shuangsuiji.core.plans.model import Plan, PlanTask


def structured(task: PlanTask) -> dict[str, Any]:
    """The fields an export must carry; not source, findings, note or the risk rule's wording."""
    return {
        "seq": task.seq,
        "name": task.name,
        "items": task.items,
        "scope": task.scope,
        "ratio_min": None if task.ratio_min is None else round(task.ratio_min, 6),
        "sample_count": task.sample_count,
        "frequency_per_year": task.frequency_per_year,
        "sampling_type": task.sampling_type,
        "risk_kind": task.risk_rule.kind,
        "risk_class": task.risk_rule.risk_class,
        "window": (task.window.start, task.window.end),
        "lead": task.lead_department,
        "partners": task.partner_departments,
        "partners_open_ended": task.partners_open_ended,
        "mode": task.mode.text if task.mode else None,
    }


def structured_tasks(plan: Plan) -> list[dict[str, Any]]:
    return [structured(task) for task in plan.tasks]


def plan_meta(plan: Plan) -> tuple[str, str, int | None]:
    return (plan.title, plan.locality, plan.year)
