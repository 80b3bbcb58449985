"""The parser on real reports nobody here labelled: `../shared/corpus/` (246 texts, 1954-2026).

    python benchmarks/corpus.py [--corpus ../shared/corpus] [--list]

For every text: does it yield a target, is its report year right (against sources.json),
is its region right, by admin level and by decade, and the median number of targets per
report; then accuracy on the gold labels (seeds + the 40 hand-labelled corpus texts) and the
throughput of `govreports parse FOLDER --json` over the whole corpus in one command (start-up,
reading, parsing and JSON output included). A clone without ../shared/ has no corpus: the script says so and scores
the gold set only.

"Has a targets section" is read from the text alone (normalised: full-width digits), not from
the parser: 主要预期目标, or this year's (今年/明年/a year) 主要目标, 预期目标, 工作目标, 发展目标,
奋斗目标 or 主要指标, followed within 300 characters by a figure (%, 个百分点, 亿元, 万人). Texts that
are cut off before their plan have none; every local text with zero targets is listed at the end. "Names its region": the region's name without its suffix (安顺 for 安顺市) occurs
in the text. Region is right when the parsed GB/T 2260 code is the code of the region that
sources.json gives (全国 is 100000).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.document import parse_file  # noqa: E402
from pipeline.accuracy import format_table, gold_documents, parsed_gold_documents, score  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
_PLAN_CUE = re.compile(r"主要预期目标|(?:今年|明年|(?:19|20)\d{2}\s*年)[^。；\n]{0,30}?(?:主要目标|预期目标|工作目标|发展目标|奋斗目标|主要指标)")
_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族|藏族|羌族|苗族|侗族|布依族|土家族|彝族|蒙古族|哈尼族|傣族|白族|朝鲜族)*"
                     r"(?:自治区|自治州|特别行政区|省|市|州|盟|地区|区|县|旗)$")


def has_targets_section(text: str) -> bool:
    from parsers.normalize import normalize_text

    text = normalize_text(text)
    for m in _PLAN_CUE.finditer(text):
        if re.search(r"\d+(?:\.\d+)?\s*(?:%|个百分点|亿元|万人)", text[m.end():m.end() + 300]):
            return True
    return False


def _code_table() -> dict[str, list[tuple[str, str]]]:
    """name -> [(code, parent_code)] from the shipped GB/T 2260 table."""
    table: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with open(ROOT / "parsers" / "data" / "gb2260.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            table[row["name"]].append((row["code"], row["parent_code"]))
    return table


def expected_codes(region: str, level: str, table) -> set[str]:
    """Codes the sources.json region name can stand for (阿坝州 -> 513200)."""
    if level == "national":
        return {"100000"}
    if region in table:
        return {c for c, _ in table[region]}
    stem = _SUFFIX.sub("", region)
    return {c for name, rows in table.items() if _SUFFIX.sub("", name) == stem and name.endswith(region[-1])
            for c, _ in rows}


def names_region(region: str, level: str, text: str) -> bool:
    if level == "national":
        return "国务院" in text
    stem = _SUFFIX.sub("", region) or region
    return stem in text


def decade(year: int) -> str:
    if year < 2000:
        return "before 2000"
    return f"{year // 10 * 10}s"


def corpus_rows(corpus: Path) -> tuple[list[dict], float, int]:
    sources = json.loads((corpus / "sources.json").read_text("utf-8"))
    table = _code_table()
    rows = []
    chars = 0
    t0 = time.perf_counter()
    for src in sources:
        path = corpus / src["file"]
        text = path.read_text("utf-8")
        chars += len(text)
        try:
            parsed = parse_file(path)[0]
            error = None
        except Exception as exc:  # a crash is a finding of the benchmark, not its end
            parsed, error = {"document": {}, "indicators": []}, f"{type(exc).__name__}: {exc}"
        doc = parsed["document"]
        targets = [i for i in parsed["indicators"] if i["kind"] == "target"]
        level = src["admin_level"]
        rows.append({
            "file": Path(src["file"]).name, "level": level, "decade": decade(src["report_year"]),
            "national": level == "national", "targets": len(targets),
            "actuals": sum(i["kind"] == "actual" for i in parsed["indicators"]),
            "year": doc.get("report_year"), "year_ok": doc.get("report_year") == src["report_year"],
            "region": doc.get("region_name"), "region_code": doc.get("region_code"),
            "region_ok": doc.get("region_code") in expected_codes(src["region"], level, table),
            "names_region": names_region(src["region"], level, text),
            "has_targets_section": has_targets_section(text), "error": error,
            "expected": (src["region"], src["report_year"]),
        })
    return rows, time.perf_counter() - t0, chars


def _pct(n: int, d: int) -> str:
    return f"{n / d:6.1%}" if d else "     -"


def summary_table(rows: list[dict], key: str) -> list[str]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r)
    order = sorted(groups, key=lambda g: (g == "all", g))
    lines = [f"| {key} | texts | zero targets | zero targets (has targets section) | no year | year wrong "
             f"| no region | region wrong (names it) | median targets |",
             "|---|---|---|---|---|---|---|---|---|"]
    for g in [*order, "all"]:
        rs = rows if g == "all" else groups[g]
        sec = [r for r in rs if r["has_targets_section"]]
        named = [r for r in rs if r["names_region"]]
        lines.append(
            f"| {g} | {len(rs)} | {_pct(sum(r['targets'] == 0 for r in rs), len(rs))} "
            f"| {_pct(sum(r['targets'] == 0 for r in sec), len(sec))} ({len(sec)}) "
            f"| {_pct(sum(r['year'] is None for r in rs), len(rs))} | {_pct(sum(not r['year_ok'] for r in rs), len(rs))} "
            f"| {_pct(sum(r['region'] is None for r in rs), len(rs))} "
            f"| {_pct(sum(not r['region_ok'] for r in named), len(named))} ({len(named)}) "
            f"| {statistics.median([r['targets'] for r in rs]):g} |")
    return lines


def cli_throughput(folder: Path, chars: int, texts: int) -> None:
    """One `govreports parse FOLDER --json` process over the folder, timed from outside."""
    import subprocess

    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(folder), "--json", "-q"],
                          capture_output=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    lines = proc.stdout.count(b"\n")
    print(f"\n`govreports parse {folder} --json`: {texts} files, {lines} JSON lines, {proc.stdout.__len__() / 1e6:.1f} MB "
          f"in {seconds:.1f}s = {chars / seconds / 1e3:.0f}k chars/s (exit {proc.returncode}, one process, start-up included)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--list", action="store_true", help="list every text that misses (zero targets, wrong year or region)")
    ap.add_argument("--thousand", action="store_true",
                    help="also time `govreports parse` over a folder of ~1,000 reports (the corpus copied 4 times)")
    args = ap.parse_args(argv)

    if (args.corpus / "sources.json").exists():
        rows, seconds, chars = corpus_rows(args.corpus)
        local = [r for r in rows if not r["national"]]
        sec = [r for r in local if r["has_targets_section"]]
        named = [r for r in rows if r["names_region"]]
        print(f"Corpus: {args.corpus} — {len(rows)} texts, {chars / 1e6:.1f}M characters, "
              f"parsed in {seconds:.1f}s ({chars / seconds / 1e3:.0f}k chars/s, one process)\n")
        print("\n".join(summary_table(rows, "level")))
        print()
        print("\n".join(summary_table(rows, "decade")))
        print()
        print(f"Local reports with a targets section yielding zero targets: "
              f"{sum(r['targets'] == 0 for r in sec)}/{len(sec)} ({_pct(sum(r['targets'] == 0 for r in sec), len(sec)).strip()})")
        print(f"Report year right: {sum(r['year_ok'] for r in rows)}/{len(rows)} "
              f"({_pct(sum(r['year_ok'] for r in rows), len(rows)).strip()})")
        print(f"Region right, texts that name it: {sum(r['region_ok'] for r in named)}/{len(named)} "
              f"({_pct(sum(r['region_ok'] for r in named), len(named)).strip()})")
        print(f"Median targets per local report: {statistics.median([r['targets'] for r in local]):g}; "
              f"errors: {sum(bool(r['error']) for r in rows)}")
        zero = [r for r in local if r["targets"] == 0]
        notes = {Path(s["file"]).name: s.get("notes", "") for s in json.loads((args.corpus / "sources.json").read_text("utf-8"))}
        print(f"Local texts with zero targets: {len(zero)} of {len(local)}"
              + "".join(f"\n  {r['file']} (targets section: {'yes' if r['has_targets_section'] else 'no'}; "
                        f"source notes: {notes.get(r['file'], '')[:70]})" for r in zero))
        if args.list:
            for r in rows:
                why = []
                if r["error"]:
                    why.append(r["error"])
                if r["targets"] == 0 and not r["national"] and r["has_targets_section"]:
                    why.append("zero targets")
                if not r["year_ok"]:
                    why.append(f"year {r['year']} (expected {r['expected'][1]})")
                if r["names_region"] and not r["region_ok"]:
                    why.append(f"region {r['region']} {r['region_code']} (expected {r['expected'][0]})")
                if why:
                    print(f"  {r['file']}: " + "; ".join(why))
        cli_throughput(args.corpus / "texts", chars, len(rows))
        if args.thousand:
            import shutil
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                for copy in range(4):
                    for path in sorted((args.corpus / "texts").glob("*.txt")):
                        shutil.copyfile(path, Path(tmp) / f"{path.stem}-{copy}.txt")
                cli_throughput(Path(tmp), chars * 4, len(rows) * 4)
    else:
        print(f"No corpus at {args.corpus} (it lives in ../shared/corpus beside a developer's clone); "
              "scoring the gold set only.")

    print("\nGold labels:")
    for name, which in (("seeds", "seeds"), ("corpus (40 texts)", "corpus"), ("all", "all")):
        gold = gold_documents(which)
        result = score(gold, parsed_gold_documents(gold))
        print(f"\n{name}: {result['documents']} documents")
        print(format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
