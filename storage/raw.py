"""Raw zone: fetched bytes stored once under their sha256, so refetching the same
document stores nothing new and every parsed row can point back at its exact source."""

from __future__ import annotations

import hashlib
import mimetypes

from storage.objectstore import ObjectStore

_EXT_BY_TYPE = {
    "text/html": "html",
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "txt",
}


def guess_ext(content_type: str | None, url: str = "") -> str:
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in _EXT_BY_TYPE:
        return _EXT_BY_TYPE[ctype]
    path = url.split("?")[0].lower()
    for ext in ("pdf", "docx", "doc", "html", "htm", "shtml", "txt"):
        if path.endswith("." + ext):
            return "html" if ext in ("htm", "shtml") else ext
    guessed = mimetypes.guess_extension(ctype) if ctype else None
    return (guessed or ".bin").lstrip(".")


def raw_key(sha256: str, ext: str) -> str:
    return f"raw/{sha256[:2]}/{sha256}.{ext}"


def put_raw(store: ObjectStore, data: bytes, content_type: str | None, url: str) -> tuple[str, str, bool]:
    """Store bytes content-addressed. Returns (sha256, key, newly_written)."""
    sha = hashlib.sha256(data).hexdigest()
    key = raw_key(sha, guess_ext(content_type, url))
    if store.exists(key):
        return sha, key, False
    store.put_bytes(key, data, content_type=content_type, metadata={"source-url": url})
    return sha, key, True


def get_raw(store: ObjectStore, key: str) -> bytes:
    return store.get_bytes(key)
