"""Crawl state kept in the object store (so it survives a new machine): which documents a
source has yielded (with the listing title and date they were seen with), HTTP validators
and raw keys per URL for conditional GETs, and how many documents the
source's listings showed last time (to notice a source going silent). robots.txt is cached
per host beside it (`state/robots/`), not per source.

Each run writes only its own scope file (`state/crawl/{source}/{scope}.json`, scope
`nightly` or `year-YYYY`), so year backfills can run side by side; a run reads the union of
all scope files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from storage.objectstore import ObjectStore

ROBOTS_MAX_AGE = 24 * 3600  # RFC 9309: a cached robots.txt is used for at most 24 hours


def state_prefix(source_id: str) -> str:
    return f"state/crawl/{source_id}/"


@dataclass
class CrawlState:
    source_id: str
    scope: str
    documents: dict[str, dict] = field(default_factory=dict)  # url -> {"title", "date"}
    http: dict[str, dict] = field(default_factory=dict)  # url -> {"etag", "last_modified", "sha256", "key", "content_type"}
    listings: dict[str, dict] = field(default_factory=dict)  # first listing URL -> {"complete": bool}
    rows: dict[str, int] = field(default_factory=dict)  # every URL listings have shown (documents or not)
    rows_seen: int = 0  # listing rows at the last run that saw any
    documents_seen: int = 0  # documents on the listings at the last run that saw any

    def is_known(self, url: str, title: str, date: str) -> bool:
        """Known and unchanged on the listing: no need to fetch it again."""
        old = self.documents.get(url)
        return bool(old) and old.get("title") == title and (old.get("date") or "") == (date or "")

    def to_json(self) -> dict:
        return {"source_id": self.source_id, "scope": self.scope, "documents": self.documents,
                "http": self.http, "listings": self.listings, "rows": self.rows,
                "rows_seen": self.rows_seen, "documents_seen": self.documents_seen}


def load_state(store: ObjectStore, source_id: str, scope: str) -> CrawlState:
    state = CrawlState(source_id, scope)
    files = [k for k in store.list_keys(state_prefix(source_id)) if k.endswith(".json")]
    own = f"{state_prefix(source_id)}{scope}.json"
    for key in sorted(files, key=lambda k: k == own):  # the run's own scope last, so it wins
        data = json.loads(store.get_bytes(key))
        state.documents.update(data.get("documents", {}))
        state.http.update(data.get("http", {}))
        state.listings.update(data.get("listings", {}))
        state.rows.update(data.get("rows", {}))
        state.rows_seen = max(state.rows_seen, int(data.get("rows_seen", 0)))
        state.documents_seen = max(state.documents_seen, int(data.get("documents_seen", 0)))
    return state


def save_state(store: ObjectStore, state: CrawlState) -> None:
    data = json.dumps(state.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    store.put_bytes(f"{state_prefix(state.source_id)}{state.scope}.json", data, content_type="application/json")
