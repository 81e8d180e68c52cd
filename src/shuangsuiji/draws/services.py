"""Running a task's draw: freeze the population, hold the ceremony, draw, publish.

The rule itself is `shuangsuiji.core.draw`; this module only gathers the population from the
directory, keeps each step's state in the database, and refuses steps out of order.
"""

import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from shuangsuiji.accounts.permissions import require
from shuangsuiji.artefacts.models import ArtefactKind
from shuangsuiji.artefacts.services import store_json, store_text
from shuangsuiji.checks.ledger import yearly_cap, yearly_counts
from shuangsuiji.checks.undisturbed import undisturbed_in
from shuangsuiji.core import draw as rule
from shuangsuiji.core import fastdraw
from shuangsuiji.draws.models import Draw, DrawState
from shuangsuiji.draws.rules import may_draw, may_take_part
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.population import PopulationFilter, in_scope, listed

Progress = Callable[[str, int], None]
SaltSource = Callable[[dict[str, str]], dict[str, str]]
"""Called with a stage's Chinese label and the percent done when the stage begins."""


def _silent(stage: str, percent: int) -> None:
    """The progress callback of a step nobody watches."""


class DrawStepError(ValueError):
    """A step that cannot be taken now (no population, a reveal before commitments closed …)."""


def task_population(task: PlanTask) -> tuple[dict[str, str], list[dict[str, str]]]:
    """(code → stratum) of the entities in the task's scope, and those excluded with reasons.

    Scope: the task's saved filter (`plans.population`): the plan's region or the chosen
    regions below it, the task's scope categories or industry codes, its minimum registered
    capital. Left out, each with its reason so exclusions are as checkable as selections:
    entities not in the filter's statuses (存续/在业 unless narrowed); with DRAW_YEARLY_CAP,
    entities already drawn that many times this plan year; with DRAW_COOLDOWN_MONTHS, entities
    the same lead department drew within that many months (until inspection records exist, a
    draw stands for a visit); companies at a body's published yearly cap (`at_their_cap`);
    companies on the region's 无事不扰 list (`checks.undisturbed`).
    """
    scope = PopulationFilter.of_task(task)
    stratum = Case(When(risk_class="", then=Value("U")), default=F("risk_class"))
    # Rows come ordered by code (the model's ordering), so the listing sorts in linear time.
    population: dict[str, str] = dict(
        listed(scope).annotate(stratum=stratum).values_list("uscc", "stratum")
    )
    exclusions = [
        {"uscc": code, "reason": f"登记状态：{status}"}
        for code, status in in_scope(scope)
        .exclude(status__in=scope.listed_statuses)
        .values_list("uscc", "status")
    ]
    drawn_this_year, cooling = _earlier_selections(task)
    cap = settings.DRAW_YEARLY_CAP
    for code in [c for c in population if (cap and drawn_this_year[c] >= cap) or c in cooling]:
        del population[code]
        if cap and drawn_this_year[code] >= cap:
            reason = f"本年度已被抽中{drawn_this_year[code]}次（上限{cap}次）"
        else:
            reason = f"近{settings.DRAW_COOLDOWN_MONTHS}个月内已被本部门抽中（冷却期）"
        exclusions.append({"uscc": code, "reason": reason})
    for code, reason in at_their_cap(task, population).items():
        del population[code]
        exclusions.append({"uscc": code, "reason": reason})
    for code, reason in undisturbed_in(task, population).items():
        del population[code]
        exclusions.append({"uscc": code, "reason": reason})
    return population, exclusions


def at_their_cap(task: PlanTask, population: dict[str, str]) -> dict[str, str]:
    """Companies a body of the task (its lead, and its partners on a joint inspection) has
    already checked or is set to check this year as often as the body's published cap allows
    (checks.ledger counts them), each with its reason. High-risk (D) companies stay in: a cap
    protects companies of good standing, not those the rules say to watch most closely."""
    bodies = [task.lead_department] if task.lead_department_id else []
    if task.joint_inspection:
        bodies += list(task.partner_departments.all())
    reasons: dict[str, str] = {}
    for body in bodies:
        cap = yearly_cap(body.pk, task.plan.year)
        if cap is None:
            continue
        counts = yearly_counts(body.pk, task.plan.year, leave_out_plan=task.plan_id)
        for code, stratum in population.items():
            if code not in reasons and stratum != "D" and counts[code] >= cap.limit:
                reasons[code] = (
                    f"本年度已被{body.short_name}检查或安排检查{counts[code]}次，"
                    f"达到其公布的每年{cap.limit}次上限（{cap.source}）"
                )
    return reasons


