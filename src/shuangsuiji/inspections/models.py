"""Inspection: each task's result for each visit, its review, follow-up and attachments.

Result categories are data (`ResultCategory`, seeded from `categories.py`). One `Inspection`
per visit and task: the team records one or more results, submits, and the lead department
(or the coordinator) approves or returns it with a reason; follow-up is tracked to 已完结.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

from shuangsuiji.directory.queries import ScopedQuerySet


class ResultCategory(models.Model):
    code = models.CharField("代码", max_length=10, unique=True)
    name = models.CharField("检查结果", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级结果",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_finding = models.BooleanField("属于发现问题", default=False)
    needs_follow_up = models.BooleanField("需后续处理", default=False)
    stands_alone = models.BooleanField(
        "只能单独选择", default=False, help_text="如“未发现问题”“已注销”，不能与其他结果同时选择"
    )

    class Meta:
        verbose_name = "检查结果类别"
        verbose_name_plural = "检查结果类别"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class InspectionState(models.TextChoices):
    PENDING = "pending", "待录入"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "审核通过"
    PUBLISHED = "published", "已公示"


class FollowUp(models.TextChoices):
    NONE = "", "无需后续处理"
    OPEN = "open", "跟进中"
    CLOSED = "closed", "已完结"


def plan_regions(visit_ids: Iterable[int]) -> dict[int, int]:
    """Each visit's plan's region: what `Inspection.region` copies, read the one way."""
    visit_model: Any = Inspection._meta.get_field("visit").related_model
    rows = visit_model.objects.filter(pk__in=set(visit_ids)).values_list(
        "pk", "assignment__plan__region_id"
    )
    return dict(rows)


class InspectionQuerySet(ScopedQuerySet):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """Every result is created with its region taken from its visit (one query for the
        batch), whatever the caller set: `bulk_create` calls no `save`."""
        made = list(objs)
        regions = plan_regions(inspection.visit_id for inspection in made)
        for inspection in made:
            inspection.region_id = regions[inspection.visit_id]
        return super().bulk_create(made, *args, **kwargs)


class Inspection(models.Model):
    visit = models.ForeignKey(
        "assignments.Visit",
        verbose_name="检查",
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    task = models.ForeignKey(
        "plans.PlanTask",
        verbose_name="抽查任务",
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    state = models.CharField(
        "状态", max_length=10, choices=InspectionState.choices, default=InspectionState.PENDING
    )
    results = models.ManyToManyField(ResultCategory, verbose_name="检查结果", blank=True)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    measures = models.TextField("后续处置措施", blank=True)
    notes = models.TextField("检查情况说明（不公开）", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    follow_up = models.CharField(
        "后续处理", max_length=10, choices=FollowUp.choices, default=FollowUp.NONE, blank=True
    )
    follow_up_note = models.TextField("后续处理情况", blank=True)
    follow_up_closed_at = models.DateTimeField("完结时间", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公示人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The region of the visit's plan, copied at creation (`save` and `bulk_create` take it
    # from the visit, never from the caller): scoping 500,000 results through visit →
    # assignment → plan joined every result in a state before it could drop other regions
    # (200–500 ms a count at a city's scope); with the column an index starts from the scope.
    # The path it copies does not move: a visit's assignment, an assignment's plan (assigned
    # assignments are immutable) and a plan's region are never changed by any service.
    region = models.ForeignKey(
        "directory.Region",
        verbose_name="行政区划",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    REGION_LOOKUP = "region"
    DEPARTMENT_LOOKUP = "task__lead_department"
    INSPECTOR_LOOKUP = "visit__members__inspector"

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        ordering = ["visit", "task__position"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "task"], name="inspection_per_visit_task"),
        ]
        indexes = [
            models.Index(fields=["state"], name="inspection_state"),
            # A scope's results in a state: the review queue, the home page's counts.
            models.Index(fields=["region", "state"], name="inspection_region_state"),
            # The check ledger's year of checks done (checks.ledger.frequently_checked).
            models.Index(fields=["inspected_on"], name="inspection_inspected_on"),
            # 抽查结果公告 lists published results newest first, a page at a time.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(state="published"),
                name="inspection_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.task}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new result, or one whose visit is written, takes its region from the visit."""
        update_fields = kwargs.get("update_fields")
        if self._state.adding or update_fields is None or "visit" in update_fields:
            self.region_id = plan_regions([self.visit_id])[self.visit_id]
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "region"}
        super().save(*args, **kwargs)


class Attachment(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name="检查结果", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to="inspections/%Y/%m/")
    name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    REGION_LOOKUP = "inspection__region"
    DEPARTMENT_LOOKUP = "inspection__task__lead_department"
    INSPECTOR_LOOKUP = "inspection__visit__members__inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["inspection", "uploaded_at"]

    def __str__(self) -> str:
        return self.name
