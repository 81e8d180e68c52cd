"""`shuangsuiji draw run` and `shuangsuiji verify`: the draw outside the database.

`draw run` makes version-2 bundles (shuangsuiji-draw/2): the public value is written
canonically (20 dice) or refused, parameters are checked by the rule itself; `verify` takes
bundles of either version.

For auditors, rehearsals and tests: a population CSV and the task's parameters in, a bundle
folder out (bundle.json, population.csv, verify_draw.py); and the verifier over such a folder.
"""

import argparse
import json
import secrets
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shuangsuiji.core import assign, draw
from shuangsuiji.core.draw import DrawError, Parameters, commitment


def run_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shuangsuiji draw run",
        description="从名单文件按规则抽取检查对象，生成可独立验证的抽取记录（bundle）。",
    )
    parser.add_argument(
        "--population",
        type=Path,
        required=True,
        help="名单 CSV：表头含 uscc、risk_class（A/B/C/D，空或 U 为未分类）",
    )
    parser.add_argument(
        "--draw-id", required=True, help="抽取编号：字母、数字和 . _ -，如 LC2023-T09-R1"
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--ratio", help="计划规定的最低抽查比例，如 0.3")
    size.add_argument("--count", type=int, help="抽查户数（代替比例）")
    parser.add_argument(
        "--risk-rule",
        choices=["escalate", "fixed", "none", "other"],
        default="escalate",
        help="escalate：按信用风险分类递加（默认）",
    )
    parser.add_argument(
        "--factor",
        action="append",
        default=[],
        metavar="类=系数",
        help="递加系数，如 C=1.5；默认 A=1 B=1 C=1.5 D=2，可重复",
    )
    parser.add_argument(
        "--class-ratio",
        action="append",
        default=[],
        metavar="类=比例",
        help="直接规定某类比例，如 D=1，可重复；优先于 --ratio",
    )
    parser.add_argument("--unclassified-as", default="B", help="未分类主体按哪一类处理（默认 B）")
    parser.add_argument("--rounds", type=int, default=1, help="轮次（每年频次），默认 1")
    parser.add_argument("--reserve", type=int, help="每层备选名单长度，默认与抽中数相同")
    parser.add_argument("--task", default="", help="任务说明（写入记录，纳入冻结摘要）")
    parser.add_argument("--supersedes", help="重新抽取时：被更正的抽取编号（纳入冻结摘要）")
    parser.add_argument(
        "--redraw-reason", default="", help="重新抽取的原因（与 --supersedes 同用）"
    )
    ceremony = parser.add_argument_group("种子仪式（三选一）")
    ceremony.add_argument(
        "--reveal",
        action="append",
        default=[],
        metavar="部门=秘密",
        help="承诺—揭示：各部门的秘密（承诺值自动计算并记录），可重复",
    )
    ceremony.add_argument(
        "--public-value", help="公开随机值：联席会议现场掷六面骰20次的点数，如 6 2 5 1 …"
    )
    ceremony.add_argument("--public-source", default="", help="公开值的来源与见证人")
    ceremony.add_argument(
        "--system-seed", action="store_true", help="由系统生成随机值（最弱的一种，仅用于演练）"
    )
    parser.add_argument("--out", type=Path, required=True, help="输出文件夹")
    options = parser.parse_args(argv)
    try:
        population = draw.read_population_csv(options.population.read_text(encoding="utf-8-sig"))
        parameters = Parameters(
            ratio=options.ratio,
            count=options.count,
            risk_rule=options.risk_rule,
            factors={**draw.DEFAULT_FACTORS, **_pairs(options.factor)},
            class_ratios=_pairs(options.class_ratio) or None,
            unclassified_as=options.unclassified_as,
            rounds=options.rounds,
            reserve=options.reserve,
        )
        salts = draw.new_salts(population)
        bundle = draw.run_draw(
            options.draw_id,
            parameters,
            population,
            _ceremony(options),
            task={"description": options.task} if options.task else None,
            supersedes=options.supersedes,
            redraw_reason=options.redraw_reason,
            salts=salts,
        )
    except (DrawError, OSError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "bundle.json").write_text(
        json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (options.out / "population.csv").write_text(
        draw.write_population_csv(population, salts), encoding="utf-8"
    )
    shutil.copyfile(draw.__file__, options.out / "verify_draw.py")
    _write_public(options.out / "public", bundle, population, salts)
    selected = sum(len(s["selected"]) for r in bundle["rounds"] for s in r["strata"].values())
    print(
        f"已抽取 {selected} 户（{len(bundle['rounds'])} 轮），记录在 {options.out}；"
        f"种子 {bundle['seed']}（{bundle['ceremony']['kind']}）；"
        f"公开值 {bundle['ceremony']['public_value']}"
    )
    return 0


def verify_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shuangsuiji verify",
        description=(
            "仅凭记录重算一遍，输出 PASS 或第一处不符。抽取记录（bundle.json）需要名单；"
            "人员分派记录（assignment.json）自带冻结的人员名单，无需名单文件。"
        ),
    )
    parser.add_argument(
        "bundle", type=Path, help="bundle.json 或 assignment.json，或含 bundle.json 的文件夹"
    )
    parser.add_argument(
        "population", type=Path, nargs="?", help="名单 CSV（默认为 bundle 旁的 population.csv）"
    )
    options = parser.parse_args(argv)
    bundle = options.bundle / "bundle.json" if options.bundle.is_dir() else options.bundle
    if _spec_of(bundle) == assign.SPEC:
        return assign.main([str(bundle)])
    population = options.population or bundle.with_name("population.csv")
    if _withheld(bundle):  # the public record: codes and tokens beside it
        return draw.main([str(bundle), str(population), str(bundle.with_name("tokens.csv"))])
    return draw.main([str(bundle), str(population)])


def _write_public(
    folder: Path, bundle: dict[str, Any], population: dict[str, str], salts: dict[str, str]
) -> None:
    """What may be published when classes are not (draw-spec V11): the public record, the
    codes and the tokens; the full files above stay with the departments and supervisors."""
    folder.mkdir(exist_ok=True)
    shown = draw.public_bundle(bundle, population, salts)
    (folder / "bundle.json").write_text(
        json.dumps(shown, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (folder / "population.csv").write_text(draw.write_codes_csv(population), encoding="utf-8")
    rounds = bundle["parameters"]["rounds"]
    tokens = draw.population_tokens(population, salts, rounds)
    (folder / "tokens.csv").write_text(draw.write_tokens_csv(tokens), encoding="utf-8")


def _withheld(path: Path) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("classes") == draw.WITHHELD
    except (OSError, ValueError, AttributeError):
        return False


def _spec_of(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("spec")
    except (OSError, ValueError, AttributeError):
        return None  # the draw verifier reports the unreadable file


def _pairs(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        key, separator, value = item.partition("=")
        if not separator:
            raise DrawError(f"“{item}”应写作 类=值")
        pairs[key.strip().upper()] = value.strip()
    return pairs


def _ceremony(options: argparse.Namespace) -> dict[str, object]:
    if options.system_seed:
        return {
            "kind": "system",
            "public_value": secrets.token_hex(32),
            "public_source": "系统随机数（最弱：仅用于演练）",
        }
    if not options.public_value:
        raise DrawError("需要 --public-value（公开随机值）或 --system-seed")
    reveals = {}
    for item in options.reveal:
        party, separator, secret = item.partition("=")
        if not separator or not secret:
            raise DrawError(f"“{item}”应写作 部门=秘密")
        reveals[party.strip()] = secret.strip()
    return {
        "kind": "commit-reveal" if reveals else "public",
        "commitments": [
            {"party": p, "commitment": commitment(options.draw_id, p, s)}
            for p, s in reveals.items()
        ],
        "reveals": [{"party": p, "secret": s} for p, s in reveals.items()],
        "public_value": options.public_value,
        "public_source": options.public_source,
    }