def _earlier_selections(task: PlanTask) -> tuple[Counter[str], set[str]]:
    """How often each entity was drawn in this plan year's other tasks of the region, and
    which the same lead department drew within the cooldown."""
    counts: Counter[str] = Counter()
    cooling: set[str] = set()
    if not settings.DRAW_YEARLY_CAP and not settings.DRAW_COOLDOWN_MONTHS:
        return counts, cooling
    since = timezone.now() - timedelta(days=30 * settings.DRAW_COOLDOWN_MONTHS)
    earlier = Draw.objects.filter(
        state=DrawState.DRAWN,
        task__plan__region_id=task.plan.region_id,
        task__plan__year=task.plan.year,
        superseded_by__isnull=True,
    ).exclude(task=task)
    for draw in earlier.only("bundle_artefact", "drawn_at", "task__lead_department_id"):
        codes = {
            code
            for r in draw.bundle["rounds"]
            for s in r["strata"].values()
            for code in s["selected"]
        }
        counts.update(codes)
        same_lead = task.lead_department_id and (
            draw.task.lead_department_id == task.lead_department_id
        )
        if settings.DRAW_COOLDOWN_MONTHS and same_lead and draw.drawn_at >= since:
            cooling |= codes
    return counts, cooling


def task_parameters(task: PlanTask) -> rule.Parameters:
    """The plan's ratio (or count), per-class ratios, risk rule and frequency as draw
    parameters."""
    ratio = _decimal_text(task.ratio_min) if task.ratio_min is not None else None
    count = task.sample_count if ratio is None else None
    if ratio is None and count is None:
        raise DrawStepError(f"任务“{task}”没有抽查比例或户数，无法抽取：请先在计划中补充")
    return rule.Parameters(
        ratio=ratio,
        count=count,
        risk_rule="escalate" if task.risk_kind == "escalate" else "none",
        rounds=task.frequency_per_year or 1,
        # the plan's own per-class ratios (A类3%…) override the floor for the classes named
        class_ratios=(dict(sorted(task.class_ratios.items())) or None) if count is None else None,
    )


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


@transaction.atomic
def freeze_draw(
    task: PlanTask,
    *,
    actor: Any,
    supersedes: Draw | None = None,
    reason: str = "",
    progress: Progress = _silent,
    frozen_at: str | None = None,
    salt_source: SaltSource = fastdraw.new_salts,
) -> Draw:
    """Freeze the task's population and parameters. Starting a draw that already exists returns
    it (two people pressing the button get one draw); a redraw must name the draw it corrects.
    `progress` hears each stage as it begins (a background job shows them, `draws.jobs`).
    `frozen_at` (ISO 8601 UTC) is now unless given, and `salt_source` the CSPRNG unless given: the
    demo's rehearsals give a fixed time and salts from their own seeded generator, since from
    version 2 both are under the seed and the demo must be the same data set on every build."""
    require(may_draw(actor, task), DRAW_REFUSED)
    locked = PlanTask.objects.select_for_update().select_related("plan").get(pk=task.pk)
    latest = locked.draws.order_by("-number").first()
    if supersedes is None and latest is not None:
        return latest
    refuse_unpublished(locked.plan)
    if supersedes is not None:
        if latest is None or supersedes.pk != latest.pk:
            raise DrawStepError("只能更正本任务最新的一次抽取")
        reason = redraw_reason(reason)
    progress("读取名录", 5)
    population, exclusions = task_population(locked)
    if not population:
        raise DrawStepError(f"任务“{locked}”的抽取名单为空：请检查抽查对象范围")
    number = 1 if latest is None else latest.number + 1
    draw_id = _draw_id(locked, number)
    task_info = {"plan": locked.plan.title, "seq": locked.seq, "name": locked.name}
    parameters = task_parameters(locked)
    progress("冻结名单", 45)
    # a salt per entity, so the public can verify without learning classes (draw-spec V11)
    salts = salt_source(population)
    progress("计算摘要", 60)
    # the rule's record and listing, in bulk (core/fastdraw.py: the same bytes, faster)
    freeze, population_csv = fastdraw.freeze_and_listing(
        draw_id,
        parameters,
        population,
        exclusions,
        task_info,
        supersedes=supersedes.draw_id if supersedes is not None else None,
        redraw_reason=reason if supersedes is not None else "",
        frozen_at=frozen_at,
        salts=salts,
    )
    progress("写入记录", 85)
    return Draw.objects.create(
        task=locked,
        number=number,
        draw_id=draw_id,
        freeze=freeze,
        population_artefact=store_text(ArtefactKind.POPULATION, population_csv),
        exclusions=sorted(exclusions, key=lambda e: (e["uscc"], e["reason"])),
        supersedes=supersedes,
        reason=reason if supersedes is not None else "",
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def refuse_unpublished(plan: Plan) -> None:
    """A draw is a public record of a public plan: a draft's tasks may change or vanish, and
    a withdrawn plan is no longer the region's plan."""
    if plan.published_at is None:
        raise DrawStepError(f"计划“{plan.title}”尚未发布：请协调员先发布计划，再抽取")
    if plan.withdrawn_at is not None:
        raise DrawStepError(f"计划“{plan.title}”已撤回，不能再抽取")


def _draw_id(task: PlanTask, number: int) -> str:
    return f"{task.plan.region.code}-{task.plan.year}-T{task.seq or task.position:02d}-{number}"


REDRAW_REASON_MIN_WIDTH = 12
REDRAW_REASON_RULE = (
    "重新抽取必须说明原因，原因将随新抽取公示：请写明原抽取错在哪里"
    "（如“名录漏录2户已开业的旅馆”），至少6个汉字或12个字母、数字（不计空格和标点），"
    "不能只重复一个字"
)


def redraw_reason(reason: str) -> str:
    """The reason of a redraw, stripped, if it can say what was wrong; DrawStepError if not.

    Every caller (draw page, population page, `scope` command, background job) meets this one
    rule, since all of them reach `freeze_draw`. Length cannot prove honesty, publicity does
    that; the rule only refuses the blank or token reason ("重抽", "结果不理想", "aaaaaa") a
    one-click redraw used to accept. Width counts a CJK character as two (as GB 18030
    display width does), so six Chinese characters ("名录漏录两户") or twelve Latin letters
    and digits ("2 firms missing") pass; spaces and punctuation do not count."""
    text = reason.strip()
    counted = [c for c in text if unicodedata.category(c)[0] in "LN"]
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in counted)
    if width < REDRAW_REASON_MIN_WIDTH or len(set(counted)) < 3:
        raise DrawStepError(REDRAW_REASON_RULE)
    return text


