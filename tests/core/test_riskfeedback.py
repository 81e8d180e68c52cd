"""The risk feedback rules: severe results propose D, findings raise, clean years lower."""

from shuangsuiji.core.riskfeedback import Proposal, Result, Rules, propose

CLEAN = Result(frozenset({"01"}), is_finding=False)
UNLISTED = Result(frozenset({"0201", "02"}), is_finding=True)
CORRECTED = Result(frozenset({"03"}), is_finding=True)
REFUSED = Result(frozenset({"06"}), is_finding=True)


def test_a_severe_result_proposes_high_risk_whatever_else_was_found() -> None:
    assert propose("A", [CLEAN, UNLISTED, REFUSED]) == Proposal(
        "A", "D", "检查结果含 06（严重情形），拟调为高风险"
    )


def test_a_finding_to_follow_up_raises_one_class_and_stops_at_d() -> None:
    assert propose("B", [UNLISTED]).proposed == "C"  # type: ignore[union-attr]
    assert propose("D", [UNLISTED]) is None  # already the highest
    assert propose("A", [UNLISTED], Rules(raise_steps=2)).proposed == "C"  # type: ignore[union-attr]


def test_an_unclassified_entity_counts_as_general_risk() -> None:
    assert propose("", [UNLISTED]) == Proposal("", "C", "检查结果含 02（发现问题），拟调高1级")


def test_enough_clean_results_lower_one_class_and_a_corrected_finding_does_not() -> None:
    assert propose("C", [CLEAN, CLEAN]).proposed == "B"  # type: ignore[union-attr]
    assert propose("C", [CLEAN]) is None  # one clean result is not enough
    assert propose("C", [CLEAN, CORRECTED]) is None  # found and corrected: no change
    assert propose("A", [CLEAN, CLEAN]) is None  # already the lowest
    assert propose("", [CLEAN, CLEAN]).proposed == "A"  # type: ignore[union-attr]


def test_the_codes_are_rules_not_code() -> None:
    strict = Rules(severe=frozenset({"06", "03"}), clean_needed=3)

    assert propose("A", [CORRECTED], strict).proposed == "D"  # type: ignore[union-attr]
    assert propose("C", [CLEAN, CLEAN], strict) is None
