"""One progress line per source on stderr while a crawl runs (Scrapy's own log stays at
WARNING so the demo's output is readable)."""

from __future__ import annotations

import sys
import time

from scrapy import signals


class Progress:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("GOVREPORTS_PROGRESS", True)
        self.source = crawler.settings.get("GOVREPORTS_SOURCE_ID")
        self.pages = self.items = 0
        self.last = 0.0
        crawler.signals.connect(self.response, signal=signals.response_received)
        crawler.signals.connect(self.item, signal=signals.item_scraped)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler) -> Progress:
        return cls(crawler)

    def _show(self, final: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if final or now - self.last > 0.5:
            self.last = now
            sys.stderr.write(f"  crawl {self.source:<20} {self.pages:4d} responses {self.items:3d} documents{final}\n")
            sys.stderr.flush()

    def response(self, response, request, spider) -> None:
        self.pages += 1
        self._show()

    def item(self, item, response, spider) -> None:
        self.items += 1
        self._show()

    def closed(self, spider, reason) -> None:
        self._show(f"  ({reason})")
