"""Error pages in Chinese, in the layout of the site the visitor was on, under the CSP; the
API's clients get JSON; the 500 page needs nothing from the request or the database."""

import re
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from shuangsuiji import urls as project_urls
from shuangsuiji.errors import server_error
from tests.conftest import World

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
HEADING = re.compile(r'<h1 id="error-title">(.*?)</h1>')
ALERT = re.compile(r'<p class="error" role="alert">(.*?)</p>')
BRAND = re.compile(r'<a class="brand"[^>]*>(.*?)</a>')


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# A URLconf of the project's pages plus two that fail, with the project's error handlers.
urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom", boom),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def page(response: Any) -> dict[str, Any]:
    html = response.content.decode()
    return {
        "status": response.status_code,
        "title": TITLE.search(html)[1],
        "heading": HEADING.search(html)[1],
        "alert": m[1] if (m := ALERT.search(html)) else None,
        "brand": BRAND.search(html)[1],
        "csp": "default-src 'self'" in response.get("Content-Security-Policy", ""),
    }


PLATFORM, PUBLIC = "双随机抽查平台", "双随机抽查公示"


def shown(
    status: int, heading: str, site: str = PLATFORM, alert: str | None = None
) -> dict[str, Any]:
    """What an error page of `site`'s layout should show."""
    return {
        "status": status,
        "title": f"{heading} · {site}",
        "heading": heading,
        "alert": alert,
        "brand": site,
        "csp": True,
    }


def test_missing_page_of_the_platform_is_a_chinese_404_in_its_layout(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)

    response = client.get("/plans/no-such-page/")

    assert page(response) == shown(404, "页面不存在")
    assert '<nav aria-label="主导航">' in response.content.decode()


def test_missing_page_of_the_public_site_is_a_404_in_the_public_layout(db: None) -> None:
    response = Client().get("/public/no-such-page/")

    assert page(response) == shown(404, "页面不存在", PUBLIC)


def test_refusal_shows_the_reason_the_view_gave(world: World) -> None:
    client = Client()
    client.force_login(world.education_admin)

    response = client.get("/audit/")

    assert page(response) == shown(403, "无权访问", alert="审计日志只对协调员和审计员开放")


def test_forged_post_without_csrf_token_gets_the_chinese_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "wangmin", "password": "pw-for-tests-only"})

    assert page(response)["heading"] == "无权访问"
    assert "CSRF 校验未通过" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_host_is_a_chinese_400(db: None) -> None:
    response = Client(HTTP_HOST="evil.example").get("/public/")

    assert page(response) == shown(400, "请求无效", PUBLIC)


def test_server_error_is_a_chinese_500_in_the_layout(db: None, settings: Any) -> None:
    settings.ROOT_URLCONF = __name__

    response = Client(raise_request_exception=False).get("/boom/")

    assert page(response) == shown(500, "服务器内部错误")


def test_server_error_page_needs_no_request_context_or_database(
    django_assert_num_queries: Any,
) -> None:
    # A bare request: no session, no user, nothing a context processor could read.
    request = RequestFactory().get("/plans/")

    with django_assert_num_queries(0):
        response = server_error(request)

    assert (response.status_code, HEADING.search(response.content.decode())[1]) == (
        500,
        "服务器内部错误",
    )


def test_api_errors_stay_json(db: None, settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)

    missing = client.get("/api/v1/no-such-endpoint")
    failed = client.get("/api/v1/boom")

    assert (missing.status_code, missing["Content-Type"], missing.json()) == (
        404,
        "application/json",
        {"detail": "没有这个接口地址"},
    )
    assert (failed.status_code, failed.json()) == (500, {"detail": "服务器内部错误"})
