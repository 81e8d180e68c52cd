"""`shuangsuiji api-token USERNAME [--name 用途]`: make a token and print it, once;
`--revoke ID` revokes one, `--list` shows a user's tokens (never the tokens themselves)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuangsuiji.api.models import ApiToken
from shuangsuiji.api.services import create_token, revoke


class Command(BaseCommand):
    help = "为用户创建接口令牌（只显示一次），或列出、吊销其令牌"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行创建", help="令牌用途，如“市级平台对接”")
        parser.add_argument("--list", action="store_true", help="列出该用户的令牌")
        parser.add_argument("--revoke", type=int, metavar="ID", help="吊销该用户编号为 ID 的令牌")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户“{options['username']}”")
        tokens = ApiToken.objects.filter(user=user)
        if options["list"]:
            for token in tokens:
                state = f"已吊销 {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "有效"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "从未"
                self.stdout.write(f"{token.pk}\t{token.name}\t{state}\t最近使用：{used}")
            return
        if options["revoke"] is not None:
            token = tokens.filter(pk=options["revoke"]).first()
            if token is None:
                raise CommandError(f"用户“{user}”没有编号为 {options['revoke']} 的令牌")
            revoke(token)
            self.stdout.write(f"已吊销令牌 {token.pk}（{token.name}）")
            return
        if not user.is_active:
            raise CommandError(f"用户“{user}”已停用")
        try:
            token, raw = create_token(user, name=options["name"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"已为 {user} 创建令牌 {token.pk}（{token.name}）；令牌只显示这一次：")
        self.stdout.write(raw)
