"""A stored plan and its tasks: the parsed structure, the original cells, and the findings."""

from django.conf import settings
from django.db import models

from shuangsuiji.directory.queries import ScopedQuerySet
from shuangsuiji.plans.enums import RiskRuleKind


class Plan(models.Model):
    title = models.CharField("计划名称", max_length=200)
    locality = models.CharField("地区（原文）", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey(
        "directory.Region", verbose_name="行政区划", on_delete=models.PROTECT, related_name="plans"
    )
    columns = models.JSONField("原表列", default=list)
    findings = models.JSONField("计划级问题", default=list, blank=True)
    source_filename = models.CharField("来源文件", max_length=200, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A plan is a draft until the coordinator publishes it: drafts are not public and may be
    # deleted; a published plan is withdrawn with a recorded reason, never deleted or hidden.
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_reason = models.TextField("撤回原因", blank=True)

    REGION_LOOKUP = "region"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-year", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "title"], name="plan_unique_title")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def state_label(self) -> str:
        if self.is_withdrawn:
            return "已撤回"
        return "草稿" if self.is_draft else "已发布"


class PlanTask(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name="计划", on_delete=models.CASCADE, related_name="tasks"
    )
    position = models.PositiveSmallIntegerField("行次")
    seq = models.PositiveSmallIntegerField("序号", null=True, blank=True)
    name = models.CharField("抽查任务名称", max_length=300, blank=True)
    items = models.JSONField("抽查事项", default=list)
    scope = models.CharField("抽查对象范围", max_length=300, blank=True)
    ratio_min = models.DecimalField(
        "最低抽查比例", max_digits=7, decimal_places=6, null=True, blank=True
    )
    sample_count = models.PositiveIntegerField("抽查户数", null=True, blank=True)
    # A per-class table of the plan (A类3% B类5% …): class letter → ratio as a decimal text,
    # drawn as the draw's class ratios; ratio_min stays the lowest, for classes it leaves out.
    class_ratios = models.JSONField("分类抽查比例", default=dict, blank=True)
    # Every tier the ratio cell names (省级5%、市级10%、县级20%), as [name, ratio text]: the
    # draw uses ratio_min, the plan's own level's figure, and the page shows the rest beside it.
    ratio_tiers = models.JSONField("分级抽查比例", default=list, blank=True)
    frequency_per_year = models.PositiveSmallIntegerField("每年频次", null=True, blank=True)
    sampling_type = models.CharField("抽查类型", max_length=10, blank=True)
    risk_kind = models.CharField(
        "信用风险要求", max_length=10, choices=RiskRuleKind.choices, default=RiskRuleKind.NONE
    )
    risk_text = models.TextField("信用风险要求（原文）", blank=True)
    risk_class = models.CharField("固定风险等级", max_length=1, blank=True)
    window_start = models.CharField("开始年月", max_length=7, blank=True)
    window_end = models.CharField("结束年月", max_length=7, blank=True)
    lead_department = models.ForeignKey(
        "directory.Department",
        verbose_name="发起部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    lead_department_text = models.CharField("发起部门（原文）", max_length=200, blank=True)
    partner_departments = models.ManyToManyField(
        "directory.Department", verbose_name="配合部门", blank=True, related_name="partner_tasks"
    )
    partner_texts = models.JSONField("配合部门（原文）", default=list, blank=True)
    partners_open_ended = models.BooleanField("配合部门以“等”结尾", default=False)
    mode_text = models.CharField("抽查检查模式", max_length=50, blank=True)
    mode_pairs = models.JSONField("抽查/检查层级", default=list, blank=True)
    note = models.TextField("备注", blank=True)
    team_size = models.PositiveSmallIntegerField(
        "每组执法人员数",
        null=True,
        blank=True,
        help_text="留空为默认（ASSIGN_MIN_TEAM，至少2人）；联合检查会按参加部门数自动增加",
    )
    joint_inspection = models.BooleanField(
        "联合检查",
        default=True,
        help_text="是：每个配合部门至少派1人；否：配合部门只提供名单，检查组来自发起部门",
    )
    scope_categories = models.ManyToManyField(
        "directory.ScopeCategory",
        verbose_name="检查对象类别",
        blank=True,
        related_name="tasks",
        help_text="抽查对象范围对应的名录库类别，决定抽取名单",
    )
    scope_min_capital = models.DecimalField(
        "注册资本不低于（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    scope_industry_codes = models.JSONField(
        "行业代码（前缀）",
        default=list,
        blank=True,
        help_text="GB/T 4754 行业代码或其前缀，如 H61、P8331；与检查对象类别任一相符即在范围内",
    )
    scope_regions = models.ManyToManyField(
        "directory.Region",
        verbose_name="限于下级区划",
        blank=True,
        related_name="+",
        help_text="留空为计划所属区划全部",
    )
    scope_statuses = models.JSONField(
        "登记状态",
        default=list,
        blank=True,
        help_text="留空为存续、在业；其余状态的主体列入排除名单并写明原因",
    )
    population_counts = models.JSONField(
        "名单户数（按信用风险分类）",
        default=dict,
        blank=True,
        help_text="保存抽查对象范围时统计；抽取时以冻结的名单为准",
    )
    population_counted_at = models.DateTimeField("名单统计时间", null=True, blank=True)
    source = models.JSONField("原表单元格", default=dict)
    findings = models.JSONField("问题", default=list, blank=True)

    REGION_LOOKUP = "plan__region"
    DEPARTMENT_LOOKUP = "lead_department"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查任务"
        verbose_name_plural = "抽查任务"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plan_task_position")
        ]

    def __str__(self) -> str:
        return f"{self.seq or '—'}. {self.name or '（未命名任务）'}"
