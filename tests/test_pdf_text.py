"""PDF text from PDFium (issue 15, item 4): the same characters as pdfplumber once cleaned,
plus what pdfminer drops; pdfplumber still reads what PDFium cannot."""

import re

import pytest

from crawlers.sample_portal.pdfgen import render_pdf
from crawlers.sample_portal.site import build_site
from parsers.extract import extract_pdf, pdf_text_engine
from parsers.pdf_text import PdfiumUnavailable, page_lines
from pipeline.derived import derived_key

KEPT_BY_PDFIUM_ONLY = set("·•₀₁₂₃₄₅₆₇₈₉⁰¹²³")


def _sample_pdfs():
    return [r.body for r in build_site().values() if getattr(r, "content_type", None) == "application/pdf"]


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("index", [0, 1])
def test_pdfium_and_pdfplumber_give_the_same_characters_and_paragraphs(index, monkeypatch):
    data = _sample_pdfs()[index]
    ours = extract_pdf(data)
    monkeypatch.setenv("GOVREPORTS_PDF_TEXT", "pdfplumber")
    plumber = extract_pdf(data)
    assert ours.pages == plumber.pages > 10
    stripped = "".join(ch for ch in _squeezed(ours.text) if ch not in KEPT_BY_PDFIUM_ONLY)
    assert stripped == "".join(ch for ch in _squeezed(plumber.text) if ch not in KEPT_BY_PDFIUM_ONLY)
    assert ours.text.count("\n") == plumber.text.count("\n")  # the same paragraphs
    assert "— 1 —" not in ours.text and "会议文件" not in ours.text.split("\n")[0]  # furniture dropped


def test_pdfium_keeps_middle_dots_and_subscripts():
    text = "全年PM₂.₅平均浓度下降8%，SO₂排放削减5%，海尔·海创汇入驻企业120家。\n\n主要预期目标：地区生产总值增长6%左右。"
    ex = extract_pdf(render_pdf(text, "某县第十届人民代表大会第二次会议文件"))
    assert "SO₂" in ex.text and "海尔·海创汇" in ex.text and "增长6%左右" in ex.text


def test_a_file_pdfium_cannot_open_is_read_by_pdfplumber_or_named():
    with pytest.raises(PdfiumUnavailable):
        page_lines(b"%PDF-1.7\nnot a pdf at all")
    ex = extract_pdf(b"%PDF-1.7\nnot a pdf at all\n%%EOF")
    assert ex.text == "" and "unreadable" in ex.flags and ex.messages


def test_the_engine_is_part_of_the_text_cache_key(monkeypatch):
    assert pdf_text_engine() == "pdfium"
    ours = derived_key("ab" * 32, "pdf", "application/pdf", None)
    monkeypatch.setenv("GOVREPORTS_PDF_TEXT", "pdfplumber")
    assert pdf_text_engine() == "pdfplumber"
    assert derived_key("ab" * 32, "pdf", "application/pdf", None) != ours
    assert derived_key("ab" * 32, "html", "text/html", None) == derived_key("ab" * 32, "html", "text/html", None)
