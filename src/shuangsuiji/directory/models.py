"""两库一单: regions, departments, the entity directory, inspectors and check items."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from shuangsuiji.core.pinyin import pinyin_initials
from shuangsuiji.directory.enums import (
    EntityStatus,
    ImportStatus,
    InspectionMethod,
    ItemList,
    LegalForm,
    RegionLevel,
    RiskClassChoices,
)
from shuangsuiji.directory.queries import (
    CheckItemQuerySet,
    DepartmentQuerySet,
    EntityQuerySet,
    InspectorQuerySet,
    ScopedQuerySet,
)
from shuangsuiji.directory.validators import industry_code_validator, uscc_validator
from shuangsuiji.operations.models import Job, JobKind


class Region(models.Model):
    """An administrative division by its GB/T 2260 code: province → city → county."""

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("级别", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """长治市潞城区 rather than 潞城区: county names repeat across cities (城区)."""
        if self.parent and self.level == RegionLevel.COUNTY:
            return f"{self.parent.name}{self.name}"
        return self.name


class Department(models.Model):
    """A regulating body; plans name it by several spellings, recorded as aliases."""

    name = models.CharField("全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50)
    region = models.ForeignKey(
        Region, verbose_name="行政区划", on_delete=models.PROTECT, related_name="departments"
    )
    is_coordinator = models.BooleanField(
        "联席会议办公室", default=False, help_text="牵头协调部门，通常为市场监督管理局"
    )
    name_initials = models.CharField("拼音首字母", max_length=200, blank=True, editable=False)

    REGION_LOOKUP = "region"

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["region__code", "-is_coordinator", "short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "short_name"], name="department_short_name_unique_in_region"
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_coordinator=True),
                name="one_coordinator_per_region",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_initials = f"{pinyin_initials(self.short_name)} {pinyin_initials(self.name)}"
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class DepartmentAlias(models.Model):
    """Another spelling of a department as plans write it (区市场监管 for 区市场监管局)."""

    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.CASCADE, related_name="aliases"
    )
    region = models.ForeignKey(Region, verbose_name="行政区划", on_delete=models.CASCADE)
    name = models.CharField("别称", max_length=100)

    REGION_LOOKUP = "region"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "部门别称"
        verbose_name_plural = "部门别称"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="alias_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.region_id = self.department.region_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ScopeCategory(models.Model):
    """A tag describing what kind of object an entity is (学校食堂, 网吧, 旅馆 …)."""

    name = models.CharField("名称", max_length=50, unique=True)
    industry_code = models.CharField(
        "典型行业代码", max_length=5, blank=True, validators=[industry_code_validator]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查对象类别"
        verbose_name_plural = "检查对象类别"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Entity(models.Model):
    """检查对象名录库: one market entity or institution, keyed by its 统一社会信用代码."""

    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[uscc_validator]
    )
    name = models.CharField("名称", max_length=200)
    name_initials = models.CharField("拼音首字母", max_length=300, blank=True, editable=False)
    legal_form = models.CharField(
        "主体类型", max_length=10, choices=LegalForm.choices, default=LegalForm.ENTERPRISE
    )
    legal_representative = models.CharField("法定代表人/负责人", max_length=50, blank=True)
    address = models.CharField("住所", max_length=300, blank=True)
    region = models.ForeignKey(Region, verbose_name="行政区划", on_delete=models.PROTECT)
    industry_code = models.CharField(
        "行业代码",
        max_length=5,
        blank=True,
        validators=[industry_code_validator],
        help_text="GB/T 4754-2017，如 H6110",
    )
    registered_capital = models.DecimalField(
        "注册资本（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    status = models.CharField(
        "登记状态", max_length=4, choices=EntityStatus.choices, default=EntityStatus.EXISTING
    )
    categories = models.ManyToManyField(
        ScopeCategory, verbose_name="检查对象类别", blank=True, related_name="entities"
    )
    risk_class = models.CharField(
        "信用风险分类",
        max_length=1,
        choices=RiskClassChoices.choices,
        blank=True,
        help_text="留空表示未分类",
    )
    risk_classified_on = models.DateField("分类日期", null=True, blank=True)
    risk_source = models.CharField("分类来源", max_length=100, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    REGION_LOOKUP = "region"

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象名录库"
        ordering = ["uscc"]
        indexes = [
            models.Index(
                fields=["region", "status", "risk_class"], name="entity_region_status_risk"
            ),
            models.Index(fields=["status"], name="entity_status"),
            models.Index(fields=["risk_class"], name="entity_risk_class"),
            models.Index(fields=["name"], name="entity_name"),
            models.Index(fields=["name_initials"], name="entity_name_initials"),
            # A county's list, newest first, without reading other counties' rows.
            models.Index(fields=["region", "id"], name="entity_region_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(risk_class__in=["", "A", "B", "C", "D"]), name="entity_risk_class_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class DirectoryChanges(models.Model):
    """One row counting the statements that changed what a population count reads (an
    entity's region, status, risk class or industry code, its categories, entities added or
    removed). Database triggers bump it (migration 0007), so every path counts: the ORM,
    bulk inserts, the admin, raw SQL."""

    changes = models.BigIntegerField("变更次数", default=0)

    class Meta:
        verbose_name = "名录变更计数"
        verbose_name_plural = "名录变更计数"

    def __str__(self) -> str:
        return f"名录变更 {self.changes} 次"


class EntityTally(models.Model):
    """How many entities share one combination of what a population filter reads, so a
    count over 1,000,000 entities sums a few thousand rows instead of joining the directory
    with its category tags. Rebuilt whole by `directory.tally.rebuild`; read only while
    `TallyStamp` says it was made at the current `DirectoryChanges`."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=4)
    risk_class = models.CharField(max_length=1, blank=True)
    industry_code = models.CharField(max_length=5, blank=True)
    # The entity's category ids, comma-separated with a comma at each end (",3,17,"), so
    # "tagged with 17" is `LIKE '%,17,%'`; "" for no category.
    category_key = models.TextField(blank=True)
    # The largest of `tally.CAPITAL_EDGES` not above the registered capital; null if unknown.
    capital_from = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    entities = models.PositiveIntegerField()

    REGION_LOOKUP = "region"  # read in the same scope as the entities it counts

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "名录汇总"
        verbose_name_plural = "名录汇总"

    def __str__(self) -> str:
        kind = f"{self.status}/{self.risk_class or 'U'}/{self.industry_code}"
        return f"{self.region_id}/{kind}/{self.category_key}: {self.entities}"


