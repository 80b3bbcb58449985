"""Every fetched body goes to the raw zone and every fetch (or failure) becomes a
crawl_log row, in one place, so spiders only deal with parsing."""

from __future__ import annotations

import datetime as dt

from scrapy import signals
from scrapy.http import Request, Response

from storage import open_store
from storage.datasets import write_partition
from storage.raw import put_raw


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class RawStoreMiddleware:
    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.store = open_store(settings.get("GOVREPORTS_STORE"))
        self.run_id = settings.get("GOVREPORTS_RUN_ID")
        self.source_id = settings.get("GOVREPORTS_SOURCE_ID")
        self.stats = crawler.stats
        self.rows: list[dict] = []
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler) -> RawStoreMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        sha = None
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        is_robots = request.url.endswith("/robots.txt")
        if response.status == 200 and response.body and not is_robots:
            sha, key, new = put_raw(self.store, response.body, ctype, response.url)
            request.meta["raw"] = {"sha256": sha, "key": key, "content_type": ctype}
            self.stats.inc_value("govreports/raw_new" if new else "govreports/raw_known")
        self._log(request.url, response.status, sha, len(response.body), ctype,
                  response.headers.get(b"ETag"), response.headers.get(b"Last-Modified"), None)
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        self._log(request.url, 0, None, 0, None, None, None, f"{type(exception).__name__}: {exception}")
        self.stats.inc_value("govreports/fetch_errors")
        return None

    def _log(self, url, status, sha, size, ctype, etag, last_modified, error) -> None:
        now = utcnow()
        self.rows.append({
            "url": url, "status": status, "sha256": sha,
            "etag": etag.decode("latin-1") if isinstance(etag, bytes) else etag,
            "last_modified": last_modified.decode("latin-1") if isinstance(last_modified, bytes) else last_modified,
            "fetched_at": now, "source": self.source_id, "run_id": self.run_id, "bytes": size,
            "content_type": ctype, "error": error, "crawl_date": now[:10],
        })

    def spider_closed(self, spider, reason) -> None:
        if not self.rows:
            return
        by_date: dict[str, list[dict]] = {}
        for row in self.rows:
            by_date.setdefault(row["crawl_date"], []).append(row)
        for day, rows in by_date.items():
            write_partition(self.store, "crawl_log", {"crawl_date": day}, rows,
                            filename=f"{self.source_id}-{self.run_id}.parquet")
