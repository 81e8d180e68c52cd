"""The company's side (企业端): the one-time sign-in tokens printed on its notices, the time
slots a visit's team offers and the company picks (双预约), and its objections to a published
result (异议) with the lead department's answer.

A company is not a user of the platform: it has no row in accounts, no role and no password.
Its session names an entity (`companies.session`), which no staff permission ever accepts."""

from django.conf import settings
from django.db import models

from shuangsuiji.directory.queries import ScopedQuerySet


class SignInToken(models.Model):
    """One printing of a visit's sign-in token: the notice carries its plaintext, the database
    only its SHA-256 digest; it opens one company session and is spent. The next notice printed
    for the visit carries the next token (`number` + 1)."""

    visit = models.ForeignKey(
        "assignments.Visit",
        verbose_name="检查",
        on_delete=models.PROTECT,
        related_name="sign_in_tokens",
    )
    number = models.PositiveSmallIntegerField("第几个令牌")
    digest = models.CharField("令牌摘要（SHA-256）", max_length=64)
    issued_at = models.DateTimeField("生成时间", auto_now_add=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    REGION_LOOKUP = "visit__assignment__plan__region"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业登录令牌"
        verbose_name_plural = "企业登录令牌"
        constraints = [
            models.UniqueConstraint(fields=["visit", "number"], name="token_number_per_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} #{self.number}"


class VisitSlot(models.Model):
    """A time the visit's team offers (双预约); the company chooses one of them."""

    visit = models.ForeignKey(
        "assignments.Visit", verbose_name="检查", on_delete=models.PROTECT, related_name="slots"
    )
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    note = models.CharField("说明（地点、方式等）", max_length=100, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提供人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offered_at = models.DateTimeField("提供时间", auto_now_add=True)
    chosen_at = models.DateTimeField("企业选择时间", null=True, blank=True)

    REGION_LOOKUP = "visit__assignment__plan__region"
    DEPARTMENT_LOOKUP = "visit__departments"
    INSPECTOR_LOOKUP = "visit__members__inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["visit", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"],
                condition=models.Q(chosen_at__isnull=False),
                name="one_chosen_slot_per_visit",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit} {self.starts_at:%Y-%m-%d %H:%M}"


class ObjectionState(models.TextChoices):
    PENDING = "pending", "异议处理中"
    ACCEPTED = "accepted", "异议成立"
    REJECTED = "rejected", "异议不成立"


class Objection(models.Model):
    """A company's objection to one of its published results: its reason and one attachment,
    and the answer of the result's lead department. A published result itself never changes
    (database triggers): the public page shows the objection's state beside it."""

    inspection = models.OneToOneField(
        "inspections.Inspection",
        verbose_name="检查结果",
        on_delete=models.PROTECT,
        related_name="objection",
    )
    reason = models.TextField("异议理由", max_length=2000)
    file = models.FileField("附件", upload_to="objections/%Y/%m/", blank=True)
    file_name = models.CharField("附件原文件名", max_length=200, blank=True)
    file_type = models.CharField("附件类型", max_length=50, blank=True)
    file_size = models.PositiveIntegerField("附件大小（字节）", default=0)
    filed_at = models.DateTimeField("提出时间", auto_now_add=True)
    state = models.CharField(
        "状态", max_length=10, choices=ObjectionState.choices, default=ObjectionState.PENDING
    )
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    REGION_LOOKUP = "inspection__visit__assignment__plan__region"
    DEPARTMENT_LOOKUP = "inspection__task__lead_department"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业异议"
        verbose_name_plural = "企业异议"
        ordering = ["-filed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.get_state_display()}"
