"""Load and check hand-made gold labels (tests/fixtures/seeds_gold.json and the per-text
files of tests/fixtures/corpus_gold/), without running the parser: a label that names a
sentence the text does not hold, or a value its sentence does not write, is a typo that
would silently bend every accuracy figure.

    python -m pipeline.gold tests/fixtures/corpus_gold/*.json
    python -m pipeline.gold --texts ../shared/corpus/texts labels/*.json   (texts elsewhere)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS_TEXTS = FIXTURES / "corpus" / "texts"
CORPUS_GOLD = FIXTURES / "corpus_gold"

DOC_FIELDS = {"doc", "title", "region", "region_code", "parent", "province", "admin_level", "doc_type",
              "report_year", "meeting_date", "speaker", "speaker_title", "doc_number", "notes", "facts"}
REQUIRED_DOC = DOC_FIELDS - {"notes", "region_code"}
FACT_FIELDS = {"indicator", "kind", "period", "span", "measure", "value", "value_high", "unit", "qualifier",
               "target_tier", "estimate", "distributive", "sentence"}
REQUIRED_FACT = {"indicator", "kind", "period", "measure", "value", "unit", "qualifier", "sentence"}
LEVELS = {"national", "province", "prefecture", "county", "district", "town"}
KINDS = {"target", "actual"}
MEASURES = {"growth", "level", "rate", "share", "change_pp", "ratio"}
QUALIFIERS = {"about", "at_least", "at_most", "exact", "range"}
TIERS = {"stretch", "floor"}
NAMED = {"gdp", "gnp", "gdp_per_capita", "general_budget_revenue", "local_fiscal_revenue",
         "fiscal_revenue_total", "fixed_asset_investment", "retail_sales", "industrial_value_added_above_scale",
         "industrial_value_added", "disposable_income_per_capita", "urban_disposable_income_per_capita",
         "rural_disposable_income_per_capita", "rural_net_income_per_capita",
         "registered_urban_unemployment_rate", "surveyed_urban_unemployment_rate", "foreign_trade_total",
         "exports", "fdi_utilized", "cpi", "urbanization_rate", "primary_industry_share",
         "secondary_industry_share", "tertiary_industry_share", "industry_structure", "deposits_balance",
         "loans_balance", "population_natural_growth_rate", "energy_intensity", "primary_industry_value_added",
         "secondary_industry_value_added", "tertiary_industry_value_added"}

_CN_NUM = "零〇○一二两三四五六七八九十百千万亿点"


def _squeeze(text: str) -> str:
    """Whitespace-free text, so a sentence copied across a flattened line still matches."""
    return re.sub(r"\s+", "", text)


def _written(value: float, sentence: str) -> bool:
    """Whether the sentence writes the number (Arabic, full-width or Chinese numerals)."""
    from parsers.numbers import cn_to_number

    s = sentence.translate({ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９．"}).replace(",", "")
    for m in re.finditer(r"\d+(?:\.\d+)?", s):
        if abs(float(m.group(0)) - abs(value)) < 1e-9:
            return True
    for m in re.finditer(rf"(?:百分之)?[{_CN_NUM}]+", s):
        v = cn_to_number(m.group(0))
        if v is not None and abs(v - abs(value)) < 1e-9:
            return True
    return False


def check_doc(doc: dict, text: str | None) -> list[str]:
    """Problems of one gold document, as readable lines (empty when it is sound)."""
    name = doc.get("doc", "?")
    out = []
    missing = REQUIRED_DOC - set(doc)
    if missing:
        out.append(f"{name}: missing document fields {sorted(missing)}")
    extra = set(doc) - DOC_FIELDS
    if extra:
        out.append(f"{name}: unknown document fields {sorted(extra)}")
    if doc.get("admin_level") not in LEVELS | {None}:
        out.append(f"{name}: admin_level {doc.get('admin_level')!r}")
    if not isinstance(doc.get("report_year"), int):
        out.append(f"{name}: report_year must be an int")
    date = doc.get("meeting_date")
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        out.append(f"{name}: meeting_date {date!r} is not ISO")
    code = doc.get("region_code")
    if code is not None and not re.fullmatch(r"\d{6}", code):
        out.append(f"{name}: region_code {code!r}")
    squeezed = _squeeze(text) if text is not None else None
    for i, f in enumerate(doc.get("facts", [])):
        where = f"{name} fact {i} ({f.get('indicator')} {f.get('value')})"
        if REQUIRED_FACT - set(f):
            out.append(f"{where}: missing {sorted(REQUIRED_FACT - set(f))}")
            continue
        if set(f) - FACT_FIELDS:
            out.append(f"{where}: unknown fields {sorted(set(f) - FACT_FIELDS)}")
        ind = f["indicator"]
        if not (ind in NAMED or re.fullmatch(r"other:[a-z0-9_]+", ind)):
            out.append(f"{where}: indicator {ind!r} is neither a named code nor other:snake_case")
        for fld, allowed in (("kind", KINDS), ("measure", MEASURES), ("qualifier", QUALIFIERS)):
            if f[fld] not in allowed:
                out.append(f"{where}: {fld} {f[fld]!r} not in {sorted(allowed)}")
        if f.get("target_tier") not in TIERS | {None}:
            out.append(f"{where}: target_tier {f.get('target_tier')!r}")
        if not isinstance(f["period"], int):
            out.append(f"{where}: period must be an int")
        span = f.get("span")
        if span is not None:
            m = re.fullmatch(r"(\d{4})-(\d{4})", span)
            if not m or int(m.group(2)) != f["period"] or int(m.group(1)) >= int(m.group(2)):
                out.append(f"{where}: span {span!r} must be 'Y1-Y2' ending at the period")
        if (f["measure"] == "ratio") != (ind == "industry_structure"):
            out.append(f"{where}: measure ratio goes with indicator industry_structure only")
        if f["qualifier"] == "range" and f.get("value_high") is None:
            out.append(f"{where}: a range needs value_high")
        values = f["value"] if isinstance(f["value"], list) else [f["value"]]
        if f.get("value_high") is not None:
            values = [*values, f["value_high"]]
        if squeezed is not None:
            sentence = _squeeze(f["sentence"])
            if sentence not in squeezed:
                out.append(f"{where}: sentence not in the text: {f['sentence']!r}")
            for v in values:
                if not isinstance(v, int | float):
                    out.append(f"{where}: value {v!r} is not a number")
                elif not _written(v, f["sentence"]):
                    out.append(f"{where}: value {v} is not written in its sentence {f['sentence']!r}")
    return out


def load_corpus_gold(folder: Path | None = None) -> list[dict]:
    folder = folder or CORPUS_GOLD
    return [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]


def main(argv: list[str]) -> int:
    texts = CORPUS_TEXTS
    if argv[:1] == ["--texts"] and len(argv) >= 2:
        texts, argv = Path(argv[1]), argv[2:]
    paths = [Path(a) for a in argv] or sorted(CORPUS_GOLD.glob("*.json"))
    problems = 0
    facts = 0
    for path in paths:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"{path}: cannot read: {exc}")
            problems += 1
            continue
        docs = data if isinstance(data, list) else [data]
        for doc in docs:
            text_path = texts / f"{doc.get('doc')}.txt"
            text = text_path.read_text("utf-8") if text_path.exists() else None
            lines = check_doc(doc, text)
            facts += len(doc.get("facts", []))
            for line in lines:
                print(line)
            problems += len(lines)
    print(f"{len(paths)} file(s), {facts} facts, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
