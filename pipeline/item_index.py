"""The crawled items indexed by report year, with their parse results: what lets a publish
read one year instead of the whole store.

A report's year is known only once it is parsed, so the index belongs to a parser version:
`state/index/{PARSER_VERSION}/report_year=Y/results.tsv.gz` holds, for every item whose
latest copy parses to year Y, its URL and its full parse result (document, indicators, tasks)
as JSON, one `URL<TAB>JSON` line per item, sorted by URL;
`state/index/{PARSER_VERSION}/catalog.json.gz` lists the manifests already indexed (with the years their items landed in) and, per URL, where its latest item
lives. A new crawl manifest is parsed once, its results go to the partitions of their years,
and publishing a year reads that partition alone; a new parser version starts an empty index,
so every item is parsed once again (the reparse).

Writes go partitions first, catalog last: a crash in between leaves manifests that the next
run indexes again, and re-indexing replaces rows by URL, so nothing is duplicated. Results are
spooled to local files per year while they are parsed, so memory holds one year at a time."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from parsers import PARSER_VERSION
from storage.crash import crash_point
from storage.objectstore import ObjectStore

INDEX_ROOT = "state/index/"
MANIFEST_PREFIX = "crawl/items/"
UNKNOWN_YEAR = 0  # partition for documents whose report year could not be read


def index_prefix(version: str | None = None) -> str:
    return f"{INDEX_ROOT}{version or PARSER_VERSION}/"


def partition_key(year: int, version: str | None = None) -> str:
    return f"{index_prefix(version)}report_year={year}/results.tsv.gz"


def catalog_key(version: str | None = None) -> str:
    return f"{index_prefix(version)}catalog.json.gz"


def manifest_keys(store: ObjectStore) -> set[str]:
    return {k for k in store.list_keys(MANIFEST_PREFIX) if k.endswith(".jsonl")}


def _newer(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """(fetched_at, manifest) order: the latest fetch wins, ties go to the later manifest, so
    the winner is the same whatever order manifests are indexed in."""
    return a >= b


@dataclass
class Catalog:
    manifests: dict[str, list[int]] = field(default_factory=dict)  # manifest -> years of its items
    urls: dict[str, list] = field(default_factory=dict)  # url -> [year, fetched_at, manifest, doc_id]

    def years(self) -> list[int]:
        return sorted({u[0] for u in self.urls.values()})

    def doc_years(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = defaultdict(set)
        for year, _, _, doc_id in self.urls.values():
            out[doc_id].add(year)
        return out


def load_catalog(store: ObjectStore) -> Catalog:
    key = catalog_key()
    if not store.exists(key):
        return Catalog()
    data = json.loads(gzip.decompress(store.get_bytes(key)))
    return Catalog(manifests=data["manifests"], urls=data["urls"])


def _save_catalog(store: ObjectStore, cat: Catalog) -> None:
    body = json.dumps({"manifests": cat.manifests, "urls": cat.urls}, ensure_ascii=False, sort_keys=True)
    store.put_bytes(catalog_key(), gzip.compress(body.encode("utf-8"), mtime=0), content_type="application/gzip")


def _year_lines(store: ObjectStore, year: int) -> list[tuple[str, str]]:
    """(url, JSON) of each line of year Y's partition; lines are `URL<TAB>JSON` so that rows
    can be replaced by URL without parsing them (JSON escapes tabs inside strings)."""
    key = partition_key(year)
    if not store.exists(key):
        return []
    out = []
    for line in gzip.decompress(store.get_bytes(key)).decode("utf-8").splitlines():
        if line.strip():
            url, _, body = line.partition("\t")
            out.append((url, body))
    return out


def read_year(store: ObjectStore, year: int) -> list[dict]:
    """Year Y's parse results, in URL order (a missing partition is an empty year)."""
    return [json.loads(body) for _, body in _year_lines(store, year)]


def _write_year(store: ObjectStore, year: int, lines: list[tuple[str, str]]) -> None:
    lines.sort(key=lambda pair: pair[0])
    body = "".join(f"{url}\t{line}\n" for url, line in lines).encode("utf-8")
    # level 1: internal state, read back whole; level 9 cost seconds per large year
    store.put_bytes(partition_key(year), gzip.compress(body, compresslevel=1, mtime=0), content_type="application/gzip")


