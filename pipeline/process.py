"""Extract + parse + publish: from the crawl manifests and the raw zone to the Parquet
datasets, without touching any portal (so it also serves re-parsing).

One report reached through several sources (a portal and an aggregator) is one document:
the copy from the source with the best priority (then the longest text) is canonical,
the other URLs are kept in `also_at`, and only the canonical copy's rows are published."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyarrow as pa

from parsers.document import parse_text
from parsers.extract import Extraction
from pipeline import derived, item_index
from pipeline.item_index import UNKNOWN_YEAR
from pipeline.site_lease import publish_lease
from storage import open_store
from storage.crash import crash_point
from storage.datasets import (
    PART_FILE,
    dataset_prefix,
    parquet_from_bytes,
    partition_key,
    partition_schema,
    partition_table,
    sort_table,
    to_table,
    write_table,
)
from storage.objectstore import ObjectStore

_KIND_BY_TYPE = {"application/pdf": "pdf", "application/msword": "doc",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
                 "application/kswps": "wps", "application/wps-office.wps": "wps"}
# attachments whose text we read, best first; the others (xls, zip, rar, ofd …) are kept in the
# raw zone and listed on the document, not read
_TEXT_KINDS = {"pdf": 0, "docx": 1, "doc": 2, "wps": 3}


@dataclass
class ProcessSummary:
    items: int = 0
    documents: int = 0
    duplicates: int = 0
    indicators: int = 0
    tasks: int = 0
    years: list[int] = field(default_factory=list)
    per_source: dict[str, int] = field(default_factory=dict)
    per_document: list[tuple[str, str, int, int]] = field(default_factory=list)
    flagged: list[tuple[str, list[str]]] = field(default_factory=list)


def _kind(content_type: str | None, key: str) -> str:
    ctype = (content_type or "").split(";")[0].strip().lower()
    return _KIND_BY_TYPE.get(ctype) or key.rsplit(".", 1)[-1]


def attachment_rows(item: dict) -> list[dict]:
    """The documents dataset's `attachments` list: every file the page linked and the crawl
    fetched, with its raw-zone key, whatever its kind."""
    rows = []
    for att in item.get("attachments") or []:
        key = att.get("key")
        rows.append({"url": att.get("url"), "name": att.get("name"),
                     "kind": _kind(att.get("content_type"), key) if key else None,
                     "content_type": att.get("content_type"), "sha256": att.get("sha256"), "raw_key": key})
    return rows


def extract_item(store: ObjectStore, item: dict) -> tuple[Extraction, str | None]:
    """The document's text: the article page, or, when the page is only a stub pointing to
    it (under 1000 characters), the attachment carrying the full text. A stub whose
    attachments cannot be read keeps the attachments' flags (needs_ocr, encrypted …): they are
    the document's problems. Returns (extraction, raw sha256 used)."""
    page = None
    if item.get("page_key"):
        page = derived.extraction(store, item.get("page_sha256"), "html", lambda: store.get_bytes(item["page_key"]),
                                  item.get("page_content_type"), item.get("fragment"))
    if page is not None and len(page.text) >= 1000:
        return page, item.get("page_sha256")
    flags = list(page.flags) if page else []
    messages = list(page.messages) if page else []
    readable = [(_TEXT_KINDS[kind], att, kind) for att in item.get("attachments") or [] if att.get("key")
                and (kind := _kind(att.get("content_type"), att["key"])) in _TEXT_KINDS]
    for _, att, kind in sorted(readable, key=lambda r: r[0]):
        ex = derived.extraction(store, att.get("sha256"), kind, lambda key=att["key"]: store.get_bytes(key))
        if ex.text and len(ex.text) > len(page.text if page else ""):
            ex.title = ex.title or (page.title if page else None)
            ex.flags = sorted(set(ex.flags) | set(flags))
            ex.messages = messages + ex.messages
            return ex, att.get("sha256")
        flags.extend(ex.flags)
        messages.extend(f"attachment {att.get('url')}: {m}" for m in ex.messages)
    if page is None:
        return Extraction("", "html", sorted(set(flags + ["no_content"])),
                          messages + ["the crawl stored no page for this item"]), None
    page.flags, page.messages = sorted(set(flags)), messages
    return page, item.get("page_sha256")


