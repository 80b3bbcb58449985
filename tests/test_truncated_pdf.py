"""A PDF cut short keeps the pages that can be read (issue 14, item 5): the complete objects
at its head are indexed again (parsers/pdf_repair.py), the document is flagged truncated and
says how many pages were read; a file cut before its first page stays unreadable."""

import pytest

from crawlers.sample_portal.site import build_site
from parsers.document import parse_bytes
from parsers.extract import extract_bytes
from parsers.pdf_repair import rebuild

PDFS = [r.body for r in build_site().values() if getattr(r, "content_type", None) == "application/pdf"]


@pytest.mark.parametrize("pdf", PDFS, ids=["report-1", "report-2"])
@pytest.mark.parametrize("share", [0.3, 0.6, 0.9])
def test_a_cut_pdf_keeps_its_readable_pages(pdf, share):
    full = extract_bytes(pdf, "pdf")
    cut = extract_bytes(pdf[: int(len(pdf) * share)], "pdf")
    assert "truncated" in cut.flags and "unreadable" not in cut.flags
    assert cut.text and full.text.startswith(cut.text[:200])  # the head of the report, as read from the whole file
    assert 0.1 * len(full.text) < len(cut.text) < len(full.text)
    assert any("pages with text" in m for m in cut.messages), cut.messages


def test_facts_of_the_kept_pages_are_read():
    pdf = PDFS[0]
    (result,) = parse_bytes(pdf[: int(len(pdf) * 0.9)], "pdf")
    assert "truncated" in result["document"]["quality_flags"] and result["indicators"]


def test_a_pdf_cut_before_its_first_page_is_unreadable():
    ex = extract_bytes(PDFS[0][:300], "pdf")
    assert ex.text == "" and {"truncated", "unreadable"} <= set(ex.flags)


def test_a_lost_catalog_gets_a_new_page_tree():
    pdf = PDFS[0].replace(b"/Type /Catalog", b"/Type /Xatalog")  # as if the catalog came last and was cut
    fixed, pages = rebuild(pdf[: int(len(pdf) * 0.6)])
    assert pages == 14 and b"/Type /Catalog" in fixed
    ex = extract_bytes(pdf[: int(len(pdf) * 0.6)], "pdf")
    assert "truncated" in ex.flags and len(ex.text) > 1000


def test_a_whole_pdf_is_not_touched():
    ex = extract_bytes(PDFS[1], "pdf")
    assert "truncated" not in ex.flags and not any("rebuilt" in m for m in ex.messages)
