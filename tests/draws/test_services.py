"""A task's draw in the app: freeze, ceremony, draw; published draws never change."""

import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.artefacts.models import ArtefactKind
from shuangsuiji.artefacts.services import store_text
from shuangsuiji.core.draw import commitment, read_population_csv, verify
from shuangsuiji.directory.models import ScopeCategory
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import (
    DrawStepError,
    add_commitment,
    add_reveal,
    complete_draw,
    freeze_draw,
    task_population,
)
from shuangsuiji.plans.models import Plan, PlanTask
from tests.conftest import World
from tests.factories import EntityFactory, lucheng


def make_task(world: World, *, entities: int = 10) -> PlanTask:
    hotels = ScopeCategory.objects.create(name="旅馆", industry_code="H6110")
    plan = Plan.objects.create(
        title="潞城区2023年度计划", year=2023, region=lucheng(), published_at=timezone.now()
    )
    task = PlanTask.objects.create(
        plan=plan,
        position=9,
        seq=9,
        name="对旅馆业特种行业的双随机抽查",
        scope="本辖区内的旅馆业",
        ratio_min=Decimal("0.3"),
        frequency_per_year=1,
        risk_kind="escalate",
        lead_department=world.police,
    )
    task.scope_categories.set([hotels])
    for index in range(entities):
        entity = EntityFactory(risk_class="ABCD"[index % 4])
        entity.categories.add(hotels)
    EntityFactory(status="注销").categories.add(hotels)
    EntityFactory()  # out of scope: no category
    return task


@pytest.mark.django_db
def test_population_is_the_scope_with_inactive_entities_listed_as_excluded(world: World) -> None:
    task = make_task(world)

    population, exclusions = task_population(task)

    assert len(population) == 10
    assert sorted(population.values()) == sorted("ABCD" * 2 + "AB")
    assert [e["reason"] for e in exclusions] == ["登记状态：注销"]


@pytest.mark.django_db
def test_a_draw_with_commit_reveal_and_dice_verifies(world: World) -> None:
    task = make_task(world)
    draw = freeze_draw(task, actor=world.coordinator)
    for party, secret in (("区公安分局", "s1" * 16), ("区市场监管局", "s2" * 16)):
        add_commitment(
            draw, actor=SYSTEM, party=party, commitment=commitment(draw.draw_id, party, secret)
        )
    for party, secret in (("区公安分局", "s1" * 16), ("区市场监管局", "s2" * 16)):
        add_reveal(draw, actor=SYSTEM, party=party, secret=secret)

    done = complete_draw(
        draw,
        actor=SYSTEM,
        public_value="6 2 5 1 3 4 4 6 1 2 5 5 3 6 2 1 4 3 6 5",
        public_source="联席会议掷骰",
    )

    assert done.draw_id == "140406-2023-T09-1"
    assert done.bundle["ceremony"]["kind"] == "commit-reveal"
    assert verify(done.bundle, read_population_csv(done.population_csv)) == []


@pytest.mark.django_db
def test_starting_a_draw_twice_returns_the_same_draw(world: World) -> None:
    task = make_task(world)

    first, second = freeze_draw(task, actor=SYSTEM), freeze_draw(task, actor=SYSTEM)

    assert (first.pk, Draw.objects.count()) == (second.pk, 1)


