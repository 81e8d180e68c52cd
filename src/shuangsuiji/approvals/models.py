"""行政检查审批: every inspection approved beforehand by the inspecting body's head (国办发
〔2024〕54号 "凡检查必审批"); in an emergency the visit is made first, reported, and approved
afterwards within a set time, and the record says so.

`Approval` is one act of approval — one head, one time, one opinion — covering a batch of a
body's visits (the 审批表 of a task's visits is signed once). `VisitApproval` is each visit's
standing: approved beforehand (an approval, no emergency), or an emergency reported (when the
visit started and why) and later approved, in or after the time allowed. `Assistant` lists
the people who help the team without being inspectors (技术人员, 检测人员 …): the format
requires their number fixed beforehand, so they are declared before the approval and frozen
by it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models

from shuangsuiji.directory.queries import ScopedQuerySet

# The sources (54号, the Ministry of Justice's Q&A) say an emergency check is reported "及时"
# and its approval completed afterwards, without a number of hours; 24 hours is the time the
# 《行政强制法》第十九条 gives for the same after-the-fact approval of an on-the-spot measure.
EMERGENCY_HOURS = 24


class Approval(models.Model):
    """One act of approval by a body's head, for one or more of the body's visits."""

    department = models.ForeignKey(
        "directory.Department",
        verbose_name="检查主体",
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    number = models.CharField("审批编号", max_length=40, unique=True)
    approver = models.CharField("审批人（负责人）", max_length=50)
    approver_title = models.CharField("审批人职务", max_length=50)
    opinion = models.CharField("审批意见", max_length=300)
    approved_at = models.DateTimeField("审批时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    REGION_LOOKUP = "department__region"
    DEPARTMENT_LOOKUP = "department"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政检查审批"
        verbose_name_plural = "行政检查审批"
        ordering = ["-approved_at", "number"]

    def __str__(self) -> str:
        return self.number


class VisitApproval(models.Model):
    """A visit's standing: approved beforehand, or an emergency reported and (later) approved."""

    visit = models.OneToOneField(
        "assignments.Visit",
        verbose_name="检查",
        on_delete=models.PROTECT,
        related_name="approval_standing",
    )
    approval = models.ForeignKey(
        Approval,
        verbose_name="审批",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    emergency = models.BooleanField("紧急情况先行检查", default=False)
    reason = models.CharField("紧急情况说明", max_length=300, blank=True)
    started_at = models.DateTimeField("先行检查开始时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报告人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)

    REGION_LOOKUP = "visit__assignment__plan__region"
    DEPARTMENT_LOOKUP = "visit__departments"
    INSPECTOR_LOOKUP = "visit__members__inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查审批情况"
        verbose_name_plural = "检查审批情况"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(emergency=False)
                | models.Q(started_at__isnull=False, reason__gt=""),
                name="emergency_has_start_and_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(emergency=True) | models.Q(approval__isnull=False),
                name="ordinary_standing_is_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit} {'紧急' if self.emergency else ''}审批"

    @property
    def due_by(self) -> datetime | None:
        """The latest time an emergency's approval is in time."""
        if not self.emergency or self.started_at is None:
            return None
        return self.started_at + timedelta(hours=EMERGENCY_HOURS)

    @property
    def late(self) -> bool:
        """An emergency approved after its time ran out (recorded, not hidden)."""
        due = self.due_by
        return bool(due and self.approval and self.approval.approved_at > due)


class Assistant(models.Model):
    """Someone who assists the team on a visit without being an inspector; never inspects
    alone. Declared before the approval, which fixes their number (the format's rule)."""

    visit = models.ForeignKey(
        "assignments.Visit",
        verbose_name="检查",
        on_delete=models.PROTECT,
        related_name="assistants",
    )
    name = models.CharField("姓名", max_length=50)
    organisation = models.CharField("单位", max_length=100)
    duty = models.CharField("协助事项", max_length=100)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_at = models.DateTimeField("登记时间", auto_now_add=True)

    REGION_LOOKUP = "visit__assignment__plan__region"
    DEPARTMENT_LOOKUP = "visit__departments"
    INSPECTOR_LOOKUP = "visit__members__inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "协助检查人员"
        verbose_name_plural = "协助检查人员"
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）"
