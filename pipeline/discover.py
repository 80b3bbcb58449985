"""`govreports discover`: turn region home pages into registry entries (crawlers/discovery.py
decides, crawlers/spiders/discover.py fetches). Which regions a run takes, and how politely.

A nightly `discover --all` takes at most `limit` regions (default 300): the undiscovered ones
first (in code order), then failing ones not retried for `retry_days`, then discovered ones
older than `refresh_days` (portals move). A run cut short keeps every region it finished; the
next run takes the rest. Like `run_crawl`, it runs one Twisted reactor: once per process."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crawlers.discovery import DISCOVERED, FAILING, load_results
from crawlers.regions import RegionPortal, load_regions
from storage.objectstore import open_store

DEFAULT_LIMIT = 300
RETRY_DAYS = 3.0
REFRESH_DAYS = 30.0


@dataclass
class DiscoverySummary:
    regions: int = 0
    discovered: int = 0
    failing: int = 0
    requests: int = 0
    results: list[dict] = field(default_factory=list)


def _age_days(stamp: str | None, now: dt.datetime) -> float:
    if not stamp:
        return float("inf")
    then = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return (now - then).total_seconds() / 86400


def regions_due(regions: tuple[RegionPortal, ...] | list[RegionPortal], results: dict[str, dict],
                limit: int | None = DEFAULT_LIMIT, now: dt.datetime | None = None,
                retry_days: float = RETRY_DAYS, refresh_days: float = REFRESH_DAYS) -> list[RegionPortal]:
    """The regions a `discover --all` run takes, in order, at most `limit`."""
    now = now or dt.datetime.now(dt.UTC)
    undiscovered, failing, stale = [], [], []
    for region in regions:
        if not region.home_url:
            continue
        res = results.get(region.key)
        if res is None:
            undiscovered.append(region)
        elif res["state"] == FAILING and _age_days(res.get("tried_at"), now) >= retry_days:
            failing.append((res.get("tried_at") or "", region))
        elif res["state"] == DISCOVERED and _age_days(res.get("tried_at"), now) >= refresh_days:
            stale.append((res.get("tried_at") or "", region))
    due = undiscovered + [r for _, r in sorted(failing, key=lambda t: t[0])] + [r for _, r in sorted(stale, key=lambda t: t[0])]
    return due if limit is None else due[:limit]


def discovery_settings(store_uri: str, regions: list[RegionPortal], portal_url: str | None,
                       delay: float, progress: bool) -> dict:
    """Broad-crawl settings: many hosts at once, one request at a time per host, `delay`
    seconds between them (AutoThrottle may lengthen it), robots.txt obeyed, small pages only."""
    from crawlers.settings import BASE

    local = portal_url is not None
    settings = {k: v for k, v in BASE.items() if k not in ("ITEM_PIPELINES", "EXTENSIONS")}
    mws = dict(BASE["DOWNLOADER_MIDDLEWARES"])
    mws.pop("crawlers.middlewares.RawStoreMiddleware")  # discovery keeps no raw bytes
    settings.update({
        "DOWNLOADER_MIDDLEWARES": mws,
        "ITEM_PIPELINES": {"crawlers.spiders.discover.DiscoveryPipeline": 800},
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",  # made for many domains
        "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": not local,
        "AUTOTHROTTLE_START_DELAY": max(delay, 1.0),
        "DOWNLOAD_TIMEOUT": 5 if local else 30,
        "DOWNLOAD_MAXSIZE": 5 * 1024 * 1024,
        "RETRY_TIMES": 1,
        "REACTOR_THREADPOOL_MAXSIZE": 20,  # DNS lookups for hundreds of hosts
        "GOVREPORTS_STORE": store_uri,
        "GOVREPORTS_LOCAL_HOSTS": sorted({r.home_url.split("/")[2].split(":")[0] for r in regions if r.local}),
        "LOG_LEVEL": "CRITICAL",  # every failure is in the region's result, with its reason
    })
    return settings


def run_discovery(regions: list[RegionPortal], store_uri: str, portal_url: str | None = None,
                  delay: float = 2.0, progress: bool = True) -> DiscoverySummary:
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.settings import Settings

    from crawlers.spiders.discover import DiscoverySpider

    regions = [r for r in regions if r.home_url]
    summary = DiscoverySummary(regions=len(regions))
    if not regions:
        return summary
    process = AsyncCrawlerProcess(Settings(discovery_settings(store_uri, regions, portal_url, delay, progress)))
    crawler = process.create_crawler(DiscoverySpider)
    process.crawl(crawler, regions=regions, portal_url=portal_url)
    process.start()
    stats = crawler.stats.get_stats()
    summary.requests = int(stats.get("downloader/request_count", 0))
    results = load_results(open_store(store_uri))
    for region in regions:
        res = results.get(region.key)
        if res is None:  # the crawl stopped before this region ended (killed, or shut down)
            continue
        summary.results.append(res)
        if res["state"] == DISCOVERED:
            summary.discovered += 1
        else:
            summary.failing += 1
    return summary


def select_regions(keys: list[str] | None, all_regions: bool, store_uri: str, portal_url: str | None,
                   limit: int | None) -> tuple[list[RegionPortal], list[str]]:
    """The regions named (by code, source id or path) or due; and the keys not found."""
    regions = load_regions(portal_url)
    if all_regions:
        return regions_due(regions, load_results(open_store(store_uri)), limit), []
    chosen, unknown = [], []
    for key in keys or []:
        key = key.removeprefix("gb")
        match = [r for r in regions if key in (r.key, r.code, r.path)]
        if match:
            chosen.extend(m for m in match if m not in chosen)
        else:
            unknown.append(key)
    return chosen, unknown


HAND_WRITTEN = "hand-written"
UNDISCOVERED = "undiscovered"
STATES = (HAND_WRITTEN, DISCOVERED, FAILING, UNDISCOVERED)


def region_states(store_uri: str | None, portal_url: str | None = None) -> list[dict]:
    """One row per region of the registry: its state (hand-written: a sources.yaml entry covers
    it; discovered: `discover` recorded a usable entry; failing: discovery tried and said why;
    undiscovered: never tried), its source id and platform, and the reason when failing."""
    from crawlers.registry import load_sources

    results = load_results(open_store(store_uri)) if store_uri else {}
    local = portal_url is not None
    hand = {}
    for src in load_sources(portal_url):
        if src.region and src.region.code and src.local == local:
            hand.setdefault(src.region.code, src)
    rows = []
    for region in load_regions(portal_url):
        res = results.get(region.key)
        if res is not None and bool(res.get("local")) != local:
            res = None
        src = hand.get(region.code) if region.code else None
        entry = (res or {}).get("entry") or {}
        if src is not None:
            state, sid, platform = HAND_WRITTEN, src.id, src.platform
        elif res is not None and entry:
            state, sid, platform = DISCOVERED, entry["id"], entry["platform"]
        elif res is not None:
            state, sid, platform = FAILING, None, res.get("platform")
        else:
            state, sid, platform = UNDISCOVERED, None, None
        rows.append({"key": region.key, "code": region.code, "name": region.name, "admin_level": region.admin_level,
                     "province": region.province, "parent": region.parent, "home_url": region.home_url,
                     "state": state, "source_id": sid, "platform": platform,
                     "reason": (res or {}).get("reason") if state == FAILING else None,
                     "tried_at": (res or {}).get("tried_at")})
    return rows
