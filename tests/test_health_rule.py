"""One rule for a source's health (issue 14, items 2 and 8): `crawl`'s verdict and exit code
and `status` right after agree; a retried request that then succeeded is not a failure, a
listed document that could not be fetched is, and a request Scrapy drops as offsite (an
article redirected to another host) leaves a crawl_log row with its reason."""

import pandas as pd
import pytest

from crawlers.sample_portal.server import SamplePortal
from pipeline.health import hard_failures, unrecovered_failures
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


def crawl(portal, store, source):
    return run_cli("crawl", "--source", source, "--portal-url", portal.url, "--store", str(store), "--quiet")


def status_of(store, source) -> tuple[int, str]:
    proc = run_cli("status", "--store", str(store), "--source", source)
    assert proc.returncode in (0, 1), proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith(source))
    return proc.returncode, line


@pytest.mark.parametrize(("faults", "source", "failing", "reason"), [
    ({"rate_limit"}, "guanxian_zfgzbg", False, None),  # 429 then 200: recovered
    ({"rate_limit"}, "jinxiang_zfgzbg", False, None),
    ({"http500"}, "hedong_zfgzbg", True, "HTTP 500 ×1"),  # the report page fails every retry
    ({"offsite_redirect"}, "guanxian_zfgzbg", True, "Offsite ×1"),  # the report moved to another host
])
def test_crawl_and_status_give_one_verdict(tmp_path, faults, source, failing, reason):
    store = tmp_path / "store"
    with SamplePortal(faults=faults) as portal:
        proc = crawl(portal, store, source)
    assert proc.returncode == (1 if failing else 0), proc.stdout + proc.stderr
    assert ("FAILED" in proc.stdout) == failing
    code, line = status_of(store, source)
    assert code == (1 if failing else 0) and ("FAILING" in line) == failing, line
    if reason:
        assert reason in line
        assert "failed on 1 request" in proc.stderr


def test_an_article_redirected_offsite_is_logged_and_fetched_once_it_is_back(tmp_path):
    store = tmp_path / "store"
    with SamplePortal(faults={"offsite_redirect"}) as portal:
        proc = crawl(portal, store, "guanxian_zfgzbg")
        assert proc.returncode == 1
        log = pd.read_parquet(store / "datasets" / "crawl_log")
        (row,) = log[log.error.fillna("").str.startswith("Offsite")].itertuples()
        assert row.url.endswith("/guanxian/zwgk/zfgzbg/202101/t20210125_4512.shtml")
        assert "'localhost'" in row.error and "redirected from" in row.error
        portal.set_faults(set())
        proc = crawl(portal, store, "guanxian_zfgzbg")
    assert proc.returncode == 0, proc.stderr
    assert " 1 new documents" in proc.stdout  # the document the redirect lost, not marked known before
    assert status_of(store, "guanxian_zfgzbg")[0] == 0


def test_unrecovered_failures_count_urls_by_their_last_attempt():
    rows = [{"url": "a", "status": 429, "error": None, "fetched_at": "1"},
            {"url": "a", "status": 200, "error": None, "fetched_at": "2"},  # retried, recovered
            {"url": "b", "status": 500, "error": None, "fetched_at": "1"},
            {"url": "b", "status": 500, "error": None, "fetched_at": "2"},
            {"url": "b", "status": 500, "error": None, "fetched_at": "3"},  # three tries, failed
            {"url": "c", "status": 404, "error": None, "fetched_at": "1"},  # a dead link: reported only
            {"url": "d", "status": 0, "error": "DownloadTimeoutError: took longer than 3.0 seconds", "fetched_at": "1"},
            {"url": "e", "status": 302, "error": None, "fetched_at": "1"},
            {"url": "e", "status": 0, "error": "Offsite: redirected from e to host 'x'", "fetched_at": "1"}]
    found = unrecovered_failures(rows)
    assert found == {"HTTP 500": 1, "HTTP 404": 1, "DownloadTimeoutError": 1, "Offsite": 1}
    assert hard_failures(found) == {"DownloadTimeoutError": 1, "HTTP 500": 1, "Offsite": 1}
    assert unrecovered_failures(rows[:2]) == {}


def _result(**kw):
    from pipeline.crawl import CrawlResult

    base = {"source_id": "s", "run_id": "r", "items": 0, "responses": 2, "errors": 0, "finish_reason": "finished"}
    return CrawlResult(**{**base, **kw})


def test_allow_empty_passes_an_empty_year_but_never_an_unreachable_listing():
    assert _result().problem(allow_empty=True) is None  # reached, no report for that year
    assert "found no documents" in _result().problem()
    refused = _result(responses=0, errors=3, first_error="ConnectionRefusedError: Connection was refused")
    assert "no page of the portal could be fetched" in refused.problem(allow_empty=True)
    listing_500 = _result(responses=3, failures={"HTTP 500": 1})  # the listing failed every retry
    assert "failed on 1 request: HTTP 500" in listing_500.problem(allow_empty=True)


def test_a_portal_that_refuses_connections_is_failing_not_silent(tmp_path):
    from tests.conftest import free_port

    store = tmp_path / "store"
    dead = f"http://127.0.0.1:{free_port()}"
    proc = run_cli("crawl", "--source", "hedong_zfgzbg", "--portal-url", dead, "--store", str(store), "--quiet",
                   "--allow-empty")
    assert proc.returncode == 1 and "no page of the portal could be fetched" in proc.stderr
    code, line = status_of(store, "hedong_zfgzbg")
    assert code == 1 and line.split()[1] == "FAILING", line
