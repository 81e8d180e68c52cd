"""The address a request came from, the one the API's per-address limit and the login lockout
count: the connection's own address, unless that connection is a configured trusted proxy.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as
trusted proxies wrote it: read from the right (each proxy appends the address it saw), the
first address that is not a trusted proxy is the client. A request that reaches the app
directly keeps its connection address whatever header it sends.
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from shuangsuiji.lib.env import ConfigurationError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(variable: str, values: Iterable[str]) -> list[str]:
    """`values` as written, once each is known to be an address or a network (10.0.0.0/8);
    otherwise stop the start naming the variable and the value."""
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ConfigurationError(
                f"环境变量 {variable} 中的“{value}”不是 IP 地址或网段（如 127.0.0.1 或 10.0.0.0/8）"
            ) from None
    return list(values)


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request's connection comes from one of TRUSTED_PROXIES (whose headers, such
    as the request id the log uses, may then be believed)."""
    hop = _address(str(request.META.get("REMOTE_ADDR", "")))
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    return hop is not None and any(hop in network for network in trusted)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES the nearest address in
    X-Forwarded-For that none of them holds."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    hop = _address(remote)
    if not trusted or hop is None or not any(hop in network for network in trusted):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    client = hop
    for text in reversed(forwarded):
        seen = _address(text)
        if seen is None:
            # Not an address: a trusted proxy did not write it, so what lies left of it is
            # anybody's; the last trusted hop's view is all that is known.
            break
        client = seen
        if not any(seen in network for network in trusted):
            break
    return str(client)
