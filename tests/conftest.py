"""Named personas for the tests: 协调员王敏, 区教育局 and 区公安分局 and their staff, 甲公司."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from shuangsuiji.accounts.models import User
from shuangsuiji.directory.models import Department, Entity, Inspector
from tests.demo_data import TEST_HASHERS
from tests.factories import (
    DepartmentFactory,
    EntityFactory,
    InspectorFactory,
    make_user,
)


@dataclass
class World:
    market: Department
    education: Department
    police: Department
    coordinator: User
    education_admin: User
    police_admin: User
    inspector_user: User
    auditor: User
    education_inspector: Inspector
    police_inspector: Inspector
    company: Entity


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> None:
    """Plain static storage (no collectstatic manifest), a fast hasher for test users, and
    uploads in the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = TEST_HASHERS
    # The tests' database is the demo's, signed in with its printed password, as `shuangsuiji
    # demo` allows (tests/accounts/test_passwords.py turns it off to see the refusal).
    settings.DEMO = True


@pytest.fixture
def world(db: None) -> World:
    market = DepartmentFactory(
        name="长治市潞城区市场监督管理局", short_name="区市场监管局", is_coordinator=True
    )
    education = DepartmentFactory(name="长治市潞城区教育局", short_name="区教育局")
    police = DepartmentFactory(name="长治市公安局潞城分局", short_name="区公安分局")
    education_inspector = InspectorFactory(name="张三", department=education)
    police_inspector = InspectorFactory(name="李四", department=police)
    return World(
        market=market,
        education=education,
        police=police,
        coordinator=make_user("wangmin", "协调员", market),
        education_admin=make_user("edu-admin", "部门管理员", education),
        police_admin=make_user("police-admin", "部门管理员", police),
        inspector_user=make_user(
            "zhangsan", "执法人员", education, staff=False, inspector=education_inspector
        ),
        auditor=make_user("auditor", "审计员", market),
        education_inspector=education_inspector,
        police_inspector=police_inspector,
        company=EntityFactory(name="甲公司"),
    )
