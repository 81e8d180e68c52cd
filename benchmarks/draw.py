"""Benchmark: the verifiable draw against pandas, consistent-sampler and bare hashing.

Run by hand (results go to docs/benchmarks.md); needs the bench extras:

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/draw.py                    # 1,000,000 and 10,000,000 entities
    .venv/bin/python benchmarks/draw.py --sizes 100000     # a quick look

The synthetic population (valid-looking 统一社会信用代码 with GB 32100 check digits, in random
order; strata A 35 %, B 45 %, C 12 %, D 5 %, U 3 %) is generated once per size and seed into a
CSV file. Every measurement then runs in its own child process, which loads that file (untimed)
and runs one step --repeat times (the best run counts; the first is shown too). Peak memory is
the child's `resource.getrusage(RUSAGE_SELF).ru_maxrss`, so it belongs to that measurement alone
and includes the population the child holds.

All with ratio 0.3 and the default escalation (A/B/U 0.3, C 0.45, D 0.6), reserve as many as
selected (the draw's default), version 2 with empty salts unless --salted gives every entity
one (as the platform does; fixed per code here, so runs compare):

- draw      `run_draw` with a dice ceremony: freeze record, seed, selected and reserve lists
            (core/draw.py: the rule and the downloadable verifier, standard library only)
- fast      the same bundle from core/fastdraw.py (numpy, hashing split over two processes)
- fast1     core/fastdraw.py in one process (processes=1)
- freeze    `freeze_record` alone (validation, population listing and digest)
- verify    `verify` of the bundle `draw` wrote (re-derives the freeze record and every list)
- hash      hashlib.sha256 of every code with the prefix-copy technique: the floor of one round
- pandas    `df.groupby("risk")` and `sample(frac=…)` at each stratum's fraction (not verifiable)
- pandas1   `df.groupby("risk").sample(frac=0.3)`, one fraction for all, for reference
- sampler   consistent-sampler's `sampler()` per stratum, taking selected + reserve
- load      the population only: the memory every other measurement starts from
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DRAW_ID = "BENCH-2026-T01-1"
PUBLIC_VALUE = "6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5"
FROZEN_AT, VALUE_AT = "2026-11-23T01:30:00Z", "2026-11-23T02:45:00Z"  # fixed: bundles compare
RATIO = "0.3"
MIX = {"A": 35, "B": 45, "C": 12, "D": 5, "U": 3}  # per cent
# GB 32100: the 31 characters of a code (no I, O, S, V, Z) and the check-digit weights.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# 长治市 counties, and entity types 91 企业 / 92 个体工商户 / 93 农民专业合作社.
REGIONS = ("140403", "140404", "140405", "140406", "140423", "140425", "140426", "140427")
KINDS = (("91", 40), ("92", 57), ("93", 3))
MODES = (
    "load",
    "hash",
    "freeze",
    "draw",
    "fast",
    "fast1",
    "verify",
    "pandas",
    "pandas1",
    "sampler",
)
ENGINES = ("draw", "fast", "fast1")  # each reports its bundle's digest: they must agree
DATA_VERSION = 1  # bump when the generator changes, so cached files are not reused


# --- the synthetic population ------------------------------------------------------------------


def generate(count: int, seed: int, path: Path) -> None:
    """`count` distinct codes in random order with their strata, as CSV `uscc,risk`."""
    rng = random.Random(seed)
    value = {c: i for i, c in enumerate(ALPHABET)}
    stems = [kind + region for kind, _ in KINDS for region in REGIONS]
    stem_weights = [weight for _, weight in KINDS for _ in REGIONS]
    stem_sums = {
        stem: sum(value[c] * w for c, w in zip(stem + "MA", WEIGHTS, strict=False))
        for stem in stems
    }
    tail_weights = WEIGHTS[10:]
    codes: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < count:
        missing = count - len(ordered)
        for stem in rng.choices(stems, weights=stem_weights, k=missing):
            tail = "".join(rng.choices(ALPHABET, k=7))
            total = stem_sums[stem] + sum(
                value[c] * w for c, w in zip(tail, tail_weights, strict=True)
            )
            code = f"{stem}MA{tail}{ALPHABET[(31 - total % 31) % 31]}"
            if code not in codes:
                codes.add(code)
                ordered.append(code)
    strata = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="ascii") as out:
        out.write("uscc,risk\n")
        for start in range(0, count, 100_000):
            out.writelines(
                f"{code},{stratum}\n"
                for code, stratum in zip(
                    ordered[start : start + 100_000], strata[start : start + 100_000], strict=True
                )
            )
    partial.replace(path)


def load_population(path: Path) -> dict[str, str]:
    """The file as the draw takes it: code → stratum, in file (random) order."""
    population: dict[str, str] = {}
    with path.open(encoding="ascii") as lines:
        next(lines)
        for line in lines:
            population[line[:18]] = line[19]
    return population


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


def salts_for(population: dict[str, str]) -> dict[str, str]:
    """A salt per entity, fixed by its code (the platform's are random; these let runs compare)."""
    return {code: hashlib.sha256(code.encode()).hexdigest()[:32] for code in population}


def prepare(
    mode: str, data: Path, bundle_path: Path, salted: bool
) -> tuple[Callable[[], Any], dict[str, Any]]:
    """Load what `mode` needs (untimed) and return the step to time, and facts to report."""
    from shuangsuiji.core import draw, fastdraw

    parameters = draw.Parameters(ratio=RATIO)
    if mode in ("pandas", "pandas1"):
        import numpy as np
        import pandas as pd

        df = pd.read_csv(data, dtype={"uscc": "str", "risk": "category"})
        fractions = {s: float(draw.stratum_ratio(parameters, s)) for s in draw.STRATA}
        rng = np.random.default_rng(1)
        if mode == "pandas1":  # the call as the issue writes it: one fraction for every stratum
            return lambda: df.groupby("risk", observed=True).sample(frac=0.3, random_state=rng), {}

        # groupby().sample() takes one fraction, so each group is sampled at its own. (Grouping
        # a filtered frame per fraction was 3× slower; this is pandas' fast form.)
        def pandas_sample() -> Any:
            return pd.concat(
                group.sample(frac=fractions[name], random_state=rng)
                for name, group in df.groupby("risk", observed=True)
            )

        return pandas_sample, {}

    population = load_population(data)
    if mode == "load":
        return lambda: None, {}
    if mode == "hash":
        prefix = hashlib.sha256(
            draw.SEP.join((draw.SPEC, "priority", "0" * 64, DRAW_ID, "1", "")).encode()
        )

        def hash_all() -> None:
            for code in population:
                hasher = prefix.copy()
                hasher.update(code.encode("ascii"))
                hasher.digest()

        return hash_all, {}
    salts = salts_for(population) if salted else None
    fixed = {"frozen_at": FROZEN_AT, "salts": salts}
    if mode == "freeze":
        return lambda: draw.freeze_record(DRAW_ID, parameters, population, **fixed), {}
    ceremony = {"kind": "public", "public_value": PUBLIC_VALUE, "public_value_at": VALUE_AT}
    if mode == "draw":
        return lambda: draw.run_draw(DRAW_ID, parameters, population, ceremony, **fixed), {}
    if mode in ("fast", "fast1"):
        processes = 2 if mode == "fast" else 1
        return lambda: fastdraw.run_draw(
            DRAW_ID, parameters, population, ceremony, processes=processes, **fixed
        ), {}
    if mode == "verify":
        bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
        return lambda: draw.verify(bundle, population, salts), {}
    if mode == "sampler":
        from consistent_sampler import sampler

        by_stratum: dict[str, list[str]] = {s: [] for s in draw.STRATA}
        for code, stratum in population.items():
            by_stratum[stratum].append(code)
        ks = draw.sample_sizes(parameters, {s: len(c) for s, c in by_stratum.items()})
        # selected + reserve (as many as selected), as the draw produces, per stratum
        return lambda: {
            s: list(sampler(by_stratum[s], PUBLIC_VALUE, take=2 * ks[s], output="id"))
            for s in draw.STRATA
        }, {"selected": sum(ks.values())}
    raise SystemExit(f"unknown measurement {mode}")


def cpu_seconds() -> float:
    """Processor time of this process and its reaped children (the hashing child of `fast`).
    On a shared machine a step waiting for a processor takes longer in seconds but not in
    processor time, so this column is the steadier one when others are busy."""
    used = os.times()
    return used.user + used.system + used.children_user + used.children_system


def child(mode: str, data: Path, bundle_path: Path, repeat: int, salted: bool) -> None:
    step, facts = prepare(mode, data, bundle_path, salted)
    facts.update(held_mib=rss_mib(), loaded_peak_mib=peak_mib())
    times, cpu, result = [], [], None
    for _ in range(1 if mode == "load" else repeat):
        result = None  # the previous run's result must not add to this run's memory
        started, used = time.perf_counter(), cpu_seconds()
        result = step()
        times.append(time.perf_counter() - started)
        cpu.append(cpu_seconds() - used)
    facts["cpu"] = min(cpu)
    peak = peak_mib()  # before the bundle below is written out
    if mode in ENGINES:
        strata = result["rounds"][0]["strata"]
        facts["selected"] = sum(len(s["selected"]) for s in strata.values())
        facts["reserve"] = sum(len(s["reserve"]) for s in strata.values())
        # the whole bundle as written (key order too): the engines must agree byte for byte
        facts["bundle_digest"] = hashlib.sha256(json.dumps(result).encode()).hexdigest()
    if mode == "draw":
        with bundle_path.open("w", encoding="utf-8") as out:
            json.dump(result, out)
    elif mode == "verify" and result:
        raise SystemExit(f"verify failed: {result[0]}")
    elif mode in ("pandas", "pandas1"):
        facts["selected"] = len(result)
    print(json.dumps({"seconds": min(times), "first": times[0], "peak_mib": peak, **facts}))


def measure(mode: str, data: Path, bundle_path: Path, repeat: int, salted: bool) -> dict[str, Any]:
    """One measurement in a fresh child process: best and first of `repeat` runs, peak RSS."""
    command = [sys.executable, __file__, "--child", mode, str(data), str(bundle_path)]
    output = subprocess.run(
        [*command, f"{repeat}{'s' if salted else ''}"],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


# --- the report --------------------------------------------------------------------------------

LABELS = {
    "load": "population loaded, nothing timed (memory floor)",
    "hash": "hash floor: SHA-256 of every code (prefix copy)",
    "freeze": "`freeze_record`",
    "draw": "`draw.run_draw` (freeze + seed + selection + reserve), the rule, stdlib",
    "fast": "**`fastdraw.run_draw`**, the same bundle, numpy, 2 processes",
    "fast1": "`fastdraw.run_draw`, one process",
    "verify": "`verify` of that bundle",
    "pandas": 'pandas `groupby("risk")` + `sample(frac=…)` per stratum',
    "pandas1": 'pandas `groupby("risk").sample(frac=0.3)` (one fraction, reference)',
    "sampler": "consistent-sampler `sampler()` per stratum",
}


def ratio(ours: float | None, base: float | None) -> str:
    return f"{ours / base:.2f}" if ours and base else ""


def report(size: int, repeat: int, results: dict[str, dict[str, Any]]) -> None:
    seconds = {mode: r["seconds"] for mode, r in results.items()}
    pandas, sampler, floor = seconds.get("pandas"), seconds.get("sampler"), seconds.get("hash")
    cpu = {mode: r.get("cpu") for mode, r in results.items()}
    print(
        f"\n{size:,} entities (seconds: best of {repeat}; ratios: seconds ÷ the baseline's; "
        "processor seconds: least of the runs, with the `fast` child's)\n"
    )
    print(
        "| measurement | s | first run s | ÷ pandas | ÷ sampler | ÷ hash "
        "| processor s | ÷ hash (processor) | peak RSS MiB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for mode in MODES:
        if mode in results:
            r = results[mode]
            cells = [f"{r['seconds']:.2f}", f"{r['first']:.2f}"]
            cells += [ratio(r["seconds"], base) for base in (pandas, sampler, floor)]
            cells += [f"{cpu[mode]:.2f}", ratio(cpu[mode], cpu.get("hash"))]
            if mode == "load":
                cells = [""] * 7
            print(f"| {LABELS[mode]} | {' | '.join(cells)} | {r['peak_mib']:,.0f} |")
    print("\n" + json.dumps(results, indent=None))
    bundles = {results[m]["bundle_digest"] for m in ENGINES if m in results}
    if len(bundles) > 1:
        raise SystemExit("the engines' bundles differ")
    for engine in ("draw", "fast", "fast1"):
        ours = seconds.get(engine)
        if ours is None:
            continue
        if pandas:
            verdict = "met" if ours <= pandas else "missed"
            print(f"{engine}: no slower than pandas: {verdict} ({ours / pandas:.1f}× its time)")
        if sampler:
            verdict = "met" if sampler >= 10 * ours else "missed"
            print(
                f"{engine}: ≥10× faster than consistent-sampler: {verdict} ({sampler / ours:.1f}×)"
            )
        if floor:
            verdict = "met" if ours <= 3 * floor else "missed"
            print(f"{engine}: within 3× of the hash floor: {verdict} ({ours / floor:.2f}×)")
        if cpu.get(engine) and cpu.get("hash"):
            print(f"{engine}: processor time ÷ the floor's: {cpu[engine] / cpu['hash']:.2f}×")
        peak = results[engine]["peak_mib"] * 2**20
        verdict = "met" if peak < 2e9 else "missed"
        print(f"{engine}: peak memory under 2 GB: {verdict} ({peak / 1e9:.2f} GB)")
    if len(bundles) == 1:
        ran = [m for m in ENGINES if m in results]
        print(f"bundles identical ({', '.join(ran)}): sha256 {bundles.pop()[:16]}…")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best counts")
    parser.add_argument(
        "--sweeps",
        type=int,
        default=1,
        help="measure every step this many times over, in turn (on a shared machine the load "
        "then weighs on every step alike); the best run of all counts",
    )
    parser.add_argument(
        "--sampler-max",
        type=int,
        default=1_000_000,
        help="largest population consistent-sampler is run on (it is slow and memory-hungry)",
    )
    parser.add_argument("--only", nargs="+", choices=MODES, help="run only these measurements")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--salted", action="store_true", help="a salt per entity, as the app")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "shuangsuiji-bench-draw",
        help="where generated populations are kept and reused",
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, data, extra, repeat = args.child
        if mode == "generate":
            generate(int(extra), int(repeat), Path(data))
        else:
            child(mode, Path(data), Path(extra), int(repeat.rstrip("s")), repeat.endswith("s"))
        return

    # Versions from metadata: importing pandas here would grow this process, and a child's
    # ru_maxrss starts from its parent's peak (Linux keeps it across fork and exec).
    print(
        f"Python {sys.version.split()[0]}, pandas {version('pandas')}, "
        f"consistent-sampler {version('consistent-sampler')}, {os.cpu_count()} CPUs, "
        f"{platform.machine()}"
    )
    args.data_dir.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        data = args.data_dir / f"population-{size}-seed{args.seed}-v{DATA_VERSION}.csv"
        if not data.exists():
            started = time.perf_counter()
            command = [sys.executable, __file__, "--child", "generate", str(data)]
            subprocess.run([*command, str(size), str(args.seed)], check=True)
            print(f"generated {data} in {time.perf_counter() - started:.1f}s")
        bundle_path = args.data_dir / f"bundle-{size}.json"
        results: dict[str, dict[str, Any]] = {}
        wanted = set(args.only or MODES)
        if "verify" in wanted:  # verify needs this run's bundle, which draw writes
            wanted.add("draw")
        modes = [m for m in MODES if m in wanted and (m != "sampler" or size <= args.sampler_max)]
        for sweep in range(1, args.sweeps + 1):
            for mode in modes:
                result = measure(mode, data, bundle_path, args.repeat, args.salted)
                kept = results.setdefault(mode, result)
                least = min(kept.get("cpu", 0.0), result.get("cpu", 0.0))
                if result["seconds"] < kept["seconds"]:
                    results[mode] = {**result, "first": kept["first"]}
                results[mode]["cpu"] = least
                print(f"  {sweep}. {mode}: {result['seconds']:.2f}s", flush=True)
        report(size, args.repeat * args.sweeps, results)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
