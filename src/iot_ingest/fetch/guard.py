"""The SSRF guard: only http(s), and only public addresses unless a host is explicitly allowed.

Checked for every request and every redirect hop, before connecting (the resolved addresses) and
after (the address actually connected to), so DNS rebinding between the two is caught too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

__all__ = ["AddressGuard", "BlockedAddress", "Resolver", "UnresolvedHost", "system_resolver"]

Resolver = Callable[[str, int], Awaitable[list[str]]]


class BlockedAddress(Exception):
    """The URL may not be fetched: wrong scheme or a non-public address."""


class UnresolvedHost(Exception):
    """DNS gave no answer (often for a while only): a failure to retry, not a refusal."""


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class AddressGuard:
    def __init__(self, allow_private_hosts: frozenset[str], resolver: Resolver = system_resolver) -> None:
        self.allowed = frozenset(h.lower() for h in allow_private_hosts)
        self.resolver = resolver

    async def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedAddress(f"scheme {parts.scheme or '(none)'!r} is not allowed, only http and https")
        host = (parts.hostname or "").lower()
        if not host:
            raise BlockedAddress("URL has no host")
        if host in self.allowed:
            return
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise BlockedAddress("URL has an invalid port") from None
        literal = _ip(host)
        addresses = [host] if literal is not None else await self._resolve(host, port)
        for address in addresses:
            self.check_address(host, address)

    def check_address(self, host: str, address: str) -> None:
        """Raise unless `address` (what `host` resolved or connected to) is public or allowed."""
        if host.lower() in self.allowed:
            return
        ip = _ip(address)
        # is_global alone lets multicast (224.0.0.1, ff02::1) and IPv6 site-local (fec0::) through.
        if ip is None or not ip.is_global or ip.is_multicast or (ip.version == 6 and ip.is_site_local):
            raise BlockedAddress(f"{host} resolves to non-public address {address}")

    async def _resolve(self, host: str, port: int) -> list[str]:
        try:
            addresses = await self.resolver(host, port)
        except OSError as exc:
            raise UnresolvedHost(f"cannot resolve {host}: {exc}") from None
        if not addresses:
            raise UnresolvedHost(f"{host} resolves to no address")
        return addresses


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address: judge the address they lead to.
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if int(ip) >> 32 == 0:  # IPv4-compatible ::a.b.c.d (deprecated), and :: and ::1
            return ipaddress.IPv4Address(int(ip))
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
