"""Risk feedback on the hand-worked year (tests/analysis/test_figures.py): every entity is B.
e2 (0201, 03) and e5 (0203 + 0204) found problems to follow up, e4 refused (06), e1 was clean
once, e3's result is still under review."""

import pytest
from django.test import Client

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import SYSTEM, NotAllowed
from shuangsuiji.analysis.feedback import decide, make_proposals
from shuangsuiji.analysis.models import ProposalState, RiskProposal
from shuangsuiji.directory.models import Entity
from tests.analysis.test_figures import Year, year  # noqa: F401 (fixture)
from tests.factories import DepartmentFactory, make_user

pytestmark = pytest.mark.django_db


def proposals() -> dict[str, tuple[str, str]]:
    return {p.entity.name: (p.current, p.proposed) for p in RiskProposal.objects.all()}


def names(year: Year) -> list[str]:  # noqa: F811
    visits = {v.code: v.entity.name for v in year.plan.assignments.get().visits.all()}
    return [visits[f"V{n}"] for n in range(5)]  # e1 … e5


def test_proposals_follow_the_rules_from_confirmed_results_only(year: Year) -> None:  # noqa: F811
    _, e2, _, e4, e5 = names(year)

    assert make_proposals(year.plan, actor=SYSTEM) == 3
    assert proposals() == {e2: ("B", "C"), e4: ("B", "D"), e5: ("B", "C")}


def test_the_numbers_are_settings(year: Year, settings: object) -> None:  # noqa: F811
    settings.RISK_CLEAN_NEEDED = 1  # type: ignore[attr-defined]
    settings.RISK_SEVERE_CODES = []  # type: ignore[attr-defined]
    e1, _, _, e4, _ = names(year)

    make_proposals(year.plan, actor=SYSTEM)

    assert proposals()[e1] == ("B", "A")
    assert e4 not in proposals()  # 06 is no longer severe nor raising


def coordinator() -> User:
    office = DepartmentFactory(name="长治市潞城区市场监督管理局", is_coordinator=True)
    return User.objects.filter(username="coord").first() or make_user("coord", "协调员", office)


def test_applying_changes_the_class_with_its_source_and_date_and_keeps_the_record(
    year: Year,  # noqa: F811
) -> None:
    make_proposals(year.plan, actor=SYSTEM)
    d = RiskProposal.objects.get(proposed="D")
    others = RiskProposal.objects.exclude(pk=d.pk)

    assert decide(
        d.plan, RiskProposal.objects.filter(pk=d.pk), apply=True, actor=coordinator()
    ) == (1, 0)
    assert decide(d.plan, others, apply=False, actor=coordinator()) == (2, 0)
    entity = Entity.objects.get(pk=d.entity_id)
    assert entity.risk_class == "D"
    assert entity.risk_source == f"双随机抽查结果反馈：{year.plan.title}（建议 {d.pk}）"
    assert entity.risk_classified_on is not None
    assert set(RiskProposal.objects.values_list("state", flat=True)) == {
        ProposalState.APPLIED,
        ProposalState.REJECTED,
    }
    assert Entity.objects.filter(pk__in=others.values("entity_id"), risk_class="B").count() == 2
    assert make_proposals(year.plan, actor=SYSTEM) == 0  # decided proposals are not made again


def test_a_class_changed_meanwhile_is_skipped_and_only_the_coordinator_decides(
    year: Year,  # noqa: F811
) -> None:
    make_proposals(year.plan, actor=SYSTEM)
    one = RiskProposal.objects.first()
    Entity.objects.filter(pk=one.entity_id).update(risk_class="A")

    with pytest.raises(NotAllowed, match="协调员"):
        decide(
            year.plan,
            RiskProposal.objects.all(),
            apply=True,
            actor=make_user("d", "部门管理员", DepartmentFactory()),
        )
    assert decide(year.plan, RiskProposal.objects.all(), apply=True, actor=coordinator()) == (2, 1)
    assert Entity.objects.get(pk=one.entity_id).risk_class == "A"


def test_the_page_makes_and_applies_proposals(year: Year) -> None:  # noqa: F811
    client = Client()
    client.force_login(coordinator())
    url = f"/analysis/plans/{year.plan.pk}/risk/"

    client.post(url, {"action": "propose"})
    chosen = list(RiskProposal.objects.values_list("pk", flat=True)[:2])
    client.post(url, {"action": "apply", "chosen": chosen})
    page = client.get(url)

    assert page.status_code == 200
    assert page.content.decode().count('data-state="applied"') == 2
    assert page.context["undecided"] == 1
