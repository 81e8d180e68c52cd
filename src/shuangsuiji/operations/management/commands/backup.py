"""`shuangsuiji backup create FILE` and `shuangsuiji backup restore FILE`: the whole installation
(database, uploads, a manifest with the audit head and every bundle's digest) into one archive,
and back into an empty database, verified. The format and its checks: `operations.backup`.

Restore onto the same release that made the backup, then `shuangsuiji migrate` if the code is
newer: the manifest records each app's last migration."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuangsuiji.operations.backup import BackupError, Report, create_backup, restore_backup


class Command(BaseCommand):
    help = "备份（create）或恢复（restore）数据库、上传文件与校验清单"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="写出备份文件（.tar.gz，不覆盖已有文件）")
        create.add_argument("file", type=Path)
        restore = actions.add_parser(
            "restore", help="恢复到空数据库（已有数据的数据库拒绝），并校验审计日志与抽取、分派"
        )
        restore.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if options["action"] == "create":
                report = create_backup(path)
                self._say(f"已备份到 {path}", report)
            else:
                if not path.is_file():
                    raise CommandError(f"文件不存在：{path}")
                report = restore_backup(path)
                self._say(f"已从 {path} 恢复，审计日志与全部抽取、分派校验通过", report)
        except BackupError as error:
            raise CommandError(str(error)) from error

    def _say(self, what: str, report: Report) -> None:
        self.stdout.write(what)
        self.stdout.write(
            f"抽取 {report.draws} 次，分派 {report.assignments} 次，"
            f"上传文件 {report.media_files} 个；审计日志最新：{report.audit_head}"
        )
        self.stdout.write(f"备份清单摘要（SHA-256）：{report.manifest_sha256}")
