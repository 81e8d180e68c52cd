"""`shuangsuiji scope --plan ID --task 序号 …`: a task's population, as the task's 抽查对象 page
sets it (the same service, the same lock after a draw), for the coordinator's scripts.

Without filter options it prints the saved filter and the live count per risk class.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandError, CommandParser

from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.directory.enums import EntityStatus
from shuangsuiji.directory.models import Region, ScopeCategory
from shuangsuiji.draws.services import DrawStepError
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument, visible_plan
from shuangsuiji.plans.models import PlanTask
from shuangsuiji.plans.population import STRATUM_LABELS, PopulationFilter, risk_counts
from shuangsuiji.plans.services import InvalidScope, TaskLockedError, save_population

FILTER_OPTIONS = ("category", "industry", "region", "status", "min_capital")


class Command(ActingCommand):
    help = "查看或设定抽查任务的抽查对象（名单筛选条件），并显示各风险分类户数"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, metavar="计划编号")
        parser.add_argument("--task", type=int, required=True, metavar="序号")
        parser.add_argument(
            "--category", action="append", metavar="类别", help="检查对象类别，可重复"
        )
        parser.add_argument(
            "--industry", action="append", metavar="代码", help="行业代码前缀，可重复"
        )
        parser.add_argument("--region", action="append", metavar="区划代码", help="限于下级区划")
        parser.add_argument(
            "--status",
            action="append",
            choices=[s.value for s in EntityStatus],
            help="登记状态（缺省：存续、在业）",
        )
        parser.add_argument("--min-capital", metavar="万元", help="注册资本不低于")
        parser.add_argument("--redraw-reason", default="", metavar="原因", help="已抽取时必填")
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        plan = visible_plan(options["plan"], user)
        task = PlanTask.objects.filter(plan=plan, seq=options["task"]).first()
        if task is None:
            raise CommandError(f"--task：计划“{plan.title}”没有序号为 {options['task']} 的任务")
        if any(options[name] is not None for name in FILTER_OPTIONS):
            with acting_as(user):
                self._save(task, user, options)
            task.refresh_from_db()
        self._show(task)

    def _save(self, task: PlanTask, user: Any, options: dict[str, Any]) -> None:
        names = options["category"] or []
        categories = list(ScopeCategory.objects.filter(name__in=names))
        unknown = sorted(set(names) - {c.name for c in categories})
        if unknown:
            raise CommandError(f"--category：没有检查对象类别“{'、'.join(unknown)}”")
        codes = options["region"] or []
        regions = list(Region.objects.filter(code__in=codes))
        unknown_codes = sorted(set(codes) - {r.code for r in regions})
        if unknown_codes:
            raise CommandError(f"--region：没有区划代码 {'、'.join(unknown_codes)}")
        try:
            capital = Decimal(options["min_capital"]) if options["min_capital"] else None
        except InvalidOperation as error:
            raise CommandError(f"--min-capital：“{options['min_capital']}”不是数字") from error
        try:
            draw = save_population(
                task,
                categories=categories,
                regions=regions,
                industry_codes=options["industry"] or [],
                statuses=options["status"] or [],
                min_capital=capital,
                actor=user,
                redraw_reason=options["redraw_reason"],
            )
        except (TaskLockedError, InvalidScope, DrawStepError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已保存任务 {task.seq} 的抽查对象范围")
        if draw is not None:
            self.stdout.write(f"已冻结更正抽取 {draw.draw_id}")

    def _show(self, task: PlanTask) -> None:
        population = PopulationFilter.of_task(task)
        counts = risk_counts(population)
        kinds = [c.name for c in task.scope_categories.all()] + list(task.scope_industry_codes)
        self.stdout.write(f"{task.seq}. {task.name}")
        self.stdout.write(f"类别或行业：{'、'.join(kinds) or '（未设置）'}")
        for stratum, n in counts.items():
            self.stdout.write(f"{STRATUM_LABELS[stratum]}\t{n}")
        self.stdout.write(f"合计\t{sum(counts.values())}")
