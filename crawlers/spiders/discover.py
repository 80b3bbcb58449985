"""The discovery crawl: for each region, its home page, then (while a column type is still
missing) the 政府信息公开 pages it links to, one after the other, at most `max_pages` per region.
One broad crawl over many hosts: Scrapy keeps one download slot per host, so the per-host
delay holds while hundreds of hosts are read in parallel. robots.txt is obeyed; a region's
pages stay on its own domain. Each region ends in one result item (discovered or failing,
with the reason), stored as soon as it is known, so an interrupted run keeps what it found."""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawlers.discovery import (
    Finding,
    confirms_column,
    platform_of,
    record,
    result_of,
    rules,
    site_domain,
)
from crawlers.regions import RegionPortal
from storage import open_store


class DiscoverySpider(scrapy.Spider):
    name = "discover"

    def __init__(self, regions: list[RegionPortal] | None = None, portal_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.regions = [r for r in regions or [] if r.home_url]
        self.portal_url = portal_url
        # offsite filtering: the regions' own domains, and gov.cn for a home page that redirects
        # to a new host or a 政府信息公开 link to a shared platform (the finding then adopts that
        # host; no other link to another gov.cn site is followed)
        self.allowed_domains = sorted({site_domain(r.home_url) for r in self.regions} | {"gov.cn"})

    async def start(self):
        for region in self.regions:
            finding = Finding(region, region.home_url, (site_domain(region.home_url),))
            yield self._request(finding, region.home_url, 0, [])

    def _request(self, finding: Finding, url: str, depth: int, queue: list[tuple[str, int]]) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_page, errback=self.failed, dont_filter=True,
                              meta={"finding": finding, "depth": depth, "queue": queue,
                                    "local_source": finding.region.local})

    def parse_page(self, response: Response):
        finding: Finding = response.meta["finding"]
        depth = response.meta["depth"]
        if not isinstance(response, TextResponse):
            finding.errors.append(f"{response.url}: not an HTML page ({response.headers.get('Content-Type')})")
            yield from self._next(finding, response.meta["queue"])
            return
        new = finding.add_page(response.url, response.body)
        queue = list(response.meta["queue"])
        if depth + 1 <= rules().max_depth:
            queue += [(u, depth + 1) for u in new if u not in {q for q, _ in queue}]
        yield from self._next(finding, queue)

    def failed(self, failure):
        request = failure.request
        finding: Finding = request.meta["finding"]
        response = getattr(failure.value, "response", None)
        why = f"HTTP {response.status}" if response is not None else f"{type(failure.value).__name__}: {failure.value}"
        finding.errors.append(f"{request.url}: {why}")
        yield from self._next(finding, request.meta["queue"])

    def _next(self, finding: Finding, queue: list[tuple[str, int]]):
        """The next disclosure page, or the region's result when nothing more is worth reading."""
        have = {c["doc_type"] for c in finding.listing_columns() if c.get("via") != "article"}
        while queue and len(finding.pages) + len(finding.errors) < rules().max_pages and have != {"work_report", "policy"}:
            url, depth = queue.pop(0)
            if url not in finding.pages:
                yield self._request(finding, url, depth, queue)
                return
        column = finding.unconfirmed()
        if column is not None:
            yield self._check(finding, column, 0)
            return
        yield {"discovery": result_of(finding, self.spider_platforms(), self.portal_url)}

    def _check(self, finding: Finding, column: dict, i: int) -> scrapy.Request:
        """Fetch the i-th candidate of a column read off a report's URL."""
        return scrapy.Request(column["candidates"][i], callback=self.checked, errback=self.check_failed,
                              dont_filter=True, meta={"finding": finding, "column": column, "i": i,
                                                      "local_source": finding.region.local})

    def checked(self, response: Response):
        finding, column = response.meta["finding"], response.meta["column"]
        platform = platform_of(finding.evidence)
        if isinstance(response, TextResponse) and platform and confirms_column(platform, response.url, response.body):
            finding.confirm(column, column["candidates"][response.meta["i"]])
            yield from self._next(finding, [])
        else:
            yield from self._next_candidate(finding, column, response.meta["i"])

    def check_failed(self, failure):
        meta = failure.request.meta
        yield from self._next_candidate(meta["finding"], meta["column"], meta["i"])

    def _next_candidate(self, finding: Finding, column: dict, i: int):
        if i + 1 < len(column["candidates"]):
            yield self._check(finding, column, i + 1)
        else:
            finding.confirm(column, None)
            yield from self._next(finding, [])

    @staticmethod
    def spider_platforms() -> set[str]:
        from crawlers.spiders import SPIDER_BY_PLATFORM

        return set(SPIDER_BY_PLATFORM)


class DiscoveryPipeline:
    """Stores each region's result as it comes (registry/discovered/{key}.json)."""

    def __init__(self, crawler) -> None:
        self.store = open_store(crawler.settings.get("GOVREPORTS_STORE"))
        self.results: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler) -> DiscoveryPipeline:
        return cls(crawler)

    def process_item(self, item, spider=None):
        self.results.append(record(self.store, item["discovery"]))
        return item
