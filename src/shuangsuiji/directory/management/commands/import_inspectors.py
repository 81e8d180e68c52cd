"""`shuangsuiji import_inspectors FILE --user USERNAME [--region CODE]`: the inspector
directory from .xlsx or .csv, all or nothing (`directory.inspector_import`)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from shuangsuiji.accounts.permissions import Role
from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.directory.inspector_import import import_inspectors
from shuangsuiji.directory.models import Region
from shuangsuiji.directory.services import ImportRejected
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument


class Command(ActingCommand):
    help = "从 .xlsx 或 .csv 导入执法检查人员（全部成功才写入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--region",
            metavar="行政区划代码",
            help="按哪个区县的名录对应部门（缺省为用户所在区县）",
        )
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"], roles=(Role.COORDINATOR, Role.DEPARTMENT_ADMIN))
        region = None
        if options["region"]:
            region = Region.objects.visible_to(user).filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"--region：未知的行政区划代码“{options['region']}”")
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            with acting_as(user), path.open("rb") as file:
                created = import_inspectors(file, path.name, actor=user, region=region)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ImportRejected as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"导入失败：{len(error.problems)}处问题，未写入任何数据") from error
        self.stdout.write(f"已导入 {created} 名执法检查人员")
