"""The directory pages: search, filters, keyset pages, counts, scoping, export."""

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shuangsuiji.directory import views
from shuangsuiji.directory.importers import ENTITY_COLUMNS
from shuangsuiji.directory.listing import PAGE_SIZE, keyset_page, region_then_id
from shuangsuiji.directory.models import Entity, ScopeCategory
from shuangsuiji.directory.services import ensure_region_chain, import_entities_file
from tests.conftest import World
from tests.factories import ConflictFactory, DepartmentFactory, EntityFactory, lucheng, make_user

pytestmark = pytest.mark.django_db

ENTITIES = reverse("directory:entities")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(user: Any, **params: str) -> list[str]:
    response = client_for(user).get(ENTITIES, params)
    assert response.status_code == 200
    return [entity.name for entity in response.context["page"].rows]


def test_entity_search_by_name_fragment(world: World) -> None:
    EntityFactory(name="潞城区鑫源网吧")
    EntityFactory(name="潞城区太极五金有限公司")

    assert listed(world.coordinator, q="鑫源") == ["潞城区鑫源网吧"]


def test_entity_search_by_uscc_prefix_and_whole_code(world: World) -> None:
    shop = EntityFactory(name="潞城区鑫源网吧", uscc="91140406MA0L5XJ57Q")

    assert listed(world.coordinator, q="91140406ma0l5x") == ["潞城区鑫源网吧"]
    assert listed(world.coordinator, q=shop.uscc) == ["潞城区鑫源网吧"]
    assert listed(world.coordinator, q="91140406MA0L5XJ570") == []


def test_entity_search_by_pinyin_initials_anywhere_in_the_name(world: World) -> None:
    EntityFactory(name="潞城区太极五金有限公司")
    EntityFactory(name="潞城区鑫源网吧")

    assert listed(world.coordinator, q="tjwj") == ["潞城区太极五金有限公司"]
    assert listed(world.coordinator, q="LCQXY") == ["潞城区鑫源网吧"]


def test_entity_filters_status_risk_industry_prefix_and_category(world: World) -> None:
    internet_cafe = ScopeCategory.objects.create(name="网吧", industry_code="R9013")
    cafe = EntityFactory(name="网吧甲", industry_code="R9013", risk_class="C")
    cafe.categories.add(internet_cafe)
    EntityFactory(name="商店乙", industry_code="F5299", risk_class="C", status="注销")
    EntityFactory(name="商店丙", industry_code="F5211", risk_class="")

    assert listed(world.coordinator, category=str(internet_cafe.pk)) == ["网吧甲"]
    assert listed(world.coordinator, industry="f52") == ["商店丙", "商店乙"]
    assert listed(world.coordinator, status="注销") == ["商店乙"]
    assert listed(world.coordinator, risk="C", status="存续") == ["网吧甲"]
    assert listed(world.coordinator, risk="U") == ["商店丙"]


def test_keyset_page_moves_forward_and_back_newest_first(world: World) -> None:
    names = [EntityFactory(name=f"第{n}户").name for n in range(5)]
    everything = Entity.objects.exclude(pk=world.company.pk)

    first = keyset_page(everything, after=None, before=None, size=2)
    second = keyset_page(everything, after=first.next_after, before=None, size=2)
    last = keyset_page(everything, after=second.next_after, before=None, size=2)
    back = keyset_page(everything, after=None, before=second.previous_before, size=2)

    assert [e.name for e in first.rows] == [names[4], names[3]]
    assert [e.name for e in second.rows] == [names[2], names[1]]
    assert [e.name for e in last.rows] == [names[0]]
    assert (first.previous_before, last.next_after) == (None, None)
    assert [e.name for e in back.rows] == [names[4], names[3]]


