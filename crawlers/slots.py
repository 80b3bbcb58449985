"""Download slots keyed by the registrable domain, so a source's politeness applies to every
host it is crawled on: the registry says `luozhuang.gov.cn`, the requests go to
`www.luozhuang.gov.cn` and `xxgk.luozhuang.gov.cn`. Scrapy keys slots by the request's host,
so without this no live request matched its source's slot and all fell back to the strictest
global setting (one slow site slowed all)."""

from __future__ import annotations

import functools

from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

from crawlers.addresses import is_ip_literal


@functools.cache
def _extractor():
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=())  # the bundled public suffix list, no download


@functools.lru_cache(maxsize=4096)
def slot_key(host: str) -> str:
    """www.luozhuang.gov.cn -> luozhuang.gov.cn; an address or a bare name stays itself."""
    host = (host or "").lower().strip("[]").rstrip(".")
    if not host or is_ip_literal(host) or "." not in host:
        return host
    return _extractor()(host).top_domain_under_public_suffix or host


class DownloadSlotMiddleware:
    """Puts each request (robots.txt and redirects included) in its registrable domain's slot."""

    def process_request(self, request: Request, spider=None) -> None:
        if "download_slot" not in request.meta:
            request.meta["download_slot"] = slot_key(urlparse_cached(request).hostname or "")
        return None
