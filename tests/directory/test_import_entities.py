"""Importing the entity directory from .xlsx/.csv: all or nothing, every problem named."""

import io

import pytest

from shuangsuiji.accounts.models import User
from shuangsuiji.directory.importers import ENTITY_COLUMNS
from shuangsuiji.directory.models import Entity, ScopeCategory
from shuangsuiji.directory.services import ImportRejected, import_entities_file
from tests.factories import DepartmentFactory, EntityFactory, make_user, next_uscc
from tests.files import xlsx_bytes

pytestmark = pytest.mark.django_db


def entity_row(**overrides: str) -> list[str]:
    values = {
        "统一社会信用代码": next_uscc(),
        "名称": "潞城区鑫源网吧",
        "主体类型": "企业",
        "法定代表人": "王强",
        "住所": "山西省长治市潞城区潞华街1号",
        "行政区划代码": "140406",
        "行业代码": "R9013",
        "注册资本（万元）": "50",
        "成立日期": "2015-06-01",
        "登记状态": "存续",
        "检查对象类别": "网吧",
        "信用风险分类": "B",
        "分类日期": "2023-01-15",
        "分类来源": "企业信用风险分类管理系统",
    }
    values.update(overrides)
    return [values[column] for column in ENTITY_COLUMNS]


def workbook(rows: list[list[str]]) -> io.BytesIO:
    return xlsx_bytes([list(ENTITY_COLUMNS), *rows])


def rejected(rows: list[list[str]], actor: User) -> list[str]:
    with pytest.raises(ImportRejected) as raised:
        import_entities_file(workbook(rows), "entities.xlsx", actor=actor)
    return [str(problem) for problem in raised.value.problems]


@pytest.fixture
def coordinator() -> User:
    """协调员王敏 of 潞城区, who imports the district's directory."""
    market = DepartmentFactory(name="长治市潞城区市场监督管理局", short_name="区市场监管局")
    return make_user("wangmin", "协调员", market)


@pytest.fixture
def categories() -> None:
    ScopeCategory.objects.create(name="网吧", industry_code="R9013")
    ScopeCategory.objects.create(name="旅馆", industry_code="H6110")


def test_import_xlsx_creates_entities_with_categories_and_initials(
    categories: None, coordinator: User
) -> None:
    code = next_uscc()

    result = import_entities_file(
        workbook(
            [entity_row(统一社会信用代码=code, 检查对象类别="网吧、旅馆", 信用风险分类="高风险")]
        ),
        "entities.xlsx",
        actor=coordinator,
    )

    entity = Entity.objects.get(uscc=code)
    assert result.created == 1
    assert (entity.name, entity.risk_class, entity.region.code, str(entity.registered_capital)) == (
        "潞城区鑫源网吧",
        "D",
        "140406",
        "50.00",
    )
    assert sorted(entity.categories.values_list("name", flat=True)) == ["旅馆", "网吧"]
    assert entity.name_initials.split(" ")[0] == "lcqxywb"


def test_import_wrong_check_digit_names_row_column_and_code(
    categories: None, coordinator: User
) -> None:
    good = next_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")

    problems = rejected([entity_row(), entity_row(统一社会信用代码=bad)], coordinator)

    assert problems == [
        f"第3行“统一社会信用代码”列（{bad}）：统一社会信用代码“{bad}”无效：校验位错误"
    ]
    assert Entity.objects.count() == 0


def test_import_duplicate_uscc_within_file_names_both_rows(
    categories: None, coordinator: User
) -> None:
    code = next_uscc()

    problems = rejected(
        [entity_row(统一社会信用代码=code), entity_row(统一社会信用代码=code)], coordinator
    )

    assert problems == [f"第3行“统一社会信用代码”列（{code}）：与第2行的统一社会信用代码重复"]
    assert Entity.objects.count() == 0


def test_import_uscc_already_in_directory_is_refused(categories: None, coordinator: User) -> None:
    existing = EntityFactory()

    problems = rejected([entity_row(), entity_row(统一社会信用代码=existing.uscc)], coordinator)

    assert problems == [
        f"第3行“统一社会信用代码”列（{existing.uscc}）：该统一社会信用代码已在名录库中"
    ]
    assert list(Entity.objects.all()) == [existing]


def test_import_unknown_region_names_the_code(categories: None, coordinator: User) -> None:
    problems = rejected([entity_row(行政区划代码="999999")], coordinator)

    assert problems == ["第2行“行政区划代码”列（999999）：未知的行政区划代码"]
    assert Entity.objects.count() == 0


def test_import_unknown_risk_class_names_the_value(categories: None, coordinator: User) -> None:
    problems = rejected([entity_row(信用风险分类="E类")], coordinator)

    assert problems == [
        "第2行“信用风险分类”列（E类）：信用风险分类“E类”无效："
        "应为 A/B/C/D 或 低风险/一般风险/较高风险/高风险"
    ]
    assert Entity.objects.count() == 0


def test_import_reports_every_problem_of_every_row_at_once(
    categories: None, coordinator: User
) -> None:
    problems = rejected(
        [
            entity_row(名称="", 成立日期="2023-02-30"),
            entity_row(登记状态="停业", 检查对象类别="歌舞厅"),
        ],
        coordinator,
    )

    assert problems == [
        "第2行“名称”列：名称不能为空",
        "第2行“成立日期”列（2023-02-30）：日期无效，应写作 2023-03-01",
        "第3行“登记状态”列（停业）：应为 存续/在业/迁出/注销/吊销 之一",
    ]


def test_import_unknown_category_is_named(categories: None, coordinator: User) -> None:
    problems = rejected([entity_row(检查对象类别="网吧、歌舞厅")], coordinator)

    assert problems == [
        "第2行“检查对象类别”列（歌舞厅）：未知的检查对象类别，请先在“检查对象类别”中添加"
    ]


def test_import_missing_required_column_is_named(coordinator: User) -> None:
    file = xlsx_bytes([["名称", "行政区划代码"], ["甲公司", "140406"]])

    with pytest.raises(ImportRejected) as raised:
        import_entities_file(file, "entities.xlsx", actor=coordinator)

    assert [str(p) for p in raised.value.problems] == ["第1行“统一社会信用代码”列：缺少必填列"]


def test_import_csv_gives_the_same_result_as_xlsx(categories: None, coordinator: User) -> None:
    code = next_uscc()
    lines = [",".join(ENTITY_COLUMNS), ",".join(entity_row(统一社会信用代码=code))]
    file = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8-sig"))

    result = import_entities_file(file, "entities.csv", actor=coordinator)

    assert (result.created, Entity.objects.get().uscc) == (1, code)
