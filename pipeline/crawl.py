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
from pipeline.health import failures_problem, hard_failures, unrecovered_failures
from pipeline.site_lease import site_leases
from storage.objectstore import open_store


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
    first_error: str | None = None  # the first failed request's error (for a portal nothing came back from)
    failures: dict[str, int] = field(default_factory=dict)  # reasons of requests not recovered (pipeline.health)

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

    @property
    def unreachable(self) -> bool:
        """Not one response: every request failed (DNS, refused, timeouts): failing, not silent."""
        return self.responses == 0 and self.errors > 0

    @property
    def came_back_empty(self) -> bool:
        """Finished, but its listings showed nothing (or less than before): what health calls silent."""
        return self.ok and not self.unreachable and (self.silent or self.documents_seen == 0)

    def problem(self, allow_empty: bool = False) -> str | None:
        if not self.ok:
            return f"source {self.source_id}: crawl did not finish ({self.finish_reason})"
        if self.documents_seen == 0 and not self.stopped_early and self.unreachable:
            return (f"source {self.source_id}: no page of the portal could be fetched ({self.first_error}); "
                    "the site is down, moved or unreachable from here: check its listing URL in the registry "
                    "(`govreports sources`) or `govreports discover --region` it again")
        if self.failures:  # the rule `status` applies (pipeline.health.unrecovered_failures)
            return (f"source {self.source_id}: {failures_problem(self.failures)}; `govreports status` and the "
                    "crawl_log name the URLs, and the next crawl tries them again")
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


def _collect_from_here() -> None:
    """What start-up loaded lives as long as the process: move it out of the collector's sight
    (gc.freeze, as the gc docs suggest after start-up) and turn the collector on, if the CLI
    turned it off for the imports."""
    import gc

    gc.freeze()
    gc.enable()


def _import_download_handler() -> None:
    """Scrapy imports its HTTP handler at the first request; the handler's TLS modules build
    deprecated aliases that walk `inspect.stack()`, reading the source of every frame: under the
    running reactor (a deep stack) that cost ~0.2 CPU-s per crawl process, at this shallow one
    a few ms."""
    import scrapy.core.downloader.handlers.http11  # noqa: F401


def run_crawl(source_ids: list[str], store_uri: str, portal_url: str | None = None,
              year: int | None = None, run_id: str | None = None, progress: bool = True,
              overrides: dict | None = None, stats_out: list | None = None) -> list[CrawlResult]:
    """Crawl the sources in one Scrapy crawler (politeness per site) and report per source."""
    from scrapy.crawler import AsyncCrawlerProcess, Crawler
    from scrapy.settings import Settings

    from crawlers.middlewares import _warm_parquet_writer, recorder
    from crawlers.settings import BASE
    from crawlers.spiders.portal import PortalSpider

    run_id = run_id or new_run_id()
    by_id = {s.id: s for s in load_sources(portal_url, store_uri=store_uri)}
    sources: list[Source] = [by_id[sid] if sid in by_id else get_source(sid, portal_url, store_uri) for sid in source_ids]
    _warm_parquet_writer()  # one-time writer start-up before the crawl (see its docstring)
    _import_download_handler()
    settings = crawl_settings(sources, store_uri, run_id, year, progress, overrides)
    # the resolver belongs to the process: it learns the sample portal's hosts from it
    process = AsyncCrawlerProcess(Settings({**BASE, "GOVREPORTS_LOCAL_HOSTS": settings.getlist("GOVREPORTS_LOCAL_HOSTS")}))
    crawler = Crawler(PortalSpider, settings)
    sites = [url for s in sources for url in s.listing_urls]
    with site_leases(open_store(store_uri), sites, owner=f"crawl {run_id} ({', '.join(s.id for s in sources)})"):
        _collect_from_here()
        process.crawl(crawler, sources=sources, year=year)
        process.start()
    stats = crawler.stats.get_stats()
    if stats_out is not None:
        stats_out.append(stats)
    results = []
    for source in sources:
        rec = recorder(crawler, source.id)
        counts = rec.counts
        results.append(CrawlResult(
            source_id=source.id, run_id=run_id,
            items=rec.stat("items"),
            responses=sum(v for k, v in counts.items() if k.startswith("status/")),
            errors=counts["fetch_errors"] + rec.stat("failed_requests"),
            status_counts={k.split("/", 1)[1]: v for k, v in counts.items() if k.startswith("status/")},
            finish_reason=stats.get("finish_reason"),
            documents_seen=rec.stat("documents_seen"),
            previously_seen=rec.previous_seen,
            listing_rows=rec.stat("listing_rows"),
            previous_rows=rec.previous_rows,
            stopped_early=rec.stat("listing_stopped_early"),
            response_bytes=counts["bytes"],
            requests=counts["requests"],
            not_modified=counts["not_modified"],
            raw_new=counts["raw_new"],
            first_error=next((row["error"] for row in rec.rows if row.get("error")), None),
            failures=hard_failures(unrecovered_failures(rec.rows)),
        ))
    return results
