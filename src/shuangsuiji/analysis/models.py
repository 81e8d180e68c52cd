"""Risk feedback proposals: next year's credit-risk class, proposed from this year's results,
applied or rejected by the coordinator. A proposal is kept after its decision, so every
change to an entity's class has its source, date and deciding user on record."""

from django.conf import settings
from django.db import models

from shuangsuiji.directory.queries import ScopedQuerySet


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", "待审核"
    APPLIED = "applied", "已调整"
    REJECTED = "rejected", "不调整"


class RiskProposal(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name="抽查计划", on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "directory.Entity", verbose_name="检查对象", on_delete=models.PROTECT, related_name="+"
    )
    current = models.CharField("原风险分类", max_length=1, blank=True)
    proposed = models.CharField("建议风险分类", max_length=1)
    reason = models.CharField("依据", max_length=200)
    evidence = models.JSONField("检查结果编号", default=list)
    state = models.CharField(
        "状态", max_length=10, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    REGION_LOOKUP = "plan__region"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "风险分类调整建议"
        verbose_name_plural = "风险分类调整建议"
        ordering = ["plan", "-proposed", "entity__uscc"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "entity"], name="risk_proposal_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.entity}: {self.current or '未分类'} → {self.proposed}"
