"""Derived results cached by content (issue 15, item 1): an unchanged document is never
extracted twice, a new parser version extracts everything once again, and the published
bytes are the same with and without the cache."""

import shutil

import pipeline.derived as derived
import pipeline.item_index as item_index
from pipeline.process import process


def _copy(demo_store, tmp_path, name):
    dst = tmp_path / name
    shutil.copytree(demo_store[0], dst)
    shutil.rmtree(dst / "derived", ignore_errors=True)
    shutil.rmtree(dst / "state" / "index", ignore_errors=True)
    return dst


def _published(store):
    return {p.relative_to(store).as_posix(): p.read_bytes() for p in sorted((store / "datasets").rglob("*.parquet"))
            if "crawl_log" not in p.parts and "source_health" not in p.parts}


def test_a_second_publish_extracts_nothing_and_the_bytes_are_the_same(demo_store, tmp_path, monkeypatch):
    cached, plain = _copy(demo_store, tmp_path, "cached"), _copy(demo_store, tmp_path, "plain")
    derived.STATS.clear()
    process(str(cached), progress=False)
    first = dict(derived.STATS)
    assert first.get("miss", 0) >= 14 and not first.get("hit")
    derived.STATS.clear()
    process(str(cached), progress=False)
    assert not derived.STATS  # the year index holds the results: nothing is extracted or even looked up
    shutil.rmtree(cached / "state" / "index")  # without the index, the text cache serves every document
    process(str(cached), progress=False)
    assert derived.STATS.get("miss", 0) == 0 and derived.STATS["hit"] == first["miss"]

    monkeypatch.setenv("GOVREPORTS_DERIVED_CACHE", "0")
    derived.STATS.clear()
    process(str(plain), progress=False)
    assert not derived.STATS and not (plain / "derived").exists()
    assert _published(cached) == _published(plain)


def test_a_new_parser_version_extracts_everything_once(demo_store, tmp_path, monkeypatch):
    store = _copy(demo_store, tmp_path, "store")
    process(str(store), progress=False)
    monkeypatch.setattr(derived, "PARSER_VERSION", "9.9.9-test")
    monkeypatch.setattr(item_index, "PARSER_VERSION", "9.9.9-test")
    derived.STATS.clear()
    process(str(store), progress=False)
    misses = derived.STATS.get("miss", 0)
    assert misses >= 14 and not derived.STATS.get("hit")
    derived.STATS.clear()
    process(str(store), progress=False)
    assert not derived.STATS  # a second run extracts nothing
    assert (store / "derived" / "text" / "9.9.9-test").is_dir()
    assert (store / "state" / "index" / "9.9.9-test" / "catalog.json.gz").is_file()


def test_two_workers_publish_the_same_bytes(demo_store, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORTS_DERIVED_CACHE", "0")  # both sides extract everything
    one, two = _copy(demo_store, tmp_path, "one"), _copy(demo_store, tmp_path, "two")
    a = process(str(one), progress=False, workers=1)
    b = process(str(two), progress=False, workers=2)
    assert (a.documents, a.indicators, a.tasks, a.duplicates) == (b.documents, b.indicators, b.tasks, b.duplicates)
    assert _published(one) == _published(two)
