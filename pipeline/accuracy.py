"""Score the parser against hand-checked gold labels: the seeds (tests/fixtures/seeds_gold.json,
method in tests/fixtures/GOLD_README.md) and 40 real corpus texts (tests/fixtures/corpus_gold/,
rules in its README.md).

recall: gold facts found with the same indicator, kind, measure, period, span and value.
precision: among extracted facts whose key (indicator, kind, measure, period, span) is
  labelled for the document, the share whose value is a labelled one.
qualifier accuracy: among recalled facts, the share with the gold qualifier.
A gold industry-structure ratio [a, b, c] is three *_industry_share facts (the contract's
form). Gold `other:NAME` facts have free-form names, so they match an extracted `other:`
fact on kind, measure, period, span, unit and value; an extracted `other:` fact counts as
labelled when its sentence contains a gold `other:` fact's clause.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from parsers.document import parse_file
from pipeline.gold import CORPUS_TEXTS, FIXTURES, load_corpus_gold

SEEDS = Path(__file__).resolve().parent.parent / "crawlers" / "sample_portal" / "data"
META_FIELDS = ("title", "doc_type", "region", "region_code", "parent", "province", "admin_level", "report_year",
               "meeting_date", "speaker", "speaker_title", "doc_number")
_SHARES = ("primary_industry_share", "secondary_industry_share", "tertiary_industry_share")


def load_gold(path: Path | None = None) -> list[dict]:
    return json.loads((path or FIXTURES / "seeds_gold.json").read_text("utf-8"))


def gold_documents(which: str = "all") -> list[dict]:
    """`seeds`, `corpus` or `all` gold documents."""
    docs = []
    if which in ("seeds", "all"):
        docs += load_gold()
    if which in ("corpus", "all"):
        docs += load_corpus_gold()
    return docs


def parsed_gold_documents(gold: list[dict]) -> dict[str, dict]:
    """Parse results for the gold documents: seed ids ('000', '001#3') and corpus stems."""
    parsed: dict[str, dict] = {}
    if any(not (CORPUS_TEXTS / f"{g['doc']}.txt").exists() for g in gold):
        parsed.update(parsed_seed_documents())
    for g in gold:
        path = CORPUS_TEXTS / f"{g['doc']}.txt"
        if path.exists():
            parsed[g["doc"]] = parse_file(path)[0]
    return parsed


def expand_gold(facts: list[dict]) -> list[dict]:
    out = []
    for f in facts:
        if f["indicator"] == "industry_structure":
            for code, v in zip(_SHARES, f["value"], strict=True):
                out.append({**f, "indicator": code, "measure": "share", "value": v, "unit": "%"})
        else:
            out.append(f)
    return out


def _key(f: dict) -> tuple:
    return (f["indicator"], f["kind"], f["measure"], f["period"], f.get("span"))


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) < 1e-6


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    labelled: int = 0
    correct: int = 0
    qual_ok: int = 0
    misses: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    @property
    def qualifier_accuracy(self) -> float:
        return self.qual_ok / self.found if self.found else 1.0


def parsed_seed_documents(seed_dir: Path | None = None) -> dict[str, dict]:
    """Gold doc ids ('000', '001#3') to parse results of the seed files."""
    seed_dir = seed_dir or SEEDS
    docs: dict[str, dict] = {}
    for path in sorted(seed_dir.glob("*.txt")):
        stem = path.name[:3]
        parsed = parse_file(path)
        if len(parsed) == 1:
            docs[stem] = parsed[0]
        else:
            for i, doc in enumerate(parsed, start=1):
                docs[f"{stem}#{i}"] = doc
    return docs


def _squeeze(text: str) -> str:
    from parsers.normalize import normalize_text

    return re.sub(r"\s", "", normalize_text(text))


def _match_other(g: dict, e: dict) -> bool:
    return (e["indicator"].startswith("other:") and e["kind"] == g["kind"] and e["measure"] == g["measure"]
            and e["period"] == g["period"] and e.get("span") == g.get("span") and e["unit"] == g["unit"]
            and _close(e["value"], g["value"]))


def score(gold: list[dict], parsed: dict[str, dict]) -> dict:
    by_kind = {"target": Score(), "actual": Score()}
    meta_hits = {f: 0 for f in META_FIELDS}
    meta_docs = {f: 0 for f in META_FIELDS}
    meta_wrong: list = []
    for gdoc in gold:
        result = parsed.get(gdoc["doc"])
        extracted = result["indicators"] if result else []
        document = result["document"] if result else {}
        got = {"title": document.get("title"), "doc_type": document.get("doc_type"),
               "region": document.get("region_name"), "region_code": document.get("region_code"),
               "parent": document.get("parent_region"),
               "province": document.get("province"), "admin_level": document.get("admin_level"),
               "report_year": document.get("report_year"), "meeting_date": document.get("meeting_date"),
               "speaker": document.get("speaker"), "speaker_title": document.get("speaker_title"),
               "doc_number": document.get("doc_number")}
        for fld in META_FIELDS:
            if fld not in gdoc:
                continue  # the seeds' labels carry no region_code
            meta_docs[fld] += 1
            if got[fld] == gdoc.get(fld):
                meta_hits[fld] += 1
            else:
                meta_wrong.append((gdoc["doc"], fld, gdoc.get(fld), got[fld]))
        facts = expand_gold(gdoc["facts"])
        named = [f for f in facts if not f["indicator"].startswith("other:")]
        others = [f for f in facts if f["indicator"].startswith("other:")]
        labelled_values: dict[tuple, list[float]] = {}
        for f in named:
            labelled_values.setdefault(_key(f), []).append(f["value"])
        for f in facts:
            sc = by_kind[f["kind"]]
            sc.gold += 1
            if f in others:
                hit = next((e for e in extracted if _match_other(f, e)), None)
            else:
                hit = next((e for e in extracted if _key(e) == _key(f) and _close(e["value"], f["value"])), None)
            if hit:
                sc.found += 1
                if hit["qualifier"] == f["qualifier"]:
                    sc.qual_ok += 1
                else:
                    sc.wrong.append((gdoc["doc"], "qualifier", f["indicator"], f["qualifier"], hit["qualifier"], f["sentence"]))
            else:
                sc.misses.append((gdoc["doc"], f["indicator"], f["kind"], f["measure"], f["period"], f.get("span"), f["value"], f["sentence"]))
        for e in extracted:
            if e["kind"] not in by_kind:
                continue
            sc = by_kind[e["kind"]]
            if e["indicator"].startswith("other:"):
                figure = f"{e['value']:g}{e['unit'] or ''}"
                sentence = _squeeze(e["sentence"])
                near = [g for g in others if g["kind"] == e["kind"] and _squeeze(g["sentence"]) in sentence
                        and figure in _squeeze(g["sentence"])]
                if not near:
                    continue
                sc.labelled += 1
                if any(_match_other(g, e) for g in near):
                    sc.correct += 1
                else:
                    sc.wrong.append((gdoc["doc"], "value", e["indicator"], e["value"], e["sentence"][:60]))
                continue
            values = labelled_values.get(_key(e))
            if values is None:
                continue
            sc.labelled += 1
            if any(_close(e["value"], v) for v in values):
                sc.correct += 1
            else:
                sc.wrong.append((gdoc["doc"], "value", _key(e), e["value"], values, e["sentence"][:80]))
    n_docs = len(gold)
    return {
        "targets": by_kind["target"], "actuals": by_kind["actual"],
        "metadata": {f: meta_hits[f] / meta_docs[f] for f in META_FIELDS if meta_docs[f]}, "metadata_wrong": meta_wrong,
        "documents": n_docs,
    }


def format_table(result: dict) -> str:
    lines = ["| facts | gold | found | recall | precision | qualifier accuracy |", "|---|---|---|---|---|---|"]
    for name in ("targets", "actuals"):
        s: Score = result[name]
        lines.append(f"| {name} | {s.gold} | {s.found} | {s.recall:.3f} | {s.precision:.3f} ({s.correct}/{s.labelled}) | {s.qualifier_accuracy:.3f} |")
    lines.append("")
    lines.append("| metadata field | accuracy |")
    lines.append("|---|---|")
    for fld, acc in result["metadata"].items():
        lines.append(f"| {fld} | {acc:.3f} |")
    return "\n".join(lines)
