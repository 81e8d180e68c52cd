"""Choices with their Chinese labels, defined once."""

from django.db import models

from shuangsuiji.core.risk import RISK_LABELS, RiskClass


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class EntityStatus(models.TextChoices):
    """Registration status; only 存续 and 在业 entities can be drawn."""

    EXISTING = "存续", "存续"
    OPERATING = "在业", "在业"
    MOVED_OUT = "迁出", "迁出"
    DEREGISTERED = "注销", "注销"
    REVOKED = "吊销", "吊销"

    @classmethod
    def active(cls) -> list[str]:
        return [cls.EXISTING, cls.OPERATING]


class LegalForm(models.TextChoices):
    ENTERPRISE = "企业", "企业"
    INDIVIDUAL = "个体工商户", "个体工商户"
    PUBLIC_INSTITUTION = "事业单位", "事业单位"
    SOCIAL_ORGANISATION = "社会组织", "社会组织"
    GOVERNMENT = "机关", "机关"
    OTHER = "其他", "其他"


class RiskClassChoices(models.TextChoices):
    """The core's RiskClass as model choices; blank ("") means not yet classified."""

    A = RiskClass.A.value, f"A {RISK_LABELS[RiskClass.A]}"
    B = RiskClass.B.value, f"B {RISK_LABELS[RiskClass.B]}"
    C = RiskClass.C.value, f"C {RISK_LABELS[RiskClass.C]}"
    D = RiskClass.D.value, f"D {RISK_LABELS[RiskClass.D]}"


class InspectionMethod(models.TextChoices):
    ON_SITE = "现场检查", "现场检查"
    DOCUMENTS = "书面检查", "书面检查"
    ONLINE = "网络监测", "网络监测"
    EXPERT = "委托专业机构", "委托专业机构"


class ImportStatus(models.TextChoices):
    """Where an uploaded entity file is: checked in the background, then confirmed, then written."""

    QUEUED = "queued", "排队检查"
    CHECKING = "checking", "检查中"
    REJECTED = "rejected", "有错误，未写入"
    CHECKED = "checked", "待确认"
    IMPORTING = "importing", "写入中"
    DONE = "done", "已导入"
    FAILED = "failed", "写入失败，未写入"

    @classmethod
    def running(cls) -> list[str]:
        """States the page keeps polling in: a worker is (or will be) busy with the file."""
        return [cls.QUEUED, cls.CHECKING, cls.IMPORTING]


class ItemList(models.TextChoices):
    """The three lists an item may be published on (浙江's 三张清单, 54号's "no list, no
    check"): an item on the 无事不扰 list is not checked at random."""

    RANDOM = "随机抽查事项", "随机抽查事项清单"
    KEY = "重点监管事项", "重点监管事项清单"
    UNDISTURBED = "无事不扰事项", "无事不扰事项清单"