@dataclass(frozen=True)
class RedrawPreview:
    """What confirming a redraw will do, shown before anything is frozen."""

    corrected: Draw
    new_draw_id: str
    reason: str


def preview_redraw(draw: Draw, *, actor: Any, reason: str) -> RedrawPreview:
    """The checks `freeze_draw` makes for a redraw, made before the confirmation screen: who,
    which draw (only the task's latest), and the reason's rule. Nothing is written."""
    require(may_draw(actor, draw.task), DRAW_REFUSED)
    latest = draw.task.draws.order_by("-number").only("pk", "number").first()
    if latest is None or latest.pk != draw.pk:
        raise DrawStepError("只能更正本任务最新的一次抽取")
    return RedrawPreview(draw, _draw_id(draw.task, latest.number + 1), redraw_reason(reason))


@transaction.atomic
def add_commitment(draw: Draw, *, actor: Any, party: str, commitment: str) -> Draw:
    require(may_take_part(actor, draw, party), _party_refused(draw, party, "提交承诺"))
    locked = _frozen(draw, whole=False)
    if locked.reveals:
        raise DrawStepError("已开始揭示，不能再提交承诺")
    value = commitment.strip().lower()
    if not rule.HEX64.fullmatch(value):
        raise DrawStepError("承诺值应为64位十六进制（SHA-256）")
    if any(c["party"] == party for c in locked.commitments):
        raise DrawStepError(f"“{party}”已提交过承诺")
    if any(c["commitment"] == value for c in locked.commitments):
        raise DrawStepError("承诺值与已提交的重复")
    step = {"party": party, "commitment": value, "at": rule.utc_now()}  # bound in version 2
    locked.commitments = [*locked.commitments, step]
    locked.save(update_fields=["commitments"])
    return locked


@transaction.atomic
def add_reveal(draw: Draw, *, actor: Any, party: str, secret: str) -> Draw:
    require(may_take_part(actor, draw, party), _party_refused(draw, party, "揭示秘密"))
    locked = _frozen(draw, whole=False)
    committed = {c["party"]: c["commitment"] for c in locked.commitments}
    if party not in committed:
        raise DrawStepError(f"“{party}”没有提交承诺")
    if rule.commitment(locked.draw_id, party, secret) != committed[party]:
        raise DrawStepError(f"“{party}”揭示的秘密与其承诺不符")
    if any(r["party"] == party for r in locked.reveals):
        raise DrawStepError(f"“{party}”已揭示")
    locked.reveals = [*locked.reveals, {"party": party, "secret": secret, "at": rule.utc_now()}]
    locked.save(update_fields=["reveals"])
    return locked


