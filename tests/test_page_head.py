"""Every layout's head: the renderer hint that makes 360 and QQ browsers use their Chromium
engine (offices use them), once, and the Content-Security-Policy on the response."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

RENDERER = '<meta name="renderer" content="webkit">'


@pytest.mark.parametrize(
    "url",
    [
        "/login/",  # registration pages: the working platform's base.html
        "/public/",  # the public site's layout
        "/admin/login/",  # the back office's (templates/admin/base_site.html)
    ],
)
def test_layout_asks_for_the_webkit_renderer_under_the_csp(url: str) -> None:
    response = Client().get(url)

    head = response.content.decode().split("</head>")[0]
    assert (response.status_code, head.count(RENDERER)) == (200, 1)
    assert "default-src 'self'" in response["Content-Security-Policy"]
