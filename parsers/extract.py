"""Turn raw bytes into text: HTML main content (BeautifulSoup), PDF (pdfplumber), DOCX
(python-docx). Problems become quality flags with a message; a document is never
dropped or filled with garbage."""

from __future__ import annotations

import io
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, UnicodeDammit

from parsers.garble import garbled_reason
from parsers.normalize import clean_text
from parsers.page_meta import PLACEHOLDER, parse_tree, read_page_meta

# the body of an article on the platforms we know (VSB, Hanweb, TRS, UCAP/集约化, gov.cn), then generic
_CONTENT_SELECTORS = [
    ".v_news_content", "#vsb_content", "#zoom", ".TRS_Editor", "#UCAP-CONTENT", "ucapcontent", ".article-content",
    "#zoomcon", ".detail-content", ".news-body", ".conlun2_box_text", ".content", "article", ".article", "#content",
    ".main",
]
_DROP_SELECTORS = [
    "script", "style", "noscript", "iframe", "nav", "header", "footer", "form[name=search]",
    ".nav", ".header", ".footer", ".top-bar", ".share", ".location", ".crumbs", ".breadcrumb",
    ".print", ".close", ".related", ".pagination", ".pages", ".side", ".tougao", "table.xxgk-table",
    "table.gk-info", ".attach", ".download", ".attachments", ".article-info",
]
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article"}


@dataclass
class Extraction:
    text: str
    method: str  # html | pdf | docx | txt
    flags: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    pages: int = 0
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # what the page shows: publish_date, doc_number …


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode with the declared charset (HTTP header), then <meta>, then sniffing; GBK and
    GB2312 are read as GB18030, their superset, so rare characters survive."""
    encodings = []
    if declared:
        encodings.append(declared)
    meta = re.search(rb'charset\s*=\s*["\']?([A-Za-z0-9_-]+)', data[:4096])
    if meta:
        encodings.append(meta.group(1).decode("ascii", "ignore"))
    encodings = ["gb18030" if e.lower().replace("-", "") in ("gbk", "gb2312", "gb18030", "cp936") else e
                 for e in encodings]
    dammit = UnicodeDammit(data, known_definite_encodings=encodings + ["utf-8"],
                           user_encodings=["gb18030"], is_html=True)
    return dammit.unicode_markup or data.decode("utf-8", "replace")


def _block_text(node) -> str:
    parts: list[str] = []
    for el in node.descendants:
        if isinstance(el, str):
            if el.parent.name not in ("script", "style"):
                parts.append(str(el))
        elif el.name in _BLOCK:
            parts.append("\n")
    return "".join(parts)


def extract_html(data: bytes, content_type: str | None = None, fragment: str | None = None) -> Extraction:
    declared = None
    if content_type and "charset=" in content_type:
        declared = content_type.split("charset=")[-1].strip()
    markup = decode_html(data, declared)
    page = read_page_meta(parse_tree(markup)) if not fragment else None
    soup = BeautifulSoup(markup, "lxml")
    for note in soup.find_all(string=lambda s: isinstance(s, Comment)):
        note.extract()  # CMS markers (<!--<$[信息内容]>begin-->) and commented-out markup
    title = None
    root = soup
    if fragment:
        root = soup.find(id=fragment)
        if root is None:
            return Extraction("", "html", ["empty"], [f"fragment #{fragment} not found on the page"])
        head = root.find(["h1", "h2", "h3"])
        if head:
            title = head.get_text(" ", strip=True).lstrip("•").strip()
            head.decompose()
        for date in root.select(".news-date, .date"):
            date.decompose()
    for sel in _DROP_SELECTORS:
        for el in root.select(sel):
            el.decompose()
    main = None
    if not fragment:
        for sel in _CONTENT_SELECTORS:
            cand = root.select_one(sel)
            if cand and len(cand.get_text(strip=True)) >= 20:
                main = cand
                break
        if main is None:  # densest block of text
            blocks = root.find_all(["div", "td", "article", "section"]) or [root]
            main = max(blocks, key=lambda b: len(b.get_text(strip=True)) - 30 * len(b.find_all("a")))
        title = page.title
    else:
        main = root
    text = clean_text(PLACEHOLDER.sub("", _block_text(main)))
    flags = [] if text.strip() else ["empty"]
    return Extraction(text, "html", flags, [], 0, title, page.as_dict() if page else {})


_PAGE_NO = re.compile(r"^[\s—–\-－_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d+\s*页?)?[\s—–\-－_·•]*$")


def _is_furniture(line: str) -> bool:
    return bool(_PAGE_NO.match(line)) or line.strip() in ("", "·")


def extract_pdf(data: bytes) -> Extraction:
    """pdfplumber text, with running headers/footers and page numbers dropped and lines
    rejoined into paragraphs by their geometry (a short line or an indented next line ends
    a paragraph), also across page breaks. A file cut short is read from its surviving
    objects (parsers/pdf_repair.py): the pages that can be read are kept, flagged truncated."""
    flags: list[str] = []
    messages: list[str] = []
    if b"%%EOF" not in data[-2048:]:
        flags.append("truncated")
        messages.append("no %%EOF marker: the file is cut short")
    ex = _read_pdf(data, list(flags), list(messages))
    if "truncated" in flags and not ex.text and "encrypted" not in ex.flags:
        from parsers.pdf_repair import rebuild

        repaired = rebuild(data)
        if repaired:
            pdfminer_log = logging.getLogger("pdfminer")
            level = pdfminer_log.level
            pdfminer_log.setLevel(logging.ERROR)  # it would warn about every object the cut lost
            try:
                fixed = _read_pdf(repaired[0], list(flags), list(messages), rebuilt=True)
            finally:
                pdfminer_log.setLevel(level)
            if fixed.text:
                read = fixed.messages.pop() if fixed.messages and fixed.messages[-1].startswith("pages with text") else ""
                fixed.messages.append(f"rebuilt the cut-off file from its complete objects: {read or 'text kept'}")
                fixed.flags = sorted(set(fixed.flags) - {"unreadable"} | {"truncated"})
                return fixed
    return ex


def pdf_text_engine() -> str:
    """PDFium (pypdfium2) reads the text, pdfplumber what PDFium cannot open and the files
    rebuilt from a cut (docs/parsing.md). GOVREPORTS_PDF_TEXT=pdfplumber forces pdfplumber
    (for comparisons: benchmarks/pdf_text.py)."""
    return "pdfplumber" if os.environ.get("GOVREPORTS_PDF_TEXT", "").lower() == "pdfplumber" else "pdfium"


def _plumber_lines(data: bytes, flags: list[str], messages: list[str]) -> tuple[list[list[dict]], int] | Extraction:
    """pdfplumber's text lines and image count, or the Extraction saying why the file cannot
    be opened."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        return Extraction("", "pdf", sorted(set(flags + ["encrypted"])), messages + [f"encrypted PDF: {exc!r}"])
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many types on broken files
        kind = "encrypted" if "crypt" in repr(exc).lower() or "password" in repr(exc).lower() else "unreadable"
        return Extraction("", "pdf", sorted(set(flags + [kind])), messages + [f"cannot open PDF: {exc!r}"])
    page_lines: list[list[dict]] = []
    images = 0
    try:
        with pdf:
            for page in pdf.pages:
                try:
                    lines = page.extract_text_lines(layout=False, strip=True, return_chars=False)
                    images += len(page.images)
                except Exception as exc:  # a damaged page: keep the others
                    flags.append("page_error")
                    messages.append(f"page {page.page_number}: {exc!r}")
                    lines = []
                page_lines.append(lines)
    except Exception as exc:
        flags.append("truncated" if "truncated" not in flags else "page_error")
        messages.append(f"PDF stopped reading: {exc!r}")
    return page_lines, images


