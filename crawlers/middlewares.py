"""Downloader middlewares: the raw store with conditional GETs and the crawl log, retries
with backoff, cached robots.txt, and the private-address guard.

Every fetched body goes to the raw zone and every fetch (or failure) becomes a crawl_log
row here, in one place, so spiders only deal with parsing."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
import random
import time
from collections import Counter
from urllib.parse import quote, urlparse

from scrapy import signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from crawlers.addresses import is_ip_literal, is_public
from crawlers.errors import describe
from crawlers.state import ROBOTS_MAX_AGE, CrawlState, load_state, save_state
from storage import open_store
from storage.datasets import write_partition
from storage.raw import file_name, put_raw


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value) -> str | None:
    return value.decode("latin-1") if isinstance(value, bytes) else value


class CrawlRecorder:
    """Per source of a run: the store, the source's crawl state, its crawl_log rows and counters."""

    def __init__(self, crawler, source_id: str) -> None:
        settings = crawler.settings
        self.store = open_store(settings.get("GOVREPORTS_STORE"))
        self.run_id = settings.get("GOVREPORTS_RUN_ID")
        self.source_id = source_id
        year = settings.get("GOVREPORTS_YEAR")
        self.state: CrawlState = load_state(self.store, source_id, f"year-{year}" if year else "nightly")
        self.rows: list[dict] = []
        self.saved = False
        self.stats = crawler.stats
        self.previous_seen = self.state.documents_seen
        self.previous_rows = self.state.rows_seen
        self.counts: Counter = Counter()  # requests, bytes, raw_new, not_modified, fetch_errors, status/NNN

    def log(self, url: str, status: int, sha: str | None = None, size: int = 0, ctype: str | None = None,
            etag=None, last_modified=None, error: str | None = None) -> None:
        now = utcnow()
        self.rows.append({
            "url": url, "status": status, "sha256": sha, "etag": _text(etag), "last_modified": _text(last_modified),
            "fetched_at": now, "source": self.source_id, "run_id": self.run_id, "bytes": size,
            "content_type": ctype, "error": error, "crawl_date": now[:10],
        })

    def stat(self, key: str, default: int = 0) -> int:
        return self.stats.get_value(f"govreports/{self.source_id}/{key}", default)

    def save(self) -> None:
        """Write the crawl log and the state once, when the spider closes."""
        if self.saved:
            return
        self.saved = True
        by_date: dict[str, list[dict]] = {}
        for row in self.rows:
            by_date.setdefault(row["crawl_date"], []).append(row)
        for day, rows in by_date.items():
            write_partition(self.store, "crawl_log", {"crawl_date": day}, rows,
                            filename=f"{self.source_id}-{self.run_id}.parquet")
        if self.stat("documents_seen"):
            self.state.documents_seen = self.stat("documents_seen")
        if self.stat("listing_rows"):
            self.state.rows_seen = self.stat("listing_rows")
        save_state(self.store, self.state)


@functools.cache
def _warm_parquet_writer() -> None:
    """The first Parquet write of a process loads the writer and codec (~0.2 s); done before
    the crawl rather than on the reactor thread in the middle of it."""
    from storage.datasets import table_bytes, to_table

    table_bytes(to_table("crawl_log", [{"url": "warm-up", "status": 200}]))  # a row: the JSON reader loads too


def recorders(crawler) -> dict[str, CrawlRecorder]:
    recs = getattr(crawler, "_govreports_recorders", None)
    if recs is None:
        recs = crawler._govreports_recorders = {}

        def save_all(spider, reason) -> None:
            for rec in recs.values():
                rec.save()

        crawler.signals.connect(save_all, signal=signals.spider_closed, weak=False)
    return recs


def recorder(crawler, source_id: str) -> CrawlRecorder:
    recs = recorders(crawler)
    if source_id not in recs:
        recs[source_id] = CrawlRecorder(crawler, source_id)
    return recs[source_id]


