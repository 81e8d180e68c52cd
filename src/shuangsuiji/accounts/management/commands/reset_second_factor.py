"""`shuangsuiji reset_second_factor USER`: remove a user's authenticator (a lost or replaced
phone). The server's operator runs it, as `changepassword`; the user sets up a new one at the
next sign-in when it is required, or on the 两步验证 page."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "重置用户的两步验证（删除其身份验证器，下次登录时重新设置）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        try:
            user = users.get(username=options["username"])
        except users.model.DoesNotExist:
            raise CommandError(f"用户“{options['username']}”不存在") from None
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"已删除用户“{user.get_username()}”的 {removed} 个身份验证器。")
