"""The draw of core/draw.py (version 2) computed in bulk: the same freeze record, seed and
rounds, byte for byte, in a fraction of the time at a province's scale (issue 17, item 8).

Why a second module: core/draw.py is also the verifier a citizen downloads, so it stays one
file of the standard library, and it stays the rule. This module restates none of it: the
parameters, the sizes, the ceremony, the seed and the records are core/draw.py's own
functions; only the work done once per entity — checking codes, strata and salts, hashing
tokens and priorities, sorting, the two listings' digests — is done here on numpy arrays,
the hashing split over two processes where that is safe. Whatever it has not fully checked
(a malformed code or salt, a version-1 draw, a population file written another way) it hands
to core/draw.py, so the two also refuse alike, with the same words.
tests/core/test_fastdraw.py generates populations and parameters of every kind and asserts
that both give the same bytes.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from shuangsuiji.core import draw as rule

Bytes2D = npt.NDArray[np.uint8]
Positions = npt.NDArray[np.intp]

SEP = ord(rule.SEP)
CODE_WIDTH = 18
SALT_WIDTH = 32
DIGEST = 32
PARALLEL_FROM = 50_000  # entities: below this a second process costs more than it saves
CHUNK = 2_048  # rows hashed per batch: their bytes objects and digests stay in cache


CODE_BYTES = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # rule.USCC
STRATUM_BYTES = "".join(rule.STRATA).encode()
HEX_BYTES = b"0123456789abcdef"  # rule.SALT
U64 = npt.NDArray[np.uint64]


def take(rows: Bytes2D, positions: Positions) -> Bytes2D:
    """rows[positions], each row moved as one value: several times faster than indexing the
    two-dimensional array, which moves rows byte by byte."""
    width = rows.shape[1]
    if not width:
        return np.zeros((len(positions), 0), dtype=np.uint8)
    whole = np.ascontiguousarray(rows).view(f"V{width}").ravel()
    return np.take(whole, positions).view(np.uint8).reshape(-1, width)


def _only(column: Bytes2D, allowed: bytes) -> bool:
    """Whether every byte of `column` is one of `allowed` (deleting them leaves nothing)."""
    return not np.ascontiguousarray(column).tobytes().translate(None, allowed)


# --- the population as arrays ----------------------------------------------------------------


@dataclass
class Entities:
    """A population checked and held as arrays, in its own order: codes (N × 18 bytes), strata
    (N bytes), salts (N × 32 bytes, or N × 0 when every salt is empty), and every round's
    tokens once they are made (a draw made in one go hashes them once, not three times)."""

    codes: Bytes2D
    strata: npt.NDArray[np.uint8]
    salts: Bytes2D
    names: Sequence[str] | None = None  # the codes as text, when the caller has them
    tokens_made: dict[int, tuple[Bytes2D, U64]] = field(default_factory=dict)
    ranked: Positions | None = None  # positions in the order of the codes, once sorted

    def ranking(self) -> Positions:
        """Positions of the entities in the order of their codes (a stored listing is in that
        order already), sorted once: the freeze's digest and the listing kept beside it both
        need it."""
        if self.ranked is None:
            ascending = _ascending(self.codes)
            self.ranked = np.arange(len(self)) if ascending else code_order(self.codes)
        return self.ranked

    def codes_in_order(self) -> Bytes2D:
        return take(self.codes, self.ranking())

    def __len__(self) -> int:
        return len(self.strata)

    def code_texts(self, positions: Positions) -> list[str]:
        """The codes at `positions`, as text."""
        if self.names is not None:
            return list(map(self.names.__getitem__, positions.tolist()))
        picked = take(self.codes, positions).view("S18").ravel()
        return [code.decode("ascii") for code in picked]

    def tokens(self, round_number: int, processes: int) -> tuple[Bytes2D, U64]:
        """Every entity's token (rule.token) of a round, raw (N × 32 bytes; its text is its
        hex), and its leading 64 bits (see `ordered`)."""
        if round_number not in self.tokens_made:
            prefix = rule.SEP.join((rule.SPEC_V2, "token", str(round_number), "")).encode()
            raw = digests(prefix, len(self), self.token_rows, processes)
            self.tokens_made[round_number] = (raw, leads(raw))
        return self.tokens_made[round_number]

    def token_rows(self, start: int, stop: int) -> Bytes2D:
        """What a token hashes after its round's prefix, for entities start to stop:
        code SEP stratum SEP salt."""
        rows = np.empty((stop - start, CODE_WIDTH + 3 + self.salts.shape[1]), dtype=np.uint8)
        rows[:, :CODE_WIDTH] = self.codes[start:stop]
        rows[:, CODE_WIDTH] = SEP
        rows[:, CODE_WIDTH + 1] = self.strata[start:stop]
        rows[:, CODE_WIDTH + 2] = SEP
        rows[:, CODE_WIDTH + 3 :] = self.salts[start:stop]
        return rows

    @property
    def population(self) -> dict[str, str]:
        """code → stratum, as core/draw.py takes a population."""
        everything = np.arange(len(self))
        return dict(zip(self.code_texts(everything), self.strata.tobytes().decode(), strict=True))

    @property
    def salt_map(self) -> dict[str, str] | None:
        """code → salt, or None when every salt is empty (as rule.check_salts reads None)."""
        if not self.salts.shape[1]:
            return None
        codes = self.code_texts(np.arange(len(self)))
        salts = self.salts.view(f"S{SALT_WIDTH}").ravel()
        return dict(zip(codes, (salt.decode() for salt in salts), strict=True))


def _column(values: Sequence[Any], width: int, allowed: bytes) -> Bytes2D | None:
    """`values` as an N × width array when every one is text of exactly `width` characters out
    of `allowed`; else None. Joined with line feeds, they make N × (width + 1) bytes with a line
    feed at every (width + 1)th byte and only allowed bytes between exactly when each is so
    (the same trick as rule.population_digest's regular expression)."""
    try:
        text = "\n".join(chain(values, [""])).encode("ascii")  # a line feed after each
    except (TypeError, UnicodeEncodeError):  # not text, or not ASCII
        return None
    if len(text) != len(values) * (width + 1):
        return None
    table = np.frombuffer(text, dtype=np.uint8).reshape(len(values), width + 1)
    if not (table[:, width] == ord("\n")).all() or not _only(table[:, :width], allowed):
        return None
    return table[:, :width]


def entities(population: Mapping[str, str], salts: Mapping[str, str] | None) -> Entities | None:
    """The population and salts as arrays when every code, stratum and salt is well formed
    (rule.check_population, rule.check_salts) and salts belong one to one to the codes; None
    otherwise, and the caller leaves the case to core/draw.py, which says what is wrong."""
    names = list(population)
    codes = _column(names, CODE_WIDTH, CODE_BYTES)
    strata = _column(list(population.values()), 1, STRATUM_BYTES)
    if codes is None or strata is None or not names:
        return None
    if salts is None:
        salt_bytes: Bytes2D = np.zeros((len(names), 0), dtype=np.uint8)
    else:
        try:
            listed = [salts[code] for code in names]
        except (KeyError, TypeError):
            return None
        column = _column(listed, SALT_WIDTH, HEX_BYTES)
        if column is None or len(salts) != len(names):
            return None
        salt_bytes = column
    return Entities(codes, strata.ravel().copy(), salt_bytes, names)


def new_salts(codes: Iterable[str]) -> dict[str, str]:
    """rule.new_salts in one call to the operating system's CSPRNG: 16 random bytes per
    entity, as 32 lower-case hex digits (secrets.token_hex draws from the same os.urandom, one
    call per entity)."""
    listed = list(codes)
    text = os.urandom(16 * len(listed)).hex()
    return dict(zip(listed, [text[i : i + 32] for i in range(0, len(text), 32)], strict=True))


# --- hashing in bulk, in two processes where it is safe --------------------------------------


Rows = Callable[[int, int], Bytes2D]  # the rows start to stop of what is hashed


def digests(prefix: bytes, count: int, rows: Rows, processes: int = 2) -> Bytes2D:
    """SHA-256 of `prefix` followed by each of `count` rows, N × 32 bytes. The rows are made a
    batch at a time (a token's row, a priority's hex: ten million of them at once would be
    hundreds of megabytes more to hold). The prefix is hashed once and each row continues a
    copy of that state, as core/draw.py does. With `processes` 2 and enough rows, a forked
    child hashes the second half while this process hashes the first."""
    half = count // 2
    rest = _aside(
        lambda: _hash_rows(prefix, half, count, rows), (count - half) * DIGEST, processes, count
    )
    first = _hash_rows(prefix, 0, half, rows)
    return _as_rows(first + rest())


def _hash_rows(prefix: bytes, start: int, stop: int, rows: Rows) -> bytes:
    """The digests of prefix + row for rows start to stop, concatenated. Each row becomes a
    bytes object through a fixed-width view (a view drops trailing NUL bytes; no row ends in
    one: rows end in a code, a stratum, a separator or hex), a batch at a time."""
    copy = hashlib.sha256(prefix).copy
    made: list[bytes] = []
    for begin in range(start, stop, CHUNK):
        batch: list[bytes] = []
        append = batch.append
        part = rows(begin, min(begin + CHUNK, stop))
        for row in np.ascontiguousarray(part).view(f"S{part.shape[1]}").ravel().tolist():
            hasher = copy()
            hasher.update(row)
            append(hasher.digest())
        made.append(b"".join(batch))
    return b"".join(made)


def _as_rows(data: bytes) -> Bytes2D:
    return np.frombuffer(data, dtype=np.uint8).reshape(-1, DIGEST)


def _aside(
    work: Callable[[], bytes], size: int, processes: int, entities: int
) -> Callable[[], bytes]:
    """Start `work` in a forked child and return a function that waits for its `size` bytes.

    Only with `processes` 2 or more and PARALLEL_FROM `entities` or more, and where fork is
    safe: on POSIX, in a process running no other thread (a child inherits
    every lock, and one held by another thread at the fork would never be released in it;
    the app's background worker has a heartbeat thread, so it hashes in one process). When
    fork is not safe, or the child fails, the work is done here when asked for; the bytes are
    the same either way. The child writes into shared memory and leaves with os._exit, so it
    runs no cleanup of the parent's (database connections, temporary files)."""
    if (
        processes < 2
        or entities < PARALLEL_FROM
        or not hasattr(os, "fork")
        or threading.active_count() != 1
        or (os.cpu_count() or 1) < 2
    ):
        return work
    shared = mmap.mmap(-1, max(size, 1))  # anonymous and shared with the child
    try:
        pid = os.fork()
    except OSError:
        return work
    if pid == 0:  # pragma: no cover -- the child; coverage does not follow it
        status = 1
        try:
            result = work()
            if len(result) == size:
                shared[:size] = result
                status = 0
        finally:
            os._exit(status)

    def wait() -> bytes:
        _, status = os.waitpid(pid, 0)
        return work() if status != 0 else shared[:size]

    return wait


# --- digests of the freeze -------------------------------------------------------------------


def hex_rows(raw: Bytes2D) -> Bytes2D:
    """N × 32 raw digests as N × 64 bytes of lower-case hex (the text rule.token gives)."""
    return np.frombuffer(raw.tobytes().hex().encode("ascii"), dtype=np.uint8).reshape(-1, 64)


def leads(keys: Bytes2D) -> U64:
    """The first 8 bytes of each row as a big-endian number: they order rows of random bytes
    (digests) as all their bytes do, but for the rows whose first 8 bytes are equal."""
    return np.ascontiguousarray(keys[:, :8]).view(">u8").ravel().astype(np.uint64)


def ordered(positions: Positions, lead: U64, keys: Bytes2D, *then: Bytes2D) -> Positions:
    """`positions` in the order of the rows of `keys` there (all 32 bytes), equal rows in the
    order of the rows of `then`; `lead` is leads(keys). The leading 64 bits order all but rows
    whose first 8 bytes are equal; should any be (about one draw in ten thousand million at a
    million entities), every byte of every column is sorted on."""
    first = lead[positions]
    ranked = np.argsort(first)  # not stable: equal leads are ordered again below
    ordered_first = first[ranked]
    if not (ordered_first[1:] == ordered_first[:-1]).any():
        return positions[ranked]
    columns = []
    for column in (keys, *then):
        words = np.ascontiguousarray(column[positions]).view(">u8").astype(np.uint64)
        columns += [words[:, word] for word in range(words.shape[1])]
    return positions[np.lexsort(columns[::-1])]


def codes_digest(codes: Bytes2D) -> str:
    """rule.codes_listing's digest of `codes` already sorted: a line feed after each."""
    lines = np.empty((len(codes), CODE_WIDTH + 1), dtype=np.uint8)
    lines[:, :CODE_WIDTH] = codes
    lines[:, CODE_WIDTH] = ord("\n")
    return hashlib.sha256(lines.data).hexdigest()


def _ascending(codes: Bytes2D) -> bool:
    """Whether the codes are in strictly ascending order (a stored listing is)."""
    text = np.ascontiguousarray(codes).view("S18").ravel()
    return bool((text[1:] > text[:-1]).all())


DIGITS = np.zeros(256, dtype=np.uint64)  # 0–9 A–Z as 0–35: the order of their bytes
DIGITS[np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)] = np.arange(36)
TAIL_SCALE = 36**10  # ten base-36 digits: below 2**52
HEADS_MAX = (2**64 - 1) // TAIL_SCALE  # distinct 8-character beginnings one number can rank


