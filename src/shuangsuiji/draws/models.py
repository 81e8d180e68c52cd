"""A draw: frozen population and parameters, the seed ceremony, and once drawn, its bundle.

A drawn (published) draw can be neither changed nor deleted — database triggers refuse it, so
no code path, admin or SQL console can quietly alter a result. A correction is a new draw that
`supersedes` the old one, with its reason.
"""

from django.conf import settings
from django.db import models

from shuangsuiji.directory.queries import ScopedQuerySet


class DrawState(models.TextChoices):
    FROZEN = "frozen", "名单已冻结，等待种子"
    DRAWN = "drawn", "已抽取（不可更改）"


class Draw(models.Model):
    task = models.ForeignKey(
        "plans.PlanTask", verbose_name="抽查任务", on_delete=models.PROTECT, related_name="draws"
    )
    number = models.PositiveSmallIntegerField("第几次抽取")
    draw_id = models.CharField("抽取编号", max_length=64, unique=True)
    state = models.CharField(
        "状态", max_length=10, choices=DrawState.choices, default=DrawState.FROZEN
    )
    freeze = models.JSONField("冻结记录")
    population_csv = models.TextField("名单")
    exclusions = models.JSONField("排除名单", default=list)
    commitments = models.JSONField("承诺", default=list)
    reveals = models.JSONField("揭示", default=list)
    seed = models.CharField("种子", max_length=64, blank=True)
    bundle = models.JSONField("抽取记录", null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="更正的抽取",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    reason = models.TextField("重新抽取原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("冻结时间", auto_now_add=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)

    REGION_LOOKUP = "task__plan__region"
    DEPARTMENT_LOOKUP = "task__lead_department"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "随机抽取"
        verbose_name_plural = "随机抽取"
        ordering = ["task", "number"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="draw_number_per_task"),
        ]

    def __str__(self) -> str:
        return self.draw_id

    @property
    def is_drawn(self) -> bool:
        return self.state == DrawState.DRAWN
