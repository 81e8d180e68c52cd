"""A draw on the public site before its seed exists: announced as soon as it is frozen.

Redraw shopping needs a quiet place between a draw and its correction. So from the moment a
draw is frozen the public sees it at the URL its result will have: the freeze digest and time,
the population's size per stratum, the parameters, the draw it corrects and why, and each
commitment as it is registered. Whoever keeps the freeze digest can hold the result to it.

Shown: aggregates and digests only. The population listing is bound by its digest and
published with the result; exclusions give their count and digest (their reasons name
individual companies' histories); who registered a step is shown by department, not person.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.draws.registrations import registrations
from shuangsuiji.plans.models import Plan
from shuangsuiji.plans.population import STRATUM_LABELS

# A frozen draw's page changes as commitments and reveals arrive: cached briefly only.
FROZEN_CACHE_SECONDS = 60
# What lists and the feed read of a draw: never the population, exclusions or bundle.
LIST_FIELDS = (
    "pk",
    "draw_id",
    "number",
    "state",
    "created_at",
    "drawn_at",
    "seed",
    "reason",
    "task__name",
    "task__plan__title",
    "supersedes__draw_id",
)


@dataclass(frozen=True)
class Party:
    """A department's part in the ceremony so far, as the public sees it."""

    party: str
    commitment: str
    committed_at: datetime | None
    secret: str | None
    revealed_at: datetime | None


def frozen_draws() -> QuerySet[Draw]:
    """Draws announced and waiting for their seed, newest first, superseded ones included
    (a frozen draw corrected before it was drawn stays public too)."""
    return (
        Draw.objects.filter(state=DrawState.FROZEN)
        .select_related("task__plan", "supersedes", "superseded_by")
        .only(*LIST_FIELDS, "task__plan__region", "superseded_by__draw_id")
        .order_by("-created_at", "-pk")
    )


def current_draws(plan: Plan) -> dict[int, tuple[str, bool]]:
    """Each task's current draw (the one nothing supersedes), frozen or drawn: task id →
    (draw id, drawn yet)."""
    rows = Draw.objects.filter(task__plan=plan, superseded_by__isnull=True).values_list(
        "task_id", "draw_id", "state"
    )
    return {task: (draw_id, state == DrawState.DRAWN) for task, draw_id, state in rows}


def task_history(draw: Draw) -> list[dict[str, Any]]:
    """Every draw of the draw's task, frozen, drawn or superseded: none is ever withdrawn."""
    return list(
        Draw.objects.filter(task_id=draw.task_id)
        .order_by("number")
        .values("pk", "draw_id", "state", "created_at", "drawn_at", "reason", "supersedes__draw_id")
    )


def parties(draw: Draw) -> list[Party]:
    """The commitments registered so far, each with its time and, once revealed, its secret
    (public from the reveal on, as in the finished record)."""
    registered = registrations(draw)
    revealed = {r["party"]: r["secret"] for r in draw.reveals}

    def at(step: str, party: str) -> datetime | None:
        found = registered.get((step, party))
        return found.at if found else None

    return [
        Party(
            party=c["party"],
            commitment=c["commitment"],
            committed_at=at("commitments", c["party"]),
            secret=revealed.get(c["party"]),
            revealed_at=at("reveals", c["party"]),
        )
        for c in draw.commitments
    ]


def parameter_lines(parameters: dict[str, Any]) -> list[tuple[str, str]]:
    """The frozen parameters in the words of the plan's table."""
    lines = []
    if parameters.get("ratio") is not None:
        lines.append(("抽查比例", _percent(str(parameters["ratio"]))))
    if parameters.get("count") is not None:
        lines.append(("抽查户数", str(parameters["count"])))
    risk = (
        "按信用风险分类调整比例"
        if parameters.get("risk_rule") == "escalate"
        else "不按风险分类调整"
    )
    lines.append(("风险规则", risk))
    if parameters.get("risk_rule") == "escalate" and parameters.get("factors"):
        factors = "，".join(f"{k} ×{v}" for k, v in sorted(parameters["factors"].items()))
        lines.append(("风险系数", factors))
    lines.append(("抽取轮数", str(parameters.get("rounds", 1))))
    return lines


