"""`shuangsuiji risk propose|apply|reject|list --plan ID`: next year's risk classes from a plan's
confirmed results, proposed and decided as on the risk feedback page, by the same services."""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from shuangsuiji.accounts.permissions import Role
from shuangsuiji.analysis.feedback import FeedbackError, decide, make_proposals
from shuangsuiji.analysis.models import ProposalState, RiskProposal
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.lib.commands import (
    ActingCommand,
    acting_user,
    add_user_argument,
    chosen_by_id,
    visible_plan,
    write_rows,
)


class Command(ActingCommand):
    help = "风险分类反馈：生成调整建议，采纳或驳回，列出建议"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        propose = actions.add_parser("propose", help="按已确认的检查结果重新生成待审核的建议")
        listing = actions.add_parser("list", help="列出计划的建议")
        listing.add_argument("--json", action="store_true", help="以 JSON 输出")
        deciding = []
        for name, text in (("apply", "采纳建议，调整风险分类"), ("reject", "驳回建议")):
            decision = actions.add_parser(name, help=text)
            which = decision.add_mutually_exclusive_group(required=True)
            which.add_argument("--all", action="store_true", help="全部待审核的建议")
            which.add_argument("--proposal", type=int, nargs="+", metavar="建议编号")
            deciding.append(decision)
        for action in (propose, listing, *deciding):
            action.add_argument("--plan", type=int, required=True, metavar="计划编号")
            add_user_argument(action)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        readers = (Role.COORDINATOR, Role.AUDITOR) if action == "list" else ()
        user = acting_user(options["user"], roles=readers)
        plan = visible_plan(options["plan"], user)
        proposals = RiskProposal.objects.filter(plan=plan)
        if action == "list":
            write_rows(self.stdout, _rows(proposals), as_json=options["json"])
            return
        with acting_as(user):
            if action == "propose":
                made = make_proposals(plan, actor=user)
                self.stdout.write(f"已生成 {made} 条调整建议")
                write_rows(self.stdout, _rows(proposals), as_json=False)
                return
            chosen = proposals.filter(state=ProposalState.PROPOSED)
            if not options["all"]:
                what = f"计划 {plan.pk} 待审核的建议"
                chosen = chosen_by_id(chosen, options["proposal"], option="--proposal", what=what)
            try:
                done, skipped = decide(plan, chosen, apply=action == "apply", actor=user)
            except FeedbackError as error:
                raise CommandError(str(error)) from error
        verb = "调整" if action == "apply" else "驳回"
        note = f"；{skipped} 条因对象的风险分类已被更改而跳过" if skipped else ""
        self.stdout.write(f"已{verb} {done} 条{note}")


def _rows(proposals: Any) -> list[dict[str, Any]]:
    return [
        {
            "proposal": p.pk,
            "uscc": p.entity.uscc,
            "entity": p.entity.name,
            "current": p.current or "未分类",
            "proposed": p.proposed,
            "state": p.get_state_display(),
            "reason": p.reason,
        }
        for p in proposals.select_related("entity")
    ]
