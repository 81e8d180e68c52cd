"""The month's credit-risk classes from a file (code → class, date), issue 20 item 7: classes
change with their date and source, the audit log keeps each entity's before and after, a file
older than an entity's class leaves it alone, and a frozen draw keeps the classes of its freeze."""

import io
from datetime import date

import pytest

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.core.draw import read_population_csv, verify
from shuangsuiji.directory.models import Entity
from shuangsuiji.directory.registration import apply_risk_classes, preview_risk_classes
from shuangsuiji.draws.services import complete_draw, freeze_draw
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def class_file(rows: list[tuple[str, str, str]]) -> bytes:
    lines = ["统一社会信用代码,信用风险分类,分类日期"] + [",".join(row) for row in rows]
    return "\n".join(lines).encode("gbk")


def update(world: World, data: bytes) -> tuple[dict[str, int], int]:
    preview = preview_risk_classes(
        io.BytesIO(data), "2026年11月.csv", actor=world.coordinator, source="省局月度分类"
    )
    summary = preview.summary()
    applied = apply_risk_classes(
        io.BytesIO(data),
        "2026年11月.csv",
        actor=world.coordinator,
        fingerprint=preview.fingerprint,
        source="省局月度分类",
    )
    counts = {k: summary[k] for k in ("changed", "unchanged", "skipped", "problem_count")}
    return counts, applied.changed


def test_classes_change_with_their_date_and_the_audit_log_keeps_the_history(
    world: World,
) -> None:
    rising = EntityFactory(risk_class="B", risk_classified_on=date(2026, 10, 1))
    same = EntityFactory(risk_class="A", risk_classified_on=date(2026, 11, 1))
    newer = EntityFactory(risk_class="C", risk_classified_on=date(2026, 12, 1))
    untouched = EntityFactory(risk_class="B", risk_classified_on=date(2026, 10, 1))
    data = class_file(
        [
            (rising.uscc, "D", "2026-11-01"),
            (same.uscc, "A类", "2026-11-01"),
            (newer.uscc, "低风险", "2026-11-01"),
        ]
    )

    counts, changed = update(world, data)

    assert counts == {"changed": 1, "unchanged": 1, "skipped": 1, "problem_count": 0}
    assert changed == 1
    rising.refresh_from_db()
    assert (rising.risk_class, rising.risk_classified_on, rising.risk_source) == (
        "D",
        date(2026, 11, 1),
        "省局月度分类",
    )
    assert Entity.objects.get(pk=newer.pk).risk_class == "C"
    assert Entity.objects.get(pk=untouched.pk).risk_class == "B"
    entry = AuditEntry.objects.filter(model="directory.entity", object_id=str(rising.pk)).last()
    assert entry is not None
    assert (entry.before["risk_class"], entry.after["risk_class"]) == ("B", "D")
    assert entry.after["risk_classified_on"] == "2026-11-01"


def test_a_frozen_draw_keeps_the_classes_of_its_freeze_and_still_verifies(world: World) -> None:
    task = make_task(world)
    frozen = freeze_draw(task, actor=SYSTEM)
    population = frozen.population_csv
    frozen_classes = read_population_csv(population)
    entities = Entity.objects.filter(uscc__in=frozen_classes)
    flipped = {e.uscc: "A" if e.risk_class == "D" else "D" for e in entities}
    data = class_file([(code, risk, "2026-11-30") for code, risk in flipped.items()])

    counts, changed = update(world, data)
    done = complete_draw(
        frozen, actor=SYSTEM, public_value="1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2",
        public_source="演练",
    )  # fmt: skip

    assert changed == len(flipped) == counts["changed"]
    assert (
        dict(Entity.objects.filter(uscc__in=flipped).values_list("uscc", "risk_class")) == flipped
    )
    assert done.population_csv == population
    assert read_population_csv(done.population_csv) == frozen_classes
    assert verify(done.bundle, read_population_csv(done.population_csv)) == []


def test_an_unknown_class_or_date_is_a_problem_and_nothing_is_written(world: World) -> None:
    entity = EntityFactory(risk_class="B")
    data = class_file([(entity.uscc, "E", "2026-11-01"), (entity.uscc[:-1], "A", "昨天")])

    preview = preview_risk_classes(io.BytesIO(data), "x.csv", actor=world.coordinator)

    assert [(p.row, p.column) for p in preview.problems] == [
        (2, "信用风险分类"),
        (3, "统一社会信用代码"),
        (3, "分类日期"),
    ]
    assert Entity.objects.get(pk=entity.pk).risk_class == "B"
