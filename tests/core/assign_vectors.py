"""The assignment test vectors of docs/draw-vectors/assign-*.json: their inputs, written here
once, and the files made from them (`python -m tests.core.assign_vectors` rewrites the files;
tests/core/test_assign_vectors.py checks that the files, the Python rule and the JavaScript
verifier agree).

Each file is a whole assignment bundle split in two: `inputs`, everything an outsider needs to
rebuild it (the frozen tasks with their names and draw seeds, inspectors with names,
conflicts with reasons, last-visit history, units, rules, the ceremony and the recusals asked
for), and `expected`, what the rule derives (digests, seed, caps, visits with teams, report,
loads, recusal records) and the verifier's verdict. A vector whose name ends in `-fails` has
been tampered with as its `tampered` line says, and its verdict is the first discrepancy."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shuangsuiji.core import assign as rule
from shuangsuiji.core import draw
from shuangsuiji.core.uscc import make_uscc
from tests.core import assign_example as example

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "draw-vectors"

MARKET = "区市场监管局"
HEALTH = "区卫健局"
SAFETY = "区应急管理局"
ENVIRONMENT = "区生态环境分局"
EDUCATION = "区教育局"
FOOD = "食品检验"
EQUIPMENT = "特种设备"
HAZMAT = "危化品"
DICE = "4 2 6 1 5 3 3 6 2 4"

Case = dict[str, Any]
Bundle = dict[str, Any]


def entity(number: int) -> str:
    return make_uscc("9", "1", "140406", f"MB{number:07d}")


E = {n: entity(n) for n in range(1, 13)}


def person(
    ident: str,
    name: str,
    department: str,
    *qualifications: str,
    active: bool = True,
    valid_from: str = "2023-01-01",
    valid_until: str = "2027-12-31",
    unit: str | None = None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ident,
        "name": name,
        "department": department,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "active": active,
        "qualifications": list(qualifications),
    }
    if unit is not None:
        row["unit"] = unit
    return row


def task(
    key: str,
    name: str,
    window: tuple[str, str],
    lead: str,
    selected: list[str],
    partners: tuple[str, ...] = (),
    qualifications: tuple[str, ...] = (),
    team_size: int | None = 2,
) -> dict[str, Any]:
    """A task as the app freezes it; its draw seed stands in for the seed of the task's
    published draw (here SHA-256 of "draw " and the task key)."""
    return {
        "task": key,
        "name": name,
        "draw_seed": draw.sha256_hex(f"draw {key}".encode()),
        "window": list(window),
        "lead": lead,
        "partners": list(partners),
        "qualifications": list(qualifications),
        "team_size": team_size,
        "selected": selected,
    }


def public(value: str = DICE) -> dict[str, Any]:
    """The ceremony as the app records it (assignments.services.complete_assignment)."""
    return {
        "kind": "public",
        "commitments": [],
        "reveals": [],
        "public_value": value,
        "public_source": "联席会议现场掷骰10次，见证人：张三、李四",
    }


def commit_reveal(assignment_id: str, secrets: dict[str, str], revealed: list[str]) -> Any:
    return {
        **public(),
        "kind": "commit-reveal",
        "commitments": [
            {"party": p, "commitment": draw.commitment(assignment_id, p, s)}
            for p, s in sorted(secrets.items())
        ],
        "reveals": [{"party": p, "secret": secrets[p]} for p in sorted(revealed)],
    }


# --- pools ---------------------------------------------------------------------------------

MARKET_POOL = [
    person("SC101", "王磊", MARKET, FOOD),
    person("SC102", "李娜", MARKET, EQUIPMENT),
    person("SC103", "赵强", MARKET),
    person("SC104", "孙丽", MARKET, FOOD, EQUIPMENT),
    person("SC105", "周杰", MARKET),
    person("SC106", "吴敏", MARKET),
]
HEALTH_POOL = [
    person("WJ101", "刘洋", HEALTH, FOOD),
    person("WJ102", "陈静", HEALTH),
    person("WJ103", "杨帆", HEALTH),
]
SAFETY_POOL = [
    person("YJ101", "黄勇", SAFETY, HAZMAT),
    person("YJ102", "徐婷", SAFETY, HAZMAT, EQUIPMENT),
    person("YJ103", "马超", SAFETY),
]
ENVIRONMENT_POOL = [
    person("HJ101", "朱琳", ENVIRONMENT, HAZMAT),
    person("HJ102", "胡斌", ENVIRONMENT),
    person("HJ103", "郭菲", ENVIRONMENT),
    person("HJ104", "林涛", ENVIRONMENT),
    person("HJ105", "何雪", ENVIRONMENT),
]
EDUCATION_POOL = [
    person("JY101", "高峰", EDUCATION),
    person("JY102", "罗佳", EDUCATION),
    person("JY103", "梁宇", EDUCATION),
]


# --- tamperings (the `-fails` vectors) -----------------------------------------------------


def put_conflicted_member_first(bundle: Bundle) -> str:
    """Slot 1 of the first visit whose entity a lead-department inspector declared a conflict
    with is given to that inspector (a coordinator's 'swap')."""
    for visit in bundle["visits"]:
        for row in bundle["conflicts"]:
            person_ = next(i for i in bundle["inspectors"] if i["id"] == row["inspector"])
            if row["uscc"] == visit["uscc"] and person_["department"] == visit["lead"]:
                old = visit["team"][0]["inspector"]
                visit["team"][0]["inspector"] = row["inspector"]
                return f"检查 {visit['id']} 的组长由 {old} 换为已申报回避的 {row['inspector']}"
    raise AssertionError("no conflicted lead-department inspector")


def declare_conflict_afterwards(bundle: Bundle) -> str:
    """A conflict declared once the teams were known, for the first visit's leader."""
    visit = bundle["visits"][0]
    leader = visit["team"][0]["inspector"]
    bundle["conflicts"] = rule._sorted_rows(
        [
            *bundle["conflicts"],
            {"inspector": leader, "uscc": visit["uscc"], "reason": "事后申报：曾在该企业兼职"},
        ],
        "inspector",
        "uscc",
        "reason",
    )
    return f"分派后补报 {leader} 与 {visit['uscc']} 回避，摘要未重算"


def choose_the_replacement(bundle: Bundle) -> str:
    """The first recusal's replacement named by hand: another inspector of the place's
    department who is free to go."""
    recusal = bundle["recusals"][0]
    visit = next(v for v in bundle["visits"] if v["id"] == recusal["visit"])
    team = {m["inspector"] for m in rule.current_teams(bundle)[visit["id"]]}
    member = next(m for m in visit["team"] if m["slot"] == recusal["slot"])
    other = next(
        i["id"]
        for i in bundle["inspectors"]
        if i["department"] == member["department"]
        and i["id"] not in team | {recusal["inspector"], recusal["replacement"]}
    )
    old, recusal["replacement"] = recusal["replacement"], other
    return f"第1次回避的替补由 {old} 改为指定的 {other}"


# --- the cases -----------------------------------------------------------------------------


def cases() -> dict[str, Case]:
    """name → inputs: assignment_id, rules, tasks, inspectors, conflicts, history, units,
    ceremony, recusals as (visit id, slot, reason), and for `-fails` a tampering."""
    joint_food = [
        task(
            "JV-T1",
            "餐饮服务食品安全联合检查",
            ("2025-04", "2025-06"),
            MARKET,
            [E[n] for n in range(1, 6)],
            partners=(HEALTH,),
            qualifications=(FOOD,),
        )
    ]
    return {
        "assign-01-worked-example": {
            "assignment_id": example.ASSIGNMENT_ID,
            "rules": example.RULES,
            "tasks": example.TASKS,
            "inspectors": example.INSPECTORS,
            "conflicts": example.CONFLICTS,
            "ceremony": example.CEREMONY,
        },
        "assign-02-windows-merge-split-over-limit": {
            "assignment_id": "AV-MERGE",
            "rules": rule.Rules(),
            "tasks": [
                task("MG-A", "食品销售者抽查", ("2025-01", "2025-03"), MARKET, [E[1], E[2], E[3]]),
                task("MG-B", "特种设备使用单位抽查", ("2025-02", "2025-06"), MARKET, [E[1], E[2]]),
                task(
                    "MG-C", "公共场所卫生抽查", ("2025-08", "2025-10"), HEALTH, [E[1], E[3], E[4]]
                ),
            ],
            "inspectors": MARKET_POOL + HEALTH_POOL,
        },
        "assign-03-fixed-cap-rotation-off": {
            "assignment_id": "AV-CAP",
            "rules": rule.Rules(cap=2, rotation=False),
            "tasks": [
                task(
                    "CP-T1",
                    "大型商场消防安全检查",
                    ("2025-03", "2025-05"),
                    MARKET,
                    [E[n] for n in range(1, 5)],
                    team_size=3,
                ),
            ],
            "inspectors": MARKET_POOL,
            "history": [{"uscc": E[1], "inspector": "SC101"}, {"uscc": E[1], "inspector": "SC102"}],
        },
        "assign-04-computed-cap-no-slack-visit-limit-2": {
            "assignment_id": "AV-CAP-COMPUTED",
            "rules": rule.Rules(cap_slack=0, visit_limit=2),
            "tasks": [
                *joint_food,
                task("JV-T2", "学校食堂检查", ("2025-09", "2025-11"), EDUCATION, [E[1], E[6]]),
            ],
            "inspectors": [*MARKET_POOL[:3], *HEALTH_POOL[1:], *EDUCATION_POOL],
        },
        "assign-05-team-sizes-min-team-3": {
            "assignment_id": "AV-SIZES",
            "rules": rule.Rules(min_team=3),
            "tasks": [
                task(
                    "SZ-T1",
                    "危险化学品经营单位联合检查",
                    ("2025-05", "2025-07"),
                    MARKET,
                    [E[1], E[2]],
                    partners=(HEALTH, SAFETY),
                    team_size=None,
                ),
                task(
                    "SZ-T2",
                    "排污单位执法检查",
                    ("2025-06", "2025-08"),
                    ENVIRONMENT,
                    [E[1], E[3]],
                    team_size=4,
                ),
                task(
                    "SZ-T3",
                    "校外培训机构检查",
                    ("2025-10", "2025-11"),
                    EDUCATION,
                    [E[4]],
                    partners=(MARKET,),
                ),
            ],
            "inspectors": MARKET_POOL
            + HEALTH_POOL
            + SAFETY_POOL
            + ENVIRONMENT_POOL
            + EDUCATION_POOL,
        },
        "assign-06-qualifications": {
            "assignment_id": "AV-QUAL",
            "rules": rule.Rules(),
            "tasks": [
                task(
                    "QL-T1",
                    "危险化学品安全检查",
                    ("2025-04", "2025-06"),
                    SAFETY,
                    [E[1], E[2], E[3]],
                    partners=(ENVIRONMENT,),
                    qualifications=(HAZMAT, EQUIPMENT),
                ),
                task(
                    "QL-T2",
                    "特种设备安全检查",
                    ("2025-05", "2025-09"),
                    MARKET,
                    [E[2], E[4]],
                    qualifications=(EQUIPMENT,),
                ),
            ],
            "inspectors": MARKET_POOL + SAFETY_POOL + ENVIRONMENT_POOL,
        },
        "assign-07-conflicts-rotation-unit-certificates": {
            "assignment_id": "AV-ELIGIBLE",
            "rules": rule.Rules(avoid_own_unit=True),
            "tasks": [
                task(
                    "EL-T1",
                    "食品生产企业联合检查",
                    ("2025-01", "2025-03"),
                    MARKET,
                    [E[n] for n in range(1, 5)],
                    partners=(HEALTH,),
                ),
                task("EL-T2", "计量器具检查", ("2025-05", "2025-08"), MARKET, [E[3], E[5], E[6]]),
            ],
            "inspectors": [
                person("SC201", "韩冰", MARKET, unit="城区所"),
                person("SC202", "曹阳", MARKET, unit="城区所"),
                person("SC203", "邓琪", MARKET, unit="郊区所"),
                person("SC204", "冯军", MARKET, unit="郊区所"),
                person("SC205", "彭悦", MARKET, active=False, unit="郊区所"),  # 长期病假
                person("SC206", "曾辉", MARKET, valid_until="2025-04-30", unit="城区所"),
                person("SC207", "萧然", MARKET, valid_from="2025-05-01", unit="郊区所"),
                person("WJ201", "田甜", HEALTH),
                person("WJ202", "董明", HEALTH),
                person("WJ203", "袁媛", HEALTH),
            ],
            "conflicts": [
                {"inspector": "SC203", "uscc": E[1], "reason": "配偶在该企业任职"},
                {"inspector": "WJ201", "uscc": E[2], "reason": "近亲属为该企业股东"},
                {"inspector": "SC204", "uscc": E[5], "reason": "曾为该企业提供咨询服务"},
            ],
            "history": [{"uscc": E[3], "inspector": "SC201"}, {"uscc": E[3], "inspector": "WJ202"}],
            "units": {
                E[1]: "城区所",
                E[2]: "郊区所",
                E[3]: "城区所",
                E[5]: "郊区所",
                E[6]: "城区所",
            },
        },
        "assign-08-recusals-refill": {
            "assignment_id": "AV-RECUSAL",
            "rules": rule.Rules(),
            "tasks": joint_food,
            "inspectors": [*MARKET_POOL[:4], *HEALTH_POOL],
            "recusals": [
                (f"{E[1]}-202504", 1, "与该企业法定代表人系同学"),
                (f"{E[2]}-202504", 3, "近亲属在该企业任职"),
                (f"{E[1]}-202504", 1, "接替后发现曾为该企业提供咨询"),
            ],
        },
        "assign-09-two-departments-joint-commit-reveal": {
            "assignment_id": "AV-JOINT",
            "rules": rule.Rules(),
            "tasks": [
                task(
                    "JT-T1",
                    "药品零售企业联合检查",
                    ("2025-03", "2025-05"),
                    MARKET,
                    [E[n] for n in range(1, 6)],
                    partners=(HEALTH,),
                ),
                task(
                    "JT-T2",
                    "医疗机构依法执业检查",
                    ("2025-04", "2025-09"),
                    HEALTH,
                    [E[n] for n in range(3, 8)],
                    partners=(MARKET,),
                ),
            ],
            "inspectors": MARKET_POOL + HEALTH_POOL,
            "ceremony": commit_reveal(
                "AV-JOINT",
                {MARKET: "5c" * 16, HEALTH: "a7" * 16, EDUCATION: "0e" * 16},
                [MARKET, HEALTH],
            ),
        },
        "assign-10-system-kind-units-not-used": {
            "assignment_id": "AV-SYSTEM",
            "rules": rule.Rules(),
            "tasks": [
                task("SY-T1", "演练：消防安全检查", ("2025-02", "2025-02"), SAFETY, [E[1], E[2]]),
            ],
            "inspectors": [*SAFETY_POOL, person("YJ104", "宋雨", SAFETY, unit="城区站")],
            "units": {E[1]: "城区站"},
            "ceremony": {
                "kind": "system",
                "commitments": [],
                "reveals": [],
                "public_value": "3d" * 32,
                "public_source": "系统随机数（最弱：仅用于演练）",
            },
        },
        "assign-11-swapped-member-fails": {
            "assignment_id": "AV-SWAP",
            "rules": rule.Rules(),
            "tasks": joint_food,
            "inspectors": MARKET_POOL + HEALTH_POOL,
            "conflicts": [
                {"inspector": "SC103", "uscc": E[n], "reason": "曾在该企业任职"} for n in (1, 2, 3)
            ],
            "tamper": put_conflicted_member_first,
        },
        "assign-12-conflict-declared-after-fails": {
            "assignment_id": "AV-LATE",
            "rules": rule.Rules(),
            "tasks": joint_food,
            "inspectors": MARKET_POOL + HEALTH_POOL,
            "tamper": declare_conflict_afterwards,
        },
        "assign-13-shortfall-forged-fails": {
            "assignment_id": "AV-SHORT",
            "rules": rule.Rules(),
            "tasks": [
                task("ST-T1", "学校食堂检查", ("2025-03", "2025-04"), EDUCATION, [E[1], E[2]]),
                task(
                    "ST-T2",
                    "校园周边食品安全检查",
                    ("2025-03", "2025-06"),
                    MARKET,
                    [E[3]],
                    qualifications=(FOOD,),
                ),
            ],
            "inspectors": [
                EDUCATION_POOL[0],
                person("JY104", "沈洁", EDUCATION, valid_until="2024-12-31"),
                *MARKET_POOL[1:3],
            ],
            # Teams made by hand despite the shortfall: the only usable 区教育局 inspector and
            # a 区市场监管局 one; the food visit without a holder of 食品检验.
            "forged_teams": {
                f"{E[1]}-202503": [("JY101", EDUCATION), ("SC102", MARKET)],
                f"{E[2]}-202503": [("JY101", EDUCATION), ("SC103", MARKET)],
                f"{E[3]}-202503": [("SC102", MARKET), ("SC103", MARKET)],
            },
        },
        "assign-14-recusal-replacement-chosen-fails": {
            "assignment_id": "AV-PICKED",
            "rules": rule.Rules(),
            "tasks": joint_food,
            "inspectors": MARKET_POOL + HEALTH_POOL,
            "recusals": [(f"{E[4]}-202504", 1, "本人申请回避：与该企业有业务往来")],
            "tamper": choose_the_replacement,
        },
    }


# --- building --------------------------------------------------------------------------------


def frozen(case: Case) -> dict[str, Any]:
    return rule.freeze_assignment(
        case["assignment_id"],
        case["rules"],
        case["tasks"],
        case["inspectors"],
        case.get("conflicts", []),
        case.get("history", []),
        case.get("units", {}),
    )


def forged(case: Case, freeze: dict[str, Any]) -> Bundle:
    """A bundle for inputs the rule refuses: digests and seed honest, visits merged by the
    rule, teams written by hand."""
    ceremony = case.get("ceremony", public())
    reveals = draw.check_ceremony(ceremony, freeze["assignment_id"])
    seed = draw.combine_seed(freeze["freeze_digest"], reveals, str(ceremony["public_value"]))
    rules = rule.Rules.from_dict(freeze["rules"])
    visits = rule.merge_visits(freeze["tasks"], rules.min_team)
    pool = rule.Pool.from_freeze(freeze)
    laid_out = [
        {
            **v.as_dict(),
            "team": [
                {
                    "slot": n,
                    "inspector": who,
                    "department": department,
                    "role": rule.LEADER if n == 1 else rule.MEMBER,
                    "for": department,
                    "qualification": None,
                }
                for n, (who, department) in enumerate(case["forged_teams"][v.id], start=1)
            ],
        }
        for v in visits
    ]
    return {
        **freeze,
        "ceremony": ceremony,
        "seed": seed,
        "caps": rule.caps(pool, visits),
        "visits": laid_out,
        "report": rule.merge_report(freeze["tasks"], visits, rules.visit_limit),
        "loads": rule.load_report(laid_out, freeze),
        "recusals": [],
    }


def bundle_for(case: Case) -> tuple[Bundle, str | None]:
    """The bundle the case describes and, for a `-fails` case, what was tampered with."""
    freeze = frozen(case)
    if "forged_teams" in case:
        return forged(case, freeze), "检查组由人工填写，而冻结名单不足以组队（应在分派前拒绝）"
    bundle = rule.run_assignment(freeze, case.get("ceremony", public()))
    for visit_id, slot, reason in case.get("recusals", []):
        team = rule.current_teams(bundle)[visit_id]
        inspector = next(m["inspector"] for m in team if m["slot"] == slot)
        bundle["recusals"].append(rule.recuse(bundle, visit_id, inspector, reason))
    tamper: Callable[[Bundle], str] | None = case.get("tamper")
    return bundle, tamper(bundle) if tamper else None


INPUT_KEYS = ("assignment_id", "rules", "tasks", "inspectors", "conflicts", "history", "units")
EXPECTED_KEYS = ("pool_digest", "freeze_digest", "seed", "caps", "visits", "report", "loads")


def vector(name: str, case: Case) -> dict[str, Any]:
    """The file's content: the bundle split into inputs and what the rule derives."""
    bundle, tampered = bundle_for(case)
    return {
        "name": name,
        "spec": rule.SPEC,
        "tampered": tampered,
        "inputs": {
            **{key: bundle[key] for key in INPUT_KEYS},
            "ceremony": bundle["ceremony"],
            "recusals": [
                {key: r[key] for key in ("visit", "inspector", "reason")}
                for r in bundle["recusals"]
            ],
        },
        "expected": {
            **{key: bundle[key] for key in EXPECTED_KEYS},
            "recusals": bundle["recusals"],
            "verdict": rule.verify(bundle),
        },
    }


def bundle_of(data: dict[str, Any]) -> Bundle:
    """The bundle (assignment.json) a vector describes, keys in the order the app writes them;
    `verdict` is what verify says of it ([] for PASS)."""
    inputs, expected = data["inputs"], data["expected"]
    return {
        "spec": data["spec"],
        **{key: inputs[key] for key in INPUT_KEYS},
        "pool_digest": expected["pool_digest"],
        "freeze_digest": expected["freeze_digest"],
        "ceremony": inputs["ceremony"],
        **{key: expected[key] for key in EXPECTED_KEYS[2:]},
        "recusals": expected["recusals"],
    }


def files() -> list[Path]:
    return sorted(FOLDER.glob("assign-*.json"))


def write() -> None:
    for old in files():
        old.unlink()
    for name, case in cases().items():
        text = json.dumps(vector(name, case), ensure_ascii=False, indent=1) + "\n"
        (FOLDER / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write()
