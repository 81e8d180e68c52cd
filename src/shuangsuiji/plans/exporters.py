"""A stored plan back to the published table, in each format the parser reads."""

from shuangsuiji.core.plans.render import render_file
from shuangsuiji.plans.models import Plan
from shuangsuiji.plans.services import plan_as_parsed

# format name → (file suffix, content type)
FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "html": (".html", "text/html; charset=utf-8"),
    "csv": (".csv", "text/csv; charset=utf-8"),
    "txt": (".txt", "text/plain; charset=utf-8"),
}


def export_plan(plan: Plan, format_name: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the plan in `format_name`."""
    suffix, content_type = FORMATS[format_name]
    return render_file(plan_as_parsed(plan), suffix), f"{plan.title}{suffix}", content_type
