"""One table layout for a plan, whether just parsed (preview) or stored (plan page).

Each finding is placed on the cell it is about, so the coordinator sees the problem where it is.
"""

from dataclasses import dataclass, field
from typing import Any

from shuangsuiji.core.plans.columns import COLUMN_LABELS
from shuangsuiji.core.plans.jsonio import task_to_dict
from shuangsuiji.core.plans.model import Plan as ParsedPlan

COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "序号"),
    ("name", "抽查任务名称"),
    ("items", "抽查事项"),
    ("scope", "抽查对象范围"),
    ("ratio", "抽查比例及频次"),
    ("risk", "信用风险分类要求"),
    ("window", "起止时间"),
    ("lead", "发起部门"),
    ("partners", "配合部门"),
    ("mode", "抽查检查模式"),
)
FIELD_COLUMN = {
    "seq": "seq",
    "name": "name",
    "items": "items",
    "scope": "scope",
    "ratio_min": "ratio",
    "sample_count": "ratio",
    "frequency_per_year": "ratio",
    "risk_rule": "risk",
    "window": "window",
    "lead_department": "lead",
    "partner_departments": "partners",
    "mode": "mode",
}
RISK_LABELS = {
    "escalate": "按信用风险分类递加",
    "none": "无",
    "fixed": "固定等级",
    "other": "其他依据",
}


@dataclass
class Cell:
    key: str
    lines: list[str]
    findings: list[dict[str, str]] = field(default_factory=list)

    @property
    def severity(self) -> str:
        levels = {f["severity"] for f in self.findings}
        return next((level for level in ("error", "warning", "info") if level in levels), "")


@dataclass
class Row:
    cells: list[Cell]
    row_findings: list[dict[str, str]]
    position: int = 0
    task_id: int | None = None
    sources: list[tuple[str, str, str]] = field(default_factory=list)  # key, label, cell text

    @property
    def needs_review(self) -> bool:
        return any(cell.severity in ("error", "warning") for cell in self.cells)


def rows_from_parsed(plan: ParsedPlan) -> list[Row]:
    """Rows for the preview, each with its original cells so they can be corrected there."""
    keys = [key for key in plan.columns if key in COLUMN_LABELS]
    rows = []
    for position, task in enumerate(plan.tasks, start=1):
        row = _row(task_to_dict(task))
        row.position = position
        row.sources = [(key, COLUMN_LABELS[key], task.source.get(key, "")) for key in keys]
        rows.append(row)
    return rows


def rows_from_stored(tasks: Any) -> list[Row]:
    rows = []
    for task in tasks:
        row = _row(_stored_as_dict(task))
        row.task_id = task.pk
        rows.append(row)
    return rows


def _stored_as_dict(task: Any) -> dict[str, Any]:
    return {
        "seq": task.seq,
        "name": task.name,
        "items": task.items,
        "scope": task.scope,
        "ratio_min": float(task.ratio_min) if task.ratio_min is not None else None,
        "sample_count": task.sample_count,
        "frequency_per_year": task.frequency_per_year,
        "risk_rule": {
            "kind": task.risk_kind,
            "text": task.risk_text,
            "risk_class": task.risk_class or None,
        },
        "window": {"start": task.window_start or None, "end": task.window_end or None},
        "lead_department": task.lead_department_text,
        "partner_departments": task.partner_texts,
        "partners_open_ended": task.partners_open_ended,
        "mode": {"text": task.mode_text} if task.mode_text else None,
        "findings": task.findings,
    }


def _row(task: dict[str, Any]) -> Row:
    values = {
        "seq": [str(task["seq"] or "")],
        "name": [task["name"] or "（缺少任务名称）"],
        "items": [f"{n}. {item}" for n, item in enumerate(task["items"], start=1)]
        if len(task["items"]) > 1
        else list(task["items"]),
        "scope": [task["scope"]],
        "ratio": _ratio_lines(task),
        "risk": _risk_lines(task["risk_rule"]),
        "window": [f"{task['window']['start'] or '?'} 至 {task['window']['end'] or '?'}"],
        "lead": [task["lead_department"]],
        "partners": list(task["partner_departments"])
        + (["等"] if task["partners_open_ended"] else []),
        "mode": [task["mode"]["text"]] if task["mode"] else [],
    }
    cells = {key: Cell(key, [line for line in values[key] if line]) for key, _ in COLUMNS}
    row_findings = []
    for finding in task["findings"]:
        column = FIELD_COLUMN.get(finding["field"])
        if column:
            cells[column].findings.append(finding)
        else:
            row_findings.append(finding)
    return Row([cells[key] for key, _ in COLUMNS], row_findings)


def _ratio_lines(task: dict[str, Any]) -> list[str]:
    lines = []
    if task["ratio_min"] is not None:
        lines.append(f"不低于 {task['ratio_min'] * 100:g}%")
    if task["sample_count"]:
        lines.append(f"{task['sample_count']} 户")
    if task["frequency_per_year"]:
        lines.append(f"每年 {task['frequency_per_year']} 次")
    return lines


def _risk_lines(rule: dict[str, Any]) -> list[str]:
    label = RISK_LABELS.get(rule["kind"], rule["kind"])
    if rule["kind"] == "fixed" and rule.get("risk_class"):
        label = f"{label}：{rule['risk_class']}类"
    if rule["kind"] == "other":
        return [label, rule["text"]]
    return [label]
