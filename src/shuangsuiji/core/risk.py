"""Credit-risk classes (企业信用风险分类): A low, B general, C higher, D high."""

from enum import StrEnum

from shuangsuiji.core.errors import InvalidRiskClass


class RiskClass(StrEnum):
    """The four classes of the national 企业信用风险分类管理 scheme."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        return RISK_LABELS[self]


RISK_LABELS: dict[RiskClass, str] = {
    RiskClass.A: "低风险",
    RiskClass.B: "一般风险",
    RiskClass.C: "较高风险",
    RiskClass.D: "高风险",
}

_BY_TEXT: dict[str, RiskClass] = {
    **{member.value: member for member in RiskClass},
    **{member.value.lower(): member for member in RiskClass},
    **{label: member for member, label in RISK_LABELS.items()},
    **{f"{member.value}类": member for member in RiskClass},
}


def parse_risk_class(text: str) -> RiskClass | None:
    """Read a class as people write it (A, a, A类, 低风险); blank means unclassified (None)."""
    value = text.strip()
    if not value:
        return None
    try:
        return _BY_TEXT[value]
    except KeyError:
        raise InvalidRiskClass(value) from None
