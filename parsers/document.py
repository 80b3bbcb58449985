"""Parse one document (or an aggregator page holding several) into the data contract's
rows: {"document": {...}, "indicators": [...], "tasks": [...]}. The CLI's `parse` and the
pipeline's process step both call `parse_text` / `parse_file`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from parsers import PARSER_VERSION
from parsers.extract import Extraction, extract_bytes
from parsers.facts import extract_facts
from parsers.metadata import build_metadata
from parsers.tasks import extract_tasks

_AGG_TITLE = re.compile(r"^\s*[•·]\s*(【[^】]{1,20}】\s*(?:(?:19|20)\d{2}年)?[\u4e00-\u9fff]{2,24}政府工作报告)\s*$")
_DATE_LINE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def doc_id_for(meta: dict, text: str, identity: str | None = None, readable: bool = True) -> str:
    """Stable id from canonical content: a work report is one per region and year, so copies
    of it on a portal and an aggregator share an id; other documents hash their number or
    title and date, falling back to the text."""
    if meta.get("doc_type") == "work_report" and meta.get("report_year") and meta.get("region_name"):
        key = f"work_report|{meta.get('region_code') or meta['region_name']}|{meta['region_name']}|{meta['report_year']}"
    elif meta.get("doc_number"):
        key = f"{meta.get('doc_type')}|{meta['doc_number']}"
    elif meta.get("title") and meta.get("publish_date"):
        key = f"{meta.get('doc_type')}|{meta['title']}|{meta['publish_date']}"
    elif identity and (not readable or not text.strip()):
        # nothing to tell it by: empty, unreadable or garbled inputs are each their own document
        # (where it came from: a URL, a path, the bytes' hash), never one merged id
        key = "unreadable|" + identity + "|" + (meta.get("title") or "")
    else:  # two notices may share their body (a cited document, a template) but not their title
        key = "text|" + (meta.get("title") or "") + "|" + re.sub(r"\s", "", text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def split_aggregator(text: str) -> list[tuple[str, str]] | None:
    """An aggregator page ('• 【X招商】2021年某县政府工作报告' + body + date, repeated) as
    (title, body) pairs; None when the text is a single document."""
    lines = text.split("\n")
    heads = [i for i, ln in enumerate(lines) if _AGG_TITLE.match(ln)]
    if len(heads) < 2:
        return None
    docs = []
    for n, i in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        body_lines = []
        for ln in lines[i + 1:end]:
            if _DATE_LINE.match(ln):
                break
            body_lines.append(ln)
        docs.append((_AGG_TITLE.match(lines[i]).group(1), "\n".join(body_lines).strip()))
    return docs


def parse_text(text: str, *, title: str | None = None, doc_type: str | None = None,
               region: dict | None = None, crawl_meta: dict | None = None, publish_date: str | None = None,
               extraction: str = "txt", flags: list[str] | None = None, identity: str | None = None) -> dict:
    """`identity`: where the input came from (URL, path, bytes' hash), the id of a document
    that has no readable text to be told apart by."""
    meta = build_metadata(text, title=title, doc_type=doc_type, region=region, crawl_meta=crawl_meta,
                          publish_date=publish_date).as_dict()
    readable = "garbled" not in (flags or [])  # figures read from noise would be noise
    doc_id = doc_id_for(meta, text, identity, readable)
    year = meta.get("report_year")
    facts = extract_facts(text, year, "work_report" if meta["doc_type"] == "work_report" else "policy",
                          meta.get("region_name")) if readable else []
    tasks = extract_tasks(text, year) if meta["doc_type"] == "policy" and readable else []
    document = {
        "doc_id": doc_id, **meta, "text": text, "text_chars": len(text), "extraction": extraction,
        "quality_flags": sorted(set(flags or [])), "parser_version": PARSER_VERSION,
    }
    if meta["doc_type"] == "work_report" and not facts and text and readable:
        document["quality_flags"] = sorted(set(document["quality_flags"]) | {"no_indicators"})
    indicators = []
    for f in facts:
        row = f.as_dict()
        row.update({"doc_id": doc_id, "region_code": meta.get("region_code"), "region_name": meta.get("region_name"),
                    "admin_level": meta.get("admin_level"), "report_year": year, "parser_version": PARSER_VERSION})
        indicators.append(row)
    for task in tasks:
        task.update({"doc_id": doc_id, "report_year": year, "parser_version": PARSER_VERSION})
    return {"document": document, "indicators": indicators, "tasks": tasks}


def parse_extraction(ex: Extraction, **hints) -> list[dict]:
    """One or more documents from extracted text (aggregator pages hold several)."""
    parts = split_aggregator(ex.text) if not hints.get("title") else None
    if parts:
        return [parse_text(body, title=t, extraction=ex.method, flags=ex.flags,
                           **{k: v for k, v in hints.items() if k != "title"}) for t, body in parts]
    title = hints.pop("title", None) or ex.title
    if ex.meta and "crawl_meta" not in hints:  # a saved page gives what its crawl would have given
        hints = {**hints, "crawl_meta": ex.meta, "publish_date": hints.get("publish_date") or ex.meta.get("publish_date")}
    results = [parse_text(ex.text, title=title, extraction=ex.method, flags=ex.flags, **hints)]
    results[0]["document"]["quality_messages"] = list(ex.messages)
    return results


_KIND_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "wps", ".html": "html", ".htm": "html",
                   ".shtml": "html", ".txt": "txt"}


PARSEABLE_SUFFIXES = frozenset(_KIND_BY_SUFFIX)


def sniff_kind(data: bytes) -> str:
    """The kind of bytes that came without a name (stdin): PDF, DOCX (a zip), HTML, else text."""
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:2] == b"PK":
        return "docx"
    if re.search(rb"<(?:html|body|div|p|table|meta|head)\b", data[:2000], re.I):
        return "html"
    return "txt"


def parse_bytes(data: bytes, kind: str, identity: str | None = None) -> list[dict]:
    return parse_extraction(extract_bytes(data, kind), identity=identity or "sha256:" + hashlib.sha256(data).hexdigest())


def parse_file(path: str | Path) -> list[dict]:
    path = Path(path)
    return parse_bytes(path.read_bytes(), _KIND_BY_SUFFIX.get(path.suffix.lower(), "txt"), identity=str(path.resolve()))
