"""Derived results cached by content: the text extracted from a raw object, kept in the store
under `derived/text/{parser version}/…`, keyed by the object's sha256 and everything else the
extraction reads (kind, declared content type, page fragment). An unchanged document is never
extracted twice (pdfplumber was 88% of a nightly publish); a new PARSER_VERSION (the reparse
DAG) starts a new cache. GOVREPORTS_DERIVED_CACHE=0 turns it off (results are identical)."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable

from parsers import PARSER_VERSION
from parsers.extract import Extraction, extract_bytes, pdf_text_engine
from storage.objectstore import ObjectStore

DERIVED_PREFIX = "derived/text/"
STATS: Counter = Counter()  # hits and misses of this process, for summaries and tests


def enabled() -> bool:
    return os.environ.get("GOVREPORTS_DERIVED_CACHE", "1") not in ("0", "false", "no")


def derived_key(sha256: str, kind: str, content_type: str | None, fragment: str | None) -> str:
    engine = pdf_text_engine() if kind == "pdf" else ""
    extra = hashlib.sha256(f"{content_type or ''}\0{fragment or ''}\0{engine}".encode()).hexdigest()[:12]
    return f"{DERIVED_PREFIX}{PARSER_VERSION}/{sha256[:2]}/{sha256}.{kind}.{extra}.json.gz"


def extraction(store: ObjectStore, sha256: str | None, kind: str, load: Callable[[], bytes],
               content_type: str | None = None, fragment: str | None = None) -> Extraction:
    """extract_bytes(load(), …), from the cache when this object was extracted before."""
    if not sha256 or not enabled():
        return extract_bytes(load(), kind, content_type, fragment)
    key = derived_key(sha256, kind, content_type, fragment)
    if store.exists(key):
        try:
            ex = Extraction(**json.loads(gzip.decompress(store.get_bytes(key))))
            STATS["hit"] += 1
            return ex
        except (OSError, ValueError, TypeError):  # a damaged entry is extracted again
            pass
    ex = extract_bytes(load(), kind, content_type, fragment)
    body = json.dumps(dataclasses.asdict(ex), ensure_ascii=False).encode("utf-8")
    store.put_bytes(key, gzip.compress(body, mtime=0), content_type="application/gzip")
    STATS["miss"] += 1
    return ex
