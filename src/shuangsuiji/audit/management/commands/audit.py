"""`shuangsuiji audit head` prints the chain's head; `shuangsuiji audit verify` checks the chain
and, with --against, that heads published earlier (a digest, `sequence digest`, or a file:
heads.txt, a saved page or feed) are still in it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuangsuiji.audit.anchor import check_against, current_head, parse_heads


class Command(BaseCommand):
    help = "审计日志：显示最新摘要（head），或校验日志并核对此前公布的摘要（verify）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("head", help="显示最新一条的序号、摘要和时间")
        verify = actions.add_parser("verify", help="校验日志；--against 核对此前公布的摘要")
        verify.add_argument(
            "--against",
            action="append",
            default=[],
            help="此前公布的摘要（64位十六进制，可在前面写序号）或保存摘要的文件；可重复",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            head = current_head()
            self.stdout.write(head.line() if head else "审计日志尚无记录")
            return
        published = []
        for value in options["against"]:
            path = Path(value)
            text = path.read_text(encoding="utf-8") if path.is_file() else value
            heads = parse_heads(text)
            if not heads:
                where = f"文件 {value}" if path.is_file() else f"“{value}”"
                raise CommandError(f"{where} 中没有找到 64 位十六进制的摘要")
            published.extend(heads)
        problems = check_against(published)
        if problems:
            raise CommandError("校验未通过：\n" + "\n".join(problems))
        self.stdout.write(f"校验通过：日志首尾相接，核对了 {len(published)} 个此前公布的摘要")
