"""Extraction and parsing spread over many tasks: shard I of N extracts and parses the items
of the crawl manifests not yet indexed at this parser version whose key hashes to I, and keeps
the results in the store's caches (`derived/text/`, `derived/parsed/`). The publish that
follows finds every result cached and only indexes and writes; so an Airflow DAG maps shards
over its workers (Celery, Kubernetes) and publishes each year once (docs/airflow.md).

Shards need no plan: the assignment is a hash of the manifest key, so N tasks started with
the same N split the work without talking to each other, and a shard that is retried does
only what is not cached yet."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable

from parsers import PARSER_VERSION
from pipeline import derived, item_index
from storage.objectstore import ObjectStore

PARSED_PREFIX = "derived/parsed/"


def shard_of(manifest_key: str, shards: int) -> int:
    return int(hashlib.sha256(manifest_key.encode("utf-8")).hexdigest()[:12], 16) % shards


def parsed_key(item: dict) -> str:
    """Everything parse_item reads of an item (its manifest only names where it came from)."""
    body = json.dumps({k: v for k, v in item.items() if k != "manifest"}, ensure_ascii=False, sort_keys=True)
    h = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return f"{PARSED_PREFIX}{PARSER_VERSION}/{h[:2]}/{h}.json.gz"


def cached_parse(store: ObjectStore, item: dict, parse: Callable[[ObjectStore, dict], dict], write: bool) -> dict:
    """parse(store, item), or the result a shard kept for this item; `write` keeps it."""
    if not derived.enabled():
        return parse(store, item)
    key = parsed_key(item)
    if store.exists(key):
        try:
            result = json.loads(gzip.decompress(store.get_bytes(key)))
            result["manifest"] = item.get("manifest")
            derived.STATS["parsed_hit"] += 1
            return result
        except (OSError, ValueError):  # a damaged entry is parsed again
            pass
    result = parse(store, item)
    if write:
        body = json.dumps({k: v for k, v in result.items() if k != "manifest"}, ensure_ascii=False, sort_keys=True)
        store.put_bytes(key, gzip.compress(body.encode("utf-8"), mtime=0), content_type="application/gzip")
    return result


def unindexed_manifests(store: ObjectStore) -> list[str]:
    return sorted(item_index.manifest_keys(store) - set(item_index.load_catalog(store).manifests))


def run_shard(store: ObjectStore, shard: int, shards: int, parse: Callable[[ObjectStore, dict], dict]) -> dict:
    """Extract and parse shard `shard` of `shards`; a summary fit for XCom."""
    if not 0 <= shard < shards:
        raise ValueError(f"shard {shard} is not one of 0..{shards - 1}")
    keys = [k for k in unindexed_manifests(store) if shard_of(k, shards) == shard]
    before = dict(derived.STATS)
    items = 0
    for key in keys:
        for item in item_index.read_manifest(store, key):
            cached_parse(store, item, parse, write=True)
            items += 1
    stats = {k: derived.STATS[k] - before.get(k, 0) for k in derived.STATS}
    return {"shard": shard, "shards": shards, "manifests": len(keys), "items": items,
            "extracted": stats.get("miss", 0), "already_cached": stats.get("parsed_hit", 0)}
