"""`shuangsuiji report --plan ID --format docx|xlsx -o FILE`: the annual report of the analysis
page, for the coordinator and the auditor, by the same builder."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from shuangsuiji.accounts.permissions import Role
from shuangsuiji.analysis.report import REPORT_TYPES, build_report
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument, visible_plan


class Command(ActingCommand):
    help = "生成计划的年度抽查工作报告（.docx 或 .xlsx）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, metavar="计划编号")
        parser.add_argument("--format", choices=sorted(REPORT_TYPES), default="docx")
        parser.add_argument("-o", "--output", type=Path, required=True, metavar="文件")
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"], roles=(Role.COORDINATOR, Role.AUDITOR))
        plan = visible_plan(options["plan"], user)
        output: Path = options["output"]
        output.write_bytes(build_report(plan, options["format"]))
        self.stdout.write(f"已生成“{plan.title}”的年度报告：{output}")
