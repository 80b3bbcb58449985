"""Collect the documents a crawl found into a manifest (JSON lines) in the store; the
process step reads manifests, never the portals."""

from __future__ import annotations

import json

from storage import open_store


def manifest_key(source_id: str, run_id: str) -> str:
    return f"crawl/items/{source_id}/{run_id}.jsonl"


class ManifestPipeline:
    def __init__(self, store_uri: str, source_id: str, run_id: str) -> None:
        self.store = open_store(store_uri)
        self.source_id = source_id
        self.run_id = run_id
        self.items: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler) -> ManifestPipeline:
        s = crawler.settings
        return cls(s.get("GOVREPORTS_STORE"), s.get("GOVREPORTS_SOURCE_ID"), s.get("GOVREPORTS_RUN_ID"))

    def process_item(self, item, spider=None):
        self.items.append(dict(item))
        return item

    def close_spider(self, spider=None) -> None:
        if not self.items:
            return
        self.items.sort(key=lambda it: it["url"])
        data = "".join(json.dumps(it, ensure_ascii=False, sort_keys=True) + "\n" for it in self.items)
        self.store.put_bytes(manifest_key(self.source_id, self.run_id), data.encode("utf-8"),
                             content_type="application/x-ndjson")
