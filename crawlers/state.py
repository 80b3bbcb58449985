"""Crawl state kept in the object store (so it survives a new machine): which documents a
source has yielded (with the listing title and date they were seen with), HTTP validators
and raw keys per URL for conditional GETs, and how many documents the
source's listings showed last time (to notice a source going silent). robots.txt is cached
per host beside it (`state/robots/`), not per source.

One file per source (`state/crawl/{source}.json`): what every run shares (documents, HTTP
validators, listing rows) is kept once, and what belongs to a run's scope (`nightly` or
`year-YYYY`: which listings were walked to the end, how many rows they showed) under that
scope. Two crawls of one source never overlap (each holds its sites' leases,
pipeline/site_lease.py), and a save merges into the file as it is then, so a nightly and a
backfill of one source, one after the other, both keep what they learned. Earlier versions
wrote a file per scope (`state/crawl/{source}/{scope}.json`, each a copy of the union): those
are read, merged into the one file at the next save, and removed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from storage.objectstore import ObjectStore

ROBOTS_MAX_AGE = 24 * 3600  # RFC 9309: a cached robots.txt is used for at most 24 hours
SHARED = ("documents", "http", "rows")  # one copy for every scope


def state_key(source_id: str) -> str:
    return f"state/crawl/{source_id}.json"


def state_prefix(source_id: str) -> str:
    """Where earlier versions kept one file per scope."""
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

    def scope_json(self) -> dict:
        return {"listings": self.listings, "rows_seen": self.rows_seen, "documents_seen": self.documents_seen}


def _legacy_files(store: ObjectStore, source_id: str) -> list[str]:
    return [k for k in store.list_keys(state_prefix(source_id)) if k.endswith(".json")]


def _read_file(store: ObjectStore, source_id: str) -> dict:
    """The source's state file as {shared fields..., "scopes": {scope: {...}}}, with any
    per-scope files of earlier versions folded in (the file itself wins)."""
    merged: dict = {name: {} for name in SHARED} | {"scopes": {}}
    for key in sorted(_legacy_files(store, source_id)):
        data = json.loads(store.get_bytes(key))
        for name in SHARED:
            merged[name].update(data.get(name, {}))
        merged["scopes"][key[len(state_prefix(source_id)):-len(".json")]] = {
            "listings": data.get("listings", {}), "rows_seen": int(data.get("rows_seen", 0)),
            "documents_seen": int(data.get("documents_seen", 0))}
    if store.exists(state_key(source_id)):
        data = json.loads(store.get_bytes(state_key(source_id)))
        for name in SHARED:
            merged[name].update(data.get(name, {}))
        merged["scopes"].update(data.get("scopes", {}))
    return merged


def load_state(store: ObjectStore, source_id: str, scope: str) -> CrawlState:
    """The shared fields, every scope's listings (the run's own scope last, so it wins) and
    the largest counts any scope saw."""
    data = _read_file(store, source_id)
    state = CrawlState(source_id, scope, **{name: data[name] for name in SHARED})
    scopes = data["scopes"]
    for name in sorted(scopes, key=lambda s: s == scope):
        state.listings.update(scopes[name].get("listings", {}))
        state.rows_seen = max(state.rows_seen, int(scopes[name].get("rows_seen", 0)))
        state.documents_seen = max(state.documents_seen, int(scopes[name].get("documents_seen", 0)))
    return state


def save_state(store: ObjectStore, state: CrawlState) -> None:
    """Merge into the file as it is now, write it, then drop the per-scope files it absorbed."""
    data = _read_file(store, state.source_id)
    for name in SHARED:
        data[name].update(getattr(state, name))
    data["scopes"][state.scope] = state.scope_json()
    body = {"source_id": state.source_id, **data}
    store.put_bytes(state_key(state.source_id), json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                    content_type="application/json")
    for key in _legacy_files(store, state.source_id):
        store.delete(key)
