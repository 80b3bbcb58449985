"""The one Scrapy spider of a crawl run: it drives a platform handler per source (see
`PlatformSpider`). One crawler per run keeps politeness per site, where it belongs: two
sections of one portal share that portal's download slot instead of each hammering it."""

from __future__ import annotations

from typing import Any

import scrapy

from crawlers.registry import Source


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, sources: list[Source] | None = None, year: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = list(sources or [])
        self.year = year
        self.allowed_domains = sorted({d for s in self.sources for d in s.allowed_domains})
        self.handlers: dict = {}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        from crawlers.spiders import SPIDER_BY_PLATFORM

        spider = super().from_crawler(crawler, *args, **kwargs)
        for source in spider.sources:
            spider.handlers[source.id] = SPIDER_BY_PLATFORM[source.platform](source=source, year=spider.year,
                                                                             crawler=crawler)
        return spider

    async def start(self):
        for handler in self.handlers.values():
            for request in handler.start_requests():
                yield request
