"""The worked example of docs/draw-spec.md: 12 entities of 潞城区, two departments and dice."""

from shuangsuiji.core.draw import Parameters, commitment
from shuangsuiji.core.uscc import make_uscc

DRAW_ID = "LC2023-T09-R1"
STRATA = "AAAABBBBBCCD"
POPULATION = {make_uscc("9", "1", "140406", f"MA0{i:06d}"): STRATA[i] for i in range(12)}
SECRETS = {
    "区市场监管局": "5f3a9c1e7b2d4f608a1c3e5f7092b4d6",
    "区公安分局": "c0ffee00deadbeef0123456789abcdef",
}
DICE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
TASK = {
    "plan": "潞城区2023年度部门联合双随机抽查工作计划",
    "seq": 9,
    "name": "对旅馆业特种行业的双随机抽查",
}
PARAMETERS = Parameters(ratio="0.3")


def ceremony() -> dict[str, object]:
    return {
        "kind": "commit-reveal",
        "commitments": [
            {"party": party, "commitment": commitment(DRAW_ID, party, secret)}
            for party, secret in SECRETS.items()
        ],
        "reveals": [{"party": party, "secret": secret} for party, secret in SECRETS.items()],
        "public_value": DICE,
        "public_source": "联席会议现场掷骰20次",
    }
