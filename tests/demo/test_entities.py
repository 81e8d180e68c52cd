"""The synthetic entity generator: valid codes, determinism, and tags that follow legal form."""

from collections import Counter

from stdnum.cn import uscc

from shuangsuiji.demo.catalog import JINCHENG_CHENGQU, LUCHENG
from shuangsuiji.demo.entities import BROAD_TAGS, EntityFactory, uscc_check_digit


def test_every_generated_code_is_valid_and_unique() -> None:
    entities = list(EntityFactory(LUCHENG, seed=1).make(3000))
    codes = [e.uscc for e in entities]

    assert [code for code in codes if not uscc.is_valid(code)] == []
    assert len(set(codes)) == 3000


def test_check_digit_agrees_with_python_stdnum() -> None:
    stems = [e.uscc[:17] for e in EntityFactory(JINCHENG_CHENGQU, seed=2).make(500)]

    assert [uscc_check_digit(s) for s in stems] == [uscc.calc_check_digit(s) for s in stems]


def test_same_seed_gives_the_same_entities() -> None:
    first = list(EntityFactory(LUCHENG, seed=7).make(500))
    second = list(EntityFactory(LUCHENG, seed=7).make(500))
    other = list(EntityFactory(LUCHENG, seed=8).make(500))

    assert first == second
    assert first != other


def test_broad_tags_follow_legal_form() -> None:
    entities = list(EntityFactory(LUCHENG, seed=3).make(5000))

    wrong = [
        e for e in entities for tag in e.categories if tag in BROAD_TAGS and tag != e.legal_form
    ]

    assert wrong == []


def test_risk_classes_are_a_realistic_mix() -> None:
    counts = Counter(e.risk_class for e in EntityFactory(LUCHENG, seed=4).make(10_000))

    assert counts["B"] > counts["A"] > counts["C"] > counts["D"] > counts[""] > 0
