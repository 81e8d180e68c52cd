"""`shuangsuiji substitute 抽取 --replaced 代码 --reason 原因 --user 用户名`: a drawn entity
that cannot be inspected gives way to the next reserve, through the service the draw page
uses (`draws.substitutions.substitute`, its rule and V8); without --replaced, the draw's
substitutions so far."""

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.http import Http404

from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.draws.access import visible_draw
from shuangsuiji.draws.substitutions import SubstitutionError, records, substitute
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument, write_rows


class Command(ActingCommand):
    help = "登记替补（抽中主体无法检查时由备选名单中的下一位替补），或列出一次抽取的替补"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw", type=int, metavar="抽取编号", help="网页地址中抽取的编号")
        parser.add_argument(
            "--replaced", metavar="统一社会信用代码", help="被替换的主体；不给则列出替补"
        )
        parser.add_argument("--reason", default="", metavar="原因", help="如：检查结果为已注销")
        parser.add_argument("--json", action="store_true", help="列出时以 JSON 输出")
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        try:
            draw = visible_draw(user, options["draw"])
        except Http404 as error:
            raise CommandError(f"抽取 {options['draw']} 不存在或用户“{user}”无权查看") from error
        if not options["replaced"]:
            rows = [{"number": n, **r} for n, r in enumerate(records(draw), start=1)]
            write_rows(self.stdout, rows, as_json=options["json"])
            return
        with acting_as(user):
            try:
                made = substitute(
                    draw, replaced=options["replaced"], reason=options["reason"], actor=user
                )
            except SubstitutionError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            f"已登记第 {made.number} 次替补\t{draw.draw_id}\t{made.replaced} → {made.replacement}"
        )
