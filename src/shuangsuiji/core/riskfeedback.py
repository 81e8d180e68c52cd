"""Risk feedback: next year's proposed credit-risk class from this year's inspection results.

The rules (docs/analysis.md, "Risk feedback"; each number a setting):
1. a result in `severe` (default 06 不配合检查情节严重) proposes D;
2. otherwise a finding in `raising` (default 02 发现问题待后续处理 and its sub-results) raises
   the class `raise_steps` classes (default 1), at most to D;
3. otherwise, with no finding of any kind, `clean_needed` or more clean results (default 2,
   across the year's tasks) lower it one class, at least to A;
4. anything else proposes no change.
An unclassified entity counts as B. Only confirmed results (approved or published) are read;
the coordinator reviews every proposal before it changes the directory.
"""

from collections.abc import Iterable
from dataclasses import dataclass

CLASSES = "ABCD"
UNCLASSIFIED_AS = "B"


@dataclass(frozen=True)
class Rules:
    severe: frozenset[str] = frozenset({"06"})
    raising: frozenset[str] = frozenset({"02"})
    raise_steps: int = 1
    clean_needed: int = 2


@dataclass(frozen=True)
class Result:
    """One confirmed result: the codes recorded (a sub-result with its parent's code too)."""

    codes: frozenset[str]
    is_finding: bool


@dataclass(frozen=True)
class Proposal:
    current: str  # "" when unclassified
    proposed: str
    reason: str


def propose(current: str, results: Iterable[Result], rules: Rules = Rules()) -> Proposal | None:
    """The proposal for one entity, or None when the rules change nothing."""
    results = list(results)
    base = current or UNCLASSIFIED_AS
    index = CLASSES.index(base)
    codes = set().union(*(r.codes for r in results)) if results else set()
    if hit := sorted(codes & rules.severe):
        proposed, reason = "D", f"检查结果含 {'、'.join(hit)}（严重情形），拟调为高风险"
    elif hit := sorted(codes & rules.raising):
        proposed = CLASSES[min(index + rules.raise_steps, len(CLASSES) - 1)]
        reason = f"检查结果含 {'、'.join(hit)}（发现问题），拟调高{rules.raise_steps}级"
    elif not any(r.is_finding for r in results) and len(results) >= rules.clean_needed:
        proposed = CLASSES[max(index - 1, 0)]
        reason = f"本年度 {len(results)} 项检查均未发现问题，拟调低一级"
    else:
        return None
    if proposed == current:
        return None
    return Proposal(current, proposed, reason)
