"""Sources crawled in groups, one process per group (the DAGs' crawl tasks)."""

import pytest

from crawlers.registry import load_sources
from pipeline.jobs import CrawlFailed, check_crawls, crawl_groups, crawl_sources


def test_groups_hold_at_most_the_batch_and_keep_a_site_together():
    sources = [s for s in load_sources() if not s.local and s.listing_urls]
    assert len(sources) >= 4
    ids = [s.id for s in sources]
    groups = crawl_groups(list(reversed(ids)), 2)
    assert sorted(i for g in groups for i in g) == sorted(ids) and all(1 <= len(g) <= 2 for g in groups)
    assert len(groups) == -(-len(ids) // 2)
    site = {s.id: s.listing_urls[0].split("/")[2] for s in sources}
    order = [site[i] for g in groups for i in g]
    assert order == sorted(order)  # sources of one portal are neighbours, so they share groups
    assert crawl_groups(ids, 1000) == [sorted(ids, key=lambda i: (site[i], i))]
    assert crawl_groups([], 5) == []


def _summary(source_id, problem=None):
    return {"source_id": source_id, "items": 1, "problem": problem}


def test_check_crawls_names_the_failed_sources_of_each_group():
    groups = [["a", "b"], ["c", "d"], ["e"]]
    ok = [[_summary("a"), _summary("b")], [_summary("c"), _summary("d")], [_summary("e")]]
    assert check_crawls(groups, ok) == {"sources": 5, "failed": []}
    # b came back with a problem; group ["e"] failed as a task and left no result
    results = [[_summary("a"), _summary("b", "source b: found no documents")], [_summary("c"), _summary("d")], None]
    with pytest.raises(CrawlFailed) as err:
        check_crawls(groups, results)
    message = str(err.value)
    assert message.startswith("2 of 5 source(s) failed to crawl: b, e")
    assert "b: source b: found no documents" in message and "e: its crawl task failed" in message
    # the one-source-per-task shape of earlier runs still reads
    assert check_crawls(["a", "b"], [_summary("a"), _summary("b")]) == {"sources": 2, "failed": []}


def test_a_group_returns_its_sources_and_raises_only_when_none_succeeded(portal, tmp_path):
    store = str(tmp_path / "store")
    summaries = crawl_sources(["luozhuang_zfgzbg", "hedong_zfgzbg"], store, portal_url=portal.url)
    assert [s["source_id"] for s in summaries] == ["luozhuang_zfgzbg", "hedong_zfgzbg"]
    assert all(s["problem"] is None and s["items"] >= 1 for s in summaries)
    again = crawl_sources(["luozhuang_zfgzbg", "hedong_zfgzbg"], store, portal_url=portal.url)
    assert all(s["items"] == 0 and s["problem"] is None for s in again)  # unchanged: nothing new, still fine

    from tests.conftest import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(CrawlFailed, match="no page of the portal could be fetched"):
        crawl_sources(["luozhuang_zfgzbg", "hedong_zfgzbg"], str(tmp_path / "dead"), portal_url=dead)
