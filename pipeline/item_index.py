"""The crawled items indexed by report year, with their parse results: what lets a publish
read one year instead of the whole store.

A report's year is known only once it is parsed, so the index belongs to a parser version:
`state/index/{PARSER_VERSION}/report_year=Y/results-NNNNNN.tsv.gz` are year Y's segments,
one written by each run that indexed items of that year, one `URL<TAB>MANIFEST<TAB>JSON`
line per item (its full parse result: document, indicators, tasks), sorted by URL;
`state/index/{PARSER_VERSION}/catalog.json.gz` lists the manifests already indexed (with the
years their items landed in) and, per URL, where its latest item lives. A reader of year Y
takes, per URL the catalog places in Y, the line of the latest segment whose manifest is the
catalog's: so a run appends one small segment instead of rewriting the year (a nightly costs
what it adds), a URL that moved to another year needs no deletion, and a segment left by a
crashed run is harmless. When a year has more than MAX_SEGMENTS segments they are merged into
one (latest line per URL), so reads stay a few objects. A new parser version starts an empty
index, so every item is parsed once again (the reparse). Segments written before this layout
(`results.tsv.gz`, lines `URL<TAB>JSON`) are read as the oldest segment.

Writes go segments first, catalog last: a crash in between leaves manifests that the next
run indexes again, and their lines win by being newer, so nothing is duplicated. Results are
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


MAX_SEGMENTS = 8
LEGACY_SEGMENT = "results.tsv.gz"
ANY_MANIFEST = "*"  # a line carried over from a legacy segment: it names no manifest


def year_prefix(year: int, version: str | None = None) -> str:
    return f"{index_prefix(version)}report_year={year}/"


def segment_key(year: int, seq: int, version: str | None = None) -> str:
    return f"{year_prefix(year, version)}results-{seq:06d}.tsv.gz"


def published_key(year: int) -> str:
    """What the last publish of year Y was made from (pipeline/process.py)."""
    return f"{year_prefix(year)}published.json.gz"


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


def _get_json(store: ObjectStore, key: str) -> dict | None:
    return json.loads(gzip.decompress(store.get_bytes(key))) if store.exists(key) else None


def _put_json(store: ObjectStore, key: str, data: dict) -> None:
    body = json.dumps(data, ensure_ascii=False, sort_keys=True)
    store.put_bytes(key, gzip.compress(body.encode("utf-8"), mtime=0), content_type="application/gzip")


def load_catalog(store: ObjectStore) -> Catalog:
    data = _get_json(store, catalog_key())
    return Catalog(manifests=data["manifests"], urls=data["urls"]) if data else Catalog()


def _save_catalog(store: ObjectStore, cat: Catalog) -> None:
    _put_json(store, catalog_key(), {"manifests": cat.manifests, "urls": cat.urls})


def load_published(store: ObjectStore, year: int) -> dict | None:
    """The record of year Y's last publish (pipeline/process.py), if any."""
    return _get_json(store, published_key(year))


def save_published(store: ObjectStore, year: int, record: dict) -> None:
    _put_json(store, published_key(year), record)


def segments(store: ObjectStore, year: int) -> list[tuple[int, str]]:
    """(sequence number, key) of year Y's segments, oldest first (a legacy file is -1)."""
    out = []
    for key in store.list_keys(year_prefix(year)):
        name = key.rsplit("/", 1)[-1]
        if name == LEGACY_SEGMENT:
            out.append((-1, key))
        elif name.startswith("results-") and name.endswith(".tsv.gz") and name[8:-7].isdigit():
            out.append((int(name[8:-7]), key))
    return sorted(out)


def _segment_lines(store: ObjectStore, key: str) -> Iterator[tuple[str, str | None, str]]:
    """(url, manifest, JSON) per line; lines are tab-separated so that they can be chosen by
    URL and manifest without parsing them (JSON escapes tabs inside strings)."""
    legacy = key.endswith("/" + LEGACY_SEGMENT)
    for line in gzip.decompress(store.get_bytes(key)).decode("utf-8").splitlines():
        if not line.strip():
            continue
        if legacy:
            url, _, body = line.partition("\t")
            yield url, None, body
        else:
            url, manifest, body = line.split("\t", 2)
            yield url, (None if manifest == ANY_MANIFEST else manifest), body


