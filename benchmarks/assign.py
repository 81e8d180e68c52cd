"""Benchmark: the second random (core/assign.py) on a county-sized year of visits.

Run by hand (results go to docs/benchmarks.md):

    .venv/bin/python benchmarks/assign.py                     # ~100,000 visits, 5,000 inspectors
    .venv/bin/python benchmarks/assign.py --visits 10000 --repeat 1    # a quick look

The workload is synthetic, generated once per option set and seed into a JSON file (kept and
reused): --departments county departments of uneven size (市场监管 largest, the 统计局 kind
smallest, at least 8 each) sharing --inspectors inspectors, about 2 % of them not on duty and
3 % with a certificate that ends in May–August; four qualifications (食品, 特种设备, 药品,
危险化学品), each held by 10–25 % of the inspectors of the departments it belongs to (at least
three on duty with a whole-year certificate). About five tasks per department on average, led
in proportion to size, each with 0–2 partner departments, a window of months within 2026
(quarters, halves, the whole year or a few odd months), a team size of 3 for one in five, and
for about a third of those led by a qualification's department that qualification (the
department's tasks needing it sized together to at most half the visits its average inspector
leads, per holder: a county sizes such tasks to its qualified staff). Each task draws its
entities from its lead department's sector of a population of valid-looking 统一社会信用代码
(GB 32100 check digits, made with core.uscc.make_uscc), three times the target in size, in
which a third of the entities fall under two or three departments; selection sizes are scaled
until merging leaves --visits visits (within 0.5 %). Then 2,000 declared conflicts per 100,000
visits (inspector × an entity their department visits) and last-visit inspectors (two, of one
of its departments) for 20 % of the selected entities.

Every measurement runs in its own child process, which loads what it needs (untimed) and runs
one step --repeat times; the best run counts, the first is shown too. Peak memory is the child's
`resource.getrusage(RUSAGE_SELF).ru_maxrss`, so it includes the workload (or bundle) it holds.

- load       the workload only: the memory every other measurement starts from
- freeze     `freeze_assignment` (sorting, digests)
- run        `run_assignment` with a `public` ceremony: merge, caps, fill, loads (freeze untimed)
- verify     `verify` of the bundle `run` wrote (re-derives the freeze, merge, caps and teams)
- recuse     one `recuse` of a mid-bundle visit's leader (replays every team into the loads)
- serialize  compact `json.dumps(bundle, ensure_ascii=False)`, as the app sends bundles

Rules are the defaults, except --cap-slack when given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT_ID = "BENCH-2026-ASSIGN-1"
PUBLIC_VALUE = "3 6 1 4 4 2 5 6 2 1 3 5 6 4 1 2 2 5 3 6"
YEAR = 2026
END = f"{YEAR}-12-31"  # a certificate valid after this covers every window
MODES = ("load", "freeze", "run", "verify", "recuse", "serialize")
NEEDS_BUNDLE = ("verify", "recuse", "serialize")
DATA_VERSION = 4  # bump when the generator changes, so cached files are not reused

# A county's departments: (name, relative size, qualifications its inspectors may hold).
DEPARTMENTS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("市场监督管理局", 14, ("食品", "特种设备", "药品")),
    ("应急管理局", 6, ("危险化学品", "特种设备")),
    ("生态环境局", 5, ("危险化学品",)),
    ("卫生健康局", 5, ("食品", "药品")),
    ("交通运输局", 5, ("危险化学品",)),
    ("住房和城乡建设局", 5, ("特种设备",)),
    ("农业农村局", 5, ("食品", "药品")),
    ("城市管理局", 5, ()),
    ("税务局", 4, ()),
    ("消防救援大队", 4, ("危险化学品",)),
    ("公安局", 4, ("危险化学品",)),
    ("自然资源局", 3, ()),
    ("水利局", 3, ()),
    ("文化和旅游局", 3, ()),
    ("人力资源和社会保障局", 3, ()),
    ("教育局", 2, ("食品",)),
    ("商务局", 2, ("食品",)),
    ("医疗保障局", 2, ("药品",)),
    ("烟草专卖局", 2, ()),
    ("林业局", 2, ()),
    ("工业和信息化局", 2, ("危险化学品",)),
    ("粮食和物资储备中心", 1.2, ("食品",)),
    ("统计局", 1, ()),
    ("民政局", 1, ()),
    ("发展和改革局", 1, ()),
    ("财政局", 1, ()),
    ("审计局", 1, ()),
    ("邮政管理局", 1, ()),
    ("气象局", 1, ()),
    ("地震局", 0.8, ()),
    ("人民防空办公室", 0.8, ()),
    ("档案局", 0.8, ()),
    ("科学技术局", 0.8, ()),
    ("退役军人事务局", 0.8, ()),
    ("体育局", 0.8, ()),
    ("广播电视局", 0.8, ()),
    ("司法局", 1, ()),
    ("供销合作社", 0.8, ()),
    ("行政审批服务局", 1, ()),
    ("乡村振兴局", 0.8, ()),
)
MIN_DEPARTMENT = 8
TASKS_PER_DEPARTMENT = 5  # on average; every department leads at least two
QUALIFIED_TASKS = 0.35  # of the tasks led by a department some qualification belongs to
QUALIFIED_SHARE = 0.5  # per holder, qualified visits at most half an inspector's led visits
REGIONS = ("140403", "140404", "140405", "140406", "140423", "140425", "140426", "140427")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌鹏辉宇晨浩然"
REASONS = ("近亲属在该单位任职", "曾在该单位任职未满三年", "与该单位存在经济往来", "其他利害关系")


# --- the synthetic workload ----------------------------------------------------------------------


def departments_of(count: int) -> list[tuple[str, float, tuple[str, ...]]]:
    table = list(DEPARTMENTS[:count])
    for n in range(len(table) + 1, count + 1):
        table.append((f"综合行政执法{n}大队", 1, ()))
    return table


def sizes_of(weights: list[float], total: int) -> list[int]:
    """Department sizes in proportion to the weights, summing to total, none below the minimum."""
    if total < MIN_DEPARTMENT * len(weights):
        raise SystemExit(f"--inspectors must be at least {MIN_DEPARTMENT} per department")
    whole = sum(weights)
    sizes = [max(MIN_DEPARTMENT, int(total * w / whole)) for w in weights]
    order = sorted(range(len(sizes)), key=lambda i: -weights[i])
    step = 0
    while sum(sizes) != total:  # the remainder from the largest down, or back from them
        i = order[step % len(order)]
        if sum(sizes) < total:
            sizes[i] += 1
        elif sizes[i] > MIN_DEPARTMENT:
            sizes[i] -= 1
        step += 1
    return sizes


def make_inspectors(
    rng: random.Random, table: list[tuple[str, float, tuple[str, ...]]], total: int
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], int]]:
    """The inspectors, and per (department, qualification) its holders on duty all year."""
    sizes = sizes_of([w * rng.uniform(0.85, 1.15) for _, w, _ in table], total)
    inspectors: list[dict[str, Any]] = []
    holders: dict[tuple[str, str], int] = {}
    for number, ((department, _, qualifications), size) in enumerate(
        zip(table, sizes, strict=True), start=1
    ):
        people = []
        for serial in range(1, size + 1):
            ends_midyear = rng.random() < 0.03
            month = rng.randint(5, 8)
            people.append(
                {
                    "id": f"1404{number:02d}{serial:04d}",
                    "name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
                    "department": department,
                    "active": rng.random() >= 0.02,
                    "valid_from": f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-01",
                    "valid_until": (
                        f"{YEAR}-{month:02d}-{rng.randint(1, 28):02d}"
                        if ends_midyear
                        else f"{rng.randint(YEAR + 1, YEAR + 5)}-12-31"
                    ),
                    "qualifications": [],
                }
            )
        whole_year = [i for i, p in enumerate(people) if p["active"] and p["valid_until"] > END]
        for qualification in qualifications:
            chosen = set(rng.sample(range(size), max(3, round(size * rng.uniform(0.10, 0.25)))))
            missing = 3 - len(chosen.intersection(whole_year))
            chosen.update([i for i in whole_year if i not in chosen][: max(0, missing)])
            for i in sorted(chosen):
                people[i]["qualifications"].append(qualification)
            holders[department, qualification] = len(chosen.intersection(whole_year))
        inspectors += people
    return inspectors, holders


def make_population(
    rng: random.Random, table: list[tuple[str, float, tuple[str, ...]]], count: int
) -> dict[str, list[str]]:
    """Per department, its sector of distinct valid codes; a third fall under 2–3 departments."""
    from shuangsuiji.core.uscc import make_uscc

    names = [d for d, _, _ in table]
    weights = [w for _, w, _ in table]
    kinds = rng.choices("123", weights=(40, 57, 3), k=count)  # 企业, 个体工商户, 合作社
    codes: set[str] = set()
    sectors: dict[str, list[str]] = defaultdict(list)
    for kind in kinds:
        code = make_uscc("9", kind, rng.choice(REGIONS), "MA" + "".join(rng.choices(ALPHABET, k=7)))
        while code in codes:
            code = make_uscc(
                "9", kind, rng.choice(REGIONS), "MA" + "".join(rng.choices(ALPHABET, k=7))
            )
        codes.add(code)
        extra = rng.choices((0, 1, 2), weights=(67, 25, 8))[0]
        for department in dict.fromkeys(rng.choices(names, weights=weights, k=1 + extra)):
            sectors[department].append(code)
    return sectors


def make_window(rng: random.Random) -> list[str]:
    kind = rng.choices(("quarter", "half", "year", "odd"), weights=(45, 25, 10, 20))[0]
    if kind == "quarter":
        start = rng.choice((1, 4, 7, 10))
        end = start + 2
    elif kind == "half":
        start = rng.choice((1, 7))
        end = start + 5
    elif kind == "year":
        start, end = 1, 12
    else:
        start = rng.randint(1, 11)
        end = min(12, start + rng.randint(0, 3))
    return [f"{YEAR}-{start:02d}", f"{YEAR}-{end:02d}"]


def make_tasks(
    rng: random.Random,
    table: list[tuple[str, float, tuple[str, ...]]],
    sizes: Counter[str],
    holders: dict[tuple[str, str], int],
    sectors: dict[str, list[str]],
) -> list[tuple[dict[str, Any], float, list[str]]]:
    """The year's tasks without their selections; with each, its size at scale 1 (its lead's
    inspectors ÷ the lead's tasks, ±50 %, less for a qualification with few holders) and its
    lead's sector in the order the task draws it, so a larger scale only adds entities."""
    names = [d for d, _, _ in table]
    whole = sum(w for _, w, _ in table)
    target = TASKS_PER_DEPARTMENT * len(table)
    tasks = []
    for department, weight, qualifications in table:
        count = max(2, round(target * weight / whole))
        for n in range(1, count + 1):
            others = [d for d in names if d != department]
            partners: list[str] = []
            for _ in range(rng.choices((0, 1, 2), weights=(60, 30, 10))[0]):
                pick = rng.choices(others, weights=[sizes[d] for d in others])[0]
                others.remove(pick)
                partners.append(pick)
            wanted = []
            if qualifications and rng.random() < QUALIFIED_TASKS:
                wanted = [rng.choice(qualifications)]
            task: dict[str, Any] = {
                "task": f"{YEAR}-{names.index(department) + 1:02d}-{n:02d}",
                "name": f"{YEAR}年{department}{'、'.join(wanted)}双随机抽查（{n}）",
                "lead": department,
                "partners": partners,
                "window": make_window(rng),
                "qualifications": wanted,
                "selected": [],
            }
            if rng.random() < 0.2:
                task["team_size"] = 3
            sector = sectors[department]
            size = sizes[department] / count * rng.uniform(0.5, 1.5)
            tasks.append((task, size, rng.sample(sector, len(sector))))
    # A department sizes the tasks needing a qualification to its holders: together at most
    # QUALIFIED_SHARE of the visits its average inspector makes as lead, per holder.
    qualified: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, (task, _, _) in enumerate(tasks):
        for qualification in task["qualifications"]:
            qualified[task["lead"], qualification].append(n)
    for key, numbers in qualified.items():
        total = sum(tasks[n][1] for n in numbers)
        if total > QUALIFIED_SHARE * holders[key]:
            for n in numbers:
                task, size, order = tasks[n]
                tasks[n] = (task, size * QUALIFIED_SHARE * holders[key] / total, order)
    return tasks