def read_manifest(store: ObjectStore, key: str) -> Iterator[dict]:
    for line in store.get_bytes(key).decode("utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            item["manifest"] = key
            yield item


@dataclass
class Parsed:
    """One item's parse result as its index line, with the fields the index itself reads:
    made where the item was parsed (a pool worker), so the parent only writes lines."""
    line: str
    url: str
    year: int
    doc_id: str
    title: str | None
    source_id: str | None

    @classmethod
    def of(cls, result: dict) -> Parsed:
        doc = result["document"]
        return cls(json.dumps(result, ensure_ascii=False, sort_keys=True), doc["url"],
                   doc["report_year"] or UNKNOWN_YEAR, doc["doc_id"], doc.get("title"), doc.get("source_id"))


@dataclass
class IndexUpdate:
    parsed: int = 0  # items parsed in this run
    years: set[int] = field(default_factory=set)  # years whose partition changed


def update(store: ObjectStore, parse_all: Callable[[list[dict]], Iterable[Parsed]],
           say: Callable[[str], None] = lambda _msg: None, fresh: bool = False) -> tuple[Catalog, IndexUpdate]:
    """Index every manifest not indexed yet: parse the items that are now their URL's latest,
    move their results into the partitions of their years. `fresh` ignores what is indexed
    (every item is parsed again). Returns the catalog and what changed."""
    cat = Catalog() if fresh else load_catalog(store)
    new = sorted(manifest_keys(store) - set(cat.manifests))
    change = IndexUpdate()
    if not new:
        return cat, change
    winners: dict[str, dict] = {}
    for key in new:
        for item in read_manifest(store, key):
            url = item["url"]
            mine = (item.get("fetched_at") or "", key)
            known = winners.get(url)
            if known is not None and not _newer(mine, (known.get("fetched_at") or "", known["manifest"])):
                continue
            old = cat.urls.get(url)
            if old is not None and not _newer(mine, (old[1] or "", old[2])):
                continue
            winners[url] = item
    items = [winners[u] for u in sorted(winners)]
    moved_from = {u: cat.urls[u][0] for u in winners if u in cat.urls}
    with tempfile.TemporaryDirectory(prefix="govreports-index-") as spool_dir:
        spools: dict[int, object] = {}
        try:
            for n, (item, parsed) in enumerate(zip(items, parse_all(items), strict=True), start=1):
                year = parsed.year
                if year not in spools:
                    spools[year] = open(os.path.join(spool_dir, f"{year}.jsonl"), "w", encoding="utf-8")
                spools[year].write(f"{parsed.url}\t{parsed.line}\n")
                cat.urls[item["url"]] = [year, item.get("fetched_at") or "", item["manifest"], parsed.doc_id]
                say(f"  parse {n:3d}/{len(items)} {item['source_id']:<20} {parsed.title or ''}"[:110])
        finally:
            for fh in spools.values():
                fh.close()
        change.parsed = len(items)
        touched = set(spools) | set(moved_from.values())
        for year in sorted(touched):
            replaced = {u for u, y in moved_from.items() if y == year} | {
                u for u in winners if cat.urls[u][0] == year}
            rows = [] if fresh else [(u, body) for u, body in _year_lines(store, year) if u not in replaced]
            spool = os.path.join(spool_dir, f"{year}.jsonl")
            if os.path.exists(spool):
                with open(spool, encoding="utf-8") as fh:
                    rows.extend(tuple(line.rstrip("\n").split("\t", 1)) for line in fh)
            _write_year(store, year, rows)
            crash_point(f"index:{year}")  # test hook (storage/crash.py)
        change.years = touched
    by_manifest: dict[str, set[int]] = defaultdict(set)
    for u in winners:
        by_manifest[winners[u]["manifest"]].add(cat.urls[u][0])
    for key in new:
        cat.manifests[key] = sorted(by_manifest.get(key, ()))
    if fresh:  # partitions of years no item parses to any more
        for key in store.list_keys(index_prefix()):
            part = key[len(index_prefix()):].split("/")[0]
            if part.startswith("report_year=") and int(part.split("=", 1)[1]) not in set(cat.years()):
                store.delete(key)
    _save_catalog(store, cat)
    return cat, change


def year_results(store: ObjectStore, year: int, doc_years: dict[str, set[int]]) -> list[dict]:
    """The results of year Y, plus the other copies of any of its documents that parsed to
    another year (the canonical copy decides where a document is published)."""
    results = read_year(store, year)
    others: dict[int, set[str]] = defaultdict(set)
    for r in results:
        for y in doc_years.get(r["document"]["doc_id"], ()):
            if y != year:
                others[y].add(r["document"]["doc_id"])
    for y, ids in sorted(others.items()):
        results.extend(r for r in read_year(store, y) if r["document"]["doc_id"] in ids)
    return results
