#!/usr/bin/env python3
"""The verifiable draw (shuangsuiji-draw/2, and /1 for older bundles): population digest,
seed, selection, verification.

This one file is the whole rule. It uses only the Python standard library and imports nothing
from Shuangsuiji, so the same file is the platform's draw engine and the stand-alone verifier
offered for download next to every published draw:

    python verify_draw.py bundle.json population.csv             (the full record and listing)
    python verify_draw.py bundle.json population.csv tokens.csv  (the public record, no classes)
    python verify_draw.py bundle.json population.csv tokens.csv proof.json   (one company)

docs/draw-spec.md describes the rule precisely enough to re-implement it from scratch. A bundle
names its version; a version-1 bundle is verified by the version-1 rule, unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import heapq
import io
import json
import math
import re
import secrets
import struct
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from fractions import Fraction
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

SPEC = "shuangsuiji-draw/1"  # version 1; commitments and priorities keep its tag in version 2
SPEC_V2 = "shuangsuiji-draw/2"
SPECS = (SPEC, SPEC_V2)
SEP = "\x1f"  # ASCII unit separator: cannot occur in a USCC, a draw id, a stratum or hex
STRATA = ("A", "B", "C", "D", "U")  # credit-risk classes; U = not classified
RISK_FIRST = ("D", "C", "B", "A", "U")  # tie-break order when sharing out a count
DEFAULT_FACTORS = {"A": "1", "B": "1", "C": "1.5", "D": "2"}
DRAW_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
USCC = re.compile(r"[0-9A-Z]{18}")
LISTING = re.compile(rb"(?:[0-9A-Z]{18},[ABCDU]\n)*")  # lines of a valid population listing
HEX64 = re.compile(r"[0-9a-f]{64}")
SEED_KINDS = ("commit-reveal", "public", "system")
RISK_RULES = ("escalate", "fixed", "none", "other")
DICE_FORMAT = "dice:d6x20"  # 20 six-sided dice (docs/draw-spec.md says why six sides)
SYSTEM_FORMAT = "system"  # 64 lower-case hex digits of server randomness (rehearsals only)
DICE_COUNT = 20
DICE_SEPARATORS = frozenset(" \t\r\n,，、\u3000")  # what may stand between typed dice
FULL_WIDTH_DIGITS = {chr(0xFF10 + d): str(d) for d in range(10)}  # ０–９ as typed by an IME
ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
SALT = re.compile(r"[0-9a-f]{32}")  # an entity's salt (version 2): 16 random bytes, hex
SALTS = re.compile(r"(?:[0-9a-f]{32}\n)+")
WITHHELD = "withheld"  # `classes` of a public bundle that names no entity's class
POSITION = struct.Struct(">I")  # an entity's place in its stratum (< 2**32), ending a sort key


class DrawError(ValueError):
    """Bad draw input (a malformed code, an unknown stratum, a reveal that does not match)."""


# --- canonical encodings -------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes every digest over a JSON value is taken of."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def population_listing(population: Mapping[str, str]) -> bytes:
    """Lines "uscc,stratum\\n" sorted by code: the bytes the population digest is taken of."""
    return "".join(f"{code},{population[code]}\n" for code in sorted(population)).encode("ascii")


def check_population(population: Mapping[str, str]) -> None:
    """Refuse the first entity (in the population's order) with a malformed code or stratum."""
    for code, stratum in population.items():
        if not USCC.fullmatch(code):
            raise DrawError(f"统一社会信用代码“{code}”格式无效")
        if stratum not in STRATA:
            raise DrawError(f"“{code}”的分层“{stratum}”无效：应为 A/B/C/D/U")


def population_digest(population: Mapping[str, str], slice_size: int = 65536) -> str:
    """H(population_listing(population)), refusing a malformed code or stratum first.

    The same as check_population then sha256_hex(population_listing(...)), done faster: each
    entity's line "code,stratum" is made once, in the population's order, and the lines are
    sorted, not the codes (looking up each stratum in code order costs more than the sort).
    Lines sort as their codes do when every code has 18 characters. The listing is hashed a
    slice at a time (SHA-256 is incremental: the digest is the same) and each slice is checked
    by one regular expression: n lines make n × 21 bytes of valid lines exactly when every code
    and stratum is valid, as a newline ends each entity's line and a valid line holds a single
    comma. When a slice fails, check_population names the first bad entity in the
    population's order, as it always did."""
    try:
        lines = list(map(str.encode, map(",".join, population.items())))
    except (TypeError, ValueError):  # a code or stratum that is not (encodable) text
        check_population(population)
        raise
    lines.sort()
    hasher = hashlib.sha256()
    for start in range(0, len(lines), slice_size):
        part = lines[start : start + slice_size]
        text = b"\n".join(part) + b"\n"
        if len(text) != 21 * len(part) or not LISTING.fullmatch(text):
            check_population(population)  # raises DrawError naming the entity
            return sha256_hex(population_listing(population))  # (only odd str subclasses)
        hasher.update(text)
    return hasher.hexdigest()


def exclusions_listing(exclusions: Sequence[Mapping[str, str]]) -> bytes:
    rows = sorted((e["uscc"], e["reason"]) for e in exclusions)
    return "".join(f"{code}{SEP}{reason}\n" for code, reason in rows).encode("utf-8")


# --- version 2: salts and tokens, so the public verifies without learning classes ---------


def new_salts(codes: Iterable[str]) -> dict[str, str]:
    """A fresh salt per entity, from the operating system's CSPRNG, made at the freeze.

    A token hashes an entity's code, class and salt; without the salt nobody can try the five
    classes of a code against the public token list (docs/draw-spec.md V11)."""
    return {code: secrets.token_hex(16) for code in codes}


def check_salts(population: Mapping[str, str], salts: Mapping[str, str] | None) -> dict[str, str]:
    """Every entity's salt: 32 lower-case hex digits each, one per code and no other. None
    means every salt is empty, which the rule allows for rehearsals whose classes are public
    anyway (tests, benchmarks): an empty salt hides nothing."""
    if salts is None:
        return dict.fromkeys(population, "")
    if set(salts) != set(population):
        raise DrawError("盐值（salt）应与名单一一对应")
    values = list(salts.values())
    if all(isinstance(v, str) for v in values) and SALTS.fullmatch("\n".join(values) + "\n"):
        return dict(salts)  # all well formed, checked at once; else name the first bad one
    for code, salt in salts.items():
        if not isinstance(salt, str) or not SALT.fullmatch(salt):
            raise DrawError(f"“{code}”的盐值（salt）应为32位小写十六进制")
    return dict(salts)


def token(round_number: int, code: str, stratum: str, salt: str) -> str:
    """An entity's token in one round: H(tag, "token", round, code, class, salt). A new token
    each round, so a token of round 1 cannot be followed to round 2."""
    text = SEP.join((SPEC_V2, "token", str(round_number), code, stratum, salt))
    return sha256_hex(text.encode("ascii"))


def round_tokens(round_number: int, entities: Iterable[tuple[str, str, str]]) -> list[str]:
    """token(round_number, code, stratum, salt) of each (code, stratum, salt), in order. The
    shared beginning is hashed once and each entity's hash continues a copy of that state."""
    copy = hashlib.sha256(SEP.join((SPEC_V2, "token", str(round_number), "")).encode()).copy
    made = []
    for code, stratum, salt in entities:
        hasher = copy()
        hasher.update(f"{code}{SEP}{stratum}{SEP}{salt}".encode("ascii"))
        made.append(hasher.hexdigest())
    return made


def codes_listing(codes: Iterable[str]) -> bytes:
    """Lines "uscc\n" sorted: the bytes the version-2 population digest is taken of."""
    return "".join(f"{code}\n" for code in sorted(codes)).encode("ascii")


Tokens = dict[tuple[int, str], list[str]]  # (round, stratum) → tokens, sorted


def population_tokens(
    population: Mapping[str, str], salts: Mapping[str, str], rounds: int
) -> Tokens:
    """Every round's tokens per stratum, sorted (empty strata have an empty list)."""
    tokens: Tokens = {(r, s): [] for r in range(1, rounds + 1) for s in STRATA}
    entities = [(code, stratum, salts[code]) for code, stratum in population.items()]
    for number in range(1, rounds + 1):
        made = round_tokens(number, entities)
        for (_, stratum, _), entity_token in zip(entities, made, strict=True):
            tokens[(number, stratum)].append(entity_token)
    for listed in tokens.values():
        listed.sort()
    return tokens


def tokens_listing(tokens: Mapping[tuple[int, str], Sequence[str]]) -> bytes:
    """Lines "round,class,token\n" by round, class, token: what tokens_digest is taken of."""
    lines = [
        f"{number},{stratum},{t}\n"
        for number, stratum in sorted(tokens)
        for t in sorted(tokens[(number, stratum)])
    ]
    return "".join(lines).encode("ascii")


# --- parameters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameters:
    """How many to draw per stratum. Ratios are decimal strings, so arithmetic is exact."""

    ratio: str | None = None  # the plan's floor, e.g. "0.3"
    count: int | None = None  # a number of entities instead of a ratio (5户)
    risk_rule: str = "escalate"  # escalate | fixed | none | other
    factors: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FACTORS))
    class_ratios: Mapping[str, str] | None = None  # explicit per-class ratios, override all
    unclassified_as: str = "B"
    rounds: int = 1
    reserve: int | None = None  # reserve entities per stratum; None means as many as selected

    def as_dict(self) -> dict[str, Any]:
        return {
            "ratio": self.ratio,
            "count": self.count,
            "risk_rule": self.risk_rule,
            "factors": dict(sorted(self.factors.items())),
            "class_ratios": dict(sorted(self.class_ratios.items())) if self.class_ratios else None,
            "unclassified_as": self.unclassified_as,
            "rounds": self.rounds,
            "reserve": self.reserve,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Parameters:
        return cls(
            ratio=data.get("ratio"),
            count=data.get("count"),
            risk_rule=data.get("risk_rule", "escalate"),
            factors=dict(data.get("factors") or DEFAULT_FACTORS),
            class_ratios=data.get("class_ratios"),
            unclassified_as=data.get("unclassified_as", "B"),
            rounds=int(data.get("rounds", 1)),
            reserve=data.get("reserve"),
        )

    def check(self) -> None:
        if (self.ratio is None) == (self.count is None) and not self.class_ratios:
            raise DrawError("需要且只能给出抽查比例（ratio）或抽查户数（count）之一")
        if self.rounds < 1:
            raise DrawError("轮次（rounds）至少为 1")
        if self.unclassified_as not in STRATA[:4]:
            raise DrawError(f"未分类主体按“{self.unclassified_as}”处理无效：应为 A/B/C/D")
        for text in [self.ratio, *self.factors.values(), *(self.class_ratios or {}).values()]:
            if text is not None:
                _fraction(text)

    def normalised(self) -> Parameters:
        """Version 2 writes parameters one way only: class letters upper-case and stripped,
        all four factors written out (a class not given counts 1), decimals shortest."""
        factors = dict.fromkeys(STRATA[:4], "1")
        factors.update({_class_key(k): _decimal(v) for k, v in self.factors.items()})
        class_ratios = (
            {_class_key(k): _decimal(v) for k, v in self.class_ratios.items()}
            if self.class_ratios
            else None
        )
        return replace(
            self,
            ratio=None if self.ratio is None else _decimal(self.ratio),
            factors=factors,
            class_ratios=class_ratios,
            unclassified_as=_class_key(self.unclassified_as),
        )

    def check_v2(self) -> None:
        """Version 2 refuses what version 1 let through: neither ratio nor count, both, a ratio
        of 0 or above 1, a count below 1, a count with class ratios, an unknown risk rule."""
        self.check()
        named = self.class_ratios or {}
        if self.count is not None and (self.ratio is not None or named):
            raise DrawError("抽查户数（count）不能与抽查比例（ratio）或分类比例同时给出")
        if self.ratio is None and self.count is None and set(named) != set(STRATA[:4]):
            raise DrawError(
                "需要给出抽查比例（ratio）或抽查户数（count）；只给分类比例时须给全 A/B/C/D 四类"
            )
        if self.ratio is not None and not Fraction(0) < _fraction(self.ratio) <= 1:
            raise DrawError(f"抽查比例（ratio）“{self.ratio}”应大于 0 且不超过 1")
        if self.count is not None and (not isinstance(self.count, int) or self.count < 1):
            raise DrawError(f"抽查户数（count）“{self.count}”应为不小于 1 的整数")
        for klass, text in named.items():
            if klass not in STRATA[:4] or _fraction(text) > 1:
                raise DrawError(f"分类比例“{klass}={text}”无效：类应为 A/B/C/D，比例不超过 1")
        for klass in self.factors:
            if klass not in STRATA[:4]:
                raise DrawError(f"递加系数的类“{klass}”无效：应为 A/B/C/D")
        if self.risk_rule not in RISK_RULES:
            raise DrawError(
                f"风险规则（risk_rule）“{self.risk_rule}”无效：应为 {'/'.join(RISK_RULES)}"
            )
        if self.reserve is not None and (not isinstance(self.reserve, int) or self.reserve < 0):
            raise DrawError(f"备选户数（reserve）“{self.reserve}”应为不小于 0 的整数")


def _class_key(text: str) -> str:
    """A class letter as version 2 writes it: stripped of ASCII blanks, upper-case."""
    return str(text).strip(" \t").upper()


def _decimal(text: str) -> str:
    """A decimal as version 2 writes it: the shortest exact form ("0.30" → "0.3")."""
    return _ratio_text(_fraction(str(text).strip(" \t")))


def canonical_public_value(text: str, public_format: str = DICE_FORMAT) -> str:
    """The one way a public value is written (version 2), or DrawError naming what is wrong.

    `dice:d6x20`: exactly 20 dice, each one digit 1–6 (full-width ０–９ read as 0–9); spaces,
    commas (also full-width), 、 and line breaks between them are dropped. The canonical value
    is the 20 digits joined by single spaces. So one roll has one value, and whoever types it
    cannot try out renderings of the same roll for a seed they like."""
    if public_format == SYSTEM_FORMAT:
        value = str(text).strip()
        if not HEX64.fullmatch(value):
            raise DrawError("系统随机数应为64位小写十六进制")
        return value
    if public_format != DICE_FORMAT:
        raise DrawError(f"公开随机值格式“{public_format}”无效：应为 {DICE_FORMAT} 或 system")
    dice: list[str] = []
    for position, char in enumerate(str(text), start=1):
        if char in DICE_SEPARATORS:
            continue
        digit = FULL_WIDTH_DIGITS.get(char, char)
        if not ("0" <= digit <= "9" and len(digit) == 1):
            raise DrawError(
                f"公开随机值第{position}个字符“{char}”无效：只能录入骰子点数 1–6，"
                "用空格、逗号或顿号分隔"
            )
        if not "1" <= digit <= "6":
            raise DrawError(f"公开随机值第{len(dice) + 1}个骰子“{char}”无效：六面骰的点数为 1–6")
        dice.append(digit)
    if len(dice) != DICE_COUNT:
        raise DrawError(f"公开随机值应为{DICE_COUNT}个骰子点数（每个 1–6），录入了{len(dice)}个")
    return " ".join(dice)


def utc_now() -> str:
    """The current time as version 2 records times: ISO 8601, UTC, whole seconds."""
    now = datetime.now(timezone.utc)  # noqa: UP017 -- datetime.UTC needs Python 3.11; verify_draw.py runs on 3.10
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _fraction(text: str) -> Fraction:
    if not re.fullmatch(r"\d+(\.\d+)?", str(text)):
        raise DrawError(f"比例或系数“{text}”应写作非负小数，如 0.3")
    return Fraction(str(text))


def stratum_ratio(parameters: Parameters, stratum: str) -> Fraction:
    """The ratio a stratum is drawn at: explicit class ratio, or floor × factor, capped at 1."""
    klass = parameters.unclassified_as if stratum == "U" else stratum
    if parameters.class_ratios and klass in parameters.class_ratios:
        return min(Fraction(1), _fraction(parameters.class_ratios[klass]))
    if parameters.ratio is None:
        return Fraction(0)
    floor = _fraction(parameters.ratio)
    if parameters.risk_rule != "escalate":
        return min(Fraction(1), floor)
    factor = _fraction(parameters.factors.get(klass, "1"))
    return min(Fraction(1), floor * max(factor, Fraction(1)))


def sample_sizes(
    parameters: Parameters, sizes: Mapping[str, int], spec: str = SPEC
) -> dict[str, int]:
    """k per stratum: ceil(ratio × N) (at least one when ratio > 0 and N > 0); or, for a count,
    the count shared out by N × weight with the largest-remainder method, higher risk first.
    Version 2 then gives every non-empty stratum at least one when the count allows."""
    if parameters.count is not None and spec == SPEC_V2:
        return _at_least_one_each(_count_sizes(parameters, sizes), sizes)
    return (
        _count_sizes(parameters, sizes)
        if parameters.count is not None
        else _ratio_sizes(parameters, sizes)
    )


def _ratio_sizes(parameters: Parameters, sizes: Mapping[str, int]) -> dict[str, int]:
    return {s: min(n, math.ceil(stratum_ratio(parameters, s) * n)) for s, n in sizes.items()}


def _at_least_one_each(ks: dict[str, int], sizes: Mapping[str, int]) -> dict[str, int]:
    """While a non-empty stratum has none and another has two or more: the empty-handed
    stratum of highest risk (D, C, B, A, U) gets one, taken from the stratum with the most
    (ties: the lowest risk gives first, U, A, B, C, D). Each move keeps the total; a stratum
    never drops below one."""
    ks = dict(ks)
    while True:
        wanting = [s for s in RISK_FIRST if s in ks and sizes[s] > 0 and ks[s] == 0]
        givers = [s for s in reversed(RISK_FIRST) if s in ks and ks[s] >= 2]
        if not wanting or not givers:
            return ks
        giver = max(givers, key=lambda s: ks[s])  # max keeps the first of equals
        ks[giver] -= 1
        ks[wanting[0]] += 1


def _count_sizes(parameters: Parameters, sizes: Mapping[str, int]) -> dict[str, int]:
    """The count shared out by N × weight with the largest-remainder method (version 1)."""
    if parameters.count is None:
        return {s: min(n, math.ceil(stratum_ratio(parameters, s) * n)) for s, n in sizes.items()}
    total = min(parameters.count, sum(sizes.values()))
    weights = {s: n * _weight(parameters, s) for s, n in sizes.items()}
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        return dict.fromkeys(sizes, 0)
    quotas = {s: Fraction(total) * w / weight_sum for s, w in weights.items()}
    sizes_k = {s: min(sizes[s], math.floor(q)) for s, q in quotas.items()}
    order = sorted(sizes, key=lambda s: (math.floor(quotas[s]) - quotas[s], RISK_FIRST.index(s)))
    while sum(sizes_k.values()) < total:
        for s in order:
            if sum(sizes_k.values()) < total and sizes_k[s] < sizes[s]:
                sizes_k[s] += 1
    return sizes_k


def _weight(parameters: Parameters, stratum: str) -> Fraction:
    klass = parameters.unclassified_as if stratum == "U" else stratum
    if parameters.risk_rule != "escalate":
        return Fraction(1)
    return max(_fraction(parameters.factors.get(klass, "1")), Fraction(1))


# --- the freeze and the seed ---------------------------------------------------------------


def freeze_record(
    draw_id: str,
    parameters: Parameters,
    population: Mapping[str, str],
    exclusions: Sequence[Mapping[str, str]] = (),
    task: Mapping[str, Any] | None = None,
    *,
    spec: str = SPEC_V2,
    frozen_at: str | None = None,
    supersedes: str | None = None,
    redraw_reason: str = "",
    salts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Everything fixed before any randomness exists; its digest feeds the seed. Version 2
    also binds the freeze time and, for a redraw, the draw it supersedes and the reason, and
    instead of the listing of codes and classes the digest of the codes alone and of every
    round's salted tokens (`salts`, see check_salts), which the public may hold."""
    parameters, frozen_at = freeze_inputs(
        spec, draw_id, parameters, frozen_at, supersedes, redraw_reason
    )
    sizes = dict.fromkeys(STRATA, 0)
    sizes.update(Counter(population.values()))
    tokens_digest = None
    if spec == SPEC_V2:
        check_population(population)
        tokens = population_tokens(population, check_salts(population, salts), parameters.rounds)
        tokens_digest = sha256_hex(tokens_listing(tokens))
        digest = sha256_hex(codes_listing(population))
    else:
        digest = population_digest(population)  # also refuses a malformed code or stratum
    return _freeze(
        spec,
        draw_id,
        parameters,
        task,
        digest,
        len(population),
        sizes,
        exclusions,
        (frozen_at, supersedes, redraw_reason, tokens_digest),
    )


def freeze_inputs(
    spec: str,
    draw_id: str,
    parameters: Parameters,
    frozen_at: str | None,
    supersedes: str | None,
    redraw_reason: str,
) -> tuple[Parameters, str | None]:
    """What a freeze checks before it looks at the population: the version, the draw id, the
    parameters (version 2: written canonically, refused as V1 says), the freeze time and the
    redraw. Returns the parameters and the freeze time as the record will hold them. (The
    bulk engine, core/fastdraw.py, starts its freeze here too, so both refuse alike.)"""
    if spec not in SPECS:
        raise DrawError(f"规范版本“{spec}”无效：应为 {' 或 '.join(SPECS)}")
    if not DRAW_ID_PATTERN.fullmatch(draw_id):
        raise DrawError(f"抽取编号“{draw_id}”无效：只能用字母、数字和 . _ -，不超过64位")
    if spec == SPEC_V2:
        parameters = parameters.normalised()
        parameters.check_v2()
        frozen_at = utc_now() if frozen_at is None else frozen_at
        _check_redraw(frozen_at, supersedes, redraw_reason)
    else:
        parameters.check()
    return parameters, frozen_at


def _freeze(
    spec: str,
    draw_id: str,
    parameters: Parameters,
    task: Mapping[str, Any] | None,
    digest: str,
    size: int,
    sizes: Mapping[str, int],
    exclusions: Sequence[Mapping[str, str]],
    v2: tuple[Any, Any, Any, Any],
) -> dict[str, Any]:
    """The freeze record from what it states: the full and the public verifier both end here."""
    record: dict[str, Any] = {
        "spec": spec,
        "draw_id": draw_id,
        "task": dict(task or {}),
        "parameters": parameters.as_dict(),
        "population_digest": digest,
        "population_size": size,
        "strata_sizes": dict(sizes),
        "exclusions_digest": sha256_hex(exclusions_listing(exclusions)),
    }
    if spec == SPEC_V2:
        frozen_at, supersedes, redraw_reason, tokens_digest = v2
        record.update(
            frozen_at=frozen_at,
            supersedes=supersedes,
            redraw_reason=redraw_reason,
            tokens_digest=tokens_digest,
        )
    record["freeze_digest"] = sha256_hex(canonical_json(record))
    return record


def _check_redraw(frozen_at: Any, supersedes: Any, reason: Any) -> None:
    if not isinstance(frozen_at, str) or not ISO_UTC.fullmatch(frozen_at):
        raise DrawError(
            f"冻结时间（frozen_at）“{frozen_at}”应写作 UTC 时间，如 2026-03-05T02:30:00Z"
        )
    if supersedes is None:
        if reason != "":
            raise DrawError("不是重新抽取，却记录了重新抽取原因（redraw_reason）")
        return
    if not isinstance(supersedes, str) or not DRAW_ID_PATTERN.fullmatch(supersedes):
        raise DrawError(f"被更正的抽取编号（supersedes）“{supersedes}”无效")
    if not isinstance(reason, str) or not reason.strip():
        raise DrawError("重新抽取必须记录原因（redraw_reason）")


def commitment(draw_id: str, party: str, secret: str) -> str:
    """What a party publishes before the reveal: SHA-256 of its salted secret."""
    return sha256_hex(SEP.join((SPEC, "commit", draw_id, party, secret)).encode("utf-8"))


def combine_seed(freeze_digest: str, reveals: Mapping[str, str], public_value: str) -> str:
    """The seed: SHA-256 over the freeze digest, every revealed secret (sorted by party) and
    the public value fixed after the reveals closed. Changing any input changes the seed."""
    parts = [SPEC, "seed", freeze_digest]
    for party in sorted(reveals):
        parts += [party, reveals[party]]
    parts += ["public", public_value]
    return sha256_hex(SEP.join(parts).encode("utf-8"))


def check_ceremony(ceremony: Mapping[str, Any], draw_id: str) -> dict[str, str]:
    """The reveals that count; a reveal not matching its commitment, or a duplicate commitment,
    is refused. A party that committed but did not reveal is left out (its withholding cannot
    steer the seed: the public value was unknown when the reveals closed)."""
    kind = ceremony.get("kind")
    if kind not in SEED_KINDS:
        raise DrawError(f"种子类型“{kind}”无效：应为 {'/'.join(SEED_KINDS)}")
    commitments = {c["party"]: c["commitment"] for c in ceremony.get("commitments", [])}
    values = list(commitments.values())
    if len(values) != len(set(values)) or len(commitments) != len(ceremony.get("commitments", [])):
        raise DrawError("承诺值重复：每个部门必须提交各自不同的承诺")
    reveals: dict[str, str] = {}
    for reveal in ceremony.get("reveals", []):
        party, secret = reveal["party"], reveal["secret"]
        if party not in commitments:
            raise DrawError(f"“{party}”揭示了秘密，但事先没有提交承诺")
        if commitment(draw_id, party, secret) != commitments[party]:
            raise DrawError(f"“{party}”揭示的秘密与其承诺不符")
        reveals[party] = secret
    if kind == "commit-reveal" and not reveals:
        raise DrawError("承诺—揭示仪式没有任何有效揭示")
    if not str(ceremony.get("public_value", "")).strip():
        raise DrawError("缺少公开随机值（如联席会议现场掷骰结果）")
    return reveals


CEREMONY_KEYS = (
    "kind",
    "commitments",
    "reveals",
    "public_format",
    "public_value",
    "public_source",
    "public_value_at",
)


def ceremony_v2(ceremony: Mapping[str, Any], public_value_at: str | None = None) -> dict[str, Any]:
    """A ceremony as version 2 records it: commitments and reveals sorted by party, the public
    value's format declared (system for the system kind, dice otherwise) and the value
    canonical, the time the value was entered. Refuses a value not in its format."""
    kind = ceremony.get("kind")
    public_format = ceremony.get("public_format") or (
        SYSTEM_FORMAT if kind == "system" else DICE_FORMAT
    )
    at = ceremony.get("public_value_at") or public_value_at or utc_now()
    return {
        "kind": kind,
        "commitments": sorted(
            (
                {"party": c["party"], "commitment": c["commitment"], "at": c.get("at") or at}
                for c in ceremony.get("commitments", [])
            ),
            key=itemgetter("party"),
        ),
        "reveals": sorted(
            (
                {"party": r["party"], "secret": r["secret"], "at": r.get("at") or at}
                for r in ceremony.get("reveals", [])
            ),
            key=itemgetter("party"),
        ),
        "public_format": public_format,
        "public_value": canonical_public_value(
            str(ceremony.get("public_value", "")), public_format
        ),
        "public_source": str(ceremony.get("public_source", "")),
        "public_value_at": at,
    }


def check_ceremony_v2(ceremony: Mapping[str, Any], draw_id: str, frozen_at: str) -> dict[str, str]:
    """The version-2 ceremony checked as recorded: the version-1 checks, then the kind against
    the parties (commit-reveal exactly when someone committed, unless system), the declared
    format against the kind, the value canonical in its format, the time after the freeze."""
    unknown = sorted(set(ceremony) - set(CEREMONY_KEYS))
    missing = [key for key in CEREMONY_KEYS if key not in ceremony]
    if unknown or missing:
        raise DrawError(f"仪式记录的字段不符：多出 {unknown or '无'}，缺少 {missing or '无'}")
    reveals = check_ceremony(ceremony, draw_id)
    kind, commitments = ceremony["kind"], ceremony["commitments"]
    if kind == "public" and commitments:
        raise DrawError("种子类型为 public，却记录了承诺：有部门承诺时类型应为 commit-reveal")
    if kind == "commit-reveal" and not commitments:
        raise DrawError("种子类型为 commit-reveal，却没有任何承诺")
    wanted = SYSTEM_FORMAT if kind == "system" else DICE_FORMAT
    if ceremony["public_format"] != wanted:
        raise DrawError(
            f"种子类型 {kind} 的公开值格式应为 {wanted}，记录为 {ceremony['public_format']}"
        )
    value = str(ceremony["public_value"])
    if canonical_public_value(value, wanted) != value:
        raise DrawError(
            f"公开随机值“{value}”不是规范写法：应为 {canonical_public_value(value, wanted)}"
        )
    at = ceremony["public_value_at"]
    if not isinstance(at, str) or not ISO_UTC.fullmatch(at) or at < frozen_at:
        raise DrawError(f"公开值录入时间“{at}”无效：应为冻结（{frozen_at}）之后的 UTC 时间")
    _check_step_times(ceremony, frozen_at)
    return reveals


def _check_step_times(ceremony: Mapping[str, Any], frozen_at: str) -> None:
    """Every commitment and reveal records when it was registered, and the times keep the
    ceremony's order: commitments after the freeze, every reveal after the last commitment
    (registering closes once a reveal is in), the public value after the last reveal. So a
    commitment cannot be dated after the dice were known, nor a reveal before the others
    had committed."""
    steps = [("commitment", c) for c in ceremony["commitments"]]
    steps += [("secret", r) for r in ceremony["reveals"]]
    for value, step in steps:
        if not isinstance(step, Mapping) or set(step) != {"party", value, "at"}:
            raise DrawError(f"承诺或揭示记录的字段不符：应为 party、{value}、at")
        when = step["at"]
        if not isinstance(when, str) or not ISO_UTC.fullmatch(when):
            raise DrawError(f"“{step['party']}”的登记时间“{when}”无效：应为 UTC 时间")
    committed = [c["at"] for c in ceremony["commitments"]]
    revealed = [r["at"] for r in ceremony["reveals"]]
    if committed and min(committed) < frozen_at:
        raise DrawError(f"承诺登记时间早于冻结时间（{frozen_at}）")
    if committed and revealed and min(revealed) < max(committed):
        raise DrawError("揭示登记时间早于最后一个承诺：揭示应在所有承诺登记之后")
    if max(committed + revealed, default="") > ceremony["public_value_at"]:
        raise DrawError("承诺或揭示登记时间晚于公开随机值的录入时间")


def seed_v2(freeze_digest: str, ceremony: Mapping[str, Any]) -> str:
    """The version-2 seed: SHA-256 of the canonical JSON of the freeze digest and everything of
    the ceremony fixed before the value or canonical in it — kind, every commitment (revealed
    or not), every reveal, the format and the value. Not the source's wording nor the entry
    time: whoever types the value could vary those after seeing the dice."""
    return sha256_hex(
        canonical_json(
            {
                "spec": SPEC_V2,
                "freeze_digest": freeze_digest,
                "kind": ceremony["kind"],
                "commitments": sorted(
                    (
                        {"party": c["party"], "commitment": c["commitment"]}
                        for c in ceremony["commitments"]
                    ),
                    key=itemgetter("party"),
                ),
                "reveals": sorted(
                    ({"party": r["party"], "secret": r["secret"]} for r in ceremony["reveals"]),
                    key=itemgetter("party"),
                ),
                "public_format": ceremony["public_format"],
                "public_value": ceremony["public_value"],
            }
        )
    )


def record_digest(freeze_digest: str, ceremony: Mapping[str, Any], seed: str) -> str:
    """The final record digest (version 2): the freeze digest, the whole ceremony as recorded
    (its source and entry time included) and the seed."""
    return sha256_hex(
        canonical_json(
            {
                "spec": SPEC_V2,
                "freeze_digest": freeze_digest,
                "ceremony": dict(ceremony),
                "seed": seed,
            }
        )
    )


# --- selection -----------------------------------------------------------------------------


def priorities(
    seed: str, draw_id: str, round_number: int, codes: Iterable[str]
) -> list[tuple[bytes, str]]:
    """(SHA-256 digest, code) per entity; a smaller digest (as a big-endian number) is drawn
    first. The seed is unknown until the population is frozen, so nobody can aim at a code."""
    prefix = hashlib.sha256(_priority_prefix(seed, draw_id, round_number))
    result = []
    for code in codes:
        hasher = prefix.copy()
        hasher.update(code.encode("ascii"))
        result.append((hasher.digest(), code))
    return result


def _priority_prefix(seed: str, draw_id: str, round_number: int, spec: str = SPEC) -> bytes:
    """Everything a priority hashes before the code (version 2: the token). Hashed once; each
    entity's hash continues a copy of that state, so the prefix's full 64-byte blocks are not
    hashed again per entity."""
    return SEP.join((spec, "priority", seed, draw_id, str(round_number), "")).encode()


def priority_v2(seed: str, draw_id: str, round_number: int, entity_token: str) -> str:
    """A version-2 priority: H(tag, "priority", seed, draw id, round, token), as hex. It hangs
    on the salted token, not the code, so a code's priority is unknown to the public and the
    published cut-offs say nothing about any code's class."""
    return sha256_hex(
        _priority_prefix(seed, draw_id, round_number, SPEC_V2) + entity_token.encode()
    )


def _ranked(
    seed: str,
    draw_id: str,
    round_number: int,
    codes: Sequence[str],
    count: int,
    spec: str = SPEC,
) -> list[str]:
    """The codes of the first `count` of sorted(priorities(...)), in that order.

    Each entity becomes one bytes object, its 32-byte digest followed by its position in
    `codes`, rather than a (digest, code) pair: one object instead of two, half the memory, and
    the codes returned are the population's own strings, not copies. These keys sort by digest
    as the pairs do; the pairs' tie-break (the smaller code) would only matter if two codes had
    the same SHA-256 digest, so ties are looked for among the keys kept and, should one ever
    occur, the pairs themselves are sorted."""
    count = max(count, 0)
    copy = hashlib.sha256(_priority_prefix(seed, draw_id, round_number, spec)).copy
    pack = POSITION.pack
    keys: list[bytes] = []
    append = keys.append
    for position, code in enumerate(codes):
        hasher = copy()
        hasher.update(code.encode("ascii"))
        append(hasher.digest() + pack(position))
    head = _smallest(keys, count + 1)  # one more than kept, to see a tie at the cut
    if any(map(bytes.startswith, islice(head, 1, None), map(itemgetter(slice(32)), head))):
        prefix = _priority_prefix(seed, draw_id, round_number, spec)
        pairs = sorted((hashlib.sha256(prefix + code.encode()).digest(), code) for code in codes)
        return [code for _, code in pairs[:count]]
    unpack = POSITION.unpack_from
    return [codes[unpack(key, 32)[0]] for key in islice(head, count)]


def draw_rounds(
    freeze: Mapping[str, Any],
    seed: str,
    population: Mapping[str, str],
    salts: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Every round's selection and reserve list per stratum, in priority order."""
    if freeze["spec"] == SPEC_V2:
        return _rounds_v2(freeze, seed, population, check_salts(population, salts))[0]
    parameters = Parameters.from_dict(freeze["parameters"])
    draw_id = freeze["draw_id"]
    by_stratum: dict[str, list[str]] = {s: [] for s in STRATA}
    for code, stratum in population.items():
        by_stratum[stratum].append(code)
    sizes = {s: len(codes) for s, codes in by_stratum.items()}
    ks = sample_sizes(parameters, sizes, freeze["spec"])
    drawn_before: set[str] = set()
    rounds = []
    for number in range(1, parameters.rounds + 1):
        strata = {}
        for stratum in STRATA:
            codes = by_stratum[stratum]
            k = ks[stratum]
            reserve_size = k if parameters.reserve is None else parameters.reserve
            # earlier rounds' picks among these codes (none in round 1: strata are disjoint)
            earlier = sum(1 for code in codes if code in drawn_before) if number > 1 else 0
            order = _ranked(seed, draw_id, number, codes, k + reserve_size + earlier)
            fresh = [code for code in order if code not in drawn_before] if earlier else order
            # exhausted: top up the selection from earlier rounds, in this round's order
            if len(fresh) < k:
                fresh += [code for code in order if code in drawn_before]
            ratio = stratum_ratio(parameters, stratum)
            strata[stratum] = {
                "N": sizes[stratum],
                "ratio": _ratio_text(ratio),
                "k": k,
                "selected": fresh[:k],
                "reserve": fresh[k : k + reserve_size],
            }
            drawn_before.update(fresh[:k])
        rounds.append({"round": number, "strata": strata})
    return rounds


def _rounds_v2(
    freeze: Mapping[str, Any],
    seed: str,
    population: Mapping[str, str],
    salts: Mapping[str, str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Version 2's rounds twice over: with codes per stratum (the full record) and as the
    public sees them (tokens per stratum, codes per round only; `public_rounds`)."""
    parameters = Parameters.from_dict(freeze["parameters"])
    by_stratum: dict[str, list[str]] = {s: [] for s in STRATA}
    for code, stratum in population.items():
        by_stratum[stratum].append(code)
    sizes = {s: len(codes) for s, codes in by_stratum.items()}
    ks = sample_sizes(parameters, sizes, SPEC_V2)
    drawn_before: set[str] = set()
    full, public = [], []
    for number in range(1, parameters.rounds + 1):
        strata, shown = {}, {}
        picked: list[str] = []
        kept: list[str] = []
        for stratum in STRATA:
            codes = by_stratum[stratum]
            made = round_tokens(number, ((c, stratum, salts[c]) for c in codes))
            named = dict(zip(made, codes, strict=True))
            earlier = sorted(t for t, c in named.items() if c in drawn_before)
            fresh = [t for t, c in named.items() if c not in drawn_before]
            step = _stratum_round(
                seed, freeze["draw_id"], number, fresh, earlier, ks[stratum], parameters
            )
            selected = [named[t] for t in step["selected"]]
            reserve = [named[t] for t in step["reserve"]]
            head = {
                "N": sizes[stratum],
                "ratio": ratio_shown(parameters, stratum),
                "k": ks[stratum],
            }
            strata[stratum] = {**head, "selected": selected, "reserve": reserve}
            shown[stratum] = {**head, "earlier": earlier, **step}
            picked += selected
            kept += reserve
        drawn_before.update(picked)
        full.append({"round": number, "strata": strata})
        public.append(
            {"round": number, "selected": sorted(picked), "reserve": sorted(kept), "strata": shown}
        )
    return full, public


def ratio_shown(parameters: Parameters, stratum: str) -> str | None:
    """A stratum's ratio as version 2 records it: none in count mode (the count decides)."""
    if parameters.count is not None:
        return None
    return _ratio_text(stratum_ratio(parameters, stratum))


def _stratum_round(
    seed: str,
    draw_id: str,
    number: int,
    fresh: Sequence[str],
    earlier: Sequence[str],
    k: int,
    parameters: Parameters,
) -> dict[str, Any]:
    """One stratum in one round of version 2, by tokens: those not selected in an earlier round
    (fresh) in priority order, then, only when too few, the earlier ones in priority order; the
    first k are selected, the next `reserve` (default k) are the reserve list. Each entity's
    rank key is "0:" (fresh) or "1:" (earlier) and its priority in hex, so keys sort as the
    entities are taken; `cutoff` is the last selected one's key, `reserve_cutoff` the last
    reserve's (None when there is none)."""
    reserve_size = k if parameters.reserve is None else parameters.reserve
    wanted = k + reserve_size
    order = _ranked(seed, draw_id, number, fresh, wanted, SPEC_V2)
    taken_fresh = len(order)
    if taken_fresh < wanted:
        order += _ranked(seed, draw_id, number, earlier, wanted - taken_fresh, SPEC_V2)

    def key(place: int) -> str:
        pool = "0" if place < taken_fresh else "1"
        return f"{pool}:{priority_v2(seed, draw_id, number, order[place])}"

    return {
        "selected": order[:k],
        "reserve": order[k:wanted],
        "cutoff": key(k - 1) if k else None,
        "reserve_cutoff": key(len(order) - 1) if len(order) > k else None,
    }


def _smallest(keys: list[bytes], count: int) -> list[bytes]:
    """The `count` smallest keys in order; a partial selection beats a full sort. The list is
    sorted in place and cut, as a copy of ten million keys would not be free."""
    if count >= len(keys) // 2:
        keys.sort()
        del keys[count:]
        return keys
    return heapq.nsmallest(count, keys)


def _ratio_text(value: Fraction) -> str:
    """A ratio as the shortest exact decimal, or a fraction p/q when it has none."""
    numerator, denominator = value.numerator, value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = numerator * 10**places // value.denominator
    text = f"{scaled:0{places + 1}d}"
    return f"{text[:-places]}.{text[-places:]}".rstrip("0").rstrip(".") if places else text


# --- the bundle ----------------------------------------------------------------------------


def run_draw(
    draw_id: str,
    parameters: Parameters,
    population: Mapping[str, str],
    ceremony: Mapping[str, Any],
    exclusions: Sequence[Mapping[str, str]] = (),
    task: Mapping[str, Any] | None = None,
    *,
    spec: str = SPEC_V2,
    frozen_at: str | None = None,
    supersedes: str | None = None,
    redraw_reason: str = "",
    salts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The complete bundle of a draw: freeze record, ceremony, seed, rounds."""
    freeze = freeze_record(
        draw_id,
        parameters,
        population,
        exclusions,
        task,
        spec=spec,
        frozen_at=frozen_at,
        supersedes=supersedes,
        redraw_reason=redraw_reason,
        salts=salts,
    )
    return bundle_from_freeze(freeze, population, ceremony, exclusions, salts)


def bundle_from_freeze(
    freeze: Mapping[str, Any],
    population: Mapping[str, str],
    ceremony: Mapping[str, Any],
    exclusions: Sequence[Mapping[str, str]] = (),
    salts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The bundle from a freeze record already made (and kept) for this population: the
    ceremony checked, the seed, the rounds. The caller vouches that freeze and population
    belong together (population_from_listing checks the listing against the digest).
    A version-2 ceremony is first written canonically (`ceremony_v2`)."""
    if freeze["spec"] == SPEC_V2:
        bundle = sealed_v2(freeze, ceremony, exclusions)
        bundle["rounds"] = draw_rounds(freeze, bundle["seed"], population, salts)
        return bundle
    reveals = check_ceremony(ceremony, freeze["draw_id"])
    seed = combine_seed(freeze["freeze_digest"], reveals, str(ceremony["public_value"]))
    return {
        **freeze,
        "exclusions": sorted(exclusions, key=lambda e: (e["uscc"], e["reason"])),
        "ceremony": dict(ceremony),
        "seed": seed,
        "rounds": draw_rounds(freeze, seed, population),
        "substitutions": [],
        "supersedes": None,
    }


def sealed_v2(
    freeze: Mapping[str, Any],
    ceremony: Mapping[str, Any],
    exclusions: Sequence[Mapping[str, str]] = (),
) -> dict[str, Any]:
    """A version-2 bundle but for its rounds (an empty list in their place): the ceremony
    written canonically and checked, the seed, the record digest. What the rounds need is
    then only the seed; core/fastdraw.py fills them in its own way from here."""
    recorded = ceremony_v2(ceremony)
    check_ceremony_v2(recorded, freeze["draw_id"], freeze["frozen_at"])
    seed = seed_v2(freeze["freeze_digest"], recorded)
    return {
        **freeze,
        "exclusions": sorted(exclusions, key=lambda e: (e["uscc"], e["reason"])),
        "ceremony": recorded,
        "seed": seed,
        "record_digest": record_digest(freeze["freeze_digest"], recorded, seed),
        "rounds": [],
        "substitutions": [],
    }


def read_population_csv(text: str) -> dict[str, str]:
    """A population file: header with `uscc` and `risk_class` (A–D, or blank/U for none);
    other columns (name, status) are ignored. Header names, codes and classes are stripped of
    spaces and tabs, codes and classes upper-cased: as the JavaScript verifier reads them.
    A `salt` column (version 2's full listing) is kept as the result's `salts`, which verify
    uses when given no salts of its own."""
    population, salts = read_population_file(text)
    result = Population(population)
    result.salts = salts
    return result


class Population(dict[str, str]):
    """code → class, and the salts read with them (None when the file had no salt column)."""

    salts: dict[str, str] | None = None


def read_population_file(text: str) -> tuple[dict[str, str], dict[str, str] | None]:
    """A population file and its `salt` column (version 2's full listing), None without one."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames:
        reader.fieldnames = [name.strip(" \t") for name in reader.fieldnames]
    if not reader.fieldnames or not {"uscc", "risk_class"} <= set(reader.fieldnames):
        raise DrawError("名单文件应有表头，且包含 uscc 和 risk_class 两列")
    population: dict[str, str] = {}
    salts: dict[str, str] | None = {} if "salt" in reader.fieldnames else None
    for line, row in enumerate(reader, start=2):
        code = (row["uscc"] or "").strip(" \t").upper()
        stratum = (row["risk_class"] or "").strip(" \t").upper() or "U"
        if code in population:
            raise DrawError(f"名单第{line}行：统一社会信用代码“{code}”重复")
        if stratum not in STRATA:
            raise DrawError(f"名单第{line}行：风险分类“{stratum}”无效")
        population[code] = stratum
        if salts is not None:
            salts[code] = (row["salt"] or "").strip(" \t")
    return population, salts


def population_from_listing(listing: bytes, digest: str) -> dict[str, str]:
    """The population back from its listing (section 1), refused unless the listing is
    well formed and hashes to `digest`: faster than reading a CSV, and it proves that the
    population is the one frozen."""
    if sha256_hex(listing) != digest:
        raise DrawError("名单与冻结时的名单摘要不符")
    if not LISTING.fullmatch(listing):
        raise DrawError("名单格式无效")
    text = listing.decode("ascii")
    return dict(zip(_codes(text), text[19::21], strict=True))


def _codes(text: str) -> list[str]:
    """The 18-character codes of a listing's 21-character lines."""
    return [text[start : start + 18] for start in range(0, len(text), 21)]


POPULATION_HEADER = "uscc,risk_class\n"


def write_population_csv(
    population: Mapping[str, str], salts: Mapping[str, str] | None = None
) -> str:
    """The header, then exactly the population listing (so population_from_listing reads the
    body back); with salts (version 2's full listing) a third column `salt`."""
    if salts is not None:
        lines = ["uscc,risk_class,salt"]
        lines += [f"{code},{population[code]},{salts[code]}" for code in sorted(population)]
        return "\n".join(lines) + "\n"
    lines = ["uscc,risk_class"] + [f"{code},{population[code]}" for code in sorted(population)]
    return "\n".join(lines) + "\n"


POPULATION_HEADER_V2 = "uscc,risk_class,salt\n"
LISTING_V2 = re.compile(r"(?:[0-9A-Z]{18},[ABCDU],(?:[0-9a-f]{32})?\n)*")


def population_from_file(
    text: str, freeze: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str] | None]:
    """A version-2 full listing as stored at the freeze (write_population_csv with salts) back,
    refused unless its codes and tokens hash to the freeze record's digests: it proves that
    the population and salts are the ones frozen."""
    body = text.removeprefix(POPULATION_HEADER_V2)
    if body == text or not LISTING_V2.fullmatch(body):
        raise DrawError("名单格式无效")
    population: dict[str, str] = {}
    salts: dict[str, str] = {}
    for line in body.splitlines():
        code, stratum, salt = line.split(",")
        population[code], salts[code] = stratum, salt
    rounds = Parameters.from_dict(freeze["parameters"]).rounds
    empty = all(salt == "" for salt in salts.values())
    kept = None if empty else salts
    tokens = population_tokens(population, check_salts(population, kept), rounds)
    if (
        sha256_hex(codes_listing(population)) != freeze["population_digest"]
        or sha256_hex(tokens_listing(tokens)) != freeze["tokens_digest"]
    ):
        raise DrawError("名单与冻结时的名单摘要不符")
    return population, kept


# --- verification --------------------------------------------------------------------------


def verify(
    bundle: Mapping[str, Any],
    population: Mapping[str, str],
    salts: Mapping[str, str] | None = None,
) -> list[str]:
    """Re-derive everything from the bundle and population; return the discrepancies, first
    one first (an empty list is a PASS). The bundle's `spec` chooses the rule."""
    if bundle.get("spec") == SPEC_V2:
        return verify_v2(bundle, population, salts)
    if bundle.get("spec") != SPEC:
        return [f"规范版本“{bundle.get('spec')}”不是 {' 或 '.join(SPECS)}"]
    try:
        parameters = Parameters.from_dict(bundle["parameters"])
        freeze = freeze_record(
            bundle["draw_id"],
            parameters,
            population,
            bundle.get("exclusions", []),
            bundle.get("task"),
            spec=SPEC,
        )
    except (DrawError, KeyError, TypeError) as error:
        return [f"冻结记录无法重算：{error}"]
    problems = _compare_freeze(bundle, freeze)
    if problems:
        return problems
    try:
        reveals = check_ceremony(bundle["ceremony"], bundle["draw_id"])
    except (DrawError, KeyError) as error:
        return [f"种子仪式无效：{error}"]
    seed = combine_seed(freeze["freeze_digest"], reveals, str(bundle["ceremony"]["public_value"]))
    if bundle.get("seed") != seed:
        return [f"种子不符：记录为 {bundle.get('seed')}，由承诺、揭示和公开值重算为 {seed}"]
    expected = draw_rounds(freeze, seed, population)
    problems = _compare_rounds(bundle.get("rounds", []), expected)
    return problems or _check_substitutions(bundle.get("substitutions", []), expected)


BUNDLE_KEYS_V2 = (
    "spec",
    "draw_id",
    "task",
    "parameters",
    "population_digest",
    "population_size",
    "strata_sizes",
    "exclusions_digest",
    "frozen_at",
    "supersedes",
    "redraw_reason",
    "tokens_digest",
    "freeze_digest",
    "exclusions",
    "ceremony",
    "seed",
    "record_digest",
    "rounds",
    "substitutions",
)


def verify_v2(
    bundle: Mapping[str, Any],
    population: Mapping[str, str],
    salts: Mapping[str, str] | None = None,
) -> list[str]:
    """Version 2: the version-1 steps, and the bundle's fields exactly, the parameters written
    canonically, the ceremony's kind, parties, format and times, the record digest; rounds
    by the version-2 rule; substitutions at most once per entity. `salts` None: all empty."""
    if bundle.get("classes") == WITHHELD:
        return [
            "这是不含风险分类的公开记录：请用 verify_public（名单 population.csv 与 tokens.csv）"
        ]
    if salts is None:
        salts = getattr(population, "salts", None)
    unknown = sorted(set(bundle) - set(BUNDLE_KEYS_V2))
    missing = [key for key in BUNDLE_KEYS_V2 if key not in bundle]
    if unknown or missing:
        return [f"记录的字段不符：多出 {unknown or '无'}，缺少 {missing or '无'}"]
    try:
        parameters = Parameters.from_dict(bundle["parameters"])
        canonical = parameters.normalised().as_dict()
        if canonical_json(canonical) != canonical_json(bundle["parameters"]):
            shown = canonical_json(canonical).decode()
            return [f"parameters 不是规范写法：应为 {shown}"]
        freeze = freeze_record(
            bundle["draw_id"],
            parameters,
            population,
            bundle["exclusions"],
            bundle["task"],
            spec=SPEC_V2,
            # null is named as JSON writes it (None would mean "now" to freeze_record)
            frozen_at="null" if bundle["frozen_at"] is None else bundle["frozen_at"],
            supersedes=bundle["supersedes"],
            redraw_reason=bundle["redraw_reason"],
            salts=salts,
        )
    except (DrawError, KeyError, TypeError, AttributeError) as error:
        return [f"冻结记录无法重算：{error}"]
    problems = _compare_freeze(bundle, freeze) or _check_seed(bundle, freeze)
    if problems:
        return problems
    expected = draw_rounds(freeze, bundle["seed"], population, salts)
    problems = _compare_rounds(bundle["rounds"], expected)
    return problems or _check_substitutions(bundle["substitutions"], expected, v2=True)


def _check_seed(bundle: Mapping[str, Any], freeze: Mapping[str, Any]) -> list[str]:
    """Version 2's ceremony, seed and record digest, the same for the full and public record."""
    ceremony = bundle["ceremony"]
    try:
        check_ceremony_v2(ceremony, freeze["draw_id"], freeze["frozen_at"])
    except (DrawError, KeyError, TypeError, AttributeError) as error:
        return [f"种子仪式无效：{error}"]
    seed = seed_v2(freeze["freeze_digest"], ceremony)
    if bundle["seed"] != seed:
        return [f"种子不符：记录为 {bundle['seed']}，由冻结摘要和仪式记录重算为 {seed}"]
    digest = record_digest(freeze["freeze_digest"], ceremony, seed)
    if bundle["record_digest"] != digest:
        recorded = bundle["record_digest"]
        return [f"record_digest 不符：记录为 {recorded}，重算为 {digest}（仪式记录被改动）"]
    return []


def _compare_freeze(bundle: Mapping[str, Any], freeze: Mapping[str, Any]) -> list[str]:
    """The recorded digests and sizes against those recomputed from the population."""
    keys = ["population_digest", "population_size", "strata_sizes", "exclusions_digest"]
    if "tokens_digest" in freeze:
        keys.append("tokens_digest")
    for key in keys:
        if bundle.get(key) != freeze[key]:
            recorded, recomputed = (  # strata sizes as JSON, as the JavaScript verifier says
                _shown(v) if isinstance(v, dict) else v for v in (bundle.get(key), freeze[key])
            )
            return [f"{key} 不符：记录为 {recorded}，按名单重算为 {recomputed}"]
    if bundle.get("freeze_digest") != freeze["freeze_digest"]:
        recorded, recomputed = bundle.get("freeze_digest"), freeze["freeze_digest"]
        return [
            f"freeze_digest 不符：记录为 {recorded}，重算为 {recomputed}（冻结后参数或名单被改动）"
        ]
    return []


def _compare_rounds(recorded: Sequence[Any], expected: Sequence[Any]) -> list[str]:
    if len(recorded) != len(expected):
        return [f"轮次数不符：记录 {len(recorded)} 轮，应为 {len(expected)} 轮"]
    for got, want in zip(recorded, expected, strict=True):
        number = want["round"]
        for stratum in STRATA:
            g, w = got["strata"].get(stratum, {}), want["strata"][stratum]
            for key in ("N", "ratio", "k"):
                if g.get(key) != w[key]:
                    return [
                        f"第{number}轮 {stratum} 层 {key} 不符：记录 {g.get(key)}，应为 {w[key]}"
                    ]
            for key, label in (("selected", "抽中"), ("reserve", "备选")):
                got_list, want_list = g.get(key, []), w[key]
                for index, (a, b) in enumerate(zip(got_list, want_list, strict=False), start=1):
                    if a != b:
                        where = f"第{number}轮 {stratum} 层{label}名单第{index}位"
                        return [f"{where}不符：记录 {a}，应为 {b}"]
                if len(got_list) != len(want_list):
                    where = f"第{number}轮 {stratum} 层{label}名单长度"
                    return [f"{where}不符：记录 {len(got_list)}，应为 {len(want_list)}"]
    return []


def _check_substitutions(
    substitutions: Sequence[Any], rounds: Sequence[Any], *, v2: bool = False
) -> list[str]:
    """Each replacement is the next unused reserve of the same round and stratum, in order.
    Version 2: the round is required, the replaced entity is one on the current list (a
    substitute may itself be substituted) and no entity is replaced twice."""
    used: dict[tuple[int, str], int] = {}
    current: dict[tuple[int, str], list[str]] = {}
    replaced_in: dict[tuple[int, str, str], int] = {}
    for number, sub in enumerate(substitutions, start=1):
        wanted_round = sub.get("round") if v2 else sub.get("round", 1)
        round_data = next((r for r in rounds if r["round"] == wanted_round), None)
        stratum = sub.get("stratum")
        if round_data is None or stratum not in round_data["strata"]:
            return [f"第{number}次替换的轮次或分层无效"]
        key = (round_data["round"], stratum)
        data = round_data["strata"][stratum]
        listed = current.setdefault(key, list(data["selected"]))
        code = sub.get("replaced")
        if v2 and (*key, str(code)) in replaced_in:
            earlier = replaced_in[(*key, str(code))]
            return [
                f"第{number}次替换：{code} 已在第{earlier}次替换中被替换，同一主体只能被替换一次"
            ]
        if code not in (listed if v2 else data["selected"]):
            return [f"第{number}次替换：被替换的 {code} 不在抽中名单中"]
        slot = used.get(key, 0)
        if slot >= len(data["reserve"]) or data["reserve"][slot] != sub.get("replacement"):
            want = data["reserve"][slot] if slot < len(data["reserve"]) else "（备选已用完）"
            return [
                f"第{number}次替换应使用备选名单中的下一位 {want}，记录为 {sub.get('replacement')}"
            ]
        if not str(sub.get("reason", "")).strip():
            return [f"第{number}次替换没有记录原因"]
        used[key] = slot + 1
        if code in listed:
            listed[listed.index(code)] = sub["replacement"]
        replaced_in[(*key, str(code))] = number
    return []


# --- substitutions, as the app records them -----------------------------------------------


def current_lists(
    rounds: Sequence[Any], substitutions: Sequence[Any]
) -> dict[tuple[int, str], list[str]]:
    """Each (round, stratum)'s selection with the substitutions applied in order (V8): the
    entities that are to be inspected now. Assumes substitutions that verify."""
    lists = {
        (r["round"], stratum): list(data["selected"])
        for r in rounds
        for stratum, data in r["strata"].items()
    }
    for sub in substitutions:
        listed = lists[(sub["round"], sub["stratum"])]
        listed[listed.index(sub["replaced"])] = sub["replacement"]
    return lists


def substitution(
    bundle: Mapping[str, Any], substitutions: Sequence[Any], replaced: str, reason: str
) -> dict[str, Any]:
    """The next substitution record: `replaced` (found on a current list, the first round
    that holds it) gives way to the next unused reserve of its round and stratum. Raises
    DrawError with the verifier's own words when `verify` would refuse the result — no
    reserve left, an entity replaced twice (either version) or not on a current list."""
    lists = current_lists(bundle["rounds"], substitutions)
    place = next((key for key, codes in lists.items() if replaced in codes), None)
    if place is None:
        replaced_before = any(s["replaced"] == replaced for s in substitutions)
        if replaced_before:
            raise DrawError(f"{replaced} 已被替换，同一主体只能被替换一次")
        raise DrawError(f"{replaced} 不在本次抽取的抽中名单中")
    round_number, stratum = place
    data = next(r for r in bundle["rounds"] if r["round"] == round_number)["strata"][stratum]
    used = sum(1 for s in substitutions if (s["round"], s["stratum"]) == place)
    record = {
        "round": round_number,
        "stratum": stratum,
        "replaced": replaced,
        "replacement": data["reserve"][used] if used < len(data["reserve"]) else None,
        "reason": reason.strip(),
    }
    if record["replacement"] is None:
        raise DrawError(f"第{round_number}轮 {stratum} 层的备选名单已用完，无法替补")
    candidate = [*substitutions, record]
    problems = _check_substitutions(candidate, bundle["rounds"], v2=True)
    if not problems and bundle.get("spec") == SPEC:  # version 1 checks its own way too
        problems = _check_substitutions(candidate, bundle["rounds"])
    if problems:
        raise DrawError(problems[0])
    return record


# --- the public record: verifying without classes (docs/draw-spec.md V11) -----------------

PUBLIC_KEYS_V2 = (*BUNDLE_KEYS_V2, "classes")
PUBLIC_STRATUM_KEYS = (
    "N",
    "ratio",
    "k",
    "earlier",
    "selected",
    "reserve",
    "cutoff",
    "reserve_cutoff",
)
PROOF_KEYS = ("spec", "proof", "draw_id", "record_digest", "uscc", "risk_class", "salt")


def public_bundle(
    bundle: Mapping[str, Any],
    population: Mapping[str, str],
    salts: Mapping[str, str] | None,
) -> dict[str, Any]:
    """A version-2 record as the public gets it: every field of the full record but the rounds,
    which name codes per round only (sorted) and tokens, cut-offs per stratum; substitutions
    without their stratum; `classes` says so. The caller vouches that bundle and population
    belong together (verify_v2 says whether they do)."""
    _, rounds = _rounds_v2(bundle, bundle["seed"], population, check_salts(population, salts))
    substitutions = [
        {key: value for key, value in sub.items() if key != "stratum"}
        for sub in bundle["substitutions"]
    ]
    return {**bundle, "classes": WITHHELD, "rounds": rounds, "substitutions": substitutions}


def company_proof(
    bundle: Mapping[str, Any], population: Mapping[str, str], salts: Mapping[str, str], code: str
) -> dict[str, Any]:
    """What one company needs to check its own case against the public record: its code,
    class and salt, and the draw it belongs to. It tells its holder that company's class and
    nothing about any other."""
    if code not in population:
        raise DrawError(f"“{code}”不在本次抽取的名单中")
    return {
        "spec": SPEC_V2,
        "proof": "company",
        "draw_id": bundle["draw_id"],
        "record_digest": bundle["record_digest"],
        "uscc": code,
        "risk_class": population[code],
        "salt": salts[code],
    }


def verify_public(
    bundle: Mapping[str, Any], codes: Sequence[str], tokens: Mapping[tuple[int, str], Sequence[str]]
) -> list[str]:
    """The aggregate, from the public record, the codes and the tokens (audience c): digests,
    sizes, seed, every stratum's selection and reserve as tokens with its cut-offs, and the
    per-round code lists as far as counts and membership go. Which code holds which token is
    what each company checks for itself (verify_company), the full record all of it."""
    if bundle.get("spec") != SPEC_V2 or bundle.get("classes") != WITHHELD:
        return [f"不是不含风险分类的公开记录（{SPEC_V2}，classes = {WITHHELD}）"]
    unknown = sorted(set(bundle) - set(PUBLIC_KEYS_V2))
    missing = [key for key in PUBLIC_KEYS_V2 if key not in bundle]
    if unknown or missing:
        return [f"记录的字段不符：多出 {unknown or '无'}，缺少 {missing or '无'}"]
    try:
        parameters = Parameters.from_dict(bundle["parameters"])
        canonical = parameters.normalised()
        if canonical_json(canonical.as_dict()) != canonical_json(bundle["parameters"]):
            return [f"parameters 不是规范写法：应为 {canonical_json(canonical.as_dict()).decode()}"]
        canonical.check_v2()
        if not DRAW_ID_PATTERN.fullmatch(str(bundle["draw_id"])):
            raise DrawError(f"抽取编号“{bundle['draw_id']}”无效")
        _check_redraw(bundle["frozen_at"], bundle["supersedes"], bundle["redraw_reason"])
        if len(set(codes)) != len(codes) or not all(map(USCC.fullmatch, codes)):
            raise DrawError("名单中的统一社会信用代码应各不相同且格式有效")
        listed = {
            (r, st): list(tokens.get((r, st), []))
            for r in range(1, canonical.rounds + 1)
            for st in STRATA
        }
        sizes = {st: len(listed[(1, st)]) for st in STRATA}
        freeze = _freeze(
            SPEC_V2,
            bundle["draw_id"],
            canonical,
            bundle["task"],
            sha256_hex(codes_listing(codes)),
            len(codes),
            sizes,
            bundle["exclusions"],
            (
                bundle["frozen_at"],
                bundle["supersedes"],
                bundle["redraw_reason"],
                sha256_hex(tokens_listing(tokens)),
            ),
        )
    except (DrawError, KeyError, TypeError, AttributeError, ValueError) as error:
        return [f"冻结记录无法重算：{error}"]
    problems = _compare_freeze(bundle, freeze) or _check_seed(bundle, freeze)
    if problems:
        return problems
    if sum(sizes.values()) != len(codes) or any(
        len(listed[(r, st)]) != sizes[st] for r, st in listed
    ):
        return ["令牌名单与名单户数不符：每一轮每户应恰有一个令牌"]
    try:
        return _check_public_rounds(bundle, canonical, codes, listed, sizes)
    except (KeyError, TypeError, AttributeError, IndexError) as error:
        return [f"公开记录的轮次格式无效：{error}"]


def _check_public_rounds(
    bundle: Mapping[str, Any],
    parameters: Parameters,
    codes: Sequence[str],
    listed: Mapping[tuple[int, str], Sequence[str]],
    sizes: Mapping[str, int],
) -> list[str]:
    rounds = bundle["rounds"]
    if len(rounds) != parameters.rounds:
        return [f"轮次数不符：记录 {len(rounds)} 轮，应为 {parameters.rounds} 轮"]
    ks = sample_sizes(parameters, sizes, SPEC_V2)
    known = set(codes)
    taken = dict.fromkeys(STRATA, 0)  # entities selected in earlier rounds, per stratum
    for number, got in enumerate(rounds, start=1):
        if got.get("round") != number or set(got) != {"round", "selected", "reserve", "strata"}:
            return [f"第{number}轮的字段不符"]
        if set(got["strata"]) != set(STRATA):
            return [f"第{number}轮应列出全部五层 A B C D U"]
        reserve_count = 0
        for stratum in STRATA:
            g = got["strata"][stratum]
            where = f"第{number}轮 {stratum} 层"
            if not isinstance(g, dict) or set(g) != set(PUBLIC_STRATUM_KEYS):
                return [f"{where}的字段不符"]
            claimed, pool = g["earlier"], set(listed[(number, stratum)])
            if claimed != sorted(set(claimed)) or not pool.issuperset(claimed):
                return [f"{where}往轮已抽中的令牌（earlier）应为本轮令牌，排序且不重复"]
            if len(claimed) != taken[stratum]:
                return [f"{where}往轮已抽中 {len(claimed)} 户，按前几轮应为 {taken[stratum]} 户"]
            earlier = set(claimed)
            fresh = [t for t in listed[(number, stratum)] if t not in earlier]
            step = _stratum_round(
                bundle["seed"], bundle["draw_id"], number, fresh, claimed, ks[stratum], parameters
            )
            want = {
                "N": sizes[stratum],
                "ratio": ratio_shown(parameters, stratum),
                "k": ks[stratum],
                **step,
            }
            for key, value in want.items():
                if g[key] != value:
                    return [
                        f"{where} {key} 不符：记录 {_shown(g[key])}，按令牌重算为 {_shown(value)}"
                    ]
            taken[stratum] += min(ks[stratum], sizes[stratum] - taken[stratum])
            reserve_count += len(step["reserve"])
        for key, label, count in (
            ("selected", "抽中", sum(ks.values())),
            ("reserve", "备选", reserve_count),
        ):
            listed_codes = got[key]
            if listed_codes != sorted(set(listed_codes)) or not known.issuperset(listed_codes):
                return [f"第{number}轮{label}名单应为名单中的代码，排序且不重复"]
            if len(listed_codes) != count:
                return [f"第{number}轮{label}名单有 {len(listed_codes)} 户，按各层应为 {count} 户"]
        if set(got["selected"]) & set(got["reserve"]):
            return [f"第{number}轮有主体同时在抽中和备选名单中"]
    return _check_public_substitutions(bundle["substitutions"], rounds)


def _shown(value: Any) -> str:
    """A value in a message as the JavaScript verifier writes it (JSON unless text)."""
    return value if isinstance(value, str) else canonical_json(value).decode()


def _check_public_substitutions(substitutions: Sequence[Any], rounds: Sequence[Any]) -> list[str]:
    """What the public can check of substitutions without strata: the replaced entity is on
    the round's current list, its replacement on the round's reserve list and not used before,
    none replaced twice, each with its reason. That the replacement is the next reserve of the
    replaced entity's own stratum is checked by the full record (audience a)."""
    current = {r["round"]: list(r["selected"]) for r in rounds}
    used: set[tuple[int, str]] = set()
    replaced: set[tuple[int, str]] = set()
    for number, sub in enumerate(substitutions, start=1):
        round_number, code, replacement = (
            sub.get("round"),
            sub.get("replaced"),
            sub.get("replacement"),
        )
        if round_number not in current or "stratum" in sub:
            return [f"第{number}次替换的轮次无效，或公开记录写出了分层"]
        if (round_number, code) in replaced:
            return [f"第{number}次替换：{code} 已被替换过，同一主体只能被替换一次"]
        if code not in current[round_number]:
            return [f"第{number}次替换：被替换的 {code} 不在抽中名单中"]
        reserve = next(r["reserve"] for r in rounds if r["round"] == round_number)
        if replacement not in reserve or (round_number, replacement) in used:
            return [f"第{number}次替换：{replacement} 不是第{round_number}轮尚未用过的备选"]
        if not str(sub.get("reason", "")).strip():
            return [f"第{number}次替换没有记录原因"]
        listed = current[round_number]
        listed[listed.index(code)] = replacement
        used.add((round_number, replacement))
        replaced.add((round_number, code))
    return []


def verify_company(
    bundle: Mapping[str, Any],
    codes: Sequence[str],
    tokens: Mapping[tuple[int, str], Sequence[str]],
    proof: Mapping[str, Any],
) -> tuple[list[str], list[dict[str, Any]]]:
    """One company's own case (audience b): the public record verifies; the proof belongs to
    it; in every round the company's token (from its code, class and salt) is in its class's
    token list, it is marked as selected earlier exactly when it was, and its rank key against
    its stratum's cut-offs says selected, reserve or neither, as the lists of tokens and codes
    say. Returns the problems and, per round, what was found."""
    problems = verify_public(bundle, codes, tokens)
    if problems:
        return problems, []
    if not isinstance(proof, Mapping) or set(proof) != set(PROOF_KEYS):
        return [f"核验凭证的字段应为 {', '.join(PROOF_KEYS)}"], []
    if proof["spec"] != SPEC_V2 or proof["proof"] != "company":
        return ["不是本规范的企业核验凭证"], []
    if proof["draw_id"] != bundle["draw_id"] or proof["record_digest"] != bundle["record_digest"]:
        return ["核验凭证不属于这次抽取（抽取编号或记录摘要不符）"], []
    code, klass, salt = proof["uscc"], proof["risk_class"], proof["salt"]
    if code not in set(codes):
        return [f"{code} 不在冻结的名单中"], []
    if klass not in STRATA or not isinstance(salt, str) or not (salt == "" or SALT.fullmatch(salt)):
        return ["核验凭证的风险分类或核验码格式无效"], []
    findings: list[dict[str, Any]] = []
    selected_before = False
    for got in bundle["rounds"]:
        number, data = got["round"], got["strata"][klass]
        mine = token(number, code, klass, salt)
        if mine not in set(tokens.get((number, klass), [])):
            return [
                f"第{number}轮 {klass} 层的令牌中没有本企业的令牌（分类或核验码不符，或名单被改动）"
            ], []
        if (mine in data["earlier"]) != selected_before:
            return [f"第{number}轮：本企业是否在往轮抽中，公开记录标注有误"], []
        key = (
            f"{int(selected_before)}:{priority_v2(bundle['seed'], bundle['draw_id'], number, mine)}"
        )
        status = "none"
        if data["cutoff"] is not None and key <= data["cutoff"]:
            status = "selected"
        elif data["reserve_cutoff"] is not None and key <= data["reserve_cutoff"]:
            status = "reserve"
        for listed, wanted, label in (
            (data["selected"], status == "selected", "本层抽中令牌"),
            (data["reserve"], status == "reserve", "本层备选令牌"),
            (got["selected"], status == "selected", "本轮抽中名单"),
            (got["reserve"], status == "reserve", "本轮备选名单"),
        ):
            present = (mine if "令牌" in label else code) in listed
            if present != wanted:
                said = "列出" if present else "没有列出"
                return [
                    f"第{number}轮：按截止值本企业应为“{STATUS_LABELS[status]}”，{label}却{said}本企业"
                ], []
        findings.append(
            {
                "round": number,
                "risk_class": klass,
                "key": key,
                "cutoff": data["cutoff"],
                "reserve_cutoff": data["reserve_cutoff"],
                "status": status,
            }
        )
        selected_before = selected_before or status == "selected"
    return [], findings


STATUS_LABELS = {"selected": "抽中", "reserve": "备选", "none": "未抽中"}


def write_codes_csv(codes: Iterable[str]) -> str:
    """The public population file of version 2: a header, then the codes, sorted."""
    return "uscc\n" + codes_listing(codes).decode("ascii")


def read_codes_csv(text: str) -> list[str]:
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].strip(" \t") != "uscc":
        raise DrawError("公开名单文件的表头应为 uscc")
    return [line.strip(" \t").upper() for line in lines[1:] if line.strip(" \t")]


def write_tokens_csv(tokens: Mapping[tuple[int, str], Sequence[str]]) -> str:
    return "round,risk_class,token\n" + tokens_listing(tokens).decode("ascii")


def read_tokens_csv(text: str) -> Tokens:
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].replace(" ", "") != "round,risk_class,token":
        raise DrawError("令牌文件的表头应为 round,risk_class,token")
    tokens: Tokens = {}
    for number, line in enumerate(lines[1:], start=2):
        parts = line.strip().split(",")
        if len(parts) != 3 or not parts[0].isdigit() or parts[1] not in STRATA:
            raise DrawError(f"令牌文件第{number}行格式无效")
        if not HEX64.fullmatch(parts[2]):
            raise DrawError(f"令牌文件第{number}行的令牌应为64位小写十六进制")
        tokens.setdefault((int(parts[0]), parts[1]), []).append(parts[2])
    return tokens


USAGE = """用法：
  python verify_draw.py bundle.json population.csv              完整记录（含风险分类与盐值）
  python verify_draw.py bundle.json population.csv tokens.csv   公开记录（不含风险分类）
  python verify_draw.py bundle.json population.csv tokens.csv proof.json   本企业的核验凭证"""


def main(argv: Sequence[str] | None = None) -> int:
    """python verify_draw.py bundle.json population.csv [tokens.csv [proof.json]] → PASS, or
    FAIL and the first problem. The bundle says which: a full record wants the full listing
    (codes, classes and, for version 2, salts); a public one the codes and tokens, and a
    company's proof if its own case is to be checked too."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (2, 3, 4):
        print(USAGE, file=sys.stderr)
        return 2
    bundle = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    texts = [Path(name).read_text(encoding="utf-8-sig") for name in args[1:3]]
    withheld = isinstance(bundle, dict) and bundle.get("classes") == WITHHELD
    if withheld != (len(args) >= 3):
        print(USAGE, file=sys.stderr)
        return 2
    findings: list[dict[str, Any]] = []
    try:
        if not withheld:
            population, salts = read_population_file(texts[0])
            size = len(population)
            problems = (
                verify_v2(bundle, population, salts)
                if bundle.get("spec") == SPEC_V2
                else verify(bundle, population)
            )
        else:
            codes, tokens = read_codes_csv(texts[0]), read_tokens_csv(texts[1])
            size = len(codes)
            if len(args) == 4:
                proof = json.loads(Path(args[3]).read_text(encoding="utf-8"))
                problems, findings = verify_company(bundle, codes, tokens, proof)
            else:
                problems = verify_public(bundle, codes, tokens)
    except DrawError as error:
        print(f"FAIL {error}")
        return 1
    if problems:
        print(f"FAIL {problems[0]}")
        return 1
    print(f"PASS {bundle['draw_id']}：种子 {bundle['seed'][:16]}…，名单 {size} 户")
    for found in findings:
        cutoff = found["cutoff"] or "（本层未抽）"
        print(
            f"第{found['round']}轮 {found['risk_class']} 层：本企业排序键 {found['key']}，"
            f"截止值 {cutoff}，结果 {STATUS_LABELS[found['status']]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
