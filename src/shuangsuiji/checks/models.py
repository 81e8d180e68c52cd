"""The check ledger's own records (国办发〔2024〕54号): each inspecting body's published yearly
cap on checks of one company, and the checks made outside this platform's spot checks (专项,
个案, complaint-triggered …), entered so that one ledger per company counts them all.

The platform's own spot checks are not copied here: the ledger reads them from the visits and
results where they live (`checks.ledger`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from shuangsuiji.directory.enums import InspectionMethod
from shuangsuiji.directory.queries import ScopedQuerySet


class CheckKind(models.TextChoices):
    ROUTINE = "日常检查", "日常检查"
    SPECIAL = "专项检查", "专项检查"
    CASE = "个案检查", "个案检查"
    TRIGGERED = "投诉举报触发", "投诉举报、转办交办、数据监测触发"
    UPPER_SPECIAL = "上级部署专项", "上级部门部署的专项检查（不计入频次上限）"


class CheckCap(models.Model):
    """How many times a year one body may inspect the same company, as the body published it
    (嘉善: twice; 太原: four times); a draw of the body's task leaves out companies at it."""

    department = models.ForeignKey(
        "directory.Department",
        verbose_name="检查主体",
        on_delete=models.PROTECT,
        related_name="check_caps",
    )
    year = models.PositiveSmallIntegerField("年度")
    limit = models.PositiveSmallIntegerField(
        "每年对同一企业的检查上限（次）", validators=[MinValueValidator(1)]
    )
    source = models.CharField("公布依据（文件名称、文号或网址）", max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField("设置时间", auto_now=True)

    REGION_LOOKUP = "department__region"
    DEPARTMENT_LOOKUP = "department"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查频次上限"
        verbose_name_plural = "检查频次上限"
        ordering = ["-year", "department"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="one_cap_per_body_year"),
            models.CheckConstraint(condition=models.Q(limit__gte=1), name="cap_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.department.short_name} {self.year}年：每年不超过{self.limit}次"


class OtherCheck(models.Model):
    """A check of a company made outside the platform's spot checks, as its body entered it."""

    entity = models.ForeignKey(
        "directory.Entity",
        verbose_name="检查对象",
        on_delete=models.PROTECT,
        related_name="other_checks",
    )
    department = models.ForeignKey(
        "directory.Department",
        verbose_name="检查主体",
        on_delete=models.PROTECT,
        related_name="other_checks",
    )
    checked_on = models.DateField("检查日期")
    kind = models.CharField("检查类型", max_length=10, choices=CheckKind.choices)
    method = models.CharField(
        "检查方式",
        max_length=10,
        choices=InspectionMethod.choices,
        default=InspectionMethod.ON_SITE,
    )
    items = models.CharField("检查事项", max_length=300)
    basis = models.CharField("检查依据（计划编号或触发原因）", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    REGION_LOOKUP = "department__region"
    DEPARTMENT_LOOKUP = "department"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "其他涉企检查"
        verbose_name_plural = "其他涉企检查"
        ordering = ["-checked_on", "pk"]
        indexes = [models.Index(fields=["department", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.checked_on} {self.department.short_name} {self.kind}"


class VisitCode(models.Model):
    """The inspection code of one visit (扫码入企, 亮码检查): printed on the notice and shown on
    the inspector's phone; whoever holds it opens the visit's public card without signing in.
    Random, not derived from the visit's code, which a company's code and a month reveal."""

    visit = models.OneToOneField(
        "assignments.Visit",
        verbose_name="检查",
        on_delete=models.PROTECT,
        related_name="check_code",
    )
    code = models.CharField("检查码", max_length=12, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    REGION_LOOKUP = "visit__assignment__plan__region"
    DEPARTMENT_LOOKUP = "visit__departments"
    INSPECTOR_LOOKUP = "visit__members__inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查码"
        verbose_name_plural = "检查码"

    def __str__(self) -> str:
        return self.code


class VisitRating(models.Model):
    """The company's one rating of a visit, made with the rating code printed on its notice.
    It names no person, and no page shows a department the rating of one visit: coordinators
    and auditors read them by department, in aggregate (54号: 扫码评价 reaching the supervisor)."""

    visit = models.OneToOneField(
        "assignments.Visit",
        verbose_name="检查",
        on_delete=models.PROTECT,
        related_name="rating",
    )
    score = models.PositiveSmallIntegerField(
        "满意度（1–5）", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField("意见", max_length=500, blank=True)
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    REGION_LOOKUP = "visit__assignment__plan__region"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业评价"
        verbose_name_plural = "企业评价"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score} 分"


class UndisturbedListing(models.Model):
    """A company on a region's 无事不扰 list for a year (苏州, 厦门 white lists of low-risk
    companies of good credit; 54号's "无事不扰"): a random draw of that region's own plans
    leaves it out (a district's list does not reach a city's plan, nor a city's list a
    district's), with this reason in the bundle, unless the task checks an item on the
    重点监管事项 list (public safety, food and drugs, environment) or the company is high-risk
    (D) at the freeze."""

    region = models.ForeignKey(
        "directory.Region",
        verbose_name="发布名单的辖区",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="名单只适用于本辖区自己的抽查计划",
    )
    entity = models.ForeignKey(
        "directory.Entity",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="undisturbed_listings",
    )
    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("公布依据（名单的文件名称、文号或网址）", max_length=300)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    listed_at = models.DateTimeField("录入时间", auto_now_add=True)

    REGION_LOOKUP = "region"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "无事不扰企业名单"
        verbose_name_plural = "无事不扰企业名单"
        ordering = ["-year", "entity__uscc"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "entity", "year"], name="undisturbed_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.entity.name}"
