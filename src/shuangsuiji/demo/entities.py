"""Deterministic synthetic entities for one district, generated fast enough for 1,000,000.

Faker (zh_CN) fills pools of person names, trade names and streets once; entities combine
pool members, so a million of them cost a million cheap choices rather than a million Faker
calls, and the pinyin initials of each part are computed once.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from random import Random

from faker import Faker

from shuangsuiji.core.pinyin import combine_initials, pinyin_initials
from shuangsuiji.demo.catalog import CategorySpec, DistrictSpec

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
BODY_SPACE = 31**7
BODY_STEP = 2_654_435_761  # coprime with 31, so counter * step mod 31**7 is a bijection
MIN_PER_CATEGORY = 3

# (registration authority, entity type) digits of the 统一社会信用代码 per legal form.
USCC_KIND = {"企业": "91", "个体工商户": "92", "事业单位": "12", "社会组织": "52", "机关": "11"}
NAME_SUFFIX = {
    "企业": "有限公司",
    "个体工商户": "店",
    "事业单位": "",
    "社会组织": "协会",
    "机关": "",
}
STATUS_WEIGHTS = (("存续", 62), ("在业", 30), ("迁出", 3), ("注销", 3), ("吊销", 2))
ACTIVE_WEIGHTS = (("存续", 2), ("在业", 1))
RISK_WEIGHTS = (("A", 35), ("B", 45), ("C", 12), ("D", 5), ("", 3))
GENERIC = CategorySpec(name="个体工商户", industry_code="F5299", share=0.0, kind="个体工商户")
# Categories that are a legal form: every entity of that form carries the tag, so a scope like
# "各类企业" or "所有用工单位" reaches it whatever its trade.
BROAD_TAGS = frozenset(USCC_KIND)
TRADES = ("便利", "百货", "商贸", "餐饮", "五金", "建材", "科技", "服饰")


@dataclass(frozen=True)
class DemoEntity:
    uscc: str
    name: str
    name_initials: str
    legal_form: str
    legal_representative: str
    address: str
    industry_code: str
    registered_capital: Decimal | None
    established_on: date
    status: str
    risk_class: str
    risk_classified_on: date | None
    categories: tuple[str, ...]


class EntityFactory:
    """Makes the n entities of one district; the same seed gives the same entities."""

    def __init__(self, district: DistrictSpec, *, seed: int, pool_size: int = 3000) -> None:
        self.district = district
        self.random = Random(seed)
        faker = Faker("zh_CN")
        faker.seed_instance(seed)
        self.people = [faker.name() for _ in range(pool_size)]
        self.trade_names = list(dict.fromkeys(faker.company_prefix() for _ in range(pool_size)))
        self.streets = list(dict.fromkeys(faker.street_name() for _ in range(pool_size // 10)))
        self.place = district.county[1]
        self.address_prefix = f"{district.province[1]}{district.city[1]}{district.county[1]}"
        self.region_code = district.county[0]
        self.year = district.plan_year
        self.broad_names = {c.name for c in district.categories if c.name in BROAD_TAGS}

    def make(self, count: int) -> Iterator[DemoEntity]:
        primaries, anchors = self._assign_categories(count)
        capital_floor = self._capital_floors()
        for index in range(count):
            primary = primaries[index]
            floor = capital_floor.get(primary.name) if index in anchors else None
            yield self._entity(index, primary, anchored=index in anchors, capital_floor=floor)

    def _assign_categories(self, count: int) -> tuple[list[CategorySpec], set[int]]:
        """Give every entity one primary category, in blocks sized by share.

        The catalogue's shares partition the district: specific categories (网吧, 学校食堂 …)
        get share × count entities, at least MIN_PER_CATEGORY; the broad legal-form categories
        (企业, 个体工商户 …) share the rest. The first few of each block are anchors, kept
        active so that every task of the plan has a population whatever the size.
        """
        specific = [c for c in self.district.categories if c.name not in BROAD_TAGS]
        broad = [c for c in self.district.categories if c.name in BROAD_TAGS]
        needed = MIN_PER_CATEGORY * len(self.district.categories)
        if count < needed:
            raise ValueError(
                f"演示数据每个区县至少需要 {needed} 户检查对象，才能覆盖计划中的每个类别"
            )
        order = list(range(count))
        self.random.shuffle(order)
        primaries: list[CategorySpec] = [GENERIC] * count
        anchors: set[int] = set()
        position = 0
        sizes = [max(MIN_PER_CATEGORY, round(c.share * count)) for c in specific]
        rest = count - sum(sizes) - MIN_PER_CATEGORY * len(broad)
        broad_total = sum(c.share for c in broad) or 1.0
        sizes += [MIN_PER_CATEGORY + max(0, round(rest * c.share / broad_total)) for c in broad]
        for category, size in zip(specific + broad, sizes, strict=True):
            block = order[position : position + size]
            for index in block:
                primaries[index] = category
            anchors.update(block[:MIN_PER_CATEGORY])
            position += size
        return primaries, anchors

    def _capital_floors(self) -> dict[str, int]:
        """Categories whose tasks require a registered capital (注册资本3000万元以上企业)."""
        floors: dict[str, int] = {}
        for task in self.district.tasks:
            if task.min_registered_capital:
                for name in task.categories:
                    floors[name] = max(floors.get(name, 0), task.min_registered_capital)
        return floors

    def _entity(
        self, index: int, primary: CategorySpec, *, anchored: bool, capital_floor: int | None
    ) -> DemoEntity:
        rng = self.random
        legal_form = primary.kind if primary.kind in USCC_KIND else "企业"
        trade_name = rng.choice(self.trade_names)
        descriptor = primary.name if primary.name not in BROAD_TAGS else rng.choice(TRADES)
        suffix = NAME_SUFFIX[legal_form]
        name = f"{self.place}{trade_name}{descriptor}{suffix}"
        status = _weighted(rng, ACTIVE_WEIGHTS if anchored else STATUS_WEIGHTS)
        risk = _weighted(rng, RISK_WEIGHTS)
        capital = None
        if capital_floor:
            capital = Decimal(capital_floor * rng.uniform(1, 4)).quantize(Decimal("0.01"))
        elif legal_form == "企业":
            capital = Decimal(rng.lognormvariate(4.6, 2.0)).quantize(Decimal("0.01"))
        categories = [primary.name]
        if legal_form in self.broad_names and legal_form != primary.name:
            categories.append(legal_form)
        return DemoEntity(
            uscc=self._uscc(index, legal_form),
            name=name,
            name_initials=combine_initials(
                _initials(self.place),
                _initials(trade_name),
                _initials(descriptor),
                _initials(suffix),
            ),
            legal_form=legal_form,
            legal_representative=rng.choice(self.people),
            address=f"{self.address_prefix}{rng.choice(self.streets)}{rng.randint(1, 399)}号",
            industry_code=primary.industry_code,
            registered_capital=capital,
            established_on=date(1995, 1, 1)
            + timedelta(days=rng.randrange(365 * (self.year - 1995))),
            status=status,
            risk_class=risk,
            risk_classified_on=date(self.year, 1, 15) if risk else None,
            categories=tuple(categories),
        )

    def _uscc(self, index: int, legal_form: str) -> str:
        """A valid, unique code: kind digits, region code, 'MA' and a scrambled serial."""
        serial = (index + 1) * BODY_STEP % BODY_SPACE
        body = ""
        for _ in range(7):
            serial, digit = divmod(serial, 31)
            body = USCC_ALPHABET[digit] + body
        stem = f"{USCC_KIND[legal_form]}{self.region_code}MA{body}"
        return stem + uscc_check_digit(stem)


def uscc_check_digit(stem: str) -> str:
    """GB 32100 check digit of a 17-character stem: python-stdnum's rule, six times faster.

    stdnum normalises and searches its alphabet per character; at a million demo codes that is
    a fifth of the build. tests/demo/test_entities.py checks every generated code with stdnum.
    """
    total = sum(_VALUE[char] * weight for char, weight in zip(stem, _WEIGHTS, strict=True))
    return USCC_ALPHABET[-total % 31]


_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: value for value, char in enumerate(USCC_ALPHABET)}


@cache
def _initials(part: str) -> str:
    return pinyin_initials(part)


def _weighted(rng: Random, weights: tuple[tuple[str, int], ...]) -> str:
    values, counts = zip(*weights, strict=True)
    return rng.choices(values, weights=counts)[0]
