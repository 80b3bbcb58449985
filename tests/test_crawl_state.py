"""Crawl state: one file per source, whatever scopes (nightly, year backfills) ran."""

import json

from crawlers.state import CrawlState, load_state, save_state, state_key
from storage.objectstore import open_store


def _doc(n: int) -> dict:
    return {"title": f"政府工作报告 {n}", "date": f"20{n:02d}-01-20"}


def test_scopes_share_one_file_and_keep_their_own_listings_and_counts(tmp_path):
    store = open_store(str(tmp_path))
    nightly = load_state(store, "src", "nightly")
    nightly.documents = {f"http://a/{n}": _doc(n) for n in range(10)}
    nightly.listings = {"http://a/list": {"complete": True}}
    nightly.rows_seen, nightly.documents_seen = 40, 10
    save_state(store, nightly)

    year = load_state(store, "src", "year-2019")
    assert year.documents == nightly.documents and year.documents_seen == 10  # what the nightly learned
    year.documents["http://a/2019"] = _doc(19)
    year.listings = {"http://a/list": {"complete": False}}  # a year walk stops early: its own flag
    year.rows_seen, year.documents_seen = 12, 1
    save_state(store, year)

    assert store.list_keys("state/crawl/") == [state_key("src")]  # one file, not one per scope
    body = json.loads(store.get_bytes(state_key("src")))
    assert len(body["documents"]) == 11 and set(body["scopes"]) == {"nightly", "year-2019"}
    again = load_state(store, "src", "nightly")
    assert "http://a/2019" in again.documents  # the backfill's document is known to the nightly
    assert again.listings["http://a/list"] == {"complete": True}  # its own scope wins
    assert again.rows_seen == 40 and again.documents_seen == 10
    assert load_state(store, "src", "year-2019").listings["http://a/list"] == {"complete": False}


def test_the_file_does_not_grow_with_the_number_of_scopes(tmp_path):
    store = open_store(str(tmp_path))
    sizes = []
    for year in range(2005, 2025):
        state = load_state(store, "src", f"year-{year}")
        state.documents[f"http://a/{year}"] = _doc(year - 2000)
        state.http[f"http://a/{year}"] = {"etag": "x" * 20, "sha256": "0" * 64}
        save_state(store, state)
        sizes.append(len(store.get_bytes(state_key("src"))))
    per_year = (sizes[-1] - sizes[0]) / 19
    assert per_year < 400, sizes  # one document, one validator and one small scope entry a year


def test_per_scope_files_of_earlier_versions_are_read_and_folded_in(tmp_path):
    store = open_store(str(tmp_path))
    for scope, url in (("nightly", "http://a/1"), ("year-2018", "http://a/2")):
        old = {"source_id": "src", "scope": scope, "documents": {url: _doc(1)}, "http": {url: {"etag": scope}},
               "listings": {"http://a/list": {"complete": scope == "nightly"}}, "rows": {url: 1},
               "rows_seen": 5, "documents_seen": 3 if scope == "nightly" else 1}
        store.put_bytes(f"state/crawl/src/{scope}.json", json.dumps(old).encode())
    state = load_state(store, "src", "nightly")
    assert set(state.documents) == {"http://a/1", "http://a/2"} and state.documents_seen == 3
    assert state.listings["http://a/list"] == {"complete": True}
    save_state(store, state)
    assert store.list_keys("state/crawl/") == [state_key("src")]
    assert set(load_state(store, "src", "year-2018").documents) == {"http://a/1", "http://a/2"}


def test_a_new_source_starts_empty(tmp_path):
    state = load_state(open_store(str(tmp_path)), "new", "nightly")
    assert state == CrawlState("new", "nightly")
