"""`shuangsuiji assign preview|freeze|complete`: a plan's second random (inspectors to the drawn
entities) as on the assignment pages, through the same services."""

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from shuangsuiji.assignments.models import Assignment
from shuangsuiji.assignments.services import (
    AssignStepError,
    complete_assignment,
    freeze_assignment,
    preview,
)
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument, visible_plan


class Command(ActingCommand):
    help = "第二次随机：预览合并与人员、冻结人员名单、录入公开随机值完成分派"

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        look = steps.add_parser("preview", help="合并检查与各部门可用人员，不写入")
        look.add_argument("--plan", type=int, required=True, metavar="计划编号")
        look.add_argument("--json", action="store_true", help="以 JSON 输出")
        freeze = steps.add_parser("freeze", help="冻结执法人员名单、资格、回避和上次检查人员")
        freeze.add_argument("--plan", type=int, required=True, metavar="计划编号")
        complete = steps.add_parser("complete", help="录入公开随机值，分派检查组")
        complete.add_argument("assignment_id", type=int, metavar="分派编号")
        complete.add_argument("--public-value", required=True, metavar="公开随机值")
        complete.add_argument("--public-source", default="", metavar="来源与见证人")
        for step in (look, freeze, complete):
            add_user_argument(step)

    def handle(self, *args: Any, **options: Any) -> None:
        step = options["step"]
        user = acting_user(options["user"])
        with acting_as(user):
            try:
                if step == "preview":
                    self._preview(visible_plan(options["plan"], user), as_json=options["json"])
                    return
                if step == "freeze":
                    assignment = freeze_assignment(visible_plan(options["plan"], user), actor=user)
                else:
                    assignment = complete_assignment(
                        self._assignment(user, options["assignment_id"]),
                        actor=user,
                        public_value=options["public_value"],
                        public_source=options["public_source"],
                    )
            except AssignStepError as error:
                raise CommandError(str(error)) from error
        visits = assignment.visits.count()
        self.stdout.write(
            f"{assignment.pk}\t{assignment.assignment_id}\t{assignment.get_state_display()}\t"
            f"检查 {visits} 次"
        )

    def _assignment(self, user: Any, pk: int) -> Assignment:
        assignment = Assignment.objects.visible_to(user).filter(pk=pk).first()
        if assignment is None:
            raise CommandError(f"分派 {pk} 不存在或用户“{user}”无权查看")
        return assignment

    def _preview(self, plan: Any, *, as_json: bool) -> None:
        result = preview(plan)
        summary = {
            "tasks": len(result["inputs"].tasks),
            "skipped": result["inputs"].skipped,
            "visits_before": result["report"]["visits_before"],
            "visits_after": result["report"]["visits_after"],
            "entities": result["report"]["entities"],
            "shortfalls": result["shortfalls"],
            "usable": result["usable"],
            "caps": result["caps"],
        }
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"已完成抽取的任务\t{summary['tasks']}")
        self.stdout.write(f"合并前检查次数\t{summary['visits_before']}")
        self.stdout.write(f"合并后检查次数\t{summary['visits_after']}")
        self.stdout.write(f"涉及检查对象\t{summary['entities']}")
        for skipped in summary["skipped"]:
            self.stdout.write(f"未纳入\t{skipped}")
        for department, usable in summary["usable"].items():
            cap = summary["caps"].get(department, "")
            self.stdout.write(f"可用执法人员\t{department}\t{usable}\t每人上限 {cap}")
        for shortfall in summary["shortfalls"]:
            self.stdout.write(f"人员不足\t{shortfall}")
