"""`shuangsuiji notify`: send every user its waiting items (run daily from cron or a systemd
timer; the demo uses the console)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuangsuiji.dashboard.notify import configured_channel, send_digests


class Command(BaseCommand):
    help = "向有待办事项的用户发送提醒（控制台、邮件或政务微信/钉钉机器人）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--channel", choices=["console", "email", "webhook"], help="默认取 NOTIFY_CHANNEL"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            channel = configured_channel(options["channel"], stream=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from error
        counts = send_digests(channel)
        self.stdout.write(
            f"已发送 {counts.sent} 人；内容未变、近期已发送 {counts.unchanged} 人；"
            f"无{channel.name}联系方式 {counts.unreachable} 人"
        )
