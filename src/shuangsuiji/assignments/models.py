"""The second random: a plan's joint visits and their teams, drawn verifiably.

`Assignment` holds the frozen inputs and, once assigned, the bundle — never changed again
(database triggers refuse it). Both are frozen artefacts (`shuangsuiji.artefacts`, megabytes
each): the row names them by digest, and `assignment.freeze` / `assignment.bundle` read them
when asked, so no list or join of visits carries them along. `Visit` and `TeamMember` are the
bundle laid out for queries (an inspector's own visits, a department's load); a recusal is a
new `Recusal` row, and the team member it replaces is updated to the replacement the rule
names.
"""

from django.conf import settings
from django.db import models

from shuangsuiji.artefacts.fields import FrozenContent
from shuangsuiji.artefacts.frozen import frozen_record
from shuangsuiji.artefacts.services import decode_json
from shuangsuiji.directory.queries import ScopedQuerySet


class AssignmentState(models.TextChoices):
    FROZEN = "frozen", "人员名单已冻结，等待种子"
    ASSIGNED = "assigned", "已分派（不可更改）"


class Assignment(frozen_record("分派")):
    """The seed, bundle, correction and who froze it are `frozen_record`'s, shared with
    `Draw`."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name="抽查计划", on_delete=models.PROTECT, related_name="assignments"
    )
    number = models.PositiveSmallIntegerField("第几次分派")
    assignment_id = models.CharField("分派编号", max_length=64, unique=True)
    state = models.CharField(
        "状态", max_length=10, choices=AssignmentState.choices, default=AssignmentState.FROZEN
    )
    freeze_artefact = models.ForeignKey(
        "artefacts.Artefact", verbose_name="冻结记录", on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("分派时间", null=True, blank=True)

    REGION_LOOKUP = "plan__region"

    objects = ScopedQuerySet.as_manager()

    freeze = FrozenContent("freeze_artefact", decode_json)

    class Meta:
        verbose_name = "人员分派"
        verbose_name_plural = "人员分派"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="assignment_number_per_plan"),
        ]

    def __str__(self) -> str:
        return self.assignment_id

    @property
    def is_assigned(self) -> bool:
        return self.state == AssignmentState.ASSIGNED


class Visit(models.Model):
    """One visit to one entity, carrying every task whose window allows it."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="分派", on_delete=models.CASCADE, related_name="visits"
    )
    code = models.CharField("检查编号", max_length=40)
    entity = models.ForeignKey(
        "directory.Entity", verbose_name="检查对象", on_delete=models.PROTECT, related_name="+"
    )
    window_start = models.CharField("最早检查月份", max_length=7)
    window_end = models.CharField("最晚检查月份", max_length=7)
    lead_department = models.ForeignKey(
        "directory.Department",
        verbose_name="牵头部门",
        on_delete=models.PROTECT,
        related_name="+",
    )
    departments = models.ManyToManyField(
        "directory.Department", verbose_name="参加部门", related_name="joint_visits"
    )
    tasks = models.ManyToManyField("plans.PlanTask", verbose_name="抽查任务", related_name="visits")
    qualifications = models.JSONField("所需资格", default=list)

    REGION_LOOKUP = "assignment__plan__region"
    DEPARTMENT_LOOKUP = "departments"
    INSPECTOR_LOOKUP = "members__inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "联合检查"
        verbose_name_plural = "联合检查"
        ordering = ["assignment", "code"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "code"], name="visit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class TeamMember(models.Model):
    visit = models.ForeignKey(
        Visit, verbose_name="检查", on_delete=models.CASCADE, related_name="members"
    )
    slot = models.PositiveSmallIntegerField("岗位")
    inspector = models.ForeignKey(
        "directory.Inspector",
        verbose_name="执法人员",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    department = models.ForeignKey(
        "directory.Department", verbose_name="所属部门", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("角色", max_length=10)
    qualification = models.CharField("以何资格入组", max_length=50, blank=True)

    REGION_LOOKUP = "visit__assignment__plan__region"
    DEPARTMENT_LOOKUP = "department"
    INSPECTOR_LOOKUP = "inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = "检查组成员"
        ordering = ["visit", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "slot"], name="team_slot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} #{self.slot} {self.inspector}"


class Recusal(models.Model):
    """An assigned inspector's declared conflict; the rule names the replacement."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="分派", on_delete=models.PROTECT, related_name="recusals"
    )
    number = models.PositiveIntegerField("序号")
    visit = models.ForeignKey(
        Visit, verbose_name="检查", on_delete=models.PROTECT, related_name="recusals"
    )
    slot = models.PositiveSmallIntegerField("岗位")
    inspector = models.ForeignKey(
        "directory.Inspector", verbose_name="回避人员", on_delete=models.PROTECT, related_name="+"
    )
    replacement = models.ForeignKey(
        "directory.Inspector", verbose_name="替补人员", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("回避事由", max_length=200)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_at = models.DateTimeField("登记时间", auto_now_add=True)

    REGION_LOOKUP = "assignment__plan__region"
    DEPARTMENT_LOOKUP = "visit__departments"
    INSPECTOR_LOOKUP = "inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "回避记录"
        verbose_name_plural = "回避记录"
        ordering = ["assignment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="recusal_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} 回避 {self.number}"

    def record(self) -> dict[str, object]:
        """The recusal as the bundle lists it."""
        return {
            "number": self.number,
            "visit": self.visit.code,
            "slot": self.slot,
            "inspector": self.inspector.certificate_no,
            "reason": self.reason,
            "replacement": self.replacement.certificate_no,
        }