class TallyStamp(models.Model):
    """One row: the `DirectoryChanges.changes` the tally was made at, and the last one a
    rebuild was asked for (so a stale tally queues one rebuild, not one per count)."""

    tallied = models.BigIntegerField(null=True)
    requested = models.BigIntegerField(null=True)
    tallied_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "名录汇总状态"
        verbose_name_plural = "名录汇总状态"

    def __str__(self) -> str:
        return f"名录汇总截至第 {self.tallied} 次变更"


class Qualification(models.Model):
    """A specialty an inspector holds and a check item may require (食品安全, 特种设备 …)."""

    name = models.CharField("名称", max_length=50, unique=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "执法资格"
        verbose_name_plural = "执法资格"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Inspector(models.Model):
    """执法检查人员名录库: a law-enforcement officer with a valid 执法证."""

    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("拼音首字母", max_length=100, blank=True, editable=False)
    department = models.ForeignKey(
        Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="inspectors"
    )
    certificate_no = models.CharField("执法证号", max_length=30, unique=True)
    certificate_valid_from = models.DateField("执法证生效日期")
    certificate_valid_until = models.DateField("执法证有效期至")
    qualifications = models.ManyToManyField(
        Qualification, verbose_name="专业资格", blank=True, related_name="inspectors"
    )
    is_active = models.BooleanField("在岗", default=True)

    REGION_LOOKUP = "department__region"
    DEPARTMENT_LOOKUP = "department"
    INSPECTOR_LOOKUP = "pk"

    objects = InspectorQuerySet.as_manager()

    class Meta:
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员名录库"
        ordering = ["department", "certificate_no"]
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_valid_until__gte=models.F("certificate_valid_from")),
                name="inspector_certificate_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_no}）"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def certificate_valid_on(self, day: date) -> bool:
        return self.certificate_valid_from <= day <= self.certificate_valid_until


