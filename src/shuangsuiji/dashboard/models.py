"""What was sent: one row per digest sent to a user, so a daily run does not send the same
waiting items twice and an auditor can see who was told what, when."""

from django.conf import settings
from django.db import models


class SentNotice(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="sent_notices",
    )
    channel = models.CharField("渠道", max_length=20)
    digest = models.CharField("内容摘要", max_length=64)
    items = models.PositiveSmallIntegerField("待办事项数")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "待办提醒"
        verbose_name_plural = "待办提醒"
        indexes = [models.Index(fields=["user", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.sent_at:%Y-%m-%d %H:%M} {self.items} 项"
