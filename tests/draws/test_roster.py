"""The 抽查名单: the draw's chosen companies with names, addresses and representatives, in
the bundle's priority order with substitutions applied, then the reserves; as a printable
page and an .xlsx whose header row repeats on every printed page."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.directory.models import Entity
from shuangsuiji.draws.roster import roster_of
from shuangsuiji.draws.substitutions import substitute
from shuangsuiji.draws.templatetags.draw_terms import percent
from tests.conftest import World
from tests.draws.test_substitutions import drawn
from tests.factories import other_district_coordinator

pytestmark = pytest.mark.django_db


def test_the_list_follows_the_bundle_with_names_and_the_substitution_noted(world: World) -> None:
    draw = drawn(world)
    first_round = draw.bundle["rounds"][0]["strata"]
    in_order = [code for stratum in first_round.values() for code in stratum["selected"]]
    gone, stand_in = first_round["A"]["selected"][0], first_round["A"]["reserve"][0]
    substitute(draw, replaced=gone, reason="已注销", actor=world.coordinator)

    roster = roster_of(draw)

    codes = [row.uscc for row in roster.selected]
    assert codes == [stand_in if code == gone else code for code in in_order]
    row = roster.selected[0]
    entity = Entity.objects.get(uscc=stand_in)
    assert (row.number, row.name, row.address, row.representative) == (
        1,
        entity.name,
        entity.address,
        entity.legal_representative,
    )
    assert (row.stratum, row.round, row.note) == ("A 低风险", 1, f"替补 {gone}（已注销）")
    assert stand_in not in [r.uscc for r in roster.reserves]
    assert [r.uscc for r in roster.reserves][:2] == first_round["A"]["reserve"][1:3]


def test_the_xlsx_has_the_list_and_a_header_row_repeated_on_every_page(world: World) -> None:
    draw = drawn(world)
    client = Client()
    client.force_login(world.coordinator)

    response = client.get(reverse("draws:roster-xlsx", args=[draw.pk]))

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["抽查名单"]
    assert [c.value for c in sheet[3]][:5] == [
        "序号",
        "企业名称",
        "统一社会信用代码",
        "住所",
        "法定代表人/负责人",
    ]
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == [row.name for row in roster_of(draw).selected]
    assert book["备选名单"].max_row == 3 + len(roster_of(draw).reserves)


def test_the_page_shows_names_and_is_not_seen_outside_the_region(world: World) -> None:
    draw = drawn(world)
    client = Client()
    client.force_login(world.coordinator)

    page = client.get(reverse("draws:roster", args=[draw.pk])).content.decode()
    first = roster_of(draw).selected[0]

    assert first.name in page
    assert first.address in page
    client.force_login(other_district_coordinator())
    assert client.get(reverse("draws:roster", args=[draw.pk])).status_code == 404
    assert client.get(reverse("draws:roster-xlsx", args=[draw.pk])).status_code == 404


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [("0.3", "30%"), ("0.005", "0.5%"), ("1", "100%"), ("0.10", "10%"), (None, "—")],
)
def test_a_ratio_reads_as_the_plan_writes_it(ratio: str | None, shown: str) -> None:
    assert percent(ratio) == shown
