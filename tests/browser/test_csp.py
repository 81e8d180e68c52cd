"""Every page under the Content-Security-Policy: each GET page of the permission matrix, loaded
by the role that uses it, and the pages' scripts at work (the charts' tooltips, the public
site's in-browser draw verification, htmx's live search), the back office and the API's docs
page. A violation shows as a `securitypolicyviolation` event or a console message; none may
occur, and every response carries the policy. No page's title holds markup."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from shuangsuiji.accounts.models import User
from shuangsuiji.demo.build import build_demo
from tests.browser.test_assignment import sign_in
from tests.test_permission_matrix import MATRIX, OK, REDIRECT, USERS, scene, urls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_published"),
]

POLICY = {
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}
LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ` +
    `${event.sourceFile}:${event.lineNumber} (${event.sample})`);
});
"""


@contextmanager
def watched(browser: Browser, base: str, username: str | None) -> Iterator[tuple[Page, list]]:
    """A page signed in as `username` (None: a visitor) that records every CSP violation."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    violations: list[str] = []
    context.expose_function("reportViolation", lambda text: violations.append(text))
    context.add_init_script(LISTENER)
    page = context.new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        if username:
            sign_in(page, base, username)
            page.wait_for_url(f"{base}/")
        yield page, violations
    finally:
        context.close()


def user_of(row: str) -> str | None:
    """The role that uses a page: the first the matrix lets read it (or be sent on by it)."""
    statuses = MATRIX[row]
    for wanted in (OK, REDIRECT):
        for column, status in enumerate(statuses):
            if status == wanted and (column > 0 or wanted == OK):
                return USERS[column]
    return None


def hover_each_chart(page: Page) -> None:
    """Tooltips are HTML ECharts writes at hover time: show each chart's."""
    for chart in page.locator("[data-chart]").all():
        expect(chart).to_have_attribute("data-rendered", "true")
        box = chart.bounding_box()
        assert box is not None
        for across in (0.2, 0.4, 0.6, 0.8):  # over the bars and the axis lines
            page.mouse.move(box["x"] + box["width"] * across, box["y"] + box["height"] * 0.6)
            page.wait_for_timeout(150)


def verify_the_draw(page: Page) -> None:
    page.get_by_role("button", name="验证本次抽取").click()
    expect(page.locator("[data-verify-draw] output")).to_have_attribute(
        "data-result", "pass", timeout=30_000
    )


def search_live(page: Page) -> None:
    with page.expect_response(lambda r: "q=" in r.url):
        page.locator("#id_q").fill("公司")


ACTIONS: dict[str, Callable[[Page], None]] = {
    "analysis:plan": hover_each_chart,
    "disclosure:draw": verify_the_draw,
    "directory:entities": search_live,
}


def test_every_page_holds_to_the_csp_as_the_role_that_uses_it(
    browser: Browser, live_server: object
) -> None:
    build_demo(entities_per_district=300)
    base = str(live_server)
    pages = urls(scene())
    by_user: dict[str | None, list[str]] = {}
    for row in MATRIX:
        if any(status in (OK, REDIRECT) for status in MATRIX[row]):
            by_user.setdefault(user_of(row), []).append(row)
    coordinator = User.objects.get(username="lucheng-coordinator")
    extra = {  # not in the matrix: the back office, the API's docs, an error page
        "lucheng-coordinator": {
            "admin:index": reverse("admin:index"),
            "admin:accounts_user_changelist": reverse("admin:accounts_user_changelist"),
            "admin:accounts_user_change": reverse(
                "admin:accounts_user_change", args=[coordinator.pk]
            ),
            "api docs": "/api/v1/docs",
            "404": "/plans/no-such-page/",
        },
        None: {"404 (public)": "/public/no-such-page/"},
    }
    problems: dict[str, object] = {}
    loaded: dict[str, int] = {}

    for username in [*USERS]:
        rows = {row: pages[row] for row in by_user.get(username, [])}
        rows.update(extra.get(username, {}))
        if not rows:
            continue
        with watched(browser, base, username) as (page, violations):
            for row, url in rows.items():
                head = page.request.get(f"{base}{url}", max_redirects=5)
                policy = head.headers.get("content-security-policy")
                if not head.headers.get("content-type", "").startswith("text/html"):
                    if not policy:  # a download (an attachment has a sandbox of its own)
                        problems[f"{row} header"] = policy
                    continue  # nothing runs in it
                if policy is None or set(policy.split("; ")) != POLICY:
                    problems[f"{row} header"] = policy
                response = page.goto(f"{base}{url}", wait_until="networkidle")
                assert response is not None
                loaded[row] = response.status
                if "<" in page.title():  # markup in <title> shows as text in the tab
                    problems[f"{row} title"] = page.title()
                if row in ACTIONS:
                    ACTIONS[row](page)
                    page.wait_for_load_state("networkidle")
                if violations:
                    problems[row] = list(violations)
                    violations.clear()

    assert problems == {}
    assert {row for row, status in loaded.items() if status != 404} >= {
        "home",
        "plans:detail",
        "draws:detail",
        "analysis:plan",
        "disclosure:draw",
        "directory:entities",
        "login",
        "admin:index",
        "api docs",
    }
