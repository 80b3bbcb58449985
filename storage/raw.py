"""Raw zone: fetched bytes stored once under their sha256, so refetching the same
document stores nothing new and every parsed row can point back at its exact source."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from urllib.parse import parse_qsl, unquote, urlsplit

from storage.objectstore import ObjectStore

_EXT_BY_TYPE = {
    "text/html": "html",
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/kswps": "wps",
    "application/wps-office.wps": "wps",
    "application/vnd.ms-works": "wps",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/vnd.rar": "rar",
    "application/x-rar-compressed": "rar",
    "application/x-7z-compressed": "7z",
    "application/ofd": "ofd",
    "text/plain": "txt",
}
# the kinds portals attach, as file-name extensions (htm and shtml are html)
FILE_EXTS = ("pdf", "docx", "doc", "wps", "xlsx", "xls", "et", "zip", "rar", "7z", "ofd",
             "html", "htm", "shtml", "txt")
_MAGIC = ((b"%PDF", "pdf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"), (b"Rar!", "rar"),
          (b"7z\xbc\xaf", "7z"), (b"PK\x03\x04", "zip"))


def file_name(disposition: str | bytes | None, url: str = "") -> str | None:
    """A download's file name: Content-Disposition (filename*= then filename=), else a
    file-name parameter of the URL (downfile.jsp?…&filename=…), else the URL's last path
    segment. Portals serve many attachments as application/octet-stream from such scripts,
    so the name is often the only honest sign of what the bytes are. Header bytes are read as
    UTF-8, else GB18030 (what Chinese servers send raw)."""
    if isinstance(disposition, bytes):
        try:
            disposition = disposition.decode("utf-8")
        except UnicodeDecodeError:
            disposition = disposition.decode("gb18030", "replace")
    m = re.search(r"filename\*\s*=\s*(?:UTF-8'[^']*')?([^;]+)", disposition or "", re.I) or \
        re.search(r'filename\s*=\s*"?([^";]+)"?', disposition or "", re.I)
    if m:
        return unquote(m.group(1).strip()) or None
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in ("filename", "file_name", "fname", "name") and "." in value:
            return value
    return unquote(parts.path.rsplit("/", 1)[-1]) or None


def _ext_of(name: str | None) -> str | None:
    if not name or "." not in name:
        return None
    ext = name.rsplit(".", 1)[-1].strip().lower()
    if ext not in FILE_EXTS:
        return None
    return "html" if ext in ("htm", "shtml") else ext


def guess_ext(content_type: str | None, url: str = "", name: str | None = None, data: bytes = b"") -> str:
    """The raw key's extension: the content type when it is specific, else the file name
    (given, in the URL's query, or the path's), else the bytes' magic number."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in _EXT_BY_TYPE:
        return _EXT_BY_TYPE[ctype]
    ext = _ext_of(name) or _ext_of(file_name(None, url))
    if ext:
        return ext
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    guessed = mimetypes.guess_extension(ctype) if ctype and ctype != "application/octet-stream" else None
    return (guessed or ".bin").lstrip(".")


def raw_key(sha256: str, ext: str) -> str:
    return f"raw/{sha256[:2]}/{sha256}.{ext}"


def put_raw(store: ObjectStore, data: bytes, content_type: str | None, url: str,
            name: str | None = None) -> tuple[str, str, bool]:
    """Store bytes content-addressed. Returns (sha256, key, newly_written)."""
    sha = hashlib.sha256(data).hexdigest()
    key = raw_key(sha, guess_ext(content_type, url, name, data[:8]))
    if store.exists(key):
        return sha, key, False
    store.put_bytes(key, data, content_type=content_type, metadata={"source-url": url})
    return sha, key, True


def get_raw(store: ObjectStore, key: str) -> bytes:
    return store.get_bytes(key)