def source_of(crawler, request: Request) -> str:
    """The source a request belongs to: from its meta, else (robots.txt requests) the first
    source of the run whose domains cover the host."""
    sid = request.meta.get("source_id")
    if sid:
        return sid
    host = urlparse(request.url).hostname or ""
    domains: dict = crawler.settings.getdict("GOVREPORTS_SOURCE_DOMAINS")
    for source_id, names in domains.items():
        if any(host == d or host.endswith("." + d) for d in names):
            return source_id
    return next(iter(domains), "unknown")


class RawStoreMiddleware:
    """Conditional GETs from the stored validators; a 304 is answered from the raw zone (and
    stores nothing); a 200 is stored by sha256. Sits next to the downloader, so it sees every
    real HTTP exchange, redirects and retries included."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        _warm_parquet_writer()

    @classmethod
    def from_crawler(cls, crawler) -> RawStoreMiddleware:
        return cls(crawler)

    def _rec(self, request: Request) -> CrawlRecorder:
        return recorder(self.crawler, source_of(self.crawler, request))

    def process_request(self, request: Request, spider=None) -> None:
        rec = self._rec(request)
        rec.counts["requests"] += 1
        known = rec.state.http.get(request.url)
        if known and request.meta.get("conditional", True):
            if known.get("etag"):
                request.headers.setdefault(b"If-None-Match", known["etag"])
            if known.get("last_modified"):
                request.headers.setdefault(b"If-Modified-Since", known["last_modified"])
        return None

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        rec = self._rec(request)
        rec.counts["bytes"] += len(response.body)  # on the wire, before a 304 is filled in
        rec.counts[f"status/{response.status}"] += 1
        ctype = _text(response.headers.get(b"Content-Type")) or None
        etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        known = rec.state.http.get(request.url)
        if response.status == 304 and known and rec.store.exists(known["key"]):
            rec.log(request.url, 304, known["sha256"], 0, known.get("content_type"), etag, modified)
            rec.counts["not_modified"] += 1
            request.meta["raw"] = {k: known[k] for k in ("sha256", "key", "content_type")}
            headers = response.headers.copy()
            if known.get("content_type"):
                headers[b"Content-Type"] = known["content_type"]
            return response.replace(status=200, body=rec.store.get_bytes(known["key"]), headers=headers,
                                    flags=[*response.flags, "not_modified"])
        sha = None
        if response.status == 200 and response.body and not request.url.endswith("/robots.txt"):
            name = file_name(response.headers.get(b"Content-Disposition"), response.url)
            sha, key, new = put_raw(rec.store, response.body, ctype, response.url, name)
            request.meta["raw"] = {"sha256": sha, "key": key, "content_type": ctype}
            rec.state.http[request.url] = {"etag": _text(etag), "last_modified": _text(modified), "sha256": sha,
                                           "key": key, "content_type": ctype}
            rec.counts["raw_new" if new else "raw_known"] += 1
        rec.log(request.url, response.status, sha, len(response.body), ctype, etag, modified)
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        if not isinstance(exception, IgnoreRequest):  # those reach the errback, which logs them
            rec = self._rec(request)
            rec.log(request.url, 0, error=describe(exception))
            rec.counts["fetch_errors"] += 1
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, but waiting before each one: Retry-After when the site says so
    (429/503), else exponential backoff with jitter, capped."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def _delay(self, request: Request, response: Response | None) -> float:
        if response is not None:
            after = _text(response.headers.get(b"Retry-After"))
            if after and after.strip().isdigit():
                return min(float(after), self.cap)
        tries = request.meta.get("retry_times", 0)
        base = request.meta.get("backoff_base", self.base)
        return min(base * (2 ** tries) * (0.5 + random.random()), self.cap)

    def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response  # the common path stays synchronous: no task per response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        return self._after(self._delay(request, response), retry)  # a coroutine: Scrapy awaits it

    def process_exception(self, request: Request, exception: Exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        return self._after(self._delay(request, None), retry)

    @staticmethod
    async def _after(seconds: float, retry: Request) -> Request:
        await asyncio.sleep(seconds)
        return retry


class RepeatRedirectMiddleware(RedirectMiddleware):
    """A redirect back to a URL of the same chain (a WAF cookie challenge: set a cookie, send
    the client back) must not be dropped by the duplicate filter; REDIRECT_MAX_TIMES still
    ends a real redirect loop, which then reaches the errback and the crawl log."""

    def _redirect(self, redirected: Request, request: Request, reason):
        chain = {request.url, *request.meta.get("redirect_urls", [])}
        redirected = super()._redirect(redirected, request, reason)  # raises IgnoreRequest past the limit
        if redirected.url in chain:
            redirected.dont_filter = True
        return redirected


class _OneLine(logging.Filter):
    """A robots.txt that cannot be fetched (a dead host) is one log line, not a traceback: the
    page request that follows fails too and is recorded with its reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        return True


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt is obeyed as by Scrapy's middleware, but a copy fetched in the last 24 hours
    (kept in the store, per host) is reused, so an unchanged nightly crawl does not refetch it."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        robots_log = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if not any(isinstance(f, _OneLine) for f in robots_log.filters):
            robots_log.addFilter(_OneLine())

    def _cache_key(self, netloc: str) -> str:
        return f"state/robots/{quote(netloc, safe='')}.json"

    def _store(self):
        return open_store(self.crawler.settings.get("GOVREPORTS_STORE"))

    async def robot_parser(self, request: Request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            store, key = self._store(), self._cache_key(netloc)
            cached = json.loads(store.get_bytes(key)) if store.exists(key) else None
            if cached and time.time() - cached.get("fetched", 0) < ROBOTS_MAX_AGE:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, cached["body"].encode())
                self._stats.inc_value("robotstxt/cache_hit")
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status == 200:
            body = {"fetched": time.time(), "body": response.body.decode("utf-8", "replace")}
            self._store().put_bytes(self._cache_key(netloc), json.dumps(body).encode(), content_type="application/json")
        await super()._parse_robots(response, netloc, request)