@pytest.mark.django_db
def test_a_reveal_not_matching_its_commitment_is_refused(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    add_commitment(
        draw,
        actor=SYSTEM,
        party="区公安分局",
        commitment=commitment(draw.draw_id, "区公安分局", "right"),
    )

    with pytest.raises(DrawStepError, match="揭示的秘密与其承诺不符"):
        add_reveal(draw, actor=SYSTEM, party="区公安分局", secret="wrong")


@pytest.mark.django_db
def test_a_published_draw_cannot_be_changed_or_deleted_even_in_sql(world: World) -> None:
    draw = complete_draw(
        freeze_draw(make_task(world), actor=SYSTEM),
        actor=SYSTEM,
        public_value="1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
        public_source="演练",
    )

    with pytest.raises(DatabaseError), transaction.atomic():
        Draw.objects.filter(pk=draw.pk).update(seed="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        Draw.objects.filter(pk=draw.pk).delete()
    with pytest.raises(DrawStepError, match="该抽取已完成"):
        add_commitment(draw, actor=SYSTEM, party="甲", commitment="a" * 64)

    draw.refresh_from_db()
    assert draw.seed == draw.bundle["seed"]


@pytest.mark.django_db
def test_a_redraw_is_a_new_record_linked_to_the_old_with_its_reason(world: World) -> None:
    task = make_task(world)
    old = complete_draw(
        freeze_draw(task, actor=SYSTEM),
        actor=SYSTEM,
        public_value="1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
        public_source="演练",
    )

    with pytest.raises(DrawStepError, match="必须说明原因"):
        freeze_draw(task, actor=SYSTEM, supersedes=old)
    new = complete_draw(
        freeze_draw(task, actor=SYSTEM, supersedes=old, reason="名录库漏录2户"),
        actor=SYSTEM,
        public_value="2 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
        public_source="演练",
    )

    assert (new.number, new.supersedes, new.bundle["supersedes"]) == (2, old, old.draw_id)


@pytest.mark.django_db(transaction=True)
def test_two_people_starting_the_same_draw_at_once_get_one_draw(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this tests; SQLite serialises all writers anyway")
    task = make_task(world)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def start() -> None:
        barrier.wait()
        results.append(freeze_draw(task, actor=SYSTEM).pk)
        connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (len(results), len(set(results)), Draw.objects.count()) == (2, 1, 1)


@pytest.mark.django_db
def test_yearly_cap_and_cooldown_exclude_with_their_reasons(world: World, settings: object) -> None:
    task = make_task(world, entities=4)
    other = PlanTask.objects.create(
        plan=task.plan,
        position=10,
        seq=10,
        name="另一任务",
        ratio_min=Decimal("1"),
        lead_department=world.police,
    )
    other.scope_categories.set(task.scope_categories.all())
    complete_draw(
        freeze_draw(other, actor=SYSTEM),
        actor=SYSTEM,
        public_value="1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
        public_source="演练",
    )
    settings.DRAW_YEARLY_CAP = 1  # type: ignore[attr-defined]

    population, exclusions = task_population(task)
    capped = sorted(e["reason"] for e in exclusions)
    settings.DRAW_YEARLY_CAP = 0  # type: ignore[attr-defined]
    settings.DRAW_COOLDOWN_MONTHS = 6  # type: ignore[attr-defined]
    _, cooled = task_population(task)

    assert population == {}
    assert capped == ["本年度已被抽中1次（上限1次）"] * 4 + ["登记状态：注销"]
    assert sorted(e["reason"] for e in cooled) == (
        ["登记状态：注销"] + ["近6个月内已被本部门抽中（冷却期）"] * 4
    )


@pytest.mark.django_db
def test_a_population_changed_after_the_freeze_is_refused_at_the_draw(world: World) -> None:
    draw = freeze_draw(make_task(world), actor=SYSTEM)
    first_line = draw.population_csv.splitlines()[1]  # uscc,class,salt
    code, klass, salt = first_line.split(",")
    tampered = f"{code},{'A' if klass != 'A' else 'B'},{salt}"
    forged = store_text(ArtefactKind.POPULATION, draw.population_csv.replace(first_line, tampered))
    Draw.objects.filter(pk=draw.pk).update(population_artefact=forged)  # still frozen: allowed

    with pytest.raises(DrawStepError, match="名单摘要不符"):
        complete_draw(
            draw,
            actor=SYSTEM,
            public_value="1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
            public_source="",
        )
    draw.refresh_from_db()
    assert draw.state == "frozen"
