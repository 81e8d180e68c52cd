"""The demo data set as a fixture shared by a test module.

Building the demo takes about 2 s on SQLite and 11 s on PostgreSQL; built once per test rather
than once per module it made up half of CI's time on PostgreSQL. `module_demo` builds it once,
inside a transaction rolled back at the module's end; each test still runs in its own savepoint
(pytest-django's `db`), so what one test writes the next does not see. A module may hold one
such data set at a time: two would collide on their unique names.

The module's data is made before any test's own settings apply, so the passwords are hashed
here with the hasher the tests' settings name (tests/conftest.py), or no demo user could sign
in with the printed password."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import override_settings

from shuangsuiji.accounts.models import User
from shuangsuiji.demo.build import DemoSummary, build_demo

TEST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def module_demo(django_db_blocker: Any, **options: Any) -> Iterator[DemoSummary]:
    """`build_demo(**options)` for the length of the block, then rolled back."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=TEST_HASHERS),
    ):
        if User.objects.filter(username="lucheng-coordinator").exists():
            raise RuntimeError("本模块已有一套演示数据：一个测试模块只能使用 demo 或 drawn 之一")
        yield build_demo(**options)
        transaction.set_rollback(True)
