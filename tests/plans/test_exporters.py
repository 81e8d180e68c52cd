"""A stored plan exports to every format, and each export parses back to the same tasks."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import shuangsuiji.demo
from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.plans.exporters import FORMATS, export_plan
from shuangsuiji.plans.services import import_plan
from tests.conftest import World
from tests.core.plans.projection import plan_meta, structured_tasks

pytestmark = pytest.mark.django_db

SEEDS = Path(shuangsuiji.demo.__file__).parent / "seeds"


@pytest.mark.parametrize("seed", ["lucheng-2023-plan.txt", "jincheng-chengqu-2024-plan.txt"])
@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_export_of_a_stored_plan_parses_back_to_the_same_tasks(
    world: World, seed: str, format_name: str
) -> None:
    parsed = parse_plan((SEEDS / seed).read_bytes(), seed)
    stored = import_plan(parsed, actor=SYSTEM, filename=seed)

    content, filename, _ = export_plan(stored, format_name)
    again = parse_plan(content, filename)

    assert plan_meta(again) == plan_meta(parsed)
    assert structured_tasks(again) == structured_tasks(parsed)


def test_export_download_is_an_attachment_named_after_the_plan(world: World) -> None:
    seed = "lucheng-2023-plan.txt"
    stored = import_plan(parse_plan((SEEDS / seed).read_bytes(), seed), actor=SYSTEM, filename=seed)
    client = Client()
    client.force_login(world.auditor)

    response = client.get(reverse("plans:export", args=[stored.pk, "docx"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    first = parse_plan(response.content, "plan.docx").tasks[0]
    assert first.name == "对学校食堂食品安全情况的双随机抽查"
