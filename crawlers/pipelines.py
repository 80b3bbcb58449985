"""Collect the documents a crawl found into one manifest per source (JSON lines) in the store;
the process step reads manifests, never the portals."""

from __future__ import annotations

import json
from collections import defaultdict

from storage import open_store


def manifest_key(source_id: str, run_id: str) -> str:
    return f"crawl/items/{source_id}/{run_id}.jsonl"


class ManifestPipeline:
    """Also marks each document known in its source's crawl state, unless part of it failed
    (an attachment), so that the next run fetches it again."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.store = open_store(crawler.settings.get("GOVREPORTS_STORE"))
        self.run_id = crawler.settings.get("GOVREPORTS_RUN_ID")
        self.items: dict[str, list[dict]] = defaultdict(list)

    @classmethod
    def from_crawler(cls, crawler) -> ManifestPipeline:
        return cls(crawler)

    def process_item(self, item, spider=None):
        from crawlers.middlewares import recorder

        sid = item["source_id"]
        self.items[sid].append(dict(item))
        self.crawler.stats.inc_value(f"govreports/{sid}/items")
        if not item.get("errors"):
            state = recorder(self.crawler, sid).state
            state.documents[item["doc_key"]] = {"title": item["listing_title"], "date": item.get("listing_date") or ""}
        return item

    def close_spider(self, spider=None) -> None:
        for sid, items in self.items.items():
            items.sort(key=lambda it: it["url"])
            data = "".join(json.dumps(it, ensure_ascii=False, sort_keys=True) + "\n" for it in items)
            self.store.put_bytes(manifest_key(sid, self.run_id), data.encode("utf-8"), content_type="application/x-ndjson")
