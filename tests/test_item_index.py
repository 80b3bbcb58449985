"""The items indexed by report year (issue 15, item 2): a publish reads the years it writes and
nothing else; a nightly after one new document parses that document alone and rewrites only
its year; a URL crawled again moves between years without a duplicate; a crash between the
index and its catalog is repaired by the next run."""

import json
import os
import shutil
import subprocess
import sys

import pipeline.item_index as item_index
import pipeline.process as proc_mod
from storage import open_store
from tests.conftest import ROOT


def _copy(demo_store, tmp_path, name="store"):
    dst = tmp_path / name
    shutil.copytree(demo_store[0], dst)
    return dst


def _dataset_files(store):
    return {p.relative_to(store).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted((store / "datasets").rglob("*.parquet"))
            if p.parts[-3] in ("documents", "indicators", "tasks")}


def _new_copy_of_a_document(store, year: int) -> str:
    """A second portal's copy of one of `year`'s reports: a new manifest, new URL, same raw objects."""
    for manifest in sorted((store / "crawl" / "items").rglob("*.jsonl")):
        for line in manifest.read_text("utf-8").splitlines():
            item = json.loads(line)
            if str(year) in (item.get("title") or ""):
                item.update(url=item["url"] + "?mirror=1", source_id="mirror_test", fetched_at="2099-01-01T00:00:00+00:00",
                            priority=90)
                out = store / "crawl" / "items" / "mirror_test" / "run1.jsonl"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(json.dumps(item, ensure_ascii=False) + "\n", "utf-8")
                return item["url"]
    raise AssertionError(f"no item of {year} in the demo store")


def _count_parses(monkeypatch) -> list[str]:
    seen: list[str] = []
    original = proc_mod.parse_item

    def counting(store, item):
        seen.append(item["url"])
        return original(store, item)

    monkeypatch.setattr(proc_mod, "parse_item", counting)
    return seen


def test_pending_after_one_new_document_parses_it_alone_and_rewrites_only_its_year(demo_store, tmp_path, monkeypatch):
    store = _copy(demo_store, tmp_path)
    before = _dataset_files(store)
    url = _new_copy_of_a_document(store, 2021)
    parsed = _count_parses(monkeypatch)
    read: list[int] = []
    original_read = item_index.read_year
    monkeypatch.setattr(item_index, "read_year", lambda st, y, *rest: read.append(y) or original_read(st, y, *rest))

    summary = proc_mod.process(str(store), pending_only=True, progress=False)
    assert parsed == [url]
    assert summary.years == [2021] and set(read) == {2021}
    after = _dataset_files(store)
    changed = {k for k in after if after[k][0] != before[k][0]}
    assert changed and all("report_year=2021/" in k for k in changed)
    assert {k.split("/")[1] for k in changed} == {"documents", "indicators", "tasks"}
    assert summary.duplicates == before_dupes(demo_store) + 1

    # the same bytes as a full publish of the same store from nothing
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(store, rebuilt)
    shutil.rmtree(rebuilt / "state" / "index")
    shutil.rmtree(rebuilt / "datasets" / "documents")
    proc_mod.process(str(rebuilt), progress=False)
    full = _dataset_files(rebuilt)
    assert {k: v[1] for k, v in full.items()} == {k: v[1] for k, v in after.items()}


def before_dupes(demo_store) -> int:
    """Duplicate copies of 2021 in the demo store, read from its published documents."""
    import pyarrow.parquet as pq

    table = pq.read_table(demo_store[0] / "datasets" / "documents" / "report_year=2021" / "part-0.parquet")
    return sum(len(a) for a in table.column("also_at").to_pylist())


def test_year_reads_and_parses_only_that_year(demo_store, tmp_path, monkeypatch):
    store = _copy(demo_store, tmp_path)
    parsed = _count_parses(monkeypatch)
    read: list[int] = []
    original_read = item_index.read_year
    monkeypatch.setattr(item_index, "read_year", lambda st, y, *rest: read.append(y) or original_read(st, y, *rest))
    summary = proc_mod.process(str(store), years=[2020], progress=False)
    assert parsed == [] and read == [2020] and summary.years == [2020]


