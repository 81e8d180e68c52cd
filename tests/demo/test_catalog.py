"""The demo catalogue covers the seed plans: every task, every department spelling."""

import re
from pathlib import Path

import pytest

import shuangsuiji.demo
from shuangsuiji.demo.catalog import DISTRICTS, DistrictSpec, validate

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"


def seed_text(district: DistrictSpec) -> str:
    return (SEEDS / district.plan_file).read_text("utf-8")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_catalog_validates_cleanly() -> None:
    assert validate() == []


@pytest.mark.parametrize("district", DISTRICTS, ids=lambda d: d.county[1])
def test_catalog_has_every_task_number_of_the_plan(district: DistrictSpec) -> None:
    numbers_in_plan = {int(n) for n in re.findall(r"^\t(\d+)\s*$", seed_text(district), re.M)}

    assert {task.number for task in district.tasks} == numbers_in_plan


@pytest.mark.parametrize("district", DISTRICTS, ids=lambda d: d.county[1])
def test_catalog_scope_texts_are_quoted_from_the_plan(district: DistrictSpec) -> None:
    plan = squeeze(seed_text(district))

    assert [t.number for t in district.tasks if squeeze(t.scope_text) not in plan] == []


@pytest.mark.parametrize("district", DISTRICTS, ids=lambda d: d.county[1])
def test_catalog_names_every_department_spelling_of_the_plan(district: DistrictSpec) -> None:
    plan = squeeze(seed_text(district))
    spellings = [name for d in district.departments for name in (d.short_name, *d.aliases)]

    assert [name for name in spellings if squeeze(name) not in plan] == []
    assert sum(d.is_coordinator for d in district.departments) == 1
