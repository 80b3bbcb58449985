"""The source registry: sites as data (sources.yaml), validated on load so that a bad
entry is rejected with a message naming the source and the field."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

PLATFORMS = ("vsb", "sdjy", "trs", "hanweb", "jxjy", "aggregator")
ADMIN_LEVELS = ("national", "province", "prefecture", "county", "district", "town")
DOC_TYPES = ("work_report", "policy")


class RegistryError(ValueError):
    pass


@dataclass(frozen=True)
class Region:
    name: str
    code: str | None
    admin_level: str
    province: str | None
    parent: str | None


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    platform: str
    listing_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    doc_types: tuple[str, ...]
    region: Region | None
    local: bool = False
    priority: int = 50
    politeness: dict[str, Any] = field(default_factory=dict)
    reachable: bool = True  # False: a real portal this machine cannot reach (no internet here)
    listing_api: dict[str, Any] | None = None  # the list comes from an API (crawlers/spiders/listing_api.py)
    origin: str = "hand-written"  # or "discovered" (govreports discover, stored in the store)
    shadowed_by: str | None = None  # a discovered entry whose region has a hand-written entry: not crawled by --all


def _fail(source_id: str, fld: str, msg: str) -> RegistryError:
    return RegistryError(f"source {source_id!r}: field {fld!r}: {msg}")


def _validate(entry: dict[str, Any], portal_url: str | None) -> Source:
    sid = entry.get("id")
    if not isinstance(sid, str) or not re.fullmatch(r"[a-z0-9_]+", sid or ""):
        raise _fail(str(sid), "id", "must be lower-case letters, digits and '_'")
    for req in ("name", "platform", "listing_urls", "allowed_domains", "doc_types"):
        if not entry.get(req):
            raise _fail(sid, req, "is required")
    if entry["platform"] not in PLATFORMS:
        raise _fail(sid, "platform", f"{entry['platform']!r} is not one of {PLATFORMS}")
    bad_types = set(entry["doc_types"]) - set(DOC_TYPES)
    if bad_types:
        raise _fail(sid, "doc_types", f"unknown {sorted(bad_types)}; known {DOC_TYPES}")
    local = bool(entry.get("local", False))
    portal_host = urlparse(portal_url).hostname if portal_url else None

    def fill(value: str) -> str:
        if "{portal" in value:
            if not portal_url:
                raise _fail(sid, "listing_urls", "needs the sample portal URL (--portal-url) to be filled in")
            return value.replace("{portal}", portal_url.rstrip("/")).replace("{portal_host}", portal_host or "")
        return value

    listing = tuple(fill(u) for u in entry["listing_urls"])
    for url in listing:
        if urlparse(url).scheme not in ("http", "https"):
            raise _fail(sid, "listing_urls", f"{url!r} is not an http(s) URL")
    domains = tuple(fill(d) for d in entry["allowed_domains"])
    region = None
    if entry.get("region") is not None:
        reg = entry["region"]
        if not reg.get("name"):
            raise _fail(sid, "region.name", "is required")
        code = reg.get("code")
        if code is not None and not re.fullmatch(r"\d{6}", str(code)):
            raise _fail(sid, "region.code", f"{code!r} is not a 6-digit GB/T 2260 code")
        if reg.get("admin_level") not in ADMIN_LEVELS:
            raise _fail(sid, "region.admin_level", f"{reg.get('admin_level')!r} is not one of {ADMIN_LEVELS}")
        region = Region(reg["name"], str(code) if code else None, reg["admin_level"],
                        reg.get("province"), reg.get("parent"))
    politeness = dict(entry.get("politeness") or {})
    limits = {"concurrency": (int, 1, 16), "download_delay": ((int, float), 0, 600), "timeout": ((int, float), 1, 600),
              "retries": (int, 0, 10), "backoff": ((int, float), 0, 600), "max_mb": ((int, float), 1, 1024),
              "autothrottle": (bool, None, None)}
    for key, value in politeness.items():
        if key not in limits:
            raise _fail(sid, f"politeness.{key}", f"unknown setting; known: {sorted(limits)}")
        typ, lo, hi = limits[key]
        if not isinstance(value, typ) or (lo is not None and not lo <= value <= hi):
            raise _fail(sid, f"politeness.{key}", f"{value!r} is not a {typ} in [{lo}, {hi}]")
    for url in listing:
        host = urlparse(url).hostname or ""
        if not any(host == d or host.endswith("." + d) for d in domains):
            raise _fail(sid, "allowed_domains", f"listing host {host!r} is not in {list(domains)}")
    api = _listing_api(sid, entry.get("listing_api"), fill, domains)
    return Source(sid, entry["name"], entry["platform"], listing, domains, tuple(entry["doc_types"]),
                  region, local, int(entry.get("priority", 50)), politeness, bool(entry.get("reachable", True)), api)


def _listing_api(sid: str, api: Any, fill, domains: tuple[str, ...]) -> dict[str, Any] | None:
    if api is None:
        return None
    if not isinstance(api, dict) or not isinstance(api.get("url"), str):
        raise _fail(sid, "listing_api", "needs a url template")
    known = {"url", "method", "body", "content_type", "size", "first_page", "rows", "fields", "article_url", "total"}
    unknown = set(api) - known
    if unknown:
        raise _fail(sid, "listing_api", f"unknown keys {sorted(unknown)}; known {sorted(known)}")
    api = {**api, "url": fill(api["url"])}
    if not any(k in api["url"] + str(api.get("body", "")) for k in ("{page}", "{start}")):
        raise _fail(sid, "listing_api.url", "needs {page} or {start} (in the url or the body) to page")
    if str(api.get("method", "GET")).upper() not in ("GET", "POST"):
        raise _fail(sid, "listing_api.method", f"{api['method']!r} is not GET or POST")
    host = urlparse(api["url"]).hostname or ""
    if not any(host == d or host.endswith("." + d) for d in domains):
        raise _fail(sid, "listing_api.url", f"host {host!r} is not in {list(domains)}")
    if not isinstance(api.get("fields", {}), dict):
        raise _fail(sid, "listing_api.fields", "must map title/url/date to the row's keys")
    return api


def load_sources(portal_url: str | None = None, text: str | None = None,
                 store_uri: str | None = None) -> list[Source]:
    """Load and validate the registry. Sources needing the sample portal are kept with
    placeholder URLs when no portal URL is given (so `govreports sources` can list them).
    With a store, the entries `govreports discover` recorded there follow the hand-written
    ones; a discovered entry for a region that has a hand-written entry is kept but marked
    shadowed (hand-written entries win: `crawl --all` and the DAGs skip it)."""
    if text is None:
        text = resources.files("crawlers").joinpath("sources.yaml").read_text("utf-8")
        extra = os.environ.get("GOVREPORTS_SOURCES")  # an operator's own registry file, added to the bundled one
        if extra:
            text += "\n" + Path(extra).read_text("utf-8")
    entries = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []
    sources, seen = [], set()
    for entry in entries:
        if entry.get("local") and not portal_url:
            entry = {**entry}
            src = _validate(entry, "http://sample-portal")
        else:
            src = _validate(entry, portal_url)
        if src.id in seen:
            raise _fail(src.id, "id", "is used twice")
        seen.add(src.id)
        sources.append(src)
    if store_uri is not None:
        sources += _discovered_sources(store_uri, portal_url, sources)
    return sources


def _discovered_sources(store_uri: str, portal_url: str | None, hand_written: list[Source]) -> list[Source]:
    from crawlers.discovery import load_results
    from storage.objectstore import open_store

    store = open_store(store_uri)
    by_region: dict[tuple[bool, str], str] = {}
    for s in hand_written:
        if s.region and s.region.code:
            by_region.setdefault((s.local, s.region.code), s.id)  # the region's first hand-written entry
    out = []
    for result in sorted(load_results(store).values(), key=lambda r: r["key"]):
        entry = result.get("entry")
        if not entry:
            continue
        try:
            src = _validate(entry, portal_url or ("http://sample-portal" if entry.get("local") else None))
        except RegistryError:  # a rule changed since it was discovered: rediscover, do not fail the registry
            continue
        shadow = by_region.get((src.local, src.region.code if src.region else None))
        out.append(replace(src, origin="discovered", shadowed_by=shadow))
    return out


def get_source(source_id: str, portal_url: str | None = None, store_uri: str | None = None) -> Source:
    for src in load_sources(portal_url, store_uri=store_uri):
        if src.id == source_id:
            return src
    known = ", ".join(s.id for s in load_sources(store_uri=store_uri))
    raise RegistryError(f"unknown source {source_id!r}; known: {known}")