def test_county_and_city_pages_are_the_same_rows_in_the_same_order_as_by_the_columns(
    world: World,
) -> None:
    """The list's order on PostgreSQL (`id + 0`, for the index) pages exactly as ordering by
    the columns does: forward and back, for one county, a city's counties and the filter."""
    city = lucheng().parent
    shangdang = ensure_region_chain(
        ("140000", "山西省"), ("140400", "长治市"), ("140404", "上党区")
    )
    elsewhere = ensure_region_chain(("140000", "山西省"), ("140500", "晋城市"), ("140502", "城区"))
    for n in range(7):  # the counties' ids interleaved, as imports over the years leave them
        for region in (lucheng(), shangdang, elsewhere):
            EntityFactory(name=f"{region.name}第{n}户", region=region)
    city_coordinator = make_user("city-coord", "协调员", DepartmentFactory(region=city))
    scopes = {
        "county": Entity.objects.visible_to(world.coordinator),
        "city": Entity.objects.visible_to(city_coordinator),
        "city, filtered to a county": Entity.objects.visible_to(city_coordinator).filter(
            region=shangdang
        ),
    }

    def pages(entities: Any, **order: Any) -> tuple[list[list[int]], list[list[int]]]:
        """Every page forward, then every page back from the last one."""
        forward = [keyset_page(entities, after=None, before=None, size=3, **order)]
        while forward[-1].next_after:
            after = forward[-1].next_after
            forward.append(keyset_page(entities, after=after, before=None, size=3, **order))
        back = [forward[-1]]
        while back[-1].previous_before:
            before = back[-1].previous_before
            back.append(keyset_page(entities, after=None, before=before, size=3, **order))
        return [[e.pk for e in p.rows] for p in forward], [[e.pk for e in p.rows] for p in back]

    for scope, entities in scopes.items():
        expected = sorted(entities.values_list("region_id", "pk"), reverse=True)
        forward, back = pages(entities, keys=views.ENTITY_KEYS, order=region_then_id(entities))

        assert [pk for page in forward for pk in page] == [pk for _, pk in expected], scope
        assert len(forward) > 2, scope
        assert back == forward[::-1], scope
        assert (forward, back) == pages(entities, keys=views.ENTITY_KEYS), scope


def test_entity_list_links_the_next_page_without_counting(world: World) -> None:
    for n in range(PAGE_SIZE + 1):
        EntityFactory(name=f"第{n}户")

    with CaptureQueriesContext(connection) as queries:
        response = client_for(world.coordinator).get(ENTITIES, {"status": "存续"})

    page = response.context["page"]
    assert len(page.rows) == PAGE_SIZE
    assert f"after={page.next_after}" in response.content.decode()
    assert [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()] == []


def test_entity_list_query_count_is_the_same_for_one_and_three_entities(world: World) -> None:
    client = client_for(world.coordinator)
    client.get(ENTITIES)  # warm the session

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(ENTITIES)
        return len(queries)

    one = queries_for_list()  # 甲公司
    EntityFactory()
    EntityFactory()
    three = queries_for_list()

    assert one == three


