"""`shuangsuiji exchange registration FILE --user U` and `shuangsuiji exchange risk FILE --user U`:
the directory refreshed from a registration-system export, or the month's credit-risk classes,
by the services the API and the page use (`directory.registration`).

Without --confirm the command only shows what would change and the fingerprint of those
changes; run it again with `--confirm FINGERPRINT` to write exactly them (refused if the
directory changed in between)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from shuangsuiji.audit.recorder import acting_as
from shuangsuiji.directory.registration import (
    Preview,
    PreviewOutdated,
    apply_registration,
    apply_risk_classes,
    preview_registration,
    preview_risk_classes,
)
from shuangsuiji.directory.services import ImportRejected
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument

SHOWN = 20


class Command(ActingCommand):
    help = "数据交换：从登记系统导出文件更新名录库（registration），或月度信用风险分类（risk）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("registration", "按登记系统导出文件（CSV/.xls/.xlsx）增量更新名录库"),
            ("risk", "按月度信用风险分类文件（代码、分类、日期）更新分类"),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument("file", type=Path)
            action.add_argument(
                "--confirm", metavar="指纹", help="写入预览中的变更（指纹由预览给出）"
            )
            action.add_argument("--source", default="", help="分类来源（risk；文件无此列时）")
            add_user_argument(action)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        registration = options["action"] == "registration"
        with acting_as(user), path.open("rb") as file:
            if not options["confirm"]:
                preview = (
                    preview_registration(file, path.name, actor=user)
                    if registration
                    else preview_risk_classes(file, path.name, actor=user, source=options["source"])
                )
                self._show(preview, path, options)
                return
            try:
                applied = (
                    apply_registration(file, path.name, actor=user, fingerprint=options["confirm"])
                    if registration
                    else apply_risk_classes(
                        file,
                        path.name,
                        actor=user,
                        fingerprint=options["confirm"],
                        source=options["source"],
                    )
                )
            except ImportRejected as error:
                raise CommandError(f"{len(error.problems)}处问题，未写入任何数据") from error
            except PreviewOutdated as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            f"已写入：新增 {applied.created} 户，变更 {applied.changed} 户，"
            f"注销/吊销 {applied.deregistered} 户"
        )

    def _show(self, preview: Preview, path: Path, options: dict[str, Any]) -> None:
        if preview.problems:
            for problem in preview.problems[:SHOWN]:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(preview.problems)}处问题，未写入任何数据")
        write = self.stdout.write
        write(
            f"共 {preview.total_rows} 行：新增 {len(preview.new)} 户，"
            f"变更 {len(preview.changed)} 户，"
            f"注销/吊销 {len(preview.deregistered)} 户，无变化 {preview.unchanged} 户，"
            f"未处理 {len(preview.skipped)} 行"
        )
        for row in preview.new[:SHOWN]:
            write(f"  新增 {row.uscc} {row.values.get('name', '')}")
        for change in [*preview.changed[:SHOWN], *preview.deregistered[:SHOWN]]:
            shown = change.shown()["changes"]
            fields = "；".join(f"{k}：{b or '（空）'} → {a}" for k, (b, a) in shown.items())
            write(f"  变更 {change.uscc} {change.name}：{fields}")
        for problem in preview.skipped[:SHOWN]:
            write(f"  未处理 {problem}")
        write(
            f"以上为预览，尚未写入。确认写入：shuangsuiji exchange {options['action']} {path} "
            f"--user {options['user']} --confirm {preview.fingerprint}"
        )