@transaction.atomic
def complete_draw(
    draw: Draw,
    *,
    actor: Any,
    public_value: str,
    public_source: str,
    system: bool = False,
    progress: Progress = _silent,
) -> Draw:
    """Fix the public value, derive the seed, draw and publish. After this nothing changes.
    `progress` hears each stage as it begins, as in `freeze_draw`."""
    require(may_draw(actor, draw.task), DRAW_REFUSED)
    progress("读取名单", 5)
    locked = _frozen(draw)
    if locked.commitments and not locked.reveals:
        raise DrawStepError("已有承诺但尚无揭示：请先揭示秘密，再录入公开随机值")
    freeze = locked.freeze
    ceremony = _ceremony(locked, freeze["spec"], public_value, public_source, system=system)
    progress("计算摘要", 20)
    exclusions_digest = rule.sha256_hex(rule.exclusions_listing(locked.exclusions))
    salts = None
    try:
        if freeze["spec"] == rule.SPEC_V2:  # the tokens it hashes serve the draw below too
            population = fastdraw.population_from_file(locked.population_csv, freeze)
        else:
            listing = locked.population_csv.removeprefix(rule.POPULATION_HEADER).encode("ascii")
            population = rule.population_from_listing(listing, freeze["population_digest"])
    except rule.DrawError as error:
        raise DrawStepError(f"冻结的名单已损坏，拒绝抽取：{error}") from error
    if exclusions_digest != freeze["exclusions_digest"]:
        raise DrawStepError("排除名单与冻结记录不符，拒绝抽取")
    progress("排序抽取", 50)
    bundle = fastdraw.bundle_from_freeze(freeze, population, ceremony, locked.exclusions, salts)
    if locked.supersedes_id and freeze["spec"] == rule.SPEC:  # version 2 binds it in the freeze
        bundle["supersedes"] = locked.supersedes.draw_id  # type: ignore[union-attr]
    progress("写入记录", 85)
    locked.bundle_artefact = store_json(ArtefactKind.DRAW_BUNDLE, bundle)
    locked.seed, locked.state, locked.drawn_at = bundle["seed"], DrawState.DRAWN, timezone.now()
    locked.save(update_fields=["bundle_artefact", "seed", "state", "drawn_at"])
    return locked


def _ceremony(
    draw: Draw, spec: str, public_value: str, public_source: str, *, system: bool
) -> dict[str, Any]:
    """The ceremony of a draw being completed. The public value is canonical (20 dice, or for
    the system kind 64 hex digits the server draws now), refused otherwise whoever enters it:
    page, command or API, so one roll has one seed. A draw frozen under version 1 still gets
    a version-1 ceremony (its freeze cannot change), with the dice canonical all the same."""
    if system and spec == rule.SPEC_V2:
        kind, value = "system", secrets.token_hex(32)
    elif system:
        kind, value = "system", public_value.strip()
    else:
        kind = "commit-reveal" if draw.reveals else "public"
        try:
            value = rule.canonical_public_value(public_value)
        except rule.DrawError as error:
            raise DrawStepError(str(error)) from error
    ceremony: dict[str, Any] = {
        "kind": kind,
        "commitments": draw.commitments,
        "reveals": draw.reveals,
        "public_value": value,
        "public_source": public_source.strip(),
    }
    if spec == rule.SPEC_V2:
        return rule.ceremony_v2(ceremony, rule.utc_now())
    # Version 1 records no step times: its bundle stays in version 1's layout.
    ceremony["commitments"] = [_untimed(c) for c in draw.commitments]
    ceremony["reveals"] = [_untimed(r) for r in draw.reveals]
    return ceremony


def _untimed(step: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in step.items() if key != "at"}


DRAW_REFUSED = "只有本辖区的协调员可以冻结名单、完成抽取或重新抽取"


def _party_refused(draw: Draw, party: str, verb: str) -> str:
    if not party:
        return f"您的部门不是本次抽取任务的牵头或配合部门，不能{verb}"
    return f"不能以“{party}”的名义{verb}：每个部门只能由本部门以自己的名义参加"


def _frozen(draw: Draw, *, whole: bool = True) -> Draw:
    """The draw, locked, if still frozen; a ceremony step (`whole=False`) leaves the
    exclusions and the freeze record unread (the population is read only when asked for)."""
    draws = Draw.objects.select_for_update()
    if not whole:
        draws = draws.defer("exclusions", "freeze")
    locked = draws.get(pk=draw.pk)
    if locked.state != DrawState.FROZEN:
        raise DrawStepError("该抽取已完成，不能更改")
    return locked