def test_a_new_manifest_is_parsed_before_a_year_is_published(demo_store, tmp_path, monkeypatch):
    store = _copy(demo_store, tmp_path)
    url = _new_copy_of_a_document(store, 2021)
    parsed = _count_parses(monkeypatch)
    summary = proc_mod.process(str(store), years=[2019], progress=False)
    assert parsed == [url]  # its year is known only once parsed; it is indexed, not published
    assert summary.years == [2019]
    pending = proc_mod.process(str(store), pending_only=True, progress=False)
    assert pending.years == [2021] and len(parsed) == 1  # the nightly publishes it without parsing again


# --- the index alone, with a stand-in parser (years chosen by the test) ---------------------

def _write_manifest(store, key, items):
    store.put_bytes(key, "".join(json.dumps(i) + "\n" for i in items).encode())


def _fake_parse(years: dict[tuple[str, str], int]):
    def parse_all(items):
        for it in items:
            y = years[(it["url"], it["fetched_at"])]
            yield item_index.Parsed.of(
                {"document": {"url": it["url"], "doc_id": "d-" + it["url"], "report_year": y, "title": "t"},
                 "indicators": [], "tasks": [], "priority": 50, "manifest": it["manifest"]})
    return parse_all


def _urls_by_year(store):
    """What a reader of each year finds in the index (the catalog picks each URL's line)."""
    cat = item_index.load_catalog(store)
    out = {}
    for year in cat.years():
        bodies = item_index.read_year(store, year, cat.urls)
        out[year] = [json.loads(bodies[u])["document"]["url"] for u in sorted(bodies)]
    return out


def test_a_recrawled_url_moves_to_its_new_year_and_old_copies_lose(tmp_path):
    store = open_store(str(tmp_path / "s"))
    a = {"url": "http://gov.example/a", "fetched_at": "2024-01-01", "source_id": "s1"}
    b = {"url": "http://gov.example/b", "fetched_at": "2024-01-01", "source_id": "s1"}
    _write_manifest(store, "crawl/items/s1/r1.jsonl", [a, b])
    years = {(a["url"], "2024-01-01"): 2023, (b["url"], "2024-01-01"): 2023,
             (a["url"], "2025-01-01"): 2024, (a["url"], "2023-01-01"): 2022}
    cat, change = item_index.update(store, _fake_parse(years))
    assert change.parsed == 2 and change.years == {2023}
    assert _urls_by_year(store) == {2023: [a["url"], b["url"]]}

    # a later crawl of a: its new text is a 2024 report; an older copy found later loses
    _write_manifest(store, "crawl/items/s1/r2.jsonl", [{**a, "fetched_at": "2025-01-01"}])
    _write_manifest(store, "crawl/items/s2/r1.jsonl", [{**a, "fetched_at": "2023-01-01", "source_id": "s2"}])
    cat, change = item_index.update(store, _fake_parse(years))
    assert change.parsed == 1 and change.years == {2023, 2024}
    assert _urls_by_year(store) == {2023: [b["url"]], 2024: [a["url"]]}
    assert cat.manifests == {"crawl/items/s1/r1.jsonl": [2023], "crawl/items/s1/r2.jsonl": [2024],
                             "crawl/items/s2/r1.jsonl": []}
    assert item_index.update(store, _fake_parse(years))[1].parsed == 0  # nothing new: nothing parsed


def test_a_crash_between_index_and_catalog_is_repaired_without_duplicates(demo_store, tmp_path):
    store = _copy(demo_store, tmp_path)
    _new_copy_of_a_document(store, 2021)
    env = {**os.environ, "GOVREPORTS_CRASH_AFTER": "index:2021"}
    cmd = [sys.executable, "-m", "pipeline.cli", "process", "--store", str(store), "--pending", "--quiet"]
    assert subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True).returncode == 75
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True).returncode == 0
    by_year = _urls_by_year(open_store(str(store)))
    urls = [u for us in by_year.values() for u in us]
    assert len(urls) == len(set(urls))
    cat = item_index.load_catalog(open_store(str(store)))
    assert sorted(urls) == sorted(cat.urls)
    # and what was published is what a full publish of the same store makes
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(store, rebuilt)
    shutil.rmtree(rebuilt / "state" / "index")
    shutil.rmtree(rebuilt / "datasets")
    proc_mod.process(str(rebuilt), progress=False)
    assert {k: v[1] for k, v in _dataset_files(rebuilt).items()} == {k: v[1] for k, v in _dataset_files(store).items()}


