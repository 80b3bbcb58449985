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


def sources_to_crawl(portal_url: str | None = None, only: list[str] | None = None) -> list[str]:
    """Reachable registry sources: the sample portal's when a portal URL is given, else the
    live portals (optionally only the ids in `only`)."""
    ids = [s.id for s in load_sources(portal_url) if s.reachable and s.local == bool(portal_url)]
    return [i for i in ids if not only or i in only]


def crawl_source(source_id: str, store_uri: str, year: int | None = None, portal_url: str | None = None,
                 allow_empty: bool = False, timeout: float = 3 * 3600) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        summary_path = os.path.join(tmp, "summary.json")
        cmd = [sys.executable, "-m", "pipeline.cli", "crawl", "--source", source_id, "--store", store_uri,
               "--quiet", "--json-summary", summary_path]
        if year:
            cmd += ["--year", str(year)]
        if portal_url:
            cmd += ["--portal-url", portal_url]
        if allow_empty:
            cmd.append("--allow-empty")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        sys.stderr.write(proc.stderr[-5000:])
        if not os.path.exists(summary_path):
            raise CrawlFailed(f"crawl of source {source_id} did not run: {proc.stderr[-2000:]}")
        (result,) = json.load(open(summary_path, encoding="utf-8"))
    if proc.returncode != 0:
        reason = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        raise CrawlFailed(f"crawl of source {source_id} failed: {reason}")
    keys = ("source_id", "run_id", "items", "requests", "errors", "documents_seen", "not_modified", "raw_new")
    return {k: result[k] for k in keys}


def publish(store_uri: str, years: list[int] | None = None) -> dict:
    """Extract, parse and publish from the raw zone (no portal request): used after crawls and
    for re-parsing with a new parser version."""
    summary = asdict(process(store_uri, years, progress=False))
    return {k: summary[k] for k in ("items", "documents", "duplicates", "indicators", "tasks", "years")}
