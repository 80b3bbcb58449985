"""PDF text: PDFium (pypdfium2) against pdfplumber, on the same files, in the same run.

    python benchmarks/pdf_text.py [--rounds 7] [--pages 40]

Files: the sample portal's two PDF reports (14 and 12 pages), and long reports generated
the way portals publish them (crawlers/sample_portal/pdfgen.py: A4, a CID font, running header
and page numbers) from the seed texts, about `--pages` pages each. For each file, the two
engines are timed alternately (plumber, pdfium, plumber, … so that a machine busy for a while
slows both), as CPU seconds of `extract_pdf` in this process, and the median of the rounds
is kept. Then: pages per second of each, the ratio, and whether the cleaned texts have the
same characters (whitespace ignored); every character one side has and the other lacks is
listed (pdfminer drops `·` and sub/superscripts; PDFium keeps them). A second figure times a
whole `govreports parse FILE.pdf` process per engine (median of the rounds, alternated)."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawlers.sample_portal.pdfgen import render_pdf  # noqa: E402
from crawlers.sample_portal.site import build_site  # noqa: E402
from parsers.extract import extract_pdf  # noqa: E402

ENGINES = ("pdfplumber", "pdfium")


def _extract(data: bytes, engine: str):
    os.environ["GOVREPORTS_PDF_TEXT"] = engine
    try:
        t = time.process_time()
        ex = extract_pdf(data)
        return time.process_time() - t, ex
    finally:
        os.environ.pop("GOVREPORTS_PDF_TEXT", None)


def long_reports(pages: int) -> list[tuple[str, bytes]]:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "crawlers" / "sample_portal" / "data").glob("*.txt"))]
    texts = [t for t in texts if len(t) > 5000]
    out = []
    for n in range(2):
        body, i = "", n
        while len(body) < pages * 480:  # ~480 characters per A4 page at 12 pt, 21 pt leading
            body += texts[i % len(texts)] + "\n"
            i += 1
        out.append((f"generated-{n + 1}", render_pdf(body, "某某县第十八届人民代表大会第三次会议文件")))
    return out


def _diff(a: str, b: str) -> tuple[Counter, Counter]:
    a, b = re.sub(r"\s", "", a), re.sub(r"\s", "", b)
    only_a, only_b = Counter(), Counter()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            only_a.update(a[i1:i2])
        if op in ("insert", "replace"):
            only_b.update(b[j1:j2])
    return only_a, only_b


def whole_process(data: bytes, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(data)
        times: dict[str, list[float]] = {e: [] for e in ENGINES}
        for _ in range(rounds):
            for engine in ENGINES:
                env = {**os.environ, "GOVREPORTS_PDF_TEXT": engine}
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(path), "--json", "-q"],
                               cwd=ROOT, env=env, check=True, capture_output=True)
                times[engine].append(time.perf_counter() - t)
        return {e: statistics.median(v) for e, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--pages", type=int, default=40)
    args = ap.parse_args(argv)

    site = build_site()
    files = [(url.rsplit("/", 1)[-1], r.body) for url, r in sorted(site.items())
             if getattr(r, "content_type", None) == "application/pdf"]
    files += long_reports(args.pages)
    print(f"{'file':<28} {'pages':>5} {'pdfplumber s':>12} {'pdfium s':>9} {'plumber p/s':>11} {'pdfium p/s':>10} "
          f"{'ratio':>6}  same characters")
    total = {e: 0.0 for e in ENGINES}
    pages_total = 0
    for name, data in files:
        times: dict[str, list[float]] = {e: [] for e in ENGINES}
        texts = {}
        for _ in range(args.rounds):
            for engine in ENGINES:
                dt, ex = _extract(data, engine)
                times[engine].append(dt)
                texts[engine] = ex
        med = {e: statistics.median(v) for e, v in times.items()}
        pages = texts["pdfium"].pages or 0
        pages_total += pages
        for e in ENGINES:
            total[e] += med[e]
        only_plumber, only_pdfium = _diff(texts["pdfplumber"].text, texts["pdfium"].text)
        same = "yes" if not only_plumber and not only_pdfium else (
            f"no: pdfplumber only {dict(only_plumber) or '-'}; pdfium only {dict(only_pdfium) or '-'}")
        print(f"{name[:28]:<28} {pages:>5} {med['pdfplumber']:>12.3f} {med['pdfium']:>9.3f} "
              f"{pages / med['pdfplumber']:>11.1f} {pages / med['pdfium']:>10.1f} "
              f"{med['pdfplumber'] / med['pdfium']:>5.1f}x  {same}")
    print(f"{'all':<28} {pages_total:>5} {total['pdfplumber']:>12.3f} {total['pdfium']:>9.3f} "
          f"{pages_total / total['pdfplumber']:>11.1f} {pages_total / total['pdfium']:>10.1f} "
          f"{total['pdfplumber'] / total['pdfium']:>5.1f}x")
    print(f"(CPU seconds of extract_pdf in this process, median of {args.rounds} alternated rounds)")
    name, data = files[0]
    proc = whole_process(data, max(3, args.rounds))
    print(f"\nwhole `govreports parse {name}` process, median of {max(3, args.rounds)} alternated: "
          f"pdfplumber {proc['pdfplumber']:.2f}s, pdfium {proc['pdfium']:.2f}s "
          f"({proc['pdfplumber'] / proc['pdfium']:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
