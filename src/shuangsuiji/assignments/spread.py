"""Why one inspector of a department carries more visits than another, in words for the
assignment page.

The balancing rule (docs/assign-spec.md, C) fills every place with one of the eligible
inspectors of least load, so in a department where everyone could take every place the loads
differ by at most one. Wider spreads have causes the bundle records, and a coordinator asked
"why does 张三 have 13 and 李四 2?" should find them on the page rather than suspect the dice:
places only holders of a qualification may take, certificates that cover part of the year,
declared conflicts and the rotation rule, and recusals' replacements.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from shuangsuiji.core import assign as rule


def spread_reasons(bundle: Mapping[str, Any]) -> dict[str, list[str]]:
    """Department → the causes of its spread of loads, as drawn (recusals named apart)."""
    pool = rule.Pool.from_freeze(bundle)
    usable = pool.usable_for_records(bundle["visits"])
    loads: Counter[str] = Counter()
    qualified: dict[str, Counter[str]] = defaultdict(Counter)  # department → qualification → places
    holders: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    partial: dict[str, set[str]] = defaultdict(set)
    for visit in bundle["visits"]:
        first, last = visit["window"]
        barred = pool.invalid(*rule.window_days(first, last))
        for department in visit["departments"]:
            partial[department] |= barred & usable.get(department, set())
        for member in visit["team"]:
            loads[member["inspector"]] += 1
            if member["qualification"]:
                department, qualification = member["department"], member["qualification"]
                qualified[department][qualification] += 1
                holders[department][qualification].add(member["inspector"])
    declared = Counter(
        pool.by_id[c["inspector"]]["department"]
        for c in bundle["conflicts"]
        if c["inspector"] in pool.by_id
    )
    recused = Counter(
        pool.by_id[r["inspector"]]["department"]
        for r in bundle.get("recusals", [])
        if r["inspector"] in pool.by_id
    )
    reasons: dict[str, list[str]] = {}
    for department, people in sorted(usable.items()):
        counts = [loads[i] for i in people]
        if not counts or max(counts) - min(counts) <= 1:
            reasons[department] = ["每个位置取负荷最少的合格人员，差距不超过 1 次"]
            continue
        said = [
            f"{n} 个须持“{q}”资格的位置只能由其中 {len(holders[department][q])} 名持证人员承担"
            for q, n in sorted(qualified[department].items())
        ]
        if partial[department]:
            said.append(
                f"{len(partial[department])} 名人员的执法证有效期只覆盖部分检查时段，"
                "只参加有效期内的检查"
            )
        if declared[department]:
            said.append(f"本部门人员声明回避 {declared[department]} 处，不参加相关对象的检查")
        if bundle["rules"].get("rotation"):
            said.append("上次检查过该对象的人员不参加其下一次检查（轮换）")
        if recused[department]:
            said.append(f"分派后回避 {recused[department]} 次，由他人替补")
        reasons[department] = said or ["差距来自各次检查合格人员的不同"]
    return reasons
