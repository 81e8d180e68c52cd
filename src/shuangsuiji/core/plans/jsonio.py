"""The plan as JSON (documented in docs/plan-json.md): what `shuangsuiji plan parse` prints."""

from typing import Any

from shuangsuiji.core.plans.model import Finding, Plan, PlanTask


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "title": plan.title,
        "locality": plan.locality,
        "year": plan.year,
        "columns": list(plan.columns),
        "findings": [finding_to_dict(f) for f in plan.findings],
        "tasks": [task_to_dict(task) for task in plan.tasks],
    }


def task_to_dict(task: PlanTask) -> dict[str, Any]:
    return {
        "seq": task.seq,
        "name": task.name,
        "items": list(task.items),
        "scope": task.scope,
        "ratio_min": task.ratio_min,
        "class_ratios": dict(task.class_ratios) if task.class_ratios else None,
        "ratio_tiers": [[name, ratio] for name, ratio in task.ratio_tiers],
        "sample_count": task.sample_count,
        "frequency_per_year": task.frequency_per_year,
        "sampling_type": task.sampling_type,
        "risk_rule": {
            "kind": task.risk_rule.kind.value,
            "text": task.risk_rule.text,
            "risk_class": task.risk_rule.risk_class,
        },
        "window": {"start": task.window.start, "end": task.window.end},
        "lead_department": task.lead_department,
        "partner_departments": list(task.partner_departments),
        "partners_open_ended": task.partners_open_ended,
        "mode": (
            {"text": task.mode.text, "pairs": [list(pair) for pair in task.mode.pairs]}
            if task.mode
            else None
        ),
        "note": task.note,
        "source": dict(task.source),
        "findings": [finding_to_dict(f) for f in task.findings],
    }


def finding_to_dict(finding: Finding) -> dict[str, str]:
    return {"field": finding.field, "severity": finding.severity.value, "message": finding.message}
