"""Which addresses a crawl may connect to: public ones only (no SSRF through a redirect or a
crafted link into a cloud metadata service, a router, localhost). The rule is `is_global` on
every address a name resolves to, including the IPv4 address inside 6to4, NAT64, Teredo and
IPv4-mapped IPv6 forms, and it is applied by the DNS resolver the crawler connects with
(GuardedResolver), so the address checked is the address used: no second lookup that DNS
rebinding could answer differently. A name that does not resolve is not fetched."""

from __future__ import annotations

import ipaddress

from scrapy.resolver import CachingThreadedResolver, dnscache
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(address: str) -> bool:
    """A global unicast address, and so is any IPv4 address it carries."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.is_multicast or not ip.is_global:
        return False
    inner = embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    return inner is None or (inner.is_global and not inner.is_multicast)


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing names that resolve to non-public addresses. The
    sample portal's own host names (GOVREPORTS_LOCAL_HOSTS of the crawler process, set only
    for a crawl of it, e.g. `sample-portal` in the compose stack) are the one exception."""

    local_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.local_hosts = frozenset(crawler.settings.getlist("GOVREPORTS_LOCAL_HOSTS"))
        return resolver

    def getHostByName(self, name: str, timeout=()):
        if name in dnscache:  # only public addresses are cached
            return defer.succeed(dnscache[name])
        d = super().getHostByName(name, timeout)
        d.addCallback(self._checked, name)
        return d

    def _checked(self, address: str, name: str) -> str:
        # an address written in the URL is what it is: PrivateAddressMiddleware has judged it,
        # knowing which source asked (the sample portal's host is allowed for its sources)
        if is_ip_literal(name) or name in self.local_hosts or is_public(address):
            return address
        dnscache.pop(name, None)
        raise DNSLookupError(f"blocked: {name} resolves to {address}, not a public address")
