from django.db import models


class RiskRuleKind(models.TextChoices):
    ESCALATE = "escalate", "按信用风险分类递加"
    NONE = "none", "无"
    FIXED = "fixed", "固定风险等级"
    OTHER = "other", "其他依据"