def _read_pdf(data: bytes, flags: list[str], messages: list[str], rebuilt: bool = False) -> Extraction:
    """`rebuilt`: a file put together from what survived a cut, where pages without text are
    the lost ones, not a missing text layer."""
    page_lines: list[list[dict]] | None = None
    if not rebuilt and pdf_text_engine() == "pdfium":
        from parsers.pdf_text import PdfiumUnavailable
        from parsers.pdf_text import page_lines as pdfium_lines

        try:
            page_lines, images = pdfium_lines(data)
        except PdfiumUnavailable:
            page_lines = None  # pdfplumber reads it, or says what is wrong with it
    if page_lines is None:
        read = _plumber_lines(data, flags, messages)
        if isinstance(read, Extraction):
            return read
        page_lines, images = read
    n_pages = len(page_lines)
    chars = sum(len(ln["text"]) for lines in page_lines for ln in lines)
    with_text = sum(1 for lines in page_lines if lines)
    if n_pages and chars < 20 * max(with_text if rebuilt else n_pages, 1):
        if not rebuilt:
            flags.append("needs_ocr")
            messages.append(f"{chars} text characters on {n_pages} pages ({images} images): no usable text layer")
        return Extraction("", "pdf", sorted(set(flags)), messages, n_pages)
    raw = "\n".join(ln["text"] for lines in page_lines for ln in lines)
    why = garbled_reason(raw)  # before header removal: lines of (cid:N) codes all look alike
    if why:
        return Extraction(clean_text(raw), "pdf", sorted(set(flags + ["garbled"])),
                          messages + [f"garbled text: {why}"], n_pages)
    text = clean_text(_pdf_paragraphs(page_lines))
    if not text:
        flags.append("empty")
        messages.append(f"{chars} characters on {n_pages} pages, none left once page furniture was removed")
    if with_text < n_pages:
        messages.append(f"pages with text: {with_text} of {n_pages}")
    return Extraction(text, "pdf", sorted(set(flags)), messages, n_pages)


