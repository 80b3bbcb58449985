"""Run Scrapy crawls for registry sources and report their stats.

The Twisted reactor cannot be restarted inside one process, so `run_crawl` must be
called once per process: the CLI calls it directly, the DAGs and tests run
`govreports crawl` in a subprocess."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from crawlers.registry import Source, get_source
from crawlers.settings import crawl_settings


@dataclass
class CrawlResult:
    source_id: str
    run_id: str
    items: int
    responses: int
    errors: int
    status_counts: dict[str, int] = field(default_factory=dict)
    finish_reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.finish_reason == "finished"


def new_run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def run_crawl(source_ids: list[str], store_uri: str, portal_url: str | None = None,
              year: int | None = None, run_id: str | None = None, progress: bool = True,
              overrides: dict | None = None) -> list[CrawlResult]:
    from scrapy.crawler import AsyncCrawlerProcess, Crawler
    from scrapy.settings import Settings

    from crawlers.settings import BASE
    from crawlers.spiders import SPIDER_BY_PLATFORM

    run_id = run_id or new_run_id()
    sources: list[Source] = [get_source(sid, portal_url) for sid in source_ids]
    process = AsyncCrawlerProcess(Settings(BASE))
    crawlers = []
    for source in sources:
        settings = crawl_settings(source, store_uri, run_id, year, progress, overrides)
        spidercls = SPIDER_BY_PLATFORM[source.platform]
        crawler = Crawler(spidercls, settings)  # per-source politeness settings
        crawlers.append((source, crawler))
        process.crawl(crawler, source=source, year=year)
    process.start()
    results = []
    for source, crawler in crawlers:
        stats = crawler.stats.get_stats()
        statuses = {k.rsplit("/", 1)[-1]: v for k, v in stats.items()
                    if k.startswith("downloader/response_status_count/")}
        results.append(CrawlResult(
            source_id=source.id, run_id=run_id,
            items=stats.get("item_scraped_count", 0),
            responses=stats.get("downloader/response_count", 0),
            errors=stats.get("log_count/ERROR", 0) + stats.get("govreports/fetch_errors", 0),
            status_counts=statuses,
            finish_reason=stats.get("finish_reason"),
        ))
    return results
