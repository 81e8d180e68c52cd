"""`shuangsuiji publish --plan ID --list | --all-due | --inspection ID …`: the publication step
of the coordinator's page (what is due, publish a choice), through the same services."""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from shuangsuiji.accounts.permissions import Role
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.disclosure.services import PublicationError, publication_due, publish
from shuangsuiji.inspections.models import Inspection
from shuangsuiji.lib.commands import (
    ActingCommand,
    acting_user,
    add_user_argument,
    chosen_by_id,
    visible_plan,
    write_rows,
)


class Command(ActingCommand):
    help = "公示审核通过的检查结果（仅协调员），或列出待公示的结果及期限"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, metavar="计划编号")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--list", action="store_true", help="列出待公示的结果（不写入）")
        which.add_argument("--all-due", action="store_true", help="公示全部待公示的结果")
        which.add_argument(
            "--inspection", type=int, nargs="+", metavar="结果编号", help="公示这些结果"
        )
        parser.add_argument("--json", action="store_true", help="与 --list 一起：以 JSON 输出")
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        readers = (Role.COORDINATOR, Role.AUDITOR) if options["list"] else ()
        user = acting_user(options["user"], roles=readers)
        plan = visible_plan(options["plan"], user)
        scoped = (
            Inspection.objects.visible_to(user)
            .filter(task__plan=plan)
            .select_related("visit__entity", "task")
        )
        if options["list"]:
            write_rows(self.stdout, _due_rows(scoped), as_json=options["json"])
            return
        if options["all_due"]:
            chosen = scoped.filter(pk__in=[d.inspection.pk for d in publication_due(scoped)])
        else:
            what = f"计划 {plan.pk} 的检查结果"
            chosen = chosen_by_id(scoped, options["inspection"], option="--inspection", what=what)
        with acting_as(user):
            try:
                count = publish(chosen, actor=user)
            except PublicationError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(f"已公示 {count} 项检查结果")


def _due_rows(scoped: Any) -> list[dict[str, Any]]:
    return [
        {
            "inspection": d.inspection.pk,
            "uscc": d.inspection.visit.entity.uscc,
            "entity": d.inspection.visit.entity.name,
            "task": d.inspection.task.name,
            "due": d.due.isoformat(),
            "overdue": "已逾期" if d.overdue else "未逾期",
        }
        for d in publication_due(scoped)
    ]