def parse_item(store: ObjectStore, item: dict) -> dict:
    """One item to its rows; any failure becomes a flagged document, never an exception."""
    try:
        ex, sha = extract_item(store, item)
        flags = list(ex.flags) + (["fetch_error"] if item.get("errors") else [])
        result = parse_text(ex.text, title=item.get("title") or ex.title, doc_type=item.get("doc_type"),
                            region=item.get("region"), crawl_meta=item.get("meta"),
                            publish_date=item.get("publish_date"),
                            extraction=ex.method, flags=flags, identity=item.get("doc_key") or item["url"])
        messages = list(ex.messages) + list(item.get("errors") or [])
    except Exception as exc:  # a parser bug on one document must not stop the batch
        sha = item.get("page_sha256")
        result = parse_text("", title=item.get("title"), doc_type=item.get("doc_type"), region=item.get("region"),
                            crawl_meta=item.get("meta"), publish_date=item.get("publish_date"),
                            extraction="html", flags=["parse_error"], identity=item.get("doc_key") or item["url"])
        messages = [f"{type(exc).__name__}: {exc}"]
    doc = result["document"]
    doc.update({"source_id": item["source_id"], "url": item["url"], "raw_sha256": sha,
                "fetched_at": item.get("fetched_at"), "quality_messages": messages,
                "canonical_doc_id": doc["doc_id"], "also_at": [], "attachments": attachment_rows(item)})
    result["priority"] = item.get("priority", 50)
    result["manifest"] = item.get("manifest")
    return result


def _canonical(copies: list[dict]) -> dict:
    copies.sort(key=lambda r: (r["priority"], -r["document"]["text_chars"], r["document"]["url"]))
    best = copies[0]
    best["document"]["also_at"] = sorted(c["document"]["url"] for c in copies[1:])
    return best


def _say(progress: bool, msg: str) -> None:
    if progress:
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()


def process(store_uri: str | None, years: list[int] | None = None, progress: bool = True,
            pending_only: bool = False, workers: int = 1) -> ProcessSummary:
    """Publish the given report years (default: all). With `pending_only`, publish just the
    years of documents from crawl manifests not yet published (the nightly run: new reports
    touch a year or two, and a crawl that failed half-way is still picked up next time).
    `workers` > 1 extracts, parses and publishes years in that many processes (PDF text is
    CPU-bound); the rows are the same for any number."""
    store = open_store(store_uri)
    mode = "--pending" if pending_only else f"--year {','.join(map(str, years))}" if years else "(all years)"
    with publish_lease(store, owner=f"process {mode} pid {os.getpid()}"), _runner(store_uri, store, workers) as run:
        return _process(store, years, progress, pending_only, run)


_WORKER_STORE: ObjectStore | None = None


def _worker_init(store_uri: str | None) -> None:
    global _WORKER_STORE
    _WORKER_STORE = open_store(store_uri)


def _parse_in_worker(item: dict) -> item_index.Parsed:
    assert _WORKER_STORE is not None
    return item_index.Parsed.of(_parse_cached(_WORKER_STORE, item))  # serialised here, not in the parent


def _publish_in_worker(args: tuple[int, dict[str, list], bool]) -> YearRows:
    assert _WORKER_STORE is not None
    return publish_year(_WORKER_STORE, *args)


def _parse_cached(store: ObjectStore, item: dict) -> dict:
    """The result an extraction shard kept for this item (pipeline/shards.py), else parsed here."""
    from pipeline.shards import cached_parse

    return cached_parse(store, item, parse_item, write=False)


@dataclass
class Runner:
    """Where the two heavy steps run: parsing items and publishing years, in order."""
    parse: Callable[[list[dict]], Iterable[item_index.Parsed]]
    publish: Callable[[list[tuple[int, dict[str, list], bool]]], Iterable[YearRows]]


