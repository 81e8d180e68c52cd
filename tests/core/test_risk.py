import pytest

from shuangsuiji.core.errors import InvalidRiskClass
from shuangsuiji.core.risk import RiskClass, parse_risk_class


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A", RiskClass.A),
        ("b", RiskClass.B),
        ("C类", RiskClass.C),
        ("高风险", RiskClass.D),
        (" 一般风险 ", RiskClass.B),
        ("", None),
        ("  ", None),
    ],
)
def test_parse_risk_class_reads_the_ways_people_write_it(
    text: str, expected: RiskClass | None
) -> None:
    assert parse_risk_class(text) == expected


def test_parse_risk_class_unknown_value_names_it() -> None:
    with pytest.raises(InvalidRiskClass) as raised:
        parse_risk_class("E")

    assert str(raised.value).startswith("信用风险分类“E”无效")


def test_risk_class_labels_are_the_national_scheme() -> None:
    assert [c.label for c in RiskClass] == ["低风险", "一般风险", "较高风险", "高风险"]