def read_year(store: ObjectStore, year: int, entries: dict[str, list], since: int | None = None) -> dict[str, str]:
    """url -> result JSON for the URLs of `entries` (catalog entries) that the catalog places
    in year Y: each its latest line from the item the catalog names. `since`: read only the
    segments numbered above it (those written after a known point)."""
    out: dict[str, str] = {}
    for seq, key in segments(store, year):
        if since is not None and seq <= since:
            continue
        for url, manifest, body in _segment_lines(store, key):
            entry = entries.get(url)
            if entry is not None and entry[0] == year and (manifest is None or manifest == entry[2]):
                out[url] = body
    return out


def _write_segment(store: ObjectStore, year: int, seq: int, lines: list[tuple[str, str, str]]) -> None:
    lines.sort(key=lambda line: line[0])
    body = "".join(f"{url}\t{manifest}\t{result}\n" for url, manifest, result in lines).encode("utf-8")
    # level 1: internal state, read back whole; level 9 cost seconds per large year
    store.put_bytes(segment_key(year, seq), gzip.compress(body, compresslevel=1, mtime=0),
                    content_type="application/gzip")


def _compact(store: ObjectStore, year: int) -> None:
    """Merge year Y's segments into one, the latest line per URL (what any reader would
    choose among them), written before the old ones go."""
    segs = segments(store, year)
    if len(segs) <= MAX_SEGMENTS:
        return
    latest: dict[str, tuple[str, str]] = {}
    for _, key in segs:
        for url, manifest, body in _segment_lines(store, key):
            latest[url] = (manifest or ANY_MANIFEST, body)
    lines = [(u, m, b) for u, (m, b) in latest.items()]
    _write_segment(store, year, segs[-1][0] + 1, lines)
    for _, key in segs:
        store.delete(key)


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
                spools[year].write(f"{parsed.url}\t{item['manifest']}\t{parsed.line}\n")
                cat.urls[item["url"]] = [year, item.get("fetched_at") or "", item["manifest"], parsed.doc_id]
                say(f"  parse {n:3d}/{len(items)} {item['source_id']:<20} {parsed.title or ''}"[:110])
        finally:
            for fh in spools.values():
                fh.close()
        change.parsed = len(items)
        touched = set(spools) | set(moved_from.values())
        for year in sorted(spools):
            segs = segments(store, year)
            with open(os.path.join(spool_dir, f"{year}.jsonl"), encoding="utf-8") as fh:
                lines = [tuple(line.rstrip("\n").split("\t", 2)) for line in fh]
            _write_segment(store, year, segs[-1][0] + 1 if segs else 0, lines)
            if fresh:  # everything was indexed again: the older segments are superseded
                for _, key in segs:
                    store.delete(key)
            else:
                _compact(store, year)
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


def year_entries(cat: Catalog, years: Iterable[int]) -> dict[int, dict[str, list]]:
    """Per year, the catalog entries of what publishing it reads: its URLs, and the copies in
    other years of its documents (the canonical copy decides where a document is published)."""
    wanted = set(years)
    by_year: dict[int, dict[str, list]] = {y: {} for y in wanted}
    by_doc: dict[str, list[str]] = defaultdict(list)
    for url, entry in cat.urls.items():
        by_doc[entry[3]].append(url)
        if entry[0] in wanted:
            by_year[entry[0]][url] = entry
    for entries in by_year.values():
        for doc_id in {e[3] for e in entries.values()}:
            if len(by_doc[doc_id]) > 1:
                for url in by_doc[doc_id]:
                    entries.setdefault(url, cat.urls[url])
    return by_year


def year_results(store: ObjectStore, year: int, entries: dict[str, list], since: int | None = None) -> list[dict]:
    """The parse results of `entries` (year_entries' for year Y, or some of them): year Y's
    in URL order, then the copies in other years. `since` limits year Y's read to the
    segments after it."""
    years = sorted({e[0] for e in entries.values()}, key=lambda y: (y != year, y))
    results = []
    for y in years:
        bodies = read_year(store, y, entries, since if y == year else None)
        results.extend(json.loads(bodies[u]) for u in sorted(bodies))
    return results
