"""A progress line on stderr while a crawl runs (Scrapy's own log stays at WARNING so the
demo's output is readable)."""

from __future__ import annotations

import sys
import time
from collections import Counter

from scrapy import signals


class Progress:
    def __init__(self, crawler) -> None:
        self.enabled = crawler.settings.getbool("GOVREPORTS_PROGRESS", True)
        self.pages = 0
        self.items: Counter = Counter()
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
            per = ", ".join(f"{k} {v}" for k, v in sorted(self.items.items()))
            sys.stderr.write(f"  crawl: {self.pages:4d} responses, {sum(self.items.values()):3d} documents ({per}){final}\n")
            sys.stderr.flush()

    def response(self, response, request, spider) -> None:
        self.pages += 1
        self._show()

    def item(self, item, response, spider) -> None:
        self.items[item["source_id"]] += 1
        self._show()

    def closed(self, spider, reason) -> None:
        self._show(f"  ({reason})")
