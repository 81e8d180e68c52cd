"""API tokens (only their SHA-256 is kept) and the request counters behind the rate limits."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token acting as its user: the same role and row scope as the user's pages.

    The token itself is shown once, when it is made; the database keeps only its SHA-256, so a
    copy of the database does not let anyone call the API."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("用途", max_length=100)
    digest = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class RateWindow(models.Model):
    """Requests counted per caller (a token, or an address without one) in one fixed window.

    In the database, not in a process's memory: every app server behind the proxy counts into
    the same rows."""

    key = models.CharField("调用方", max_length=100)
    window = models.BigIntegerField("时间窗起点（Unix 秒）")
    count = models.PositiveIntegerField("请求数", default=0)

    class Meta:
        verbose_name = "请求计数"
        verbose_name_plural = "请求计数"
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="rate_window_per_key"),
        ]
        indexes = [models.Index(fields=["window"], name="rate_window_start")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.count}"