def code_order(codes: Bytes2D) -> Positions:
    """Positions of the codes in byte order. A code begins with 8 characters that few codes
    of a region do not share (登记管理部门, 机构类别, 行政区划); numbered by their rank among
    the distinct beginnings and followed by the other 10 characters as base-36 digits, each
    code is one 64-bit number in the codes' order, and numbers sort several times faster than
    18-byte strings. With more distinct beginnings than that leaves room for, the strings."""
    lead = np.ascontiguousarray(codes[:, :8]).view(">u8").ravel().astype(np.uint64)
    heads = np.unique(lead)
    if len(heads) > HEADS_MAX:
        return np.argsort(np.ascontiguousarray(codes).view("S18").ravel())
    tail = np.zeros(len(codes), dtype=np.uint64)
    for column in range(8, CODE_WIDTH):
        tail *= np.uint64(36)
        tail += DIGITS[codes[:, column]]
    ranks = np.searchsorted(heads, lead).astype(np.uint64)
    return np.argsort(ranks * np.uint64(TAIL_SCALE) + tail)


def tokens_digest(group: Entities, rounds: int, processes: int) -> str:
    """rule.tokens_listing's digest: lines "round,stratum,token" by round, stratum, token."""
    hasher = hashlib.sha256()
    members = _members(group)
    for number in range(1, rounds + 1):
        raw, lead = group.tokens(number, processes)
        for stratum in rule.STRATA:
            mine = ordered(members[stratum], lead, raw)
            head = f"{number},{stratum},".encode()
            lines = np.empty((len(mine), len(head) + 65), dtype=np.uint8)
            lines[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
            lines[:, len(head) : -1] = hex_rows(take(raw, mine))
            lines[:, -1] = ord("\n")
            hasher.update(lines.data)
    return hasher.hexdigest()


def _members(group: Entities) -> dict[str, Positions]:
    """Each stratum's entities, as positions in the population's order."""
    return {s: np.flatnonzero(group.strata == ord(s)) for s in rule.STRATA}


# --- the rule's entry points, in bulk ----------------------------------------------------------


def _arrays(
    population: Mapping[str, str] | Entities, salts: Mapping[str, str] | None
) -> Entities | None:
    return population if isinstance(population, Entities) else entities(population, salts)


def _mapping(
    population: Mapping[str, str] | Entities, salts: Mapping[str, str] | None
) -> tuple[Mapping[str, str], Mapping[str, str] | None]:
    """The population and salts as the rule takes them."""
    if isinstance(population, Entities):
        return population.population, population.salt_map
    return population, salts


def freeze_record(
    draw_id: str,
    parameters: rule.Parameters,
    population: Mapping[str, str] | Entities,
    exclusions: Sequence[Mapping[str, str]] = (),
    task: Mapping[str, Any] | None = None,
    *,
    spec: str = rule.SPEC_V2,
    frozen_at: str | None = None,
    supersedes: str | None = None,
    redraw_reason: str = "",
    salts: Mapping[str, str] | None = None,
    processes: int = 2,
) -> dict[str, Any]:
    """rule.freeze_record, the same record. `population` may be Entities already made (then
    `salts` is theirs); a version-1 freeze or an input not well formed goes to the rule."""
    group = _arrays(population, salts) if spec == rule.SPEC_V2 else None
    if group is None:
        mapping, kept = _mapping(population, salts)
        return rule.freeze_record(
            draw_id,
            parameters,
            mapping,
            exclusions,
            task,
            spec=spec,
            frozen_at=frozen_at,
            supersedes=supersedes,
            redraw_reason=redraw_reason,
            salts=kept,
        )
    parameters, frozen_at = rule.freeze_inputs(
        spec, draw_id, parameters, frozen_at, supersedes, redraw_reason
    )
    counts = np.bincount(group.strata, minlength=256)
    sizes = {s: int(counts[ord(s)]) for s in rule.STRATA}
    # the codes are sorted beside the tokens' hashing (a child process, when allowed)
    codes = _aside(lambda: codes_digest(group.codes_in_order()).encode(), 64, processes, len(group))
    digest = tokens_digest(group, parameters.rounds, processes)
    return rule._freeze(  # the rule's own record, from these digests
        spec,
        draw_id,
        parameters,
        task,
        codes().decode(),
        len(group),
        sizes,
        exclusions,
        (frozen_at, supersedes, redraw_reason, digest),
    )


def bundle_from_freeze(
    freeze: Mapping[str, Any],
    population: Mapping[str, str] | Entities,
    ceremony: Mapping[str, Any],
    exclusions: Sequence[Mapping[str, str]] = (),
    salts: Mapping[str, str] | None = None,
    *,
    processes: int = 2,
) -> dict[str, Any]:
    """rule.bundle_from_freeze, the same bundle (the caller vouches, as there, that freeze and
    population belong together)."""
    group = _arrays(population, salts) if freeze["spec"] == rule.SPEC_V2 else None
    if group is None:
        mapping, kept = _mapping(population, salts)
        return rule.bundle_from_freeze(freeze, mapping, ceremony, exclusions, kept)
    bundle = rule.sealed_v2(freeze, ceremony, exclusions)
    bundle["rounds"] = rounds_v2(freeze, bundle["seed"], group, processes=processes)[0]
    return bundle


def run_draw(
    draw_id: str,
    parameters: rule.Parameters,
    population: Mapping[str, str],
    ceremony: Mapping[str, Any],
    exclusions: Sequence[Mapping[str, str]] = (),
    task: Mapping[str, Any] | None = None,
    *,
    salts: Mapping[str, str] | None = None,
    processes: int = 2,
    **freeze: Any,
) -> dict[str, Any]:
    """rule.run_draw, the same bundle; `freeze` are its other keywords (spec, frozen_at,
    supersedes, redraw_reason). Each token is hashed once, for the freeze and the draw."""
    group = (
        entities(population, salts) if freeze.get("spec", rule.SPEC_V2) == rule.SPEC_V2 else None
    )
    source = population if group is None else group
    record = freeze_record(
        draw_id, parameters, source, exclusions, task, salts=salts, processes=processes, **freeze
    )
    return bundle_from_freeze(record, source, ceremony, exclusions, salts, processes=processes)


def freeze_and_listing(
    draw_id: str,
    parameters: rule.Parameters,
    population: Mapping[str, str],
    exclusions: Sequence[Mapping[str, str]] = (),
    task: Mapping[str, Any] | None = None,
    *,
    salts: Mapping[str, str] | None = None,
    processes: int = 2,
    **freeze: Any,
) -> tuple[dict[str, Any], str]:
    """rule.freeze_record and rule.write_population_csv(population, salts): what the platform
    keeps at a freeze, the listing written from the arrays the freeze checked."""
    group = (
        entities(population, salts) if freeze.get("spec", rule.SPEC_V2) == rule.SPEC_V2 else None
    )
    source = population if group is None else group
    record = freeze_record(
        draw_id, parameters, source, exclusions, task, salts=salts, processes=processes, **freeze
    )
    if group is None:
        return record, rule.write_population_csv(population, salts)
    return record, listing(group)


def listing(group: Entities) -> str:
    """rule.write_population_csv: a header, then "code,class,salt" (without salts:
    "code,class") a line, sorted by code."""
    ranked = group.ranking()
    salted = group.salts.shape[1] > 0
    width = CODE_WIDTH + 3 + (1 + SALT_WIDTH if salted else 0)
    lines = np.empty((len(group), width), dtype=np.uint8)
    lines[:, :CODE_WIDTH] = take(group.codes, ranked)
    lines[:, CODE_WIDTH] = ord(",")
    lines[:, CODE_WIDTH + 1] = group.strata[ranked]
    if salted:
        lines[:, CODE_WIDTH + 2] = ord(",")
        lines[:, CODE_WIDTH + 3 : -1] = take(group.salts, ranked)
    lines[:, -1] = ord("\n")
    header = rule.POPULATION_HEADER_V2 if salted else rule.POPULATION_HEADER
    return header + str(lines.data, "ascii")


def population_from_file(text: str, freeze: Mapping[str, Any], processes: int = 2) -> Entities:
    """rule.population_from_file: the full listing stored at the freeze, refused (with the same
    words) unless it hashes to the freeze record's digests; as Entities, whose tokens the
    draw then uses again. A listing not in the one shape the platform writes goes to the rule."""
    body = text.removeprefix(rule.POPULATION_HEADER_V2)
    group = _listing(body) if body != text else None
    if group is None:
        population, salts = rule.population_from_file(text, freeze)
        made = entities(population, salts)
        if made is None:  # pragma: no cover -- the rule has just checked every entity
            raise rule.DrawError("名单格式无效")
        return made
    rounds = rule.Parameters.from_dict(freeze["parameters"]).rounds
    if (
        codes_digest(group.codes_in_order()) != freeze["population_digest"]
        or tokens_digest(group, rounds, processes) != freeze["tokens_digest"]
    ):
        raise rule.DrawError("名单与冻结时的名单摘要不符")
    return group


def _listing(body: str) -> Entities | None:
    """The lines "code,stratum,salt" (all salts given) or "code,stratum," (none), each code
    once, as Entities; None for anything else (the rule then reads it its own way)."""
    data = body.encode("ascii", errors="replace")
    for width in (CODE_WIDTH + 3 + SALT_WIDTH + 1, CODE_WIDTH + 4):
        if not data or len(data) % width:
            continue
        table = np.frombuffer(data, dtype=np.uint8).reshape(-1, width)
        salts = table[:, CODE_WIDTH + 3 : width - 1]
        if (
            (table[:, CODE_WIDTH] == ord(",")).all()
            and (table[:, CODE_WIDTH + 2] == ord(",")).all()
            and (table[:, -1] == ord("\n")).all()
            and _only(table[:, :CODE_WIDTH], CODE_BYTES)
            and _only(table[:, CODE_WIDTH + 1], STRATUM_BYTES)
            and _only(salts, HEX_BYTES)
        ):
            codes = table[:, :CODE_WIDTH]
            if not _ascending(codes) and not _ascending(take(codes, code_order(codes))):
                return None  # a code twice: the rule reads it its own way
            return Entities(codes, table[:, CODE_WIDTH + 1].copy(), salts)
    return None


# --- the rounds ------------------------------------------------------------------------------


def rounds_v2(
    freeze: Mapping[str, Any],
    seed: str,
    group: Entities,
    *,
    public: bool = False,
    processes: int = 2,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """rule._rounds_v2: every round with codes per stratum (the full record), and, with
    `public`, as the public record shows it (tokens per stratum, codes per round; else [])."""
    parameters = rule.Parameters.from_dict(freeze["parameters"])
    members = _members(group)
    sizes = {s: len(members[s]) for s in rule.STRATA}
    ks = rule.sample_sizes(parameters, sizes, rule.SPEC_V2)
    drawn = np.zeros(len(group), dtype=np.bool_)
    full: list[dict[str, Any]] = []
    shown_rounds: list[dict[str, Any]] = []
    for number in range(1, parameters.rounds + 1):
        tokens, token_lead = group.tokens(number, processes)
        prefix = rule._priority_prefix(seed, freeze["draw_id"], number, rule.SPEC_V2)
        priorities = digests(prefix, len(tokens), _hex_of(tokens), processes)
        lead = leads(priorities)
        strata, shown = {}, {}
        picked: list[Positions] = []
        kept: list[Positions] = []
        for stratum in rule.STRATA:
            mine, k = members[stratum], ks[stratum]
            wanted = k + (k if parameters.reserve is None else parameters.reserve)
            fresh, earlier = mine[~drawn[mine]], mine[drawn[mine]]
            taken = ordered(fresh, lead, priorities, tokens)[:wanted]
            taken_fresh = len(taken)
            if taken_fresh < wanted:
                again = ordered(earlier, lead, priorities, tokens)
                taken = np.concatenate((taken, again[: wanted - taken_fresh]))
            head = {"N": sizes[stratum], "ratio": rule.ratio_shown(parameters, stratum), "k": k}
            selected, reserve = taken[:k], taken[k:wanted]
            strata[stratum] = {
                **head,
                "selected": group.code_texts(selected),
                "reserve": group.code_texts(reserve),
            }
            if public:
                shown[stratum] = {
                    **head,
                    "earlier": _texts(take(tokens, ordered(earlier, token_lead, tokens))),
                    "selected": _texts(take(tokens, selected)),
                    "reserve": _texts(take(tokens, reserve)),
                    "cutoff": _key(priorities, taken, taken_fresh, k - 1) if k else None,
                    "reserve_cutoff": (
                        _key(priorities, taken, taken_fresh, len(taken) - 1)
                        if len(taken) > k
                        else None
                    ),
                }
            picked.append(selected)
            kept.append(reserve)
        chosen = np.concatenate(picked)
        drawn[chosen] = True
        full.append({"round": number, "strata": strata})
        if public:
            shown_rounds.append(
                {
                    "round": number,
                    "selected": sorted(group.code_texts(chosen)),
                    "reserve": sorted(group.code_texts(np.concatenate(kept))),
                    "strata": shown,
                }
            )
    return full, shown_rounds


def _hex_of(raw: Bytes2D) -> Rows:
    """Rows of `raw` digests as their hex (what a priority hashes of a token)."""
    return lambda start, stop: hex_rows(raw[start:stop])


def _key(priorities: Bytes2D, taken: Positions, fresh_count: int, place: int) -> str:
    """The rank key of the entity at `place` of a stratum's ranking (rule._stratum_round)."""
    pool = "0" if place < fresh_count else "1"
    return f"{pool}:{priorities[taken[place]].tobytes().hex()}"


def _texts(raw: Bytes2D) -> list[str]:
    """Raw digests as hex text."""
    text = raw.tobytes().hex()
    return [text[i : i + 64] for i in range(0, len(text), 64)]
