"""Parser accuracy on the gold labels, and parsing throughput.

    python benchmarks/parse_accuracy.py [--misses]

Prints recall / precision / qualifier accuracy for targets and actuals and metadata accuracy
per field on the seeds' gold, on the 40 hand-labelled corpus texts and on both (with
--misses, every missed or wrong fact), then documents per second and PDF pages per second of extraction (PDFium) and parsing,
with pdfplumber's bare text-line time for reference (best of 3 runs, measured in this run)."""

from __future__ import annotations

import sys
import time

from crawlers.sample_portal.site import build_site
from parsers.document import parse_text
from parsers.extract import extract_pdf
from pipeline.accuracy import (
    SEEDS,
    format_table,
    gold_documents,
    parsed_gold_documents,
    parsed_seed_documents,
    score,
)


def best_of(n, fn):
    best = None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t
        best = dt if best is None or dt < best else best
    return best, out


def main() -> None:
    show_misses = "--misses" in sys.argv[1:]
    for which in ("seeds", "corpus", "all"):
        gold = gold_documents(which)
        result = score(gold, parsed_gold_documents(gold))
        print(f"\nGold set {which}: {result['documents']} documents\n")
        print(format_table(result))
        if show_misses and which != "all":
            for name in ("targets", "actuals"):
                for miss in result[name].misses:
                    print(f"  missed {name[:-1]}: {miss}")
                for wrong in result[name].wrong:
                    print(f"  wrong  {name[:-1]}: {wrong}")
            for wrong in result["metadata_wrong"]:
                print(f"  metadata: {wrong}")

    parsed_seed_documents()  # warm caches (gazetteer, OpenCC) before timing
    seconds, docs = best_of(3, parsed_seed_documents)
    chars = sum(len(d["document"]["text"]) for d in docs.values())
    print(f"\nText documents (seed .txt files): {len(docs)} documents, {chars / 1e3:.0f}k characters "
          f"in {seconds:.2f}s = {len(docs) / seconds:.1f} documents/s, {chars / seconds / 1e3:.0f}k chars/s")

    pdfs = [r.body for r in build_site().values() if getattr(r, "content_type", None) == "application/pdf"]
    import io

    import pdfplumber

    def plumb_only():
        pages = 0
        for data in pdfs:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    page.extract_text_lines()
                    pages += 1
        return pages

    t_plumb, pages = best_of(3, plumb_only)
    t_extract, extractions = best_of(3, lambda: [extract_pdf(d) for d in pdfs])
    t_parse, _ = best_of(3, lambda: [parse_text(ex.text) for ex in extractions])
    total = t_extract + t_parse
    print(f"PDF reports: {len(pdfs)} documents, {pages} pages")
    print(f"  pdfplumber text lines only : {t_plumb:.2f}s  {pages / t_plumb:.1f} pages/s (for reference: the extractor"
          " reads text with PDFium, benchmarks/pdf_text.py compares the two)")
    print(f"  extraction incl. cleaning  : {t_extract:.2f}s  {pages / t_extract:.1f} pages/s (PDFium text, paragraphs, cleaning)")
    print(f"  parsing (metadata, figures): {t_parse:.2f}s")
    print(f"  end to end                 : {total:.2f}s  {pages / total:.1f} pages/s, {len(pdfs) / total:.2f} documents/s")
    print(f"(seed files read from {SEEDS})")


if __name__ == "__main__":
    main()