def _percent(ratio: str) -> str:
    try:
        return f"{format((Decimal(ratio) * 100).normalize(), 'f')}%"
    except InvalidOperation:
        return ratio  # a fraction such as "1/3" reads as it is


def _utc(moment: datetime) -> str:
    """A time as version 2 writes frozen_at (a version-1 freeze has none: its row's time)."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def _corrected_by(draw: Draw) -> str | None:
    return Draw.objects.filter(supersedes=draw).values_list("draw_id", flat=True).first()


def frozen_draw(draw_id: str) -> Draw | None:
    """The frozen draw of that id, without its population listing; None if drawn or absent."""
    return (
        Draw.objects.filter(draw_id=draw_id, state=DrawState.FROZEN)
        .select_related("task__plan__region", "supersedes")
        .defer("supersedes__exclusions", "supersedes__freeze")
        .first()
    )


def frozen_page(request: HttpRequest, draw: Draw) -> HttpResponse:
    """The public page of a frozen draw (`disclosure.views.draw_page` sends it here)."""
    freeze = draw.freeze
    sizes = [(STRATUM_LABELS[s], n) for s, n in freeze["strata_sizes"].items() if n]
    context = {
        "draw": draw,
        "freeze": freeze,
        "frozen_at": freeze.get("frozen_at") or _utc(draw.created_at),
        "sizes": sizes,
        "parameters": parameter_lines(freeze["parameters"]),
        "excluded": len(draw.exclusions),
        "parties": parties(draw),
        "history": task_history(draw),
        "superseded_by": _corrected_by(draw),
    }
    response = render(request, "disclosure/draw_frozen.html", context)
    patch_cache_control(response, public=True, max_age=FROZEN_CACHE_SECONDS)
    return response


FEED_DRAWS = 20


def draw_feed_items(link: Callable[[str], str]) -> list[dict[str, Any]]:
    """The Atom feed's draw entries, as add_item keywords: each draw twice, once when frozen
    (before any seed: its freeze digest, and for a redraw the draw it corrects and why) and
    once when drawn. `link` makes a draw id's absolute public URL."""
    announced = Draw.objects.order_by("-created_at", "-pk").values(
        "draw_id",
        "created_at",
        "reason",
        "task__name",
        "supersedes__draw_id",
        "freeze__freeze_digest",
        "freeze__population_size",
        "freeze__frozen_at",
    )[:FEED_DRAWS]
    drawn = (
        Draw.objects.filter(state=DrawState.DRAWN)
        .order_by("-drawn_at", "-pk")
        .values("draw_id", "drawn_at", "seed", "reason", "task__name", "supersedes__draw_id")[
            :FEED_DRAWS
        ]
    )
    items = []
    for d in announced:
        corrected = d["supersedes__draw_id"]
        frozen_at = d["freeze__frozen_at"] or _utc(d["created_at"])
        items.append(
            {
                "title": (
                    f"重新抽取（更正 {corrected}）：{d['task__name']}"
                    if corrected
                    else f"名单已冻结：{d['task__name']}"
                ),
                "link": link(d["draw_id"]),
                "description": (
                    f"抽取编号 {d['draw_id']}，冻结于 {frozen_at}，名单 "
                    f"{d['freeze__population_size']} 户，冻结摘要 {d['freeze__freeze_digest']}；"
                    f"等待公开随机值。{_redraw_note(corrected, d['reason'])}"
                ),
                "pubdate": d["created_at"],
                "unique_id": f"draw-frozen:{d['draw_id']}",
            }
        )
    for d in drawn:
        items.append(
            {
                "title": f"抽取结果：{d['task__name']}",
                "link": link(d["draw_id"]),
                "description": (
                    f"抽取编号 {d['draw_id']}，种子 {d['seed']}。"
                    f"{_redraw_note(d['supersedes__draw_id'], d['reason'])}"
                ),
                "pubdate": d["drawn_at"],
                "unique_id": f"draw:{d['draw_id']}",
            }
        )
    return items


def _redraw_note(corrected: str | None, reason: str) -> str:
    return f"本次为重新抽取，更正 {corrected}，原因：{reason}" if corrected else ""
