"""The client address: the connection's, or behind a trusted proxy the nearest address in
X-Forwarded-For that is not a trusted proxy; the API's per-address limit counts it."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory

from shuangsuiji.lib.client_address import client_address


def address(remote: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers))


def test_client_address_without_trusted_proxies_is_the_connection(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []

    assert address("10.0.0.66", "10.0.0.2") == "10.0.0.66"


def test_client_address_from_an_untrusted_connection_ignores_forwarded_for(
    settings: Any,
) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert address("10.0.0.66", "10.0.0.2") == "10.0.0.66"


def test_client_address_behind_one_proxy_is_what_the_proxy_appended(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    seen = [address("127.0.0.1", "10.0.0.66"), address("127.0.0.1", "10.0.0.2, 10.0.0.66")]

    assert seen == ["10.0.0.66", "10.0.0.66"]


def test_client_address_behind_a_chain_of_proxies_skips_each_trusted_hop(
    settings: Any,
) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "172.16.0.0/12"]

    assert address("127.0.0.1", "10.0.0.2, 10.0.0.66, 172.16.3.4") == "10.0.0.66"


def test_client_address_behind_a_proxy_without_forwarded_for_is_the_proxy(
    settings: Any,
) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    seen = [address("127.0.0.1"), address("127.0.0.1", "not-an-address")]

    assert seen == ["127.0.0.1", "127.0.0.1"]


def test_client_address_stops_at_a_value_no_proxy_wrote(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]

    assert address("127.0.0.1", "192.0.2.1, junk, 10.1.1.1") == "10.1.1.1"


def test_client_address_reads_ipv6(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["::1"]

    assert address("::1", "2001:db8::7") == "2001:db8::7"


@pytest.mark.django_db
def test_api_anonymous_limit_behind_a_proxy_counts_each_client(world: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.API_ANON_RATE_LIMIT = 2
    proxy = Client(REMOTE_ADDR="127.0.0.1")

    first = [
        proxy.get("/api/v1/results", headers={"X-Forwarded-For": "10.0.0.1"}).status_code
        for _ in range(3)
    ]
    second = proxy.get("/api/v1/results", headers={"X-Forwarded-For": "10.0.0.2"})

    assert first == [200, 200, 429]
    assert second.status_code == 200


def start(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import shuangsuiji.settings"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"SHUANGSUIJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin", **variables},
    )


def test_trusted_proxies_that_are_not_addresses_stop_the_start(tmp_path: Path) -> None:
    result = start(tmp_path, TRUSTED_PROXIES="127.0.0.1,proxy.internal")

    assert result.returncode == 1
    assert "环境变量 TRUSTED_PROXIES 中的“proxy.internal”不是 IP 地址或网段" in result.stderr


def test_the_replaced_hop_count_variable_stops_the_start(tmp_path: Path) -> None:
    result = start(tmp_path, API_TRUSTED_PROXIES="1")

    assert result.returncode == 1
    assert "环境变量 API_TRUSTED_PROXIES 已由 TRUSTED_PROXIES 取代" in result.stderr
