from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shuangsuiji.directory.models import Department, DepartmentAlias, Entity, Region
from tests.conftest import World
from tests.factories import EntityFactory, InspectorFactory, lucheng, next_uscc

pytestmark = pytest.mark.django_db


def test_migration_seeds_both_plans_regions_with_parents() -> None:
    chain = {r.code: (r.name, r.parent.code if r.parent else None) for r in Region.objects.all()}

    assert chain == {
        "140000": ("山西省", None),
        "140400": ("长治市", "140000"),
        "140406": ("潞城区", "140400"),
        "140500": ("晋城市", "140000"),
        "140502": ("城区", "140500"),
    }


def test_region_full_name_includes_the_city_for_a_county() -> None:
    assert Region.objects.get(code="140502").full_name == "晋城市城区"


def test_entity_full_clean_rejects_wrong_check_digit_naming_the_code() -> None:
    good = next_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    entity = Entity(uscc=bad, name="甲公司", region=lucheng())

    with pytest.raises(ValidationError) as raised:
        entity.full_clean()

    assert raised.value.message_dict["uscc"] == [f"统一社会信用代码“{bad}”无效：校验位错误"]


def test_entity_uscc_is_unique() -> None:
    first = EntityFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        EntityFactory(uscc=first.uscc)


def test_entity_risk_class_outside_a_to_d_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EntityFactory(risk_class="E")


def test_entity_save_records_pinyin_initials_for_search() -> None:
    entity = EntityFactory(name="潞城区鑫源网吧")

    assert list(Entity.objects.search("lcqxywb")) == [entity]


def test_entity_search_by_uscc_prefix_and_name_fragment() -> None:
    entity = EntityFactory(name="潞城区鑫源网吧")
    EntityFactory(name="别的公司")

    assert list(Entity.objects.search(entity.uscc[:17].lower())) == [entity]
    assert list(Entity.objects.search("鑫源")) == [entity]


def test_entity_active_excludes_deregistered_revoked_and_moved_out() -> None:
    kept = [EntityFactory(status="存续"), EntityFactory(status="在业")]
    for status in ("注销", "吊销", "迁出"):
        EntityFactory(status=status)

    assert set(Entity.objects.active()) == set(kept)


def test_department_resolve_finds_a_body_by_any_spelling(world: World) -> None:
    for alias in ("区市场监督管理局", "区市场监管", "市场监管部门"):
        DepartmentAlias.objects.create(department=world.market, name=alias)
    region_id = world.market.region_id

    found = {
        Department.objects.resolve(region_id, name)
        for name in ("区市场监管局", "长治市潞城区市场监督管理局", "区市场监管", " 市场监管部门 ")
    }

    assert found == {world.market}


def test_department_alias_cannot_name_two_bodies_in_one_region(world: World) -> None:
    DepartmentAlias.objects.create(department=world.education, name="区教体局")

    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentAlias.objects.create(department=world.police, name="区教体局")


def test_only_one_coordinating_department_per_region(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(
            name="另一个牵头部门", short_name="另一个", region=lucheng(), is_coordinator=True
        )


def test_inspector_certificate_validity_includes_both_ends() -> None:
    inspector = InspectorFactory(
        certificate_valid_from=date(2023, 1, 1), certificate_valid_until=date(2023, 12, 31)
    )

    assert [
        inspector.certificate_valid_on(day)
        for day in (date(2022, 12, 31), date(2023, 1, 1), date(2023, 12, 31), date(2024, 1, 1))
    ] == [False, True, True, False]


def test_inspector_certificate_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectorFactory(
            certificate_valid_from=date(2023, 1, 1), certificate_valid_until=date(2022, 1, 1)
        )
