"""`shuangsuiji draw freeze|commit|reveal|complete|list`: a plan's draws in the database, step
by step as on the draw pages and through the same services. (`shuangsuiji draw run`, the draw
from files without a database, is `shuangsuiji.drawcli`; `cli.py` sends it there.)"""

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.http import Http404

from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.core.draw import DrawError
from shuangsuiji.draws.access import visible_draw
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import (
    DrawStepError,
    add_commitment,
    add_reveal,
    complete_draw,
    freeze_draw,
)
from shuangsuiji.lib.commands import (
    ActingCommand,
    acting_user,
    add_user_argument,
    request_as,
    visible_plan,
    write_rows,
)


class Command(ActingCommand):
    help = (
        "年度计划的随机抽取：冻结名单、承诺、揭示、录入公开随机值完成抽取、查看状态"
        "（脱离数据库的抽取见 shuangsuiji draw run）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        freeze = steps.add_parser("freeze", help="冻结任务的抽取名单和参数")
        freeze.add_argument("--plan", type=int, required=True, metavar="计划编号")
        which = freeze.add_mutually_exclusive_group(required=True)
        which.add_argument("--task", type=int, nargs="+", metavar="行次", help="任务的行次")
        which.add_argument("--all", action="store_true", help="计划的全部任务")
        commit = steps.add_parser("commit", help="提交一个部门的承诺值（SHA-256）")
        commit.add_argument("draw_id", type=int, metavar="抽取编号")
        commit.add_argument("--party", required=True, metavar="部门")
        commit.add_argument("--commitment", required=True, metavar="HEX")
        reveal = steps.add_parser("reveal", help="揭示一个部门的秘密")
        reveal.add_argument("draw_id", type=int, metavar="抽取编号")
        reveal.add_argument("--party", required=True, metavar="部门")
        reveal.add_argument("--secret", required=True, metavar="秘密")
        complete = steps.add_parser("complete", help="录入公开随机值，抽取并公示")
        complete.add_argument("draw_id", type=int, metavar="抽取编号")
        complete.add_argument("--public-value", required=True, metavar="公开随机值")
        complete.add_argument("--public-source", default="", metavar="来源与见证人")
        listing = steps.add_parser("list", help="每项任务的抽取状态")
        listing.add_argument("--plan", type=int, required=True, metavar="计划编号")
        listing.add_argument("--json", action="store_true", help="以 JSON 输出")
        for step in (freeze, commit, reveal, complete, listing):
            add_user_argument(step)

    def handle(self, *args: Any, **options: Any) -> None:
        step = options["step"]
        user = acting_user(options["user"])
        with acting_as(user):
            if step == "freeze":
                self._freeze(user, options)
            elif step == "list":
                self._list(user, options)
            else:
                self._ceremony(user, step, options)

    def _freeze(self, user: Any, options: dict[str, Any]) -> None:
        plan = visible_plan(options["plan"], user)
        tasks = {t.position: t for t in plan.tasks.all()}
        chosen = sorted(tasks) if options["all"] else options["task"]
        unknown = [p for p in chosen if p not in tasks]
        if unknown:
            listed = "、".join(map(str, unknown))
            raise CommandError(f"--task：计划 {plan.pk} 没有行次为 {listed} 的任务")
        problems, draws = [], []
        with transaction.atomic():
            for position in chosen:
                try:
                    draws.append(freeze_draw(tasks[position], actor=user))
                except DrawStepError as error:
                    problems.append(f"任务 {position}：{error}")
            if problems:
                transaction.set_rollback(True)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"冻结失败：{len(problems)} 项任务不能冻结，未写入任何抽取")
        write_rows(self.stdout, [_row(d) for d in draws], as_json=False)

    def _ceremony(self, user: Any, step: str, options: dict[str, Any]) -> None:
        request = request_as(user)
        try:
            draw = visible_draw(request.user, options["draw_id"])
        except Http404 as error:
            raise CommandError(f"抽取 {options['draw_id']} 不存在或用户“{user}”无权查看") from error
        try:
            if step == "commit":
                draw = add_commitment(
                    draw, actor=user, party=options["party"], commitment=options["commitment"]
                )
            elif step == "reveal":
                draw = add_reveal(
                    draw, actor=user, party=options["party"], secret=options["secret"].strip()
                )
            else:
                draw = complete_draw(
                    draw,
                    actor=user,
                    public_value=options["public_value"].strip(),
                    public_source=options["public_source"].strip(),
                )
        except (DrawStepError, DrawError) as error:
            raise CommandError(str(error)) from error
        draw = Draw.objects.select_related("task").get(pk=draw.pk)
        self.stdout.write(f"已{_VERBS[step]}\t{_line(draw)}")

    def _list(self, user: Any, options: dict[str, Any]) -> None:
        plan = visible_plan(options["plan"], user)
        latest: dict[int, Draw] = {}
        for draw in Draw.objects.filter(task__plan=plan).select_related("task").order_by("number"):
            latest[draw.task_id] = draw
        rows = []
        for task in plan.tasks.order_by("position"):
            draw = latest.get(task.pk)
            rows.append(
                {
                    "task": task.position,
                    "seq": task.seq,
                    "name": task.name,
                    "draw": draw.pk if draw else None,
                    "draw_id": draw.draw_id if draw else None,
                    "state": draw.get_state_display() if draw else "未冻结",
                    "commitments": len(draw.commitments) if draw else 0,
                    "reveals": len(draw.reveals) if draw else 0,
                }
            )
        write_rows(self.stdout, rows, as_json=options["json"])


_VERBS = {"commit": "提交承诺", "reveal": "揭示", "complete": "完成抽取"}


def _row(draw: Draw) -> dict[str, Any]:
    return {
        "draw": draw.pk,
        "draw_id": draw.draw_id,
        "state": draw.get_state_display(),
        "task": f"任务 {draw.task.position}：{draw.task.name}",
    }


def _line(draw: Draw) -> str:
    return "\t".join(str(v) for v in _row(draw).values())
