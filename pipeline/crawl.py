"""Run Scrapy crawls for registry sources and report their stats.

The Twisted reactor cannot be restarted inside one process, so `run_crawl` must be
called once per process: the CLI calls it directly, the DAGs and tests run
`govreports crawl` in a subprocess."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from crawlers.registry import Source, get_source, load_sources
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
    documents_seen: int = 0  # documents the listings showed, known or new
    previously_seen: int = 0  # the same count at the last run that saw any
    listing_rows: int = 0  # rows (documents or not) on the listing pages read
    previous_rows: int = 0
    stopped_early: int = 0  # listings where an incremental run stopped at known rows
    response_bytes: int = 0  # body bytes received (a 304 counts 0)
    requests: int = 0
    not_modified: int = 0
    raw_new: int = 0

    @property
    def ok(self) -> bool:
        return self.finish_reason == "finished"

    @property
    def silent(self) -> bool:
        """Listings that showed rows before show none now, or a full walk finds no document
        where there were some: the site moved or changed its layout under us."""
        if self.listing_rows == 0 and self.previous_rows > 0:
            return True
        return self.documents_seen == 0 and self.previously_seen > 0 and not self.stopped_early

    def problem(self, allow_empty: bool = False) -> str | None:
        if not self.ok:
            return f"source {self.source_id}: crawl did not finish ({self.finish_reason})"
        if allow_empty:
            return None
        if self.silent:
            return (f"source {self.source_id}: its listings showed {self.previously_seen} documents "
                    f"({self.previous_rows} rows) last time and {self.documents_seen} ({self.listing_rows} rows) now; "
                    f"the portal may have moved or changed its layout (--allow-empty to accept)")
        if self.documents_seen == 0 and not self.stopped_early:
            return f"source {self.source_id}: found no documents (--allow-empty to accept)"
        return None


def new_run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def run_crawl(source_ids: list[str], store_uri: str, portal_url: str | None = None,
              year: int | None = None, run_id: str | None = None, progress: bool = True,
              overrides: dict | None = None, stats_out: list | None = None) -> list[CrawlResult]:
    from scrapy.crawler import AsyncCrawlerProcess, Crawler
    from scrapy.settings import Settings

    from crawlers.settings import BASE
    from crawlers.spiders import SPIDER_BY_PLATFORM

    run_id = run_id or new_run_id()
    by_id = {s.id: s for s in load_sources(portal_url)}
    sources: list[Source] = [by_id[sid] if sid in by_id else get_source(sid, portal_url) for sid in source_ids]
    from crawlers.middlewares import _warm_parquet_writer

    _warm_parquet_writer()  # one-time writer start-up before any crawler opens (see its docstring)
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
        if stats_out is not None:
            stats_out.append(stats)
        statuses = {k.rsplit("/", 1)[-1]: v for k, v in stats.items()
                    if k.startswith("downloader/response_status_count/")}
        results.append(CrawlResult(
            source_id=source.id, run_id=run_id,
            items=stats.get("item_scraped_count", 0),
            responses=stats.get("downloader/response_count", 0),
            errors=stats.get("log_count/ERROR", 0) + stats.get("govreports/fetch_errors", 0),
            status_counts=statuses,
            finish_reason=stats.get("finish_reason"),
            documents_seen=stats.get("govreports/documents_seen", 0),
            previously_seen=getattr(getattr(crawler, "_govreports_recorder", None), "previous_seen", 0),
            listing_rows=stats.get("govreports/listing_rows", 0),
            previous_rows=getattr(getattr(crawler, "_govreports_recorder", None), "previous_rows", 0),
            stopped_early=stats.get("govreports/listing_stopped_early", 0),
            response_bytes=stats.get("govreports/bytes_downloaded", 0),
            requests=stats.get("downloader/request_count", 0),
            not_modified=stats.get("govreports/not_modified", 0),
            raw_new=stats.get("govreports/raw_new", 0),
        ))
    return results