class Conflict(models.Model):
    """A declared conflict of interest (回避): the inspector must not inspect this entity."""

    inspector = models.ForeignKey(
        Inspector, verbose_name="执法人员", on_delete=models.CASCADE, related_name="conflicts"
    )
    entity = models.ForeignKey(
        Entity, verbose_name="检查对象", on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.CharField("回避事由", max_length=200)
    declared_on = models.DateField("申报日期", default=date.today)

    REGION_LOOKUP = "inspector__department__region"
    DEPARTMENT_LOOKUP = "inspector__department"
    INSPECTOR_LOOKUP = "inspector"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"
        constraints = [
            models.UniqueConstraint(fields=["inspector", "entity"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inspector.name} ↔ {self.entity.name}"


class CheckItem(models.Model):
    """随机抽查事项清单: one item a department may check, with its legal basis."""

    department = models.ForeignKey(
        Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="check_items"
    )
    name = models.CharField("抽查事项", max_length=200)
    code = models.CharField("事项编码", max_length=40, blank=True)
    list_kind = models.CharField(
        "所属清单", max_length=10, choices=ItemList.choices, default=ItemList.RANDOM
    )
    legal_basis = models.TextField("检查依据")
    object_type = models.CharField("检查对象", max_length=100)
    method = models.CharField(
        "检查方式",
        max_length=10,
        choices=InspectionMethod.choices,
        default=InspectionMethod.ON_SITE,
    )
    required_qualification = models.ForeignKey(
        Qualification,
        verbose_name="检查人员要求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="check_items",
    )

    REGION_LOOKUP = "department__region"
    DEPARTMENT_LOOKUP = "department"

    objects = CheckItemQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查事项"
        verbose_name_plural = "随机抽查事项清单"
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="check_item_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EntityImport(models.Model):
    """One uploaded entity file on its way in: checked by a background task, shown as a
    preview with every problem, written in one transaction when a person confirms (or, for
    a file sent through the API, as soon as the check finds no problem).

    Progress lives here (not in the task result) so the page can poll one row, and so the
    checking rows survive a worker restart for the person to look at.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    filename = models.CharField("文件名", max_length=200)
    path = models.CharField("存储位置", max_length=300)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    created_count = models.PositiveIntegerField("已导入户数", default=0)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    problems = models.JSONField("问题（前若干条）", default=list)
    preview = models.JSONField("预览（前若干行）", default=list)
    message = models.CharField("说明", max_length=500, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    confirm_when_checked = models.BooleanField(
        "检查无误即写入", default=False, help_text="通过接口导入：不经预览确认"
    )

    REGION_LOOKUP = "created_by__department__region"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查对象导入"
        verbose_name_plural = "检查对象导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in ImportStatus.running()

    def step(self) -> Job | None:
        """The file's latest background step: its check, or once confirmed its write."""
        return self.jobs.order_by("-pk").first()

    def _check_step(self) -> Job | None:
        return self.jobs.filter(kind=JobKind.CHECK).order_by("-pk").first()

    @property
    def checked_rows(self) -> int:
        """How many rows its check has read."""
        check = self._check_step()
        return check.done if check else 0

    @property
    def rows_to_check(self) -> int:
        """The file's rows: counted once the check has read it, seen by the check before."""
        check = self._check_step()
        return self.total_rows or (check.total if check else 0)

    @property
    def percent(self) -> int:
        """How far the check has come; writing is one transaction, so it shows as 100."""
        if self.status == ImportStatus.QUEUED:
            return 0
        if self.status == ImportStatus.CHECKING:
            step = self.step()
            return step.progress if step else 0
        return 100
