"""Rates with honest uncertainty, for the analysis of a year's findings.

A findings rate from 12 inspections says little; the Wilson score interval (Wilson 1927; the
interval Agresti and Coull recommend over the textbook normal one) stays inside [0, 1] and
behaves at 0 and n, where most risk classes of a county's year sit.
"""

from dataclasses import dataclass
from math import sqrt

Z95 = 1.959963984540054  # the standard normal quantile for 95 % two-sided


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int
    low: float
    high: float

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


def wilson(hits: int, total: int, z: float = Z95) -> Rate:
    """The rate hits/total with its Wilson score interval; (0, 1) when nothing was observed."""
    if not 0 <= hits <= total:
        raise ValueError(f"hits {hits} must lie between 0 and total {total}")
    if total == 0:
        return Rate(0, 0, 0.0, 1.0)
    p = hits / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = z * sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    # The interval holds the observed rate; floating point alone put the lower bound of 0 of n
    # a hair above 0 (36 of n = 1…199), and a chart's error bar below the rate went negative.
    low = 0.0 if hits == 0 else min(p, max(0.0, centre - half))
    high = 1.0 if hits == total else max(p, min(1.0, centre + half))
    return Rate(hits, total, low, high)
