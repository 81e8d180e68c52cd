"""Risk feedback in the platform: proposals from a plan's confirmed results (the rules are
core.riskfeedback's, their numbers settings), then the coordinator's decision on each."""

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shuangsuiji.accounts.permissions import require
from shuangsuiji.analysis.figures import confirmed_results, finding_categories
from shuangsuiji.analysis.models import ProposalState, RiskProposal
from shuangsuiji.analysis.rules import may_adjust_risk
from shuangsuiji.core.riskfeedback import Result, Rules, propose
from shuangsuiji.directory.models import Entity
from shuangsuiji.inspections.models import ResultCategory
from shuangsuiji.plans.models import Plan


class FeedbackError(ValueError):
    """A decision refused (not the coordinator)."""


def rules() -> Rules:
    return Rules(
        severe=frozenset(settings.RISK_SEVERE_CODES),
        raising=frozenset(settings.RISK_RAISING_CODES),
        raise_steps=settings.RISK_RAISE_STEPS,
        clean_needed=settings.RISK_CLEAN_NEEDED,
    )


def results_by_entity(plan: Plan) -> dict[int, list[tuple[int, Result]]]:
    """Each entity's confirmed results in the plan: (inspection id, codes with parents' codes,
    whether a finding), read as the analysis reads them."""
    categories = {c.pk: c for c in ResultCategory.objects.select_related("parent")}
    findings = finding_categories(categories)
    result: dict[int, list[tuple[int, Result]]] = defaultdict(list)
    for confirmed in confirmed_results(plan):
        chosen = [categories[pk] for pk in confirmed.categories]
        codes = {c.code for c in chosen} | {c.parent.code for c in chosen if c.parent}
        finding = bool(confirmed.categories & findings)
        result[confirmed.entity].append((confirmed.inspection, Result(frozenset(codes), finding)))
    return result


RISK_REFUSED = "只有本辖区的协调员可以调整风险分类"


@transaction.atomic
def make_proposals(plan: Plan, *, actor: Any) -> int:
    """Replace the plan's undecided proposals with fresh ones; decided ones stay as decided."""
    require(may_adjust_risk(actor, plan), RISK_REFUSED)
    RiskProposal.objects.filter(plan=plan, state=ProposalState.PROPOSED).delete()
    decided = set(RiskProposal.objects.filter(plan=plan).values_list("entity_id", flat=True))
    by_entity = results_by_entity(plan)
    classes = dict(Entity.objects.filter(pk__in=list(by_entity)).values_list("pk", "risk_class"))
    current_rules = rules()
    proposals = []
    for entity_id, results in by_entity.items():
        if entity_id in decided:
            continue
        proposal = propose(classes[entity_id], [r for _, r in results], current_rules)
        if proposal:
            proposals.append(
                RiskProposal(
                    plan=plan,
                    entity_id=entity_id,
                    current=proposal.current,
                    proposed=proposal.proposed,
                    reason=proposal.reason,
                    evidence=sorted(pk for pk, _ in results),
                )
            )
    RiskProposal.objects.bulk_create(proposals)
    return len(proposals)


@transaction.atomic
def decide(
    plan: Plan, proposals: QuerySet[RiskProposal], *, apply: bool, actor: Any
) -> tuple[int, int]:
    """Apply (the entity's class changes, with this plan as its source and today as its date)
    or reject undecided proposals. A proposal whose entity was reclassified since is skipped,
    not forced: (decided, skipped)."""
    require(may_adjust_risk(actor, plan), RISK_REFUSED)
    chosen = list(
        proposals.filter(plan=plan, state=ProposalState.PROPOSED)
        .select_related("plan")
        .select_for_update(of=("self",))
    )
    entities = Entity.objects.select_for_update().in_bulk([p.entity_id for p in chosen])
    now, today = timezone.now(), timezone.localdate()
    decided = skipped = 0
    for proposal in chosen:
        entity = entities[proposal.entity_id]
        if entity.risk_class != proposal.current:
            skipped += 1
            continue
        if apply:
            entity.risk_class = proposal.proposed
            entity.risk_classified_on = today
            entity.risk_source = f"双随机抽查结果反馈：{proposal.plan.title}（建议 {proposal.pk}）"
            entity.save(
                update_fields=["risk_class", "risk_classified_on", "risk_source", "updated_at"]
            )
        proposal.state = ProposalState.APPLIED if apply else ProposalState.REJECTED
        proposal.decided_by, proposal.decided_at = actor, now
        proposal.save(update_fields=["state", "decided_by", "decided_at"])
        decided += 1
    return decided, skipped
