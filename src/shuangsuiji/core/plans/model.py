"""The parsed plan: every field in structure, the original cell text kept beside it."""

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"  # noticed and handled (a trailing 等, frequency text in the wrong column)
    WARNING = "warning"  # parsed, but a person should look (an unknown department)
    ERROR = "error"  # could not be parsed (a missing task name or ratio)


@dataclass(frozen=True)
class Finding:
    field: str
    severity: Severity
    message: str


class RiskRuleKind(StrEnum):
    ESCALATE = "escalate"  # 对低风险、一般风险、较高风险、高风险企业分别递加抽查比例、频次
    NONE = "none"  # 无, /, empty
    FIXED = "fixed"  # one class named (一般风险)
    OTHER = "other"  # another basis (根据雷电灾害风险类型), kept as text


@dataclass(frozen=True)
class RiskRule:
    kind: RiskRuleKind
    text: str
    risk_class: str | None = None  # A–D when kind is FIXED


@dataclass(frozen=True)
class Window:
    """Start and end as "YYYY-MM"; either may be unknown."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class Mode:
    """抽查检查模式 as written, and as (drawing, inspecting) level pairs: 县抽县查 → (县, 县)."""

    text: str
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PlanTask:
    seq: int | None
    name: str
    items: tuple[str, ...]
    scope: str
    ratio_min: float | None
    sample_count: int | None
    frequency_per_year: int | None
    sampling_type: str | None  # 定向 / 不定向
    risk_rule: RiskRule
    window: Window
    lead_department: str
    partner_departments: tuple[str, ...]
    partners_open_ended: bool  # the list ends with 等
    mode: Mode | None
    note: str
    source: dict[str, str]  # column key → original cell text
    findings: tuple[Finding, ...] = ()
    # A per-class table (A3% B4% C5% D6%): class letter → ratio, for the draw's class ratios.
    class_ratios: dict[str, float] | None = None
    # Every tier a ratio cell names (三级≥50%，二级≥30%; 市级…30%，县（区）级…50%), as
    # written; ratio_min is the plan's own level's where it says which, else the lowest.
    ratio_tiers: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Plan:
    title: str
    locality: str
    year: int | None
    columns: tuple[str, ...]  # column keys in the document's order
    tasks: tuple[PlanTask, ...]
    findings: tuple[Finding, ...] = field(default=())
