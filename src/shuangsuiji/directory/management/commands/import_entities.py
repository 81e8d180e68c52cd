from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuangsuiji.directory.services import ImportRejected, import_entities_file


class Command(BaseCommand):
    help = "从 .xlsx 或 .csv 导入检查对象（全部成功才写入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            with path.open("rb") as file:
                result = import_entities_file(file, path.name)
        except ImportRejected as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"导入失败：{len(error.problems)}处问题，未写入任何数据") from error
        self.stdout.write(f"已导入 {result.created} 户检查对象")
