"""Render a report text as a PDF the way portals publish them: A4, a CID Chinese font that
pdfplumber can read, a running header and '— N —' page numbers the extractor must drop."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _wrap(paragraph: str, width: float, size: float) -> list[str]:
    lines, current = [], ""
    for ch in paragraph:
        if pdfmetrics.stringWidth(current + ch, FONT, size) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines or [""]


def render_pdf(text: str, header: str, size: float = 12, leading: float = 21) -> bytes:
    """Blank lines separate paragraphs; each paragraph gets a two-character indent."""
    font = _font()
    page_w, page_h = A4
    margin_x, top, bottom = 72, page_h - 80, 80
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)  # invariant: same input, same bytes
    pdf.setTitle(header)
    page_no = 1

    def furniture() -> None:
        pdf.setFont(font, 9)
        pdf.drawCentredString(page_w / 2, page_h - 50, header)
        pdf.line(margin_x, page_h - 56, page_w - margin_x, page_h - 56)
        pdf.setFont(font, 10)
        pdf.drawCentredString(page_w / 2, 45, f"— {page_no} —")
        pdf.setFont(font, size)

    furniture()
    y = top
    for para in (p.strip() for p in text.split("\n")):
        if not para:
            continue
        for line in _wrap("\u3000\u3000" + para, page_w - 2 * margin_x, size):
            if y < bottom:
                pdf.showPage()
                page_no += 1
                furniture()
                y = top
            pdf.drawString(margin_x, y, line)
            y -= leading
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
