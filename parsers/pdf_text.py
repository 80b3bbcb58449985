"""PDF text lines from PDFium (pypdfium2, installed with pdfplumber): the same line records
the paragraph rebuilder reads (`text`, `x0`, `x1`, `top`, `bottom`), at a few per cent of
pdfplumber's cost (benchmarks/pdf_text.py). PDFium also keeps what pdfminer drops (`·`,
sub- and superscripts).

PDFium reports its text as rectangles, one per run of characters on a line; runs on one
baseline are one line. Its rectangles of CJK glyphs from non-embedded fonts have no height,
so a line's height is the document's em, measured as the median advance of its full-width
characters; `top` and `bottom` are from the page's top edge, as pdfplumber gives them."""

from __future__ import annotations

import statistics

BASELINE_TOLERANCE = 2.0  # points: characters whose baselines are this close share a line
UNMAPPED_SHARE = 0.05  # above this share of glyphs without Unicode, pdfplumber reads the file


class PdfiumUnavailable(Exception):
    """PDFium could not read the file: the caller falls back to pdfplumber (whose errors say
    what is wrong with a broken or encrypted file)."""


def _full_width(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def page_lines(data: bytes) -> tuple[list[list[dict]], int]:
    """(lines per page, image count). Raises PdfiumUnavailable when PDFium cannot open it."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # PdfiumError: password, format, truncated beyond its repair
        raise PdfiumUnavailable(repr(exc)) from exc
    pages: list[list[tuple[float, float, float, str]]] = []
    images = 0
    widths: list[float] = []
    unmapped = [0]
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            height = page.get_size()[1]
            pages.append(_char_runs(textpage, height, widths, unmapped))
            images += sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
            textpage.close()
            page.close()
    except Exception as exc:
        raise PdfiumUnavailable(repr(exc)) from exc
    finally:
        pdf.close()
    visible = sum(len(runs) for runs in pages)
    if unmapped[0] > max(5, UNMAPPED_SHARE * visible):
        # glyph codes with no Unicode: PDFium would give them as arbitrary code points (that
        # can look like Chinese); pdfplumber names them (cid:N), which the garble check reads
        raise PdfiumUnavailable(f"{unmapped[0]} of {visible} characters have no Unicode mapping")
    em = statistics.median(widths) if widths else 10.0
    return [_lines(runs, em) for runs in pages], images


def _char_runs(textpage, height: float, widths: list[float], unmapped: list[int]) -> list[tuple[float, float, float, str]]:
    """One (baseline from the top, left, right, char) per visible character, from its loose
    box (the advance box pdfplumber also measures: a closing quote ends where the next
    character would start, not where its ink does). Appends full-width advances to `widths`
    and counts the characters without a Unicode mapping in `unmapped`."""
    import pypdfium2.raw as pdfium_c

    text = textpage.get_text_range()
    chars = []
    raw, rect = textpage.raw, pdfium_c.FS_RECTF()
    get_box, map_error = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_HasUnicodeMapError
    for i, ch in enumerate(text):
        if ch in "\r\n\x00\ufffe":  # line ends and hyphen marks PDFium adds itself
            continue
        if not get_box(raw, i, rect) or rect.right <= rect.left:
            continue
        chars.append((height - rect.bottom, rect.left, rect.right, ch))
        if map_error(raw, i) == 1:
            unmapped[0] += 1
        if _full_width(ch) and ch != "\u3000":
            widths.append(rect.right - rect.left)
    return chars


def _lines(runs: list[tuple[float, float, float, str]], em: float) -> list[dict]:
    """Characters grouped by baseline, top to bottom, each line left to right."""
    runs.sort(key=lambda r: (round(r[0], 1), r[1]))
    groups: list[list[tuple[float, float, float, str]]] = []
    for run in runs:
        if groups and abs(run[0] - groups[-1][0][0]) <= BASELINE_TOLERANCE:
            groups[-1].append(run)
        else:
            groups.append([run])
    lines = []
    for group in groups:
        group.sort(key=lambda r: r[1])
        text = "".join(r[3] for r in group).replace("\r", "").replace("\n", "")
        stripped = text.strip()
        if not stripped:
            continue
        base = group[0][0]
        # pdfplumber's line starts at its first visible character (not at an indent of
        # ideographic spaces), and so does this one
        visible = [r for r in group if not r[3].isspace()]
        lines.append({"text": stripped, "x0": visible[0][1], "x1": visible[-1][2], "top": base - em, "bottom": base})
    return lines
