"""Real headless Chromium (Debian's package) driven by Playwright."""

import os
import shutil
from collections.abc import Iterator
from importlib import import_module

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Browser, Page, sync_playwright

DRAW_TRIGGERS = import_module("shuangsuiji.draws.migrations.0002_drawn_is_immutable")
ASSIGN_TRIGGERS = import_module("shuangsuiji.assignments.migrations.0002_assigned_is_immutable")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's chromium is required for browser tests: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are ordinary synchronous calls, not async code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def flushable_published(transactional_db: None) -> Iterator[None]:
    """A transactional test ends with a flush, which SQLite does row by row and the triggers
    guarding published draws, assignments and recusals rightly refuse: flush with them lifted,
    then put them back. (PostgreSQL's flush truncates, which row triggers do not see.)"""
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in DRAW_TRIGGERS.SQLITE_REVERSE:
            cursor.execute(statement)
        for table in ASSIGN_TRIGGERS.GUARDED:
            for event in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event};")
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        for statement in DRAW_TRIGGERS.SQLITE:
            cursor.execute(statement)
        for table, condition in ASSIGN_TRIGGERS.GUARDED.items():
            for statement in ASSIGN_TRIGGERS._sqlite(table, condition):
                cursor.execute(statement)