@contextmanager
def _runner(store_uri: str | None, store: ObjectStore, workers: int) -> Iterator[Runner]:
    """Here, or over one process pool that serves both steps."""
    if workers <= 1:
        yield Runner(lambda items: (item_index.Parsed.of(_parse_cached(store, item)) for item in items),
                     lambda jobs: (publish_year(store, *job) for job in jobs))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: a fresh interpreter per worker (no forked copy of the parent's threads and locks)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_worker_init, initargs=(store_uri,)) as pool:
        yield Runner(
            lambda items: pool.map(_parse_in_worker, items, chunksize=max(1, min(16, len(items) // (4 * workers)))),
            lambda jobs: pool.map(_publish_in_worker, jobs))


@dataclass
class YearRows:
    """What publishing one year wrote, for the summary."""
    year: int
    items: int = 0
    documents: int = 0
    duplicates: int = 0
    indicators: int = 0
    tasks: int = 0
    per_source: dict[str, int] = field(default_factory=dict)
    per_document: list[tuple[str, str, int, int]] = field(default_factory=list)
    flagged: list[tuple[str, list[str]]] = field(default_factory=list)


DATASETS = ("documents", "indicators", "tasks")


def publish_year(store: ObjectStore, year: int, entries: dict[str, list], changes_only: bool = False) -> YearRows:
    """Year Y's canonical documents from the index to its three partitions. `entries`: the
    catalog entries of the year (item_index.year_entries). `changes_only` (the nightly): when
    the year's partitions are as its last publish left them, rewrite only the documents whose
    items changed since, keeping the other rows as they are read; the bytes are those of a
    whole rewrite (tests/test_item_index.py), at a cost that follows the change, not the year."""
    if changes_only:
        out = _publish_changes(store, year, entries)
        if out is not None:
            return out
    results = item_index.year_results(store, year, entries)
    tables = _year_tables(year, results)
    if tables is None:
        return YearRows(year, items=len(results))  # a year named on the command line with no document: nothing is written
    return _write_year(store, year, entries, tables, len(results))


def _year_tables(year: int, results: list[dict]) -> dict[str, pa.Table] | None:
    """The partition tables of the canonical copies among `results` that belong to year Y."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for result in results:
        by_doc[result["document"]["doc_id"]].append(result)
    rows: dict[str, list] = {"documents": [], "indicators": [], "tasks": []}
    for copies in by_doc.values():
        best = _canonical(copies)
        doc = best["document"]
        if (doc["report_year"] or UNKNOWN_YEAR) != year:
            continue  # published with its canonical copy's year
        rows["documents"].append({**doc, "report_year": year})
        rows["indicators"].extend({**r, "report_year": year} for r in best["indicators"])
        rows["tasks"].extend({**t, "report_year": year} for t in best["tasks"])
    if not rows["documents"]:
        return None
    return {name: partition_table(name, to_table(name, rows[name])) for name in DATASETS}


def _write_year(store: ObjectStore, year: int, entries: dict[str, list], tables: dict[str, pa.Table],
                items: int) -> YearRows:
    shas = {}
    for name in DATASETS:
        shas[name] = write_table(store, name, {"report_year": year}, tables[name])[1]
        crash_point(f"{name}:{year}")  # test hook (storage/crash.py)
    segs = item_index.segments(store, year)
    item_index.save_published(store, year, {"entries": entries, "parts": shas, "segment": segs[-1][0] if segs else -1})
    return _year_rows(year, entries, tables, items)


def _year_rows(year: int, entries: dict[str, list], tables: dict[str, pa.Table], items: int) -> YearRows:
    """The summary of a year as published, read from its tables."""
    import pyarrow.compute as pc

    out = YearRows(year, items=items)
    docs = tables["documents"].select(["doc_id", "source_id", "region_name", "title", "url", "quality_flags"]).to_pylist()
    counts = pc.value_counts(tables["indicators"].column("doc_id")).to_pylist() if tables["indicators"].num_rows else []
    n_ind = {c["values"]: c["counts"] for c in counts}
    copies: dict[str, int] = defaultdict(int)
    for entry in entries.values():
        copies[entry[3]] += 1
    for doc in docs:
        out.duplicates += copies.get(doc["doc_id"], 1) - 1  # of the years published, not of the whole store
        out.per_source[doc["source_id"]] = out.per_source.get(doc["source_id"], 0) + 1
        out.per_document.append((doc["region_name"] or "?", doc["title"] or "?", year, n_ind.get(doc["doc_id"], 0)))
        if doc["quality_flags"]:
            out.flagged.append((doc["url"], doc["quality_flags"]))
    out.documents = len(docs)
    out.indicators, out.tasks = tables["indicators"].num_rows, tables["tasks"].num_rows
    return out


def _publish_changes(store: ObjectStore, year: int, entries: dict[str, list]) -> YearRows | None:
    """Rewrite only the documents of year Y whose items changed since its last publish, or
    None when that publish cannot be trusted (no record, a partition not as it left it)."""
    import pyarrow.compute as pc

    try:
        state = item_index.load_published(store, year)
        if state is None:
            return None
        old_tables = {}
        for name in DATASETS:
            data = store.get_bytes(partition_key(name, {"report_year": year}))
            if hashlib.sha256(data).hexdigest() != state["parts"][name]:
                return None  # written by someone else since (a full run, a crash half-way)
            old_tables[name] = parquet_from_bytes(data)
    except (OSError, ValueError, KeyError):
        return None
    before: dict[str, list] = state["entries"]
    changed = {u for u in entries.keys() | before.keys() if entries.get(u) != before.get(u)}
    affected = {before[u][3] for u in changed if u in before} | {entries[u][3] for u in changed if u in entries}
    needed = {u: e for u, e in entries.items() if e[3] in affected}
    # the changed items' lines are in segments written after that publish; other copies are not
    since = state["segment"] if all(u in changed for u, e in needed.items() if e[0] == year) else None
    new = _year_tables(year, item_index.year_results(store, year, needed, since)) if needed else None
    tables = {}
    for name in DATASETS:
        old = old_tables[name]
        if affected:
            old = old.filter(pc.invert(pc.is_in(old.column("doc_id"), value_set=pa.array(sorted(affected)))))
        try:
            parts = [old.cast(partition_schema(name))] + ([new[name]] if new else [])
            tables[name] = sort_table(name, pa.concat_tables(parts).combine_chunks())
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
            return None  # partitions of another schema: rewritten whole
    if tables["documents"].num_rows == 0:
        return None  # the year has no document left: as a whole rewrite decides
    return _write_year(store, year, entries, tables, len(entries))


def _process(store: ObjectStore, years: list[int] | None, progress: bool, pending_only: bool,
             run: Runner) -> ProcessSummary:
    store.sweep_temp()  # what a writer killed before its rename left
    all_manifests = item_index.manifest_keys(store)
    published = _published_manifests(store)
    summary = ProcessSummary()
    if pending_only and all_manifests <= published:  # nothing new since the last publish: nothing to read
        return summary
    # new manifests are parsed once into the year index; with the cache off, everything is
    cat, change = item_index.update(store, run.parse, lambda msg: _say(progress, msg), fresh=not derived.enabled())
    doc_years = cat.doc_years()
    if pending_only:
        unpublished = {y for m in all_manifests - published for y in cat.manifests.get(m, ())}
        touched = unpublished | change.years
        # a document with copies in several years is published where its canonical copy is
        years = sorted(touched | {y for r in _doc_ids_of(cat, touched) for y in doc_years[r]})
        if not years:
            _record_published(store, published | all_manifests)
            return summary
    selected = years or cat.years()
    entries = item_index.year_entries(cat, selected)
    for part in run.publish([(year, entries[year], pending_only) for year in selected]):
        summary.items += part.items
        summary.duplicates += part.duplicates
        for sid, n in part.per_source.items():
            summary.per_source[sid] = summary.per_source.get(sid, 0) + n
        summary.per_document.extend(part.per_document)
        summary.flagged.extend(part.flagged)
        if part.documents:
            summary.documents += part.documents
            summary.indicators += part.indicators
            summary.tasks += part.tasks
            summary.years.append(part.year)
            _say(progress, f"  published report year {part.year}: {part.documents} document(s)")
    if not years:
        # stale: a year with a partition and no document, as known now; a crawl that landed
        # during this run may hold documents of such a year, so then nothing is dropped
        landed = item_index.manifest_keys(store) - all_manifests
        if landed:
            _say(progress, f"  {len(landed)} crawl manifest(s) landed during this run: no partition dropped "
                           "(the next full run decides)")
        else:
            _drop_stale_partitions(store, set(summary.years))
    if pending_only or not years:
        _record_published(store, published | all_manifests)
    summary.per_document.sort()
    summary.flagged.sort()
    return summary


def _doc_ids_of(cat: item_index.Catalog, years: set[int]) -> set[str]:
    return {u[3] for u in cat.urls.values() if u[0] in years}


PUBLISHED_KEY = "state/publish/manifests.json"


def _published_manifests(store: ObjectStore) -> set[str]:
    return set(json.loads(store.get_bytes(PUBLISHED_KEY))) if store.exists(PUBLISHED_KEY) else set()


def _record_published(store: ObjectStore, manifests: set[str]) -> None:
    """Written after the partitions: a crash in between only means publishing again."""
    store.put_bytes(PUBLISHED_KEY, json.dumps(sorted(manifests), indent=0).encode("utf-8"))


def _drop_stale_partitions(store: ObjectStore, years: set[int]) -> None:
    """A full run publishes every year; partitions of years that no longer have documents
    (say, after a parser fix moved one) would otherwise keep stale rows."""
    for name in ("documents", "indicators", "tasks"):
        for key in store.list_keys(dataset_prefix(name)):
            part = key[len(dataset_prefix(name)):].split("/")[0]
            if part.startswith("report_year=") and key.endswith(PART_FILE):
                if int(part.split("=", 1)[1]) not in years:
                    store.delete(key)