class PrivateAddressMiddleware:
    """No request to an address that is not public (crawlers/addresses.py). Names are checked
    by the resolver the crawler connects with (GuardedResolver); this catches the addresses
    written in URLs, which never reach a resolver. A source of the local sample portal may
    reach the portal's own host and nothing else that is not public."""

    def __init__(self, crawler) -> None:
        self.local_hosts = set(crawler.settings.getlist("GOVREPORTS_LOCAL_HOSTS"))

    @classmethod
    def from_crawler(cls, crawler) -> PrivateAddressMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider=None) -> None:
        host = (urlparse(request.url).hostname or "").strip("[]")
        if host in self.local_hosts:
            return None
        if is_ip_literal(host) and not is_public(host):
            raise IgnoreRequest(f"blocked: {host} is not a public address (private, loopback, link-local, "
                                "shared or reserved)")
        if host in ("localhost", "") or host.endswith(".localhost"):
            raise IgnoreRequest(f"blocked: {host or 'an empty host'} is not a public address")
        return None


class RecordingOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, with a crawl_log row for each request it drops.

    Scrapy filters offsite requests when they are scheduled (the request_scheduled signal),
    before any downloader middleware or errback sees them: an article that redirects to
    another host vanished without a trace. Now it leaves a row naming the host and the URL
    it was redirected from, and counts as a failed fetch."""

    def request_scheduled(self, request: Request, spider=None) -> None:
        try:
            self.process_request(request)
        except IgnoreRequest:
            host = urlparse(request.url).hostname or "?"
            came_from = (request.meta.get("redirect_urls") or [None])[0]
            why = (f"Offsite: redirected from {came_from} to host {host!r}, outside the source's allowed domains"
                   if came_from else f"Offsite: host {host!r} is outside the source's allowed domains")
            rec = recorder(self.crawler, source_of(self.crawler, request))
            rec.log(came_from or request.url, 0, error=why)
            rec.counts["offsite"] += 1
            raise
