"""`shuangsuiji import_entities FILE --user USERNAME`: entities from .xlsx or .csv, all or
nothing, as the import page does it for that user: every row's region must lie within the
user's jurisdiction. The installation's superuser (createsuperuser) may import for any region."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.directory.services import ImportRejected, import_entities_file
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument


class Command(ActingCommand):
    help = "从 .xlsx 或 .csv 导入检查对象（全部成功才写入；只能导入该用户辖区内的行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            with acting_as(user), path.open("rb") as file:
                result = import_entities_file(file, path.name, actor=user)
        except PermissionDenied as error:
            raise CommandError(f"用户“{user}”：{error}") from error
        except ImportRejected as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"导入失败：{len(error.problems)}处问题，未写入任何数据") from error
        self.stdout.write(f"已导入 {result.created} 户检查对象")
