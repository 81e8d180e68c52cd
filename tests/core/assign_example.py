"""The worked example of docs/assign-spec.md: inputs and the results the
document states, so the document and the rule cannot drift apart."""

from typing import Any

from shuangsuiji.core.assign import Rules

ASSIGNMENT_ID = "EX-2024-A1"
RULES = Rules()
A, B = "91140406MA0000001C", "91140406MA0000002A"
MARKET, HEALTH = "区市场监管局", "区卫健局"
TASKS: list[dict[str, Any]] = [
    {
        "task": "EX-T1",
        "name": "餐饮服务食品安全检查",
        "draw_seed": "2f9ed0014e46a34985ba682bcec528e2104381973a8e43a91e8552f51c4c276b",
        "window": ["2024-03", "2024-06"],
        "lead": MARKET,
        "partners": [HEALTH],
        "qualifications": ["食品检验"],
        "team_size": 2,
        "selected": [A, B],
    },
    {
        "task": "EX-T2",
        "name": "公共场所卫生检查",
        "draw_seed": "624cbaf28c398b89a412be109dc21f571105bf7b487003b1e6ab54f43914f0cd",
        "window": ["2024-05", "2024-09"],
        "lead": HEALTH,
        "partners": [],
        "qualifications": [],
        "team_size": 2,
        "selected": [A],
    },
]


def person(ident: str, name: str, department: str, *qualifications: str) -> dict[str, Any]:
    return {
        "id": ident,
        "name": name,
        "department": department,
        "valid_from": "2022-01-01",
        "valid_until": "2026-12-31",
        "active": True,
        "qualifications": list(qualifications),
    }


INSPECTORS = [
    person("SC01", "王磊", MARKET, "食品检验"),
    person("SC02", "李娜", MARKET),
    person("SC03", "赵强", MARKET),
    person("WJ01", "刘洋", HEALTH),
    person("WJ02", "陈静", HEALTH),
]
CONFLICTS = [{"inspector": "SC02", "uscc": B, "reason": "近亲属在该单位任职"}]
# As the app records it (assignments.services.complete_assignment): no commitments.
CEREMONY = {
    "kind": "public",
    "commitments": [],
    "reveals": [],
    "public_value": "3 6 1 4 4 2",
    "public_source": "联席会议掷骰",
}
