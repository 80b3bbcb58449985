"""Scrapy settings shared by every crawl; per-source politeness is layered on top in
`crawl_settings`."""

from __future__ import annotations

from scrapy.settings import Settings
from scrapy.settings import default_settings as _default_settings

from crawlers.registry import Source
from crawlers.slots import slot_key

BOT_NAME = "govreports"

BASE = {
    "BOT_NAME": BOT_NAME,
    "SPIDER_MODULES": ["crawlers.spiders"],
    "USER_AGENT": "govreports/0.1 (research crawler; respects robots.txt)",
    "ROBOTSTXT_OBEY": True,
    "COOKIES_ENABLED": True,  # WAF cookie challenges set a cookie and redirect back
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "DOWNLOAD_DELAY": 1.0,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "DOWNLOAD_TIMEOUT": 60,
    "DOWNLOAD_MAXSIZE": 64 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 16 * 1024 * 1024,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 3,
    "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
    "REDIRECT_MAX_TIMES": 10,
    "TELNETCONSOLE_ENABLED": False,
    # the check reads and parses each callback's source (inspect.getsource, ast) when it is first
    # called: tens of ms per crawl over our callbacks, which return no value from a generator
    # (tests/test_spiders.py checks them once instead)
    "WARN_ON_GENERATOR_RETURN_VALUE": False,
    # One crawler per source: the plain priority queue. Scrapy's default downloader-aware queue
    # is built for broad crawls over many domains in one crawler and, with several crawlers in
    # one process, made each of them wait between requests (benchmarks/crawl.py: 2.6x -> see docs).
    "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue",
    "LOG_LEVEL": "WARNING",
    "DOWNLOAD_FAIL_ON_DATALOSS": True,
    "RETRY_BACKOFF_BASE": 1.0,
    "RETRY_BACKOFF_MAX": 60.0,
    "TWISTED_DNS_RESOLVER": "crawlers.addresses.GuardedResolver",  # public addresses only, checked at connection time
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
        "crawlers.middlewares.RecordingOffsiteMiddleware": 50,
        "crawlers.slots.DownloadSlotMiddleware": 55,  # before robots.txt: its requests join the site's slot
        "crawlers.middlewares.PrivateAddressMiddleware": 60,
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "crawlers.middlewares.CachedRobotsTxtMiddleware": 100,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawlers.middlewares.BackoffRetryMiddleware": 550,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
        "crawlers.middlewares.RepeatRedirectMiddleware": 600,
        "crawlers.middlewares.RawStoreMiddleware": 950,
    },
    "ITEM_PIPELINES": {
        "crawlers.pipelines.ManifestPipeline": 800,
    },
    "EXTENSIONS": {
        "crawlers.progress.Progress": 500,
    },
    # Scrapy imports every extension it lists to read its priority, even one set to None: its
    # remote-control endpoint (off by default) would import aiohttp (0.1 s) in every crawl process
    "EXTENSIONS_BASE": {k: v for k, v in _default_settings.EXTENSIONS_BASE.items() if not k.endswith(".RemoteControl")},
}


def crawl_settings(sources: list[Source], store_uri: str, run_id: str, year: int | None = None,
                   progress: bool = True, overrides: dict | None = None) -> Settings:
    """Settings of one crawl run over several sources. Politeness is per site: each registrable
    domain (crawlers/slots.py) gets a download slot with the strictest concurrency and delay of
    the sources on it;
    per-source timeouts, size caps, retries and backoff travel with each request (meta)."""
    settings = Settings()
    settings.setdict(BASE, priority="project")
    slots: dict[str, dict] = {}
    for source in sources:
        pol = source.politeness
        for domain in source.allowed_domains:
            slot = slots.setdefault(slot_key(domain), {"concurrency": pol.get("concurrency", 2),
                                             "delay": pol.get("download_delay", 1.0)})  # jittered ±50% by default
            slot["concurrency"] = min(slot["concurrency"], pol.get("concurrency", 2))
            slot["delay"] = max(slot["delay"], pol.get("download_delay", 1.0))
    settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
    if sources:
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", min(s["concurrency"] for s in slots.values()), priority="spider")
        settings.set("DOWNLOAD_DELAY", max(s["delay"] for s in slots.values()), priority="spider")
        settings.set("AUTOTHROTTLE_ENABLED", any(s.politeness.get("autothrottle", True) for s in sources), priority="spider")
        settings.set("DOWNLOAD_TIMEOUT", max(s.politeness.get("timeout", 60) for s in sources), priority="spider")
        settings.set("DOWNLOAD_MAXSIZE", int(max(s.politeness.get("max_mb", 64) for s in sources) * 1024 * 1024),
                     priority="spider")
    if sources and all(s.local for s in sources):
        settings.set("AUTOTHROTTLE_START_DELAY", 0.0, priority="spider")
        settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(min(s["concurrency"] for s in slots.values())),
                     priority="spider")
    settings.set("GOVREPORTS_STORE", store_uri, priority="cmdline")
    settings.set("GOVREPORTS_RUN_ID", run_id, priority="cmdline")
    settings.set("GOVREPORTS_SOURCE_DOMAINS", {s.id: list(s.allowed_domains) for s in sources}, priority="cmdline")
    settings.set("GOVREPORTS_LOCAL_HOSTS", sorted({d for s in sources if s.local for d in s.allowed_domains}),
                 priority="cmdline")
    settings.set("GOVREPORTS_YEAR", year, priority="cmdline")
    settings.set("GOVREPORTS_PROGRESS", progress, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings
