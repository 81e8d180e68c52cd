"""Wilson score intervals, against the published worked examples (Newcombe 1998, method 3)."""

import pytest

from shuangsuiji.core.stats import wilson


@pytest.mark.parametrize(
    ("hits", "total", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombes_table(hits: int, total: int, low: float, high: float) -> None:
    rate = wilson(hits, total)

    assert rate.low == pytest.approx(low, abs=1e-4)
    assert rate.high == pytest.approx(high, abs=1e-4)
    assert rate.value == hits / total


def test_all_hits_reach_one_and_nothing_observed_says_nothing() -> None:
    assert wilson(2, 2).high == 1.0
    assert wilson(0, 0).value is None
    assert (wilson(0, 0).low, wilson(0, 0).high) == (0.0, 1.0)
    with pytest.raises(ValueError, match="between 0 and total"):
        wilson(3, 2)


def test_the_interval_holds_the_rate_for_every_count_up_to_200() -> None:
    outside = [
        (hits, total)
        for total in range(1, 201)
        for hits in range(total + 1)
        if not (r := wilson(hits, total)).low <= hits / total <= r.high
    ]

    assert outside == []
    assert [wilson(0, n).low for n in range(1, 201)] == [0.0] * 200
    assert [wilson(n, n).high for n in range(1, 201)] == [1.0] * 200