def select(tasks: list[tuple[dict[str, Any], float, list[str]]], scale: float) -> None:
    for task, size, order in tasks:
        task["selected"] = order[: max(1, round(scale * size))]


def generate(args: argparse.Namespace, path: Path) -> None:
    from shuangsuiji.core import assign

    rng = random.Random(args.seed)
    table = departments_of(args.departments)
    inspectors, holders = make_inspectors(rng, table, args.inspectors)
    sizes = Counter(p["department"] for p in inspectors)
    sectors = make_population(rng, table, 3 * args.visits)
    drafts = make_tasks(rng, table, sizes, holders, sectors)
    tasks = [task for task, _, _ in drafts]
    scale = 1.05 * args.visits / args.inspectors
    for _ in range(10):  # selection sizes scaled until merging leaves the target, within 0.5 %
        select(drafts, scale)
        visits = assign.merge_visits(tasks)
        if abs(len(visits) - args.visits) <= 0.005 * args.visits:
            break
        scale *= args.visits / len(visits)
    del drafts
    report = assign.merge_report(tasks, visits, 1)

    rng = random.Random(args.seed + 2)
    on_duty: dict[str, list[str]] = defaultdict(list)
    everyone: dict[str, list[str]] = defaultdict(list)
    for person in inspectors:
        everyone[person["department"]].append(person["id"])
        if person["active"]:
            on_duty[person["department"]].append(person["id"])
    visited: dict[str, list[str]] = defaultdict(list)  # entity → departments visiting it
    for visit in visits:
        visited[visit.uscc] += visit.departments
    entities = sorted(visited)
    conflicts: dict[tuple[str, str], dict[str, str]] = {}
    while len(conflicts) < round(2000 * args.visits / 100_000):
        code = rng.choice(entities)
        inspector = rng.choice(on_duty[rng.choice(visited[code])])
        conflicts[inspector, code] = {
            "inspector": inspector,
            "uscc": code,
            "reason": rng.choice(REASONS),
        }
    history = []
    for code in rng.sample(entities, round(0.2 * len(entities))):
        department = rng.choice(visited[code])
        day = f"{YEAR - 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        for inspector in rng.sample(everyone[department], 2):
            history.append({"uscc": code, "inspector": inspector, "visited": day})

    facts = {
        "departments": len(table),
        "department_sizes": [min(sizes.values()), max(sizes.values())],
        "inspectors": len(inspectors),
        "inactive": sum(1 for p in inspectors if not p["active"]),
        "ending_midyear": sum(1 for p in inspectors if p["valid_until"] <= END),
        "holders": dict(
            sorted(Counter(q for p in inspectors for q in p["qualifications"]).items())
        ),
        "population": len({c for codes in sectors.values() for c in codes}),
        "tasks": len(tasks),
        "joint_tasks": sum(1 for t in tasks if t["partners"]),
        "qualified_tasks": sum(1 for t in tasks if t["qualifications"]),
        "visits_before": report["visits_before"],
        "visits_after": report["visits_after"],
        "entities": report["entities"],
        "visits_per_entity": report["visits_per_entity"],
        "joint_visits": sum(1 for v in visits if len(v.departments) > 1),
        "qualified_visits": sum(1 for v in visits if v.qualifications),
        "conflicts": len(conflicts),
        "history_entities": len({row["uscc"] for row in history}),
        "history_rows": len(history),
    }
    workload = {
        "facts": facts,
        "tasks": tasks,
        "inspectors": inspectors,
        "conflicts": list(conflicts.values()),
        "history": history,
    }
    facts_path(path).write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(workload, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def facts_path(path: Path) -> Path:
    """Where the workload's description is kept, for the parent to read without the workload."""
    return path.with_name(path.stem + "-facts.json")


# --- one measurement, in a child process ---------------------------------------------------------


def rss_mib() -> float | None:
    """Resident set size now (Linux), to show what the child held before the timed step."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * resource.getpagesize() / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def prepare(
    mode: str, data: Path, bundle_path: Path, cap_slack: int | None
) -> tuple[Callable[[], Any], dict[str, Any]]:
    """Load what `mode` needs (untimed) and return the step to time, and facts to report."""
    from shuangsuiji.core import assign

    if mode in NEEDS_BUNDLE:
        bundle = load_json(bundle_path)
        if mode == "verify":
            return lambda: assign.verify(bundle), {}
        if mode == "serialize":
            return lambda: json.dumps(
                bundle, ensure_ascii=False, separators=(",", ":")
            ).encode(), {}
        visit = bundle["visits"][len(bundle["visits"]) // 2]
        leader = visit["team"][0]["inspector"]
        facts = {"visit": visit["id"], "recused": leader}
        return lambda: assign.recuse(bundle, visit["id"], leader, "近亲属在该单位任职"), facts
    workload = load_json(data)
    arguments = (
        ASSIGNMENT_ID,
        assign.Rules() if cap_slack is None else assign.Rules(cap_slack=cap_slack),
        workload["tasks"],
        workload["inspectors"],
        workload["conflicts"],
        workload["history"],
    )
    if mode == "load":
        return lambda: None, {}
    if mode == "freeze":
        return lambda: assign.freeze_assignment(*arguments), {}
    if mode == "run":
        freeze = assign.freeze_assignment(*arguments)
        ceremony = {"kind": "public", "public_value": PUBLIC_VALUE}
        return lambda: assign.run_assignment(freeze, ceremony), {}
    raise SystemExit(f"unknown measurement {mode}")


def spread(bundle: dict[str, Any]) -> dict[str, Any]:
    """The worst per-department load spread: from bundle["loads"] (every usable inspector), and
    among those on duty with a whole-year certificate (the fill's own fairness)."""
    loads = bundle["loads"]
    worst = max(loads, key=lambda d: (loads[d]["max"] - loads[d]["min"], d))
    ratios = {d: r["max"] / r["min"] for d, r in loads.items() if r["min"]}
    worst_ratio = max(ratios, key=lambda d: (ratios[d], d), default=worst)
    count: Counter[str] = Counter(m["inspector"] for v in bundle["visits"] for m in v["team"])
    whole_year: dict[str, list[int]] = defaultdict(list)
    for person in bundle["inspectors"]:
        if person["active"] and person["valid_until"] > END:
            whole_year[person["department"]].append(count[person["id"]])
    full = {d: (min(c), max(c)) for d, c in whole_year.items()}
    worst_full = max(full, key=lambda d: (full[d][1] - full[d][0], d))
    caps = sorted(bundle["caps"].values())
    return {
        "team_places": sum(count.values()),
        "caps": [caps[0], caps[len(caps) // 2], caps[-1]],
        "worst_spread": [worst, loads[worst]["min"], loads[worst]["max"]],
        "worst_ratio": [worst_ratio, loads[worst_ratio]["min"], loads[worst_ratio]["max"]],
        "zero_loads": sum(1 for r in loads.values() if r["min"] == 0),
        "worst_spread_whole_year": [worst_full, *full[worst_full]],
        "max_spread_whole_year": max(hi - lo for lo, hi in full.values()),
    }


def child(mode: str, data: Path, bundle_path: Path, repeat: int, cap_slack: int | None) -> None:
    step, facts = prepare(mode, data, bundle_path, cap_slack)
    facts.update(held_mib=rss_mib(), loaded_peak_mib=peak_mib())
    times, result = [], None
    for _ in range(1 if mode == "load" else repeat):
        result = None  # the previous run's result must not add to this run's memory
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    peak = peak_mib()  # before the bundle below is written out
    if mode == "run":
        report = {k: v for k, v in result["report"].items() if k != "over_limit"}  # a copy
        report["over_limit"] = len(result["report"]["over_limit"])
        facts.update(visits=len(result["visits"]), report=report, **spread(result))
        with bundle_path.open("w", encoding="utf-8") as out:
            json.dump(result, out, ensure_ascii=False)
    elif mode == "verify" and result:
        raise SystemExit(f"verify failed: {result[0]}")
    elif mode == "recuse":
        facts["replacement"] = result["replacement"]
    elif mode == "serialize":
        facts["bytes"] = len(result)
    print(json.dumps({"seconds": min(times), "first": times[0], "peak_mib": peak, **facts}))


def measure(args: argparse.Namespace, mode: str, data: Path, bundle_path: Path) -> dict[str, Any]:
    """One measurement in a fresh child process: best and first of --repeat runs, peak RSS."""
    command = [sys.executable, __file__, "--child", mode, str(data), str(bundle_path)]
    command += [*options(args), "--repeat", str(args.repeat)]
    if args.cap_slack is not None:
        command.append(f"--cap-slack={args.cap_slack}")
    output = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def options(args: argparse.Namespace) -> list[str]:
    return [
        f"--visits={args.visits}",
        f"--inspectors={args.inspectors}",
        f"--departments={args.departments}",
        f"--seed={args.seed}",
    ]


# --- the report --------------------------------------------------------------------------------

LABELS = {
    "load": "workload loaded, nothing timed (memory floor)",
    "freeze": "`freeze_assignment`",
    "run": "**`run_assignment`** (merge, caps, fill, loads)",
    "verify": "`verify` of that bundle",
    "recuse": "one `recuse` on that bundle",
    "serialize": "bundle → compact JSON (UTF-8), as the app sends it",
}


def describe(facts: dict[str, Any]) -> None:
    f = facts
    print(
        f"workload: {f['departments']} departments ({f['department_sizes'][0]}–"
        f"{f['department_sizes'][1]} inspectors), {f['inspectors']:,} inspectors "
        f"({f['inactive']} not on duty, {f['ending_midyear']} certificates ending mid-year), "
        f"holders {f['holders']}"
    )
    print(
        f"  {f['tasks']} tasks ({f['joint_tasks']} joint, {f['qualified_tasks']} needing a "
        f"qualification) over a population of {f['population']:,} entities; "
        f"visits {f['visits_before']:,} before merging, {f['visits_after']:,} after "
        f"({f['entities']:,} entities, visits per entity {f['visits_per_entity']}; "
        f"{f['joint_visits']:,} joint, {f['qualified_visits']:,} needing a qualification)"
    )
    print(
        f"  {f['conflicts']:,} declared conflicts; last-visit inspectors for "
        f"{f['history_entities']:,} entities ({f['history_rows']:,} rows)"
    )


def report(args: argparse.Namespace, results: dict[str, dict[str, Any]]) -> None:
    print(f"\nseconds: best of {args.repeat}; peak RSS: the child's ru_maxrss\n")
    print("| measurement | s | first run s | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: |")
    for mode in MODES:
        if mode in results:
            r = results[mode]
            cells = ["", ""] if mode == "load" else [f"{r['seconds']:.2f}", f"{r['first']:.2f}"]
            print(f"| {LABELS[mode]} | {' | '.join(cells)} | {r['peak_mib']:,.0f} |")
    print("\n" + json.dumps(results, ensure_ascii=False))
    run = results.get("run")
    if run is None:
        return
    rep = run["report"]
    print(
        f"\nvisits {rep['visits_before']:,} before merging, {rep['visits_after']:,} after; "
        f"{rep['over_limit']:,} entities visited more than once; {run['team_places']:,} team "
        f"places; caps per department min/median/max {run['caps']}"
    )
    name, low, high = run["worst_spread"]
    print(f"load spread, worst department (bundle loads): {name} {low}–{high} visits per inspector")
    name, low, high = run["worst_ratio"]
    times = f"{high / low:.2f}×" if low else "someone has none"
    print(f"  worst max/min ratio: {name} {low}–{high} ({times})")
    name, low, high = run["worst_spread_whole_year"]
    print(
        f"  among inspectors on duty with a whole-year certificate: worst {name} {low}–{high}; "
        f"largest max−min over departments {run['max_spread_whole_year']}"
    )
    if "serialize" in results:
        print(f"bundle JSON: {results['serialize']['bytes'] / 1e6:,.1f} MB")
    seconds, peak = run["seconds"], run["peak_mib"] * 2**20
    print(
        f"goal, run_assignment under 10 s: {'met' if seconds < 10 else 'missed'} ({seconds:.2f} s)"
    )
    verdict = "met" if peak < 1e9 else "missed"
    print(f"goal, peak memory of run_assignment under 1 GB: {verdict} ({peak / 1e9:.2f} GB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=100_000, help="visits after merging (target)")
    parser.add_argument("--inspectors", type=int, default=5_000)
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best counts")
    parser.add_argument("--only", nargs="+", choices=MODES, help="run only these measurements")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--cap-slack",
        type=int,
        help="Rules.cap_slack (default: the module's); the workload is kept",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "shuangsuiji-bench-assign",
        help="where generated workloads are kept and reused",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, data, bundle_path = args.child
        if mode == "generate":
            generate(args, Path(data))
        else:
            child(mode, Path(data), Path(bundle_path), args.repeat, args.cap_slack)
        return

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {platform.machine()}")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    stem = f"v{args.visits}-i{args.inspectors}-d{args.departments}-seed{args.seed}-{DATA_VERSION}"
    data = args.data_dir / f"workload-{stem}.json"
    bundle_path = args.data_dir / f"bundle-{stem}.json"
    if not data.exists():  # generated in a child: the parent stays small (see measure)
        started = time.perf_counter()
        command = [sys.executable, __file__, "--child", "generate", str(data), "-", *options(args)]
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        print(f"generated {data} in {time.perf_counter() - started:.1f}s")
    # Only the description: a child's ru_maxrss starts from its parent's peak (Linux keeps it
    # across fork and exec), so the parent never loads the workload itself.
    describe(load_json(facts_path(data)))
    results: dict[str, dict[str, Any]] = {}
    for mode in args.only or MODES:
        if mode in NEEDS_BUNDLE and "run" not in results:  # they need this run's bundle
            results["run"] = measure(args, "run", data, bundle_path)
        results[mode] = measure(args, mode, data, bundle_path)
        print(f"  {mode}: {results[mode]['seconds']:.2f}s", flush=True)
    report(args, results)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
