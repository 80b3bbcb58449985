"""Crawling like a nightly job: incremental reruns, conditional GETs, a changed listing, every
fault switch at once, a source going silent, year backfills side by side, the private-address
guard. Each crawl is the real `govreports crawl` in its own process against the sample portal."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from crawlers.sample_portal import SamplePortal
from crawlers.sample_portal.server import FAULTS
from crawlers.sample_portal.site import NEW_NOTICE_TITLE
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.slow


def crawl(portal, store, tmp_path, tag, *extra):
    summary = tmp_path / f"{tag}.json"
    proc = run_cli("crawl", "--all", "--portal-url", portal.url, "--store", str(store), "--quiet",
                   "--json-summary", str(summary), *extra)
    return proc, {r["source_id"]: r for r in json.loads(summary.read_text())}


def discover(portal, store):
    """The registry as a deployment has it: the sample portal's regions discovered first, so
    `crawl --all` also crawls the site only discovery knows (兰山区, the UCAP platform)."""
    proc = run_cli("discover", "--all", "--portal-url", portal.url, "--store", str(store), "--quiet")
    assert proc.returncode == 0, proc.stderr


def total(stats, key):
    return sum(r[key] for r in stats.values())


def raw_files(store):
    return sorted(p.name for p in (store / "raw").rglob("*.*"))


def published(store):
    return {p.relative_to(store): p.read_bytes() for p in sorted((store / "datasets").rglob("report_year=*/*.parquet"))}


def process(store, *flags):
    proc = run_cli("process", "--store", str(store), "--quiet", *flags)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture()
def fresh_portal():
    with SamplePortal() as p:
        yield p


def test_unchanged_portal_second_crawl_is_cheap_and_changes_nothing(fresh_portal, tmp_path):
    store = tmp_path / "store"
    discover(fresh_portal, store)
    proc, first = crawl(fresh_portal, store, tmp_path, "first")
    assert proc.returncode == 0, proc.stderr
    assert first["gb371302"]["items"] == 1 and "gb370828" not in first  # discovered; shadowed skipped
    process(store)
    raw_before, rows_before = raw_files(store), published(store)
    robots_before = fresh_portal.hits.get("/robots.txt", 0)

    proc, second = crawl(fresh_portal, store, tmp_path, "second")
    assert proc.returncode == 0, proc.stderr
    assert total(second, "requests") <= 0.10 * total(first, "requests")
    assert total(second, "response_bytes") <= 0.05 * total(first, "response_bytes")
    assert total(second, "raw_new") == 0 and raw_files(store) == raw_before
    assert total(second, "items") == 0 and total(second, "not_modified") == total(second, "requests")
    assert fresh_portal.hits.get("/robots.txt", 0) == robots_before  # robots.txt came from the cache
    assert "in report years []" in process(store, "--pending")  # nothing new: nothing rewritten
    process(store)
    assert published(store) == rows_before

    # a new notice appears on a listing: the next crawl fetches exactly it
    fresh_portal.set_faults({"changed_listing"})
    proc, third = crawl(fresh_portal, store, tmp_path, "third")
    assert proc.returncode == 0, proc.stderr
    article_hits = {p for p in fresh_portal.hits
                    if not p.startswith("/agg/") and ("/info/" in p or "download" in p or "doc_" in p or "/t20" in p)}
    assert article_hits == {"/luozhuang/info/1091/5210.htm"}
    assert total(third, "items") == 1
    out = process(store, "--pending")  # the nightly publish: only the year the new notice falls in
    docs = pd.read_parquet(store / "datasets" / "documents")
    assert NEW_NOTICE_TITLE in set(docs.title) and docs.doc_id.is_unique
    year = int(docs[docs.title == NEW_NOTICE_TITLE].report_year.iloc[0])
    assert f"in report years [{year}]" in out
    after_pending = published(store)
    changed = {str(k).split("/")[2] for k in after_pending if after_pending[k] != rows_before.get(k)}
    assert changed == {f"report_year={year}"}
    process(store)  # a full publish agrees with the pending one
    assert published(store) == after_pending


def test_every_fault_at_once_then_a_clean_rerun_completes_the_set(fresh_portal, tmp_path):
    store = tmp_path / "store"
    discover(fresh_portal, store)
    fresh_portal.set_faults(FAULTS - {"silent"})
    proc, faulty = crawl(fresh_portal, store, tmp_path, "faulty")
    # the crawl finishes, and says which sources lost documents (the rule `status` applies)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    failed = {ln.split()[0] for ln in proc.stdout.splitlines() if ln.endswith("FAILED")}
    assert {"hedong_zfgzbg", "linzi_zfgzbg", "qingdao_zfgzbg", "guanxian_zfgzbg"} <= failed, proc.stdout
    assert "gb371302" not in failed  # its 429 was retried and recovered
    log = pd.read_parquet(store / "datasets" / "crawl_log")
    errors = " ".join(log.error.dropna())
    statuses = set(log.status)
    assert {429, 500, 404, 302} <= statuses
    for reason in ("ResponseDataLossError", "DownloadTimeoutError", "max redirections", "larger than download max size"):
        assert reason in errors, reason
    # WAF challenge passed (临淄 article fetched after the cookie), GBK listings decoded (aggregator items)
    assert faulty["linzi_zfgzbg"]["items"] == 1 and faulty["cyyq_zfgzbg"]["items"] == 10
    assert faulty["gb371302"]["items"] == 1  # the discovered UCAP site: 429 then GBK pages
    manifests = [json.loads(line) for p in (store / "crawl" / "items").rglob("*.jsonl") for line in p.read_text().splitlines()]
    assert any(m["errors"] for m in manifests if m.get("errors"))  # the truncated PDF kept its document, flagged

    fresh_portal.set_faults(set())
    proc, clean = crawl(fresh_portal, store, tmp_path, "clean")
    assert proc.returncode == 0, proc.stderr
    # exactly the documents that failed: 罗庄 PDF, 河东 500, 临淄 oversize, 青岛 timeout, 冠县 redirected offsite
    assert total(clean, "items") == 5
    process(store)
    docs = pd.read_parquet(store / "datasets" / "documents")
    assert len(docs) == 15 and docs.doc_id.is_unique  # the 14 of the demo and changed_listing's new notice
    assert not any("fetch_error" in list(flags) for flags in docs.quality_flags)
    assert docs[docs.region_name == "河东区"].extraction.tolist() == ["pdf"]


def test_a_source_that_goes_silent_fails_loudly(fresh_portal, tmp_path):
    store = tmp_path / "store"
    proc = run_cli("crawl", "--source", "luozhuang_zfgzbg", "--portal-url", fresh_portal.url, "--store", str(store), "--quiet")
    assert proc.returncode == 0, proc.stderr
    fresh_portal.set_faults({"silent"})
    proc = run_cli("crawl", "--source", "luozhuang_zfgzbg", "--portal-url", fresh_portal.url, "--store", str(store), "--quiet")
    assert proc.returncode == 1
    assert "source luozhuang_zfgzbg" in proc.stderr and "may have moved" in proc.stderr
    proc = run_cli("crawl", "--source", "luozhuang_zfgzbg", "--portal-url", fresh_portal.url, "--store", str(store),
                   "--quiet", "--allow-empty")
    assert proc.returncode == 0


def test_year_backfills_run_side_by_side(portal, tmp_path):
    store = tmp_path / "store"
    procs = {}
    for year in (2019, 2021):
        procs[year] = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "crawl", "--source", "cyyq_zfgzbg", "--year", str(year),
             "--portal-url", portal.url, "--store", str(store), "--quiet", "--json-summary", str(tmp_path / f"{year}.json")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for p in procs.values():
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    for year in (2019, 2021):
        run_id = json.loads((tmp_path / f"{year}.json").read_text())[0]["run_id"]
        items = [json.loads(line) for line in (store / "crawl" / "items" / "cyyq_zfgzbg" / f"{run_id}.jsonl").read_text().splitlines()]
        assert items
        from parsers.document import parse_text
        from parsers.extract import extract_html
        for item in items:
            page = (store / item["page_key"]).read_bytes()
            text = extract_html(page, item["page_content_type"], item["fragment"]).text
            assert parse_text(text, title=item["title"])["document"]["report_year"] == year
    # one state file for the source, holding both years' scopes (not a copy of the union per year)
    assert [p.name for p in (store / "state" / "crawl").iterdir()] == ["cyyq_zfgzbg.json"]
    scopes = json.loads((store / "state" / "crawl" / "cyyq_zfgzbg.json").read_text())["scopes"]
    assert set(scopes) == {"year-2019", "year-2021"}
    # one site, so the site lease ran the two crawls one after the other, never interleaved
    log = pd.read_parquet(store / "datasets" / "crawl_log")
    windows = sorted((g.fetched_at.min(), g.fetched_at.max()) for _, g in log.groupby("run_id"))
    assert len(windows) == 2 and windows[0][1] <= windows[1][0]
    assert not list((store / "locks").rglob("*.json"))


def test_private_addresses_are_refused_for_non_local_sources(portal, tmp_path, monkeypatch):
    registry = tmp_path / "extra.yaml"
    registry.write_text(f"""
- id: internal_host
  name: a portal entry that resolves to this machine
  platform: vsb
  listing_urls: ["{portal.url}/luozhuang/zfxxgk/zfgzbg.htm"]
  allowed_domains: ["127.0.0.1"]
  doc_types: [work_report]
  region: {{name: 罗庄区, code: "371311", admin_level: district, province: 山东省, parent: 临沂市}}
""", encoding="utf-8")
    monkeypatch.setenv("GOVREPORTS_SOURCES", str(registry))
    before = dict(portal.hits)
    store = tmp_path / "store"
    proc = run_cli("crawl", "--source", "internal_host", "--store", str(store), "--quiet")
    assert proc.returncode == 1  # nothing fetched, nothing found
    assert portal.hits == before  # not a single request reached the host
    log = pd.read_parquet(store / "datasets" / "crawl_log")
    assert log.error.str.startswith("BlockedAddress: blocked: 127.0.0.1 is not a public address").any()


def test_unreachable_live_sources_are_refused_without_force(tmp_path):
    proc = run_cli("crawl", "--source", "qingdao_gov_zfgzbg", "--store", str(tmp_path))
    assert proc.returncode == 2 and "reachable: false" in proc.stderr
