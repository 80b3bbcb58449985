"""Collect the documents a crawl found into a manifest (JSON lines) in the store; the
process step reads manifests, never the portals."""

from __future__ import annotations

import json

from storage import open_store


def manifest_key(source_id: str, run_id: str) -> str:
    return f"crawl/items/{source_id}/{run_id}.jsonl"


class ManifestPipeline:
    """Also marks each document known in the crawl state, unless part of it failed (an
    attachment), so that the next run fetches it again."""

    def __init__(self, crawler) -> None:
        from crawlers.middlewares import recorder

        s = crawler.settings
        self.store = open_store(s.get("GOVREPORTS_STORE"))
        self.source_id = s.get("GOVREPORTS_SOURCE_ID")
        self.run_id = s.get("GOVREPORTS_RUN_ID")
        self.state = recorder(crawler).state
        self.items: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler) -> ManifestPipeline:
        return cls(crawler)

    def process_item(self, item, spider=None):
        self.items.append(dict(item))
        if not item.get("errors"):
            self.state.documents[item["doc_key"]] = {"title": item["listing_title"], "date": item.get("listing_date") or ""}
        return item

    def close_spider(self, spider=None) -> None:
        if not self.items:
            return
        self.items.sort(key=lambda it: it["url"])
        data = "".join(json.dumps(it, ensure_ascii=False, sort_keys=True) + "\n" for it in self.items)
        self.store.put_bytes(manifest_key(self.source_id, self.run_id), data.encode("utf-8"),
                             content_type="application/x-ndjson")
