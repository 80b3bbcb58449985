"""The address guard (issue 14, item 11): public addresses only, `is_global` on every
resolved address including IPv4 inside 6to4/NAT64/Teredo/mapped IPv6, checked by the resolver
the crawler connects with (no second lookup for DNS rebinding to answer), failing closed; the
sample portal's own host is the only exception, and only for it."""

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from crawlers import addresses
from crawlers.addresses import GuardedResolver, is_public
from crawlers.middlewares import PrivateAddressMiddleware


@pytest.mark.parametrize("address", [
    "10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "0.0.0.0", "169.254.169.254",  # link-local metadata
    "100.64.0.1", "100.100.100.200",  # shared address space (Alibaba Cloud's metadata address)
    "192.0.0.1", "198.18.0.1", "240.0.0.1", "255.255.255.255", "224.0.0.1",
    "::1", "::", "fe80::1", "fd00::1", "fc00::1", "2001:db8::1", "ff02::1",
    "::ffff:10.0.0.1", "::ffff:127.0.0.1",  # IPv4-mapped
    "2002:a00:1::", "2002:7f00:1::",  # 6to4 around 10.0.0.1 and 127.0.0.1
    "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1",  # NAT64 around 10.0.0.1 and 169.254.169.254
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo whose client is 10.0.0.1
    "not-an-address",
])
def test_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "114.114.114.114", "223.5.5.5", "2400:3200::1",
                                     "2002:808:808::", "64:ff9b::808:808", "::ffff:8.8.8.8"])
def test_public(address):
    assert is_public(address)


class _Crawler:
    def __init__(self, local=()):
        from scrapy.settings import Settings

        self.settings = Settings({"GOVREPORTS_LOCAL_HOSTS": list(local), "DNSCACHE_ENABLED": False})


def _resolve(monkeypatch, answer: str, name: str, local=()):
    monkeypatch.setattr(addresses.CachingThreadedResolver, "getHostByName",
                        lambda self, n, timeout=(): defer.succeed(answer))
    resolver = GuardedResolver.from_crawler(_Crawler(local), reactor=None)
    results = []
    resolver.getHostByName(name).addBoth(results.append)
    return results[0]


def test_a_name_resolving_to_a_private_address_is_not_connected_to(monkeypatch):
    out = _resolve(monkeypatch, "10.0.0.5", "rebind.example.gov.cn")
    assert out.check(DNSLookupError) and "not a public address" in str(out.value)
    assert _resolve(monkeypatch, "100.100.100.200", "www.example.gov.cn").check(DNSLookupError)


def test_a_public_answer_and_the_sample_portals_host_pass(monkeypatch):
    assert _resolve(monkeypatch, "211.144.20.1", "www.example.gov.cn") == "211.144.20.1"
    assert _resolve(monkeypatch, "127.0.0.1", "portal.test", local=["portal.test"]) == "127.0.0.1"


def _middleware(local=()):
    return PrivateAddressMiddleware(_Crawler(local))


@pytest.mark.parametrize("url", ["http://100.100.100.200/latest/meta-data/", "http://169.254.169.254/",
                                 "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://10.0.0.1:8080/x",
                                 "http://localhost:8000/", "http://127.0.0.1:9999/"])
def test_addresses_written_in_urls_are_blocked(url):
    with pytest.raises(IgnoreRequest, match="blocked"):
        _middleware(local=["127.0.0.2"]).process_request(Request(url, meta={"local_source": True}))


def test_the_sample_portal_host_is_the_only_exception():
    mw = _middleware(local=["127.0.0.1"])
    assert mw.process_request(Request("http://127.0.0.1:8765/luozhuang/")) is None
    with pytest.raises(IgnoreRequest):  # a local source redirected elsewhere is still guarded
        mw.process_request(Request("http://169.254.169.254/", meta={"local_source": True}))
    assert mw.process_request(Request("http://www.luozhuang.gov.cn/")) is None  # names: the resolver checks


def test_an_address_in_the_url_is_left_to_the_middleware(monkeypatch):
    """The resolver sees IP literals too; the middleware, which knows the source, judged them."""
    assert _resolve(monkeypatch, "127.0.0.1", "127.0.0.1") == "127.0.0.1"