def _pdf_paragraphs(page_lines: list[list[dict]]) -> str:
    # Lines repeated at the top or bottom of many pages are running headers/footers.
    edge = Counter()
    for lines in page_lines:
        for ln in lines[:2] + lines[-2:]:
            edge[re.sub(r"\d+", "#", ln["text"].strip())] += 1
    # of the pages that have text (the pages a cut-off file lost have none)
    repeated = {t for t, n in edge.items() if n >= max(2, sum(1 for lines in page_lines if lines) // 2)}
    body = []
    for lines in page_lines:
        kept = [ln for ln in lines if not _is_furniture(ln["text"])
                and re.sub(r"\d+", "#", ln["text"].strip()) not in repeated]
        body.append(kept)
    all_lines = [ln for lines in body for ln in lines]
    if not all_lines:
        return ""
    left = min(ln["x0"] for ln in all_lines)
    right = max(ln["x1"] for ln in all_lines)
    sizes = sorted(ln["bottom"] - ln["top"] for ln in all_lines)
    em = sizes[len(sizes) // 2] or 10
    out: list[str] = []
    prev = None
    for ln in all_lines:
        text = ln["text"].strip()
        indented = ln["x0"] - left > 1.5 * em
        if prev is not None and not indented and right - prev["x1"] < 1.5 * em:
            out[-1] += text  # previous line ran to the margin: same paragraph
        else:
            out.append(text)
        prev = ln
    return "\n".join(out)


MAX_UNZIPPED_BYTES = 32 * 1024 * 1024  # a DOCX whose parts inflate beyond this is not read
MAX_ZIP_RATIO = 100  # nor one whose large part inflates more than this (a zip bomb)
MAX_TEXT_CHARS = 2_000_000  # text kept per document (the longest real report is ~0.1M characters)


def zip_bomb_reason(data: bytes) -> str | None:
    """Why a zip container (DOCX, XLSX) must not be inflated, from its own directory: the
    sizes it declares are the most zipfile will ever inflate."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return f"not a zip file: {exc}"
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        return (f"its parts inflate to {total / 2**20:.0f} MB from {len(data) / 2**20:.1f} MB, over the "
                f"{MAX_UNZIPPED_BYTES // 2**20} MB cap")
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            return (f"{info.filename} inflates {info.file_size // max(info.compress_size, 1)}× "
                    f"({info.file_size / 2**20:.0f} MB), over the {MAX_ZIP_RATIO}× cap")
    return None


def extract_docx(data: bytes) -> Extraction:
    bomb = zip_bomb_reason(data)
    if bomb and not bomb.startswith("not a zip"):
        return Extraction("", "docx", ["too_large"], [f"DOCX not read: {bomb}"])
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        return Extraction("", "docx", ["unreadable"], [f"cannot open DOCX: {exc!r}"])
    paras = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paras.append(" ".join(c.text for c in row.cells))
    text = clean_text("\n".join(paras))
    return Extraction(text, "docx", [] if text else ["empty"])


def extract_doc(data: bytes, kind: str = "doc") -> Extraction:
    """Legacy Word 97-2003 .doc, and WPS .wps in the same binary format (parsers/msdoc.py)."""
    from parsers.msdoc import DocError, doc_text

    try:
        text = clean_text(doc_text(data))
    except DocError as exc:
        flag = "encrypted" if "encrypted" in str(exc) else "needs_conversion"
        return Extraction("", kind, [flag], [f"cannot read .{kind}: {exc}; convert it to DOCX or PDF"])
    except Exception as exc:  # a damaged file: what can be said is said, the document is kept
        return Extraction("", kind, ["unreadable"], [f"cannot read .{kind}: {type(exc).__name__}: {exc}"])
    return Extraction(text, kind, [] if text else ["empty"])


def extract_txt(data: bytes) -> Extraction:
    text = decode_html(data) if data[:1] == b"<" else _decode_plain(data)
    cleaned = clean_text(text)
    return Extraction(cleaned, "txt", [] if cleaned else ["empty"])


def _decode_plain(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def extract_bytes(data: bytes, kind: str, content_type: str | None = None,
                  fragment: str | None = None) -> Extraction:
    """Dispatch on kind (html | pdf | docx | doc | txt); text that is not readable is
    flagged `garbled` (parsers/garble.py)."""
    ex = _extract_kind(data, kind, content_type, fragment)
    if len(ex.text) > MAX_TEXT_CHARS:
        ex.messages = [*ex.messages, f"text cut at {MAX_TEXT_CHARS:,} of {len(ex.text):,} characters"]
        ex.text = ex.text[:MAX_TEXT_CHARS]
        ex.flags = sorted(set(ex.flags) | {"text_capped"})
    why = garbled_reason(ex.text) if ex.text and "garbled" not in ex.flags else None
    if why:
        ex.flags = sorted(set(ex.flags) | {"garbled"})
        ex.messages = [*ex.messages, f"garbled text: {why}"]
    return ex


def _extract_kind(data: bytes, kind: str, content_type: str | None, fragment: str | None) -> Extraction:
    if not data:
        return Extraction("", kind, ["empty"], ["zero bytes"])
    if kind == "pdf" or data[:5] == b"%PDF-":
        return extract_pdf(data)
    if kind == "docx" or (data[:2] == b"PK" and kind != "html"):
        return extract_docx(data)
    if kind in ("doc", "wps") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return extract_doc(data, kind if kind in ("doc", "wps") else "doc")
    if kind == "html":
        return extract_html(data, content_type, fragment)
    return extract_txt(data)

