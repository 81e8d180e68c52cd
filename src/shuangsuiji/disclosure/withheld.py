"""What the public site shows of a drawn draw when companies' credit-risk classes are not
published (`PUBLISH_RISK_CLASSES` off, the default; docs/draw-spec.md V11).

企业信用风险分类 results are the regulators' internal reference for allocating checks. So the
public gets a record that names no company's class and still verifies the aggregate: the
version-2 record with its rounds rewritten by `core.draw.public_bundle` (codes per round
only; per stratum, salted tokens and cut-offs), the codes alone (population.csv) and every
round's tokens (tokens.csv). Each company checks its own case on 为什么是我 with its 核验码
(its salt), which the departments hand out from the full listing they alone download.

A version-1 draw has no salts: its record names classes, so with the setting off its files
are not public (the page lists its codes per round without strata).
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings

from shuangsuiji.core import draw as rule
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.draws.substitutions import published_bundle


def publishes_classes() -> bool:
    return bool(settings.PUBLISH_RISK_CLASSES)


@dataclass(frozen=True)
class PublicFiles:
    """A drawn version-2 draw as the public downloads it (its substitutions apart)."""

    rounds: list[dict[str, Any]]
    codes_csv: str
    tokens_csv: str


def public_files(draw: Draw) -> PublicFiles | None:
    """The public rounds, codes and tokens of a drawn version-2 draw; None for version 1."""
    if draw.bundle is None or draw.bundle.get("spec") != rule.SPEC_V2:
        return None
    return _files(draw.pk, draw.seed)


# A drawn draw never changes (database triggers), so its public files are computed once per
# process; keyed by the seed too, so a test database reusing a primary key is not confused.
# Two are kept: a million entities' token list is about 69 MB (a draw's newest is what is
# asked for; storing these files at the draw, beside the bundle, would end the recomputing).
@lru_cache(maxsize=2)
def _files(pk: int, seed: str) -> PublicFiles:
    draw = Draw.objects.only("population_artefact", "freeze", "bundle_artefact").get(
        pk=pk, seed=seed, state=DrawState.DRAWN
    )
    population, salts = rule.population_from_file(draw.population_csv, draw.freeze)
    record = {**draw.bundle, "substitutions": []}
    shown = rule.public_bundle(record, population, salts)
    rounds = draw.freeze["parameters"]["rounds"]
    tokens = rule.population_tokens(population, rule.check_salts(population, salts), rounds)
    return PublicFiles(
        shown["rounds"], rule.write_codes_csv(population), rule.write_tokens_csv(tokens)
    )


def withheld_record(draw: Draw) -> dict[str, Any] | None:
    """The record that names no class, with the substitutions recorded so far (None for a
    version-1 draw, whose record names classes)."""
    bundle = published_bundle(draw)
    files = public_files(draw)
    if bundle is None or files is None:
        return None
    substitutions = [
        {key: value for key, value in sub.items() if key != "stratum"}
        for sub in bundle["substitutions"]
    ]
    return {
        **bundle,
        "classes": rule.WITHHELD,
        "rounds": files.rounds,
        "substitutions": substitutions,
    }


def company_proof(draw: Draw, code: str) -> dict[str, Any]:
    """One company's proof (docs/draw-spec.md V11), for the departments to hand to it."""
    population, salts = rule.population_from_file(draw.population_csv, draw.freeze)
    if salts is None:
        raise rule.DrawError("本次抽取没有核验码（盐值）")
    return rule.company_proof(draw.bundle, population, salts, code.strip().upper())