def _items_of(store, year: int) -> list[dict]:
    out = []
    for manifest in sorted((store / "crawl" / "items").rglob("*.jsonl")):
        for line in manifest.read_text("utf-8").splitlines():
            item = json.loads(line)
            if f"{year}年" in (item.get("title") or "") and item.get("doc_type") == "work_report":
                out.append(item)
    return out


def _add_manifest(store, name: str, items: list[dict]) -> None:
    out = store / "crawl" / "items" / "changes_test" / f"{name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")


def _whole_rewrite(store, tmp_path, name):
    rebuilt = tmp_path / name
    shutil.copytree(store, rebuilt)
    shutil.rmtree(rebuilt / "state")
    shutil.rmtree(rebuilt / "datasets")
    proc_mod.process(str(rebuilt), progress=False)
    return {k: v[1] for k, v in _dataset_files(rebuilt).items()}


def test_nightly_rewrites_only_changed_documents_with_the_bytes_of_a_whole_rewrite(demo_store, tmp_path, monkeypatch):
    """A nightly keeps a year's unchanged rows as it reads them and rebuilds the changed
    documents only; after each kind of change the partitions are byte for byte what a whole
    rewrite from nothing makes: a new copy of a document, a URL crawled again whose text is
    now another year's report (it leaves one year for another), and a partition written by
    someone else since (then the year is rewritten whole)."""
    store = _copy(demo_store, tmp_path)
    kept: list[bool] = []
    original = proc_mod._publish_changes

    def spy(*args):
        out = original(*args)
        kept.append(out is not None)
        return out

    monkeypatch.setattr(proc_mod, "_publish_changes", spy)

    _new_copy_of_a_document(store, 2021)
    summary = proc_mod.process(str(store), pending_only=True, progress=False)
    assert summary.years == [2021] and kept == [True]
    assert {k: v[1] for k, v in _dataset_files(store).items()} == _whole_rewrite(store, tmp_path, "r1")

    # a URL of 2021 fetched again: its page is now a 2020 report
    moved, source = _items_of(store, 2021)[0], _items_of(store, 2020)[0]
    again = {**source, "url": moved["url"], "doc_key": moved.get("doc_key", moved["url"]),
             "source_id": moved["source_id"], "fetched_at": "2099-06-01T00:00:00+00:00"}
    _add_manifest(store, "moved", [again])
    kept.clear()
    summary = proc_mod.process(str(store), pending_only=True, progress=False)
    assert 2020 in summary.years and 2021 in summary.years and all(kept)
    assert {k: v[1] for k, v in _dataset_files(store).items()} == _whole_rewrite(store, tmp_path, "r2")

    # a partition that is not what the last publish wrote: that year is rewritten whole
    part = store / "datasets" / "documents" / "report_year=2021" / "part-0.parquet"
    part.write_bytes(b"not parquet")
    _new_copy_of_a_document(store, 2021)  # (rewrites the mirror manifest: a new fetch of it)
    (store / "crawl" / "items" / "mirror_test" / "run1.jsonl").rename(
        store / "crawl" / "items" / "mirror_test" / "run2.jsonl")
    kept.clear()
    proc_mod.process(str(store), pending_only=True, progress=False)
    assert kept and not all(kept)
    assert {k: v[1] for k, v in _dataset_files(store).items()} == _whole_rewrite(store, tmp_path, "r3")


def test_a_year_gets_one_small_segment_per_run_and_merges_them_past_a_bound(tmp_path):
    store = open_store(str(tmp_path / "s"))
    years = {}
    for n in range(item_index.MAX_SEGMENTS + 2):
        url = f"http://gov.example/{n}"
        years[(url, "2024-01-01")] = 2023
        _write_manifest(store, f"crawl/items/s1/r{n:02d}.jsonl", [{"url": url, "fetched_at": "2024-01-01",
                                                                   "source_id": "s1"}])
        before = {k: store.get_bytes(k) for _, k in item_index.segments(store, 2023)}
        item_index.update(store, _fake_parse(years))
        segs = item_index.segments(store, 2023)
        if n < item_index.MAX_SEGMENTS:  # the earlier segments are left as they were
            assert len(segs) == n + 1 and all(store.get_bytes(k) == v for k, v in before.items())
        assert len(segs) <= item_index.MAX_SEGMENTS
        assert _urls_by_year(store) == {2023: sorted(f"http://gov.example/{i}" for i in range(n + 1))}
