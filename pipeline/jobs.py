"""The jobs the Airflow DAGs run, as plain functions (the DAG files only wire them).

A crawl runs `govreports crawl` in a subprocess: the Twisted reactor cannot restart inside a
long-lived worker process. Results are small JSON-able summaries, fit for XCom."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict

from crawlers.registry import load_sources
from pipeline.process import process


class CrawlFailed(RuntimeError):
    """A source's crawl went wrong (errors, or listings that went silent)."""


def sources_to_crawl(portal_url: str | None = None, only: list[str] | None = None,
                     store_uri: str | None = None) -> list[str]:
    """Reachable registry sources: the sample portal's when a portal URL is given, else the
    live portals (optionally only the ids in `only`). With a store, the discovered sources
    too, except those a hand-written entry shadows."""
    ids = [s.id for s in load_sources(portal_url, store_uri=store_uri)
           if s.reachable and s.local == bool(portal_url) and not s.shadowed_by]
    return [i for i in ids if not only or i in only]


def crawl_groups(source_ids: list[str], size: int, portal_url: str | None = None,
                 store_uri: str | None = None) -> list[list[str]]:
    """The sources in groups of at most `size`, one crawl process each: a process costs about a
    CPU-second to start, so 3,200 processes a night would spend most of the crawl starting up.
    Sources are ordered by site, so the sources of one portal share a group (and its site
    leases) rather than wait on each other's."""
    from urllib.parse import urlparse

    sources = {s.id: s for s in load_sources(portal_url, store_uri=store_uri)}

    def site(source_id: str) -> str:
        urls = sources[source_id].listing_urls if source_id in sources else []
        return urlparse(urls[0]).netloc if urls else ""

    ordered = sorted(source_ids, key=lambda i: (site(i), i))
    size = max(1, int(size))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


def crawl_sources(source_ids: list[str], store_uri: str, year: int | None = None, portal_url: str | None = None,
                  allow_empty: bool = False, timeout: float = 3 * 3600) -> list[dict]:
    """One `govreports crawl` process for the sources (politeness per site inside it). Returns a
    summary per source, with `problem` set for the sources that failed; raises when none of
    them succeeded (a dead network or portal: worth the task's retries) or the process died."""
    with tempfile.TemporaryDirectory() as tmp:
        summary_path = os.path.join(tmp, "summary.json")
        cmd = [sys.executable, "-m", "pipeline.cli", "crawl", "--store", store_uri, "--quiet",
               "--json-summary", summary_path]
        for source_id in source_ids:
            cmd += ["--source", source_id]
        if year:
            cmd += ["--year", str(year)]
        if portal_url:
            cmd += ["--portal-url", portal_url]
        if allow_empty:
            cmd.append("--allow-empty")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        sys.stderr.write(proc.stderr[-5000:])
        label = ", ".join(source_ids)
        if not os.path.exists(summary_path):
            raise CrawlFailed(f"crawl of source(s) {label} did not run: {proc.stderr[-2000:]}")
        results = json.load(open(summary_path, encoding="utf-8"))
    keys = ("source_id", "run_id", "items", "requests", "errors", "documents_seen", "not_modified", "raw_new",
            "problem")
    summaries = [{k: r.get(k) for k in keys} for r in results]
    if summaries and all(s["problem"] for s in summaries):
        reasons = "; ".join(s["problem"] for s in summaries)
        raise CrawlFailed(f"crawl of source(s) {label} failed: {reasons}")
    for s in summaries:
        if s["problem"]:
            print(f"crawl of source {s['source_id']} failed: {s['problem']}", file=sys.stderr)
    return summaries


def publish(store_uri: str, years: list[int] | None = None, pending_only: bool = False) -> dict:
    """Extract, parse and publish from the raw zone (no portal request): used after crawls
    (`pending_only`: the years that new documents touch) and for re-parsing with a new parser
    version (given years, or all)."""
    summary = asdict(process(store_uri, years, progress=False, pending_only=pending_only))
    return {k: summary[k] for k in ("items", "documents", "duplicates", "indicators", "tasks", "years")}


def extract_shard(store_uri: str, shard: int, shards: int) -> dict:
    """Shard `shard` of `shards` of the extraction and parsing of crawls not yet indexed
    (pipeline/shards.py); the publish after it finds the results cached."""
    from pipeline.process import parse_item
    from pipeline.shards import run_shard
    from storage.objectstore import open_store

    return run_shard(open_store(store_uri), shard, shards, parse_item)


def check_crawls(expected: list[str] | list[list[str]], results: list) -> dict:
    """Fail the run, after publishing, when a source's crawl failed: a source with a `problem`
    in its group's summaries, or one whose group task failed (it left no result). Publishing
    runs first so one broken portal never holds back the others' documents."""
    expected = [s for group in expected for s in ([group] if isinstance(group, str) else group)]
    summaries = [r for item in results if item for r in (item if isinstance(item, list) else [item])]
    done = {r["source_id"] for r in summaries if r and not r.get("problem")}
    problems = {r["source_id"]: r["problem"] for r in summaries if r and r.get("problem")}
    failed = [s for s in expected if s not in done]
    if failed:
        why = "; ".join(f"{s}: {problems.get(s, 'its crawl task failed (see its log)')}" for s in failed)
        raise CrawlFailed(f"{len(failed)} of {len(expected)} source(s) failed to crawl: {', '.join(failed)} "
                          f"({why}); the other sources were published")
    return {"sources": len(expected), "failed": []}


def publish_source_health(store_uri: str, max_age_days: float = 2.0) -> dict:
    """Write today's source_health snapshot; return the count per status (for XCom)."""
    from collections import Counter

    from pipeline.health import publish_health, source_health
    from storage.objectstore import open_store

    store = open_store(store_uri)
    rows = source_health(store, max_age_days=max_age_days)
    publish_health(store, rows)
    return dict(Counter(r["status"] for r in rows))


def discover_regions(store_uri: str, portal_url: str | None = None, limit: int | None = None,
                     delay: float = 2.0, timeout: float = 2 * 3600, echo: bool = True) -> dict:
    """`govreports discover --all` in a subprocess (its own reactor): the regions due, at most
    `limit`. Returns the registry's counts per state afterwards (for XCom)."""
    from collections import Counter

    from pipeline.discover import DEFAULT_LIMIT, region_states

    cmd = [sys.executable, "-m", "pipeline.cli", "discover", "--all", "--store", store_uri, "--quiet",
           "--limit", str(DEFAULT_LIMIT if limit is None else limit), "--delay", str(delay)]
    if portal_url:
        cmd += ["--portal-url", portal_url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if echo:  # into the task log
        sys.stdout.write(proc.stdout[-20000:])
        sys.stderr.write(proc.stderr[-5000:])
    if proc.returncode != 0:
        reason = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        raise RuntimeError(f"discovery run failed: {reason}")
    states = Counter(r["state"] for r in region_states(store_uri, portal_url))
    return {"tried": len([ln for ln in proc.stdout.splitlines() if ln.strip()]), **dict(states)}
