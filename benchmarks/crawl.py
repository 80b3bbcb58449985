"""Crawl throughput against a bare Scrapy spider, and the cost of an unchanged nightly rerun.

    python benchmarks/crawl.py [--rounds 15]

Serves the sample portal, then in the same run, each crawl in its own process (Scrapy's
reactor runs once per process), timed inside the process around the crawl itself:
  ours  - `pipeline.crawl.run_crawl` over every sample source in its one crawler at full
          concurrency (AutoThrottle off, politeness slots lifted, 16 per domain): raw store,
          crawl log, state, manifests;
  bare  - a plain scrapy.Spider with none of our middlewares or pipelines that starts at the
          same listing pages and follows exactly the links our crawl fetched, at the same
          concurrency (so both walk the same pagination chains);
Both are timed from the spider's start (Scrapy's start_time) to the last write (ours: the
crawl log, state and manifests written after the spider closes), so process start-up and
imports count for neither; rounds are paired and alternate which side runs first, and the
ratio is the median of the per-round ratios (one crawl varies by +-20% on a shared 2-core VM,
hence 15 rounds by default). The stores are removed at the end, not between rounds: a removal's
deferred disk work (ext4's discard, journal commits) would land on the next round, and only
our side writes. On two or more CPUs each timed crawl runs pinned to the last CPU and the portal's
server to the others, so the two never share a core.
then a second, unchanged crawl of ours: its requests and bytes as a share of the first;
then the CPU time of whole `govreports crawl` processes over the unchanged store (what a nightly
pays per process, imports included): one source alone, and every sample source in one batched
process (the DAGs' `crawl_batch`), per source."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
FULL = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 32,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue", "DOWNLOAD_SLOTS": {},
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "LOG_LEVEL": "ERROR"}

OURS = """
import json, sys
from crawlers.registry import load_sources
from pipeline.crawl import run_crawl
import parsers.page_meta  # imported when the first article is read: an import, which counts for neither side
portal, store, overrides = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
ids = [s.id for s in load_sources(portal) if s.local]
spans = []
res = run_crawl(ids, store, portal_url=portal, progress=False, overrides=overrides, stats_out=spans)
import datetime as _dt
# to the last write: the crawl log, state and manifests are written after the spider closes
dt = (_dt.datetime.now(_dt.UTC) - spans[0]["start_time"]).total_seconds()
print(json.dumps({"seconds": dt, "requests": sum(r.requests for r in res), "bytes": sum(r.response_bytes for r in res),
                  "items": sum(r.items for r in res)}))
"""

BARE = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
roots, allowed, overrides = json.loads(sys.argv[1]), set(json.loads(sys.argv[2])), json.loads(sys.argv[3])
fetched = []

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in roots:
            yield scrapy.Request(url)
    def parse(self, response):
        fetched.append(response.url)
        if b"<html" not in response.body[:2000].lower():
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if url in allowed:
                yield scrapy.Request(url)
        import re
        pager = re.search(r'createPageHTML\\((\\d+), (\\d+), "index", "shtml"\\)', response.text)
        if pager and int(pager[2]) + 1 < int(pager[1]):
            nxt = response.urljoin(f"index_{int(pager[2]) + 1}.shtml")
            if nxt in allowed:
                yield scrapy.Request(nxt)

process = CrawlerProcess({**overrides, "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False,
                          "HTTPERROR_ALLOW_ALL": True, "COOKIES_ENABLED": True})
crawler = process.create_crawler(Bare)
process.crawl(crawler)
process.start()
stats = crawler.stats.get_stats()
import datetime as _dt
print(json.dumps({"seconds": (_dt.datetime.now(_dt.UTC) - stats["start_time"]).total_seconds(), "requests": len(fetched)}))
"""


CPUS = sorted(os.sched_getaffinity(0))  # taken before _pin_server narrows this process


def _pin_crawl() -> None:
    """The timed crawl gets the last CPU to itself, so the portal's server threads never take
    its core mid-crawl: the paired comparison then measures each crawl's own cost, not who lost
    the scheduler's coin toss (unpinned, the per-round ratio swings by a third)."""
    if len(CPUS) >= 2:
        os.sched_setaffinity(0, CPUS[-1:])


def _pin_server() -> None:
    """This process (the sample portal's server and its connection threads) keeps the other CPUs."""
    if len(CPUS) >= 2:
        os.sched_setaffinity(0, CPUS[:-1])


