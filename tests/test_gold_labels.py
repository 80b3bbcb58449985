"""The hand-made gold labels are well-formed: every sentence is in its text, every value is
written in its sentence, every field holds an allowed value (pipeline.gold)."""

import json

from pipeline.gold import CORPUS_TEXTS, FIXTURES, check_doc, load_corpus_gold


def test_corpus_gold_covers_forty_texts_across_years_and_levels():
    gold = load_corpus_gold()
    assert len(gold) == 40
    assert {g["doc"] for g in gold} == {p.stem for p in CORPUS_TEXTS.glob("*.txt")}
    assert sum(g["report_year"] < 2015 for g in gold) >= 10
    assert sum(g["title"] is None for g in gold) >= 10
    assert sum(g["admin_level"] == "province" for g in gold) >= 5
    assert sum(g["admin_level"] in ("district", "county") for g in gold) >= 5


def test_every_corpus_label_is_sound():
    problems = [p for g in load_corpus_gold() for p in check_doc(g, (CORPUS_TEXTS / f"{g['doc']}.txt").read_text("utf-8"))]
    assert problems == []


def test_the_checker_catches_a_bad_label():
    gold = load_corpus_gold()[0]
    text = (CORPUS_TEXTS / f"{gold['doc']}.txt").read_text("utf-8")
    bad = json.loads(json.dumps(gold))
    fact = bad["facts"][0]
    fact["value"] = fact["value"] + 0.37 if not isinstance(fact["value"], list) else fact["value"]
    fact["sentence"] = fact["sentence"] + "不在原文中的字"
    bad["admin_level"] = "city"
    problems = check_doc(bad, text)
    assert any("sentence not in the text" in p for p in problems)
    assert any("admin_level" in p for p in problems)


def test_seed_gold_fields_are_sound():
    seeds = json.loads((FIXTURES / "seeds_gold.json").read_text("utf-8"))
    problems = [p for g in seeds for p in check_doc({**g, "region_code": None}, None)]
    assert problems == []