def test_entity_count_is_exact_for_filters_and_capped_for_text(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        EntityFactory(name="潞城区鑫源网吧")
    monkeypatch.setattr(views, "COUNT_CAP", 2)
    client = client_for(world.coordinator)
    count = reverse("directory:entity-count")

    by_filter = client.get(count, {"status": "存续"})
    by_text = client.get(count, {"q": "鑫源"})

    assert (by_filter.context["count"], by_filter.context["more"]) == (4, False)
    assert (by_text.context["count"], by_text.context["more"]) == (2, True)


def test_other_district_sees_none_of_lucheng_and_gets_404_for_its_entity(world: World) -> None:
    chengqu = ensure_region_chain(("140000", "山西省"), ("140500", "晋城市"), ("140502", "城区"))
    market = DepartmentFactory(name="晋城市城区市场监督管理局", region=chengqu)
    other = make_user("chengqu-coord", "协调员", market)
    EntityFactory(name="城区某公司", region=chengqu, uscc="91140502MA0L5XJ57Q")

    detail = client_for(other).get(reverse("directory:entity", args=[world.company.pk]))

    assert listed(other) == ["城区某公司"]
    assert detail.status_code == 404


def test_inspector_may_not_open_the_entity_directory(world: World) -> None:
    client = client_for(world.inspector_user)

    pages = [
        ENTITIES,
        reverse("directory:entity", args=[world.company.pk]),
        reverse("directory:entity-export"),
    ]

    assert [client.get(page).status_code for page in pages] == [403, 403, 403]


def test_entity_detail_shows_only_conflicts_of_the_users_department(world: World) -> None:
    ConflictFactory(inspector=world.education_inspector, entity=world.company, reason="亲属")
    ConflictFactory(inspector=world.police_inspector, entity=world.company, reason="曾任职")
    page = reverse("directory:entity", args=[world.company.pk])

    as_education = client_for(world.education_admin).get(page)
    as_coordinator = client_for(world.coordinator).get(page)

    assert [c.reason for c in as_education.context["conflicts"]] == ["亲属"]
    assert sorted(c.reason for c in as_coordinator.context["conflicts"]) == ["亲属", "曾任职"]


def test_inspector_list_is_scoped_to_the_department_and_to_oneself(world: World) -> None:
    inspectors = reverse("directory:inspectors")

    def names(user: Any) -> list[str]:
        return [i.name for i in client_for(user).get(inspectors).context["page"].rows]

    assert names(world.education_admin) == ["张三"]
    assert names(world.police_admin) == ["李四"]
    assert names(world.inspector_user) == ["张三"]
    assert sorted(names(world.coordinator)) == ["张三", "李四"]


def test_inspector_detail_of_another_department_is_not_found(world: World) -> None:
    client = client_for(world.education_admin)

    own = client.get(reverse("directory:inspector", args=[world.education_inspector.pk]))
    other = client.get(reverse("directory:inspector", args=[world.police_inspector.pk]))

    assert (own.status_code, other.status_code) == (200, 404)


def test_inspector_search_by_initials_and_certificate(world: World) -> None:
    inspectors = reverse("directory:inspectors")
    client = client_for(world.coordinator)
    certificate = world.police_inspector.certificate_no

    by_initials = client.get(inspectors, {"q": "zs"}).context["page"].rows
    by_number = client.get(inspectors, {"q": certificate}).context["page"].rows

    assert [i.name for i in by_initials] == ["张三"]
    assert [i.name for i in by_number] == ["李四"]


def test_live_search_returns_only_the_results_partial(world: World) -> None:
    response = client_for(world.coordinator).get(ENTITIES, {"q": "甲"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html


def exported(response: Any) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_export_is_an_xlsx_of_the_filtered_list_in_the_import_columns(world: World) -> None:
    shop = EntityFactory(name="潞城区鑫源网吧", risk_class="C")
    EntityFactory(name="潞城区太极五金有限公司")

    response = client_for(world.auditor).get(reverse("directory:entity-export"), {"q": "鑫源"})

    rows = exported(response)
    assert rows[0] == list(ENTITY_COLUMNS)
    assert [(r[0], r[1], r[5], r[11]) for r in rows[1:]] == [
        (shop.uscc, "潞城区鑫源网吧", "140406", "C")
    ]


def test_exported_file_imports_back_unchanged(world: World) -> None:
    category = ScopeCategory.objects.create(name="网吧")
    shop = EntityFactory(name="潞城区鑫源网吧", industry_code="R9013", address="潞华街1号")
    shop.categories.add(category)
    response = client_for(world.coordinator).get(reverse("directory:entity-export"))
    content = b"".join(response.streaming_content)
    before = list(Entity.objects.order_by("uscc").values("uscc", "name", "address", "risk_class"))
    Entity.objects.all().delete()

    import_entities_file(io.BytesIO(content), "export.xlsx", actor=world.coordinator)

    after = list(Entity.objects.order_by("uscc").values("uscc", "name", "address", "risk_class"))
    assert after == before
    assert [c.name for c in Entity.objects.get(uscc=shop.uscc).categories.all()] == ["网吧"]


def test_export_over_the_limit_asks_to_narrow_the_filters(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    EntityFactory()
    monkeypatch.setattr(views, "EXPORT_MAX_ROWS", 1)

    response = client_for(world.coordinator).get(reverse("directory:entity-export"), {"q": "公司"})

    assert (response.status_code, response["Location"]) == (302, f"{ENTITIES}?q=%E5%85%AC%E5%8F%B8")


def test_import_template_has_the_import_columns_and_no_rows(world: World) -> None:
    response = client_for(world.coordinator).get(reverse("directory:import-template"))

    assert exported(response) == [list(ENTITY_COLUMNS)]