def run(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=_pin_crawl)
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def file_cost_ms(folder: Path, n: int = 200) -> float:
    """What the raw zone pays per object on this disk (each is a temp file renamed into place)."""

    work = Path(tempfile.mkdtemp(dir=folder))
    started = time.perf_counter()
    for i in range(n):
        fd, tmp = tempfile.mkstemp(dir=work)
        os.write(fd, b"x" * 20000)
        os.close(fd)
        os.replace(tmp, work / f"f{i}")
    cost = (time.perf_counter() - started) / n * 1000
    shutil.rmtree(work)
    return cost


def process_cpu(store: Path, portal: str, ids: list[str], runs: int = 5) -> float:
    """Median CPU seconds (user + system) of a `govreports crawl` process over the sources."""
    import resource

    cpu = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cmd = [sys.executable, "-m", "pipeline.cli", "crawl", "--store", str(store), "--portal-url", portal, "--quiet"]
        proc = subprocess.run(cmd + [a for i in ids for a in ("--source", i)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            raise SystemExit(proc.stderr[-2000:])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(cpu)


def main() -> None:
    from crawlers.registry import load_sources
    from crawlers.sample_portal import SamplePortal

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--store-dir", type=Path, default=ROOT / ".bench",
                        help="where the stores go (default: .bench/ in the clone, beside where ./data would be; "
                             "a store's speed is its disk's: the run prints the disk's cost per file)")
    args = parser.parse_args()
    args.store_dir.mkdir(parents=True, exist_ok=True)
    print(f"stores under {args.store_dir}: {file_cost_ms(args.store_dir):.2f} ms to create and rename a 20 kB file")
    ours_t, bare_t, stores = [], [], []
    _pin_server()
    with SamplePortal() as portal:
        roots = [u for s in load_sources(portal.url) if s.local for u in s.listing_urls]
        allowed = None
        ids = [s.id for s in load_sources(portal.url) if s.local]
        for n in range(args.rounds):
            store = Path(tempfile.mkdtemp(prefix="govreports-bench-", dir=args.store_dir))
            if n % 2 and allowed is not None:  # alternate which side goes first: paired rounds
                bare = run(BARE, json.dumps(roots), json.dumps(allowed), json.dumps(FULL))
                first = run(OURS, portal.url, str(store), json.dumps(FULL))
            else:
                first = run(OURS, portal.url, str(store), json.dumps(FULL))
                allowed = sorted(set(pd.read_parquet(store / "datasets" / "crawl_log").url))
                bare = run(BARE, json.dumps(roots), json.dumps(allowed), json.dumps(FULL))
            second = run(OURS, portal.url, str(store), json.dumps(FULL))
            print(f"  round {n + 1}: ours {first['seconds']:.3f}s bare {bare['seconds']:.3f}s "
                  f"({first['seconds'] / bare['seconds']:.2f}x)", flush=True)
            ours_t.append(first["seconds"])
            bare_t.append(bare["seconds"])
            if n == args.rounds - 1:
                one = process_cpu(store, portal.url, ids[:1])
                batch = process_cpu(store, portal.url, ids)
            stores.append(store)
    for store in stores:  # removed at the end: a removal's disk work (ext4's discard) would land on the next round
        shutil.rmtree(store)
    ours, base = statistics.median(ours_t), statistics.median(bare_t)
    ratios = sorted(o / b for o, b in zip(ours_t, bare_t, strict=True))
    print(f"Sample portal: {len(roots)} listings, {first['requests']} requests, {first['bytes'] / 1e6:.2f} MB, "
          f"{first['items']} documents (median of {args.rounds} rounds)")
    print(f"  ours (raw store, state, crawl log, manifests): {ours:.2f}s  {first['requests']} requests, {first['requests'] / ours:.0f}/s")
    print(f"  bare Scrapy spider, same links:               {base:.2f}s  {bare['requests']} requests, {bare['requests'] / base:.0f}/s")
    print(f"  ratio ours / bare, median of {len(ratios)} paired rounds: {statistics.median(ratios):.2f}x "
          f"(range {ratios[0]:.2f}-{ratios[-1]:.2f}; both timed from the spider's start to the last write)")
    print(f"Second, unchanged crawl: {second['requests']} requests ({second['requests'] / first['requests']:.1%} of the first), "
          f"{second['bytes']} bytes ({second['bytes'] / first['bytes']:.1%}), {second['items']} new documents")
    print(f"Unchanged-source crawl process, CPU (median of 5): 1 source {one:.2f} CPU-s; {len(ids)} sources in one "
          f"process {batch:.2f} CPU-s ({batch / len(ids):.2f} per source)")


if __name__ == "__main__":
    started = time.time()
    main()
    print(f"(benchmark took {time.time() - started:.0f}s)")
