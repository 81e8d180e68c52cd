"""The demo's own explanation (issue 21, item 7): it replays real plans of past years today,
so every window is over; and what each role might try in its first ten minutes."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.plans.models import Plan

FIRST_STEPS: dict[Role, list[tuple[str, str]]] = {
    Role.COORDINATOR: [
        ("打开一项抽查计划，看每项任务的抽查对象范围、人数和部门工作量", "plans:list"),
        ("看一项任务的抽取记录和可打印的抽查名单，下载 verify_draw.py 自行复核", "plans:list"),
        ("在“联合检查与人员分派”看合并后的联合检查和检查组", "plans:list"),
        ("审核检查结果，再到“公示”发布到期的结果", "inspections:review"),
        ("在“检查台账”看频次上限、无事不扰名单和频繁检查预警", "checks:index"),
        ("看统计分析，导出年度报告", "analysis:latest"),
    ],
    Role.DEPARTMENT_ADMIN: [
        ("在上方待办事项里参加抽取仪式：提交承诺，再揭示秘密", "home"),
        ("审核本部门牵头任务的检查结果", "inspections:review"),
        ("在“检查台账”设置本部门的检查频次上限、登记其他检查", "checks:index"),
    ],
    Role.INSPECTOR: [
        ("打开“我的检查”，选一户，出示检查码，录入检查结果并上传现场照片", "assignments:mine"),
        ("提交后等待审核；被退回的结果会出现在上方待办事项", "home"),
    ],
    Role.AUDITOR: [
        ("查看审计日志，核对链头", "audit"),
        ("看统计分析和企业评价汇总", "analysis:latest"),
    ],
}


def demo_banner(user: Any) -> dict[str, Any] | None:
    """None outside the demo; else the replayed plans' years, today, and the role's steps."""
    if not getattr(settings, "DEMO", False):
        return None
    department = getattr(user, "department", None)
    plans = Plan.objects.filter(region=department.region_id) if department else Plan.objects.all()
    years = sorted(set(plans.values_list("year", flat=True)))  # an inspector sees no plan rows
    role = role_of(user)
    steps = [(text, reverse(name)) for text, name in FIRST_STEPS.get(role, [])] if role else []
    return {"years": years, "today": timezone.localdate(), "steps": steps}
