"""Sentences in the style of other regions and years, and negatives that must yield nothing."""

import pytest

from parsers.facts import extract_facts


def facts(text, year=2022, kind="work_report", region=None):
    return [(f.indicator, f.kind, f.measure, f.period, f.span, f.value, f.value_high, f.unit, f.qualifier, f.estimate)
            for f in extract_facts(text, year, kind, region)]


def one(text, year=2022, **kw):
    out = facts(text, year, **kw)
    assert len(out) == 1, out
    return out[0]


def test_main_targets_paragraph_with_semicolons_and_other_order():
    out = facts("今年全市经济社会发展的主要预期目标是：一般公共预算收入增长5%；地区生产总值增长5.5%左右；"
                "城镇调查失业率控制在5.5%以内；居民消费价格涨幅3%左右。", 2023)
    assert ("general_budget_revenue", "target", "growth", 2023, None, 5.0, None, "%", "exact", False) in out
    assert ("gdp", "target", "growth", 2023, None, 5.5, None, "%", "about", False) in out
    assert ("surveyed_urban_unemployment_rate", "target", "rate", 2023, None, 5.5, None, "%", "at_most", False) in out
    assert ("cpi", "target", "growth", 2023, None, 3.0, None, "%", "about", False) in out


def test_range_target():
    assert one("主要预期目标：地区生产总值增长5.5%—6%。", 2024)[5:9] == (5.5, 6.0, "%", "range")
    assert one("主要预期目标：生产总值增长6%至6.5%。", 2024)[5:9] == (6.0, 6.5, "%", "range")


def test_decrease_is_negative_growth():
    assert one("回顾过去一年，万元GDP能耗下降2.6%。", 2016)[:6] == ("energy_intensity", "actual", "growth", 2015, None, -2.6)


def test_chinese_numerals_and_units_with_base_values():
    f = extract_facts("今年主要预期目标是：地区生产总值增长百分之六点五左右，一般公共预算收入达到三千二百零五亿元。", 2021)
    assert [(x.indicator, x.value, x.unit, x.qualifier, x.value_base) for x in f] == [
        ("gdp", 6.5, "%", "about", 6.5), ("general_budget_revenue", 3205.0, "亿元", "exact", 3205e8)]


def test_traditional_characters_after_normalisation():
    from parsers.normalize import normalize_text

    text = normalize_text("今年主要預期目標是：地區生產總值增長7%左右。")
    assert one(text, 2021)[:6] == ("gdp", "target", "growth", 2021, None, 7.0)


def test_estimate_and_explicit_year():
    out = facts("一年来，预计2021年全县地区生产总值完成300.5亿元、增长8.2%。", 2022)
    assert out == [("gdp", "actual", "level", 2021, None, 300.5, None, "亿元", "exact", True),
                   ("gdp", "actual", "growth", 2021, None, 8.2, None, "%", "exact", True)]


def test_five_year_averages_get_a_span():
    out = facts("“十二五”时期回顾。五年来，地区生产总值年均增长9.8%，财政总收入年均增长12%。", 2016)
    assert ("gdp", "actual", "growth", 2015, "2011-2015", 9.8, None, "%", "exact", False) in out
    out = facts("“十五五”时期的主要目标是：地区生产总值年均增长5%左右。", 2026)
    assert out == [("gdp", "target", "growth", 2030, "2026-2030", 5.0, None, "%", "about", False)]


def test_older_indicator_names():
    out = facts("过去一年，全县公共财政预算收入完成8.6亿元，农民人均纯收入达到8500元，规上工业增加值增长13%。", 2012)
    assert [o[0] for o in out] == ["general_budget_revenue", "rural_net_income_per_capita",
                                   "industrial_value_added_above_scale"]


def test_usd_and_trillion_units():
    out = facts("回顾过去一年，进出口总额达到56.2亿美元，生产总值达到1.5万亿元。", 2022)
    assert [(o[0], o[5], o[7]) for o in out] == [("foreign_trade_total", 56.2, "亿美元"), ("gdp", 1.5, "万亿元")]
    f = extract_facts("回顾过去一年，进出口总额达到56.2亿美元。", 2022)[0]
    assert f.value_base == 56.2e8


def test_structure_ratio_with_any_colon():
    for sep in (":", "：", "∶"):
        out = facts(f"一年来，三次产业结构调整为3.5{sep}41.2{sep}55.3。", 2022)
        assert [(o[0], o[5]) for o in out] == [("primary_industry_share", 3.5), ("secondary_industry_share", 41.2),
                                               ("tertiary_industry_share", 55.3)]


def test_two_level_target_keeps_both_tiers():
    f = extract_facts("今年主要预期目标：地区生产总值确保增长6%、力争增长7%。", 2021)
    assert [(x.value, x.target_tier, x.qualifier) for x in f] == [(6.0, "floor", "at_least"), (7.0, "stretch", "exact")]


def test_province_level_report_style():
    out = facts("今年全省经济社会发展的主要预期目标是：地区生产总值增长5%以上，城镇新增就业110万人以上，"
                "城镇调查失业率5.5%左右，居民人均可支配收入增长与经济增长基本同步。", 2023)
    assert ("gdp", "target", "growth", 2023, None, 5.0, None, "%", "at_least", False) in out
    assert not any(o[0] == "disposable_income_per_capita" for o in out)


@pytest.mark.parametrize("text", [
    "地区生产总值是2015年的1.3倍。",                       # a ratio to another year
    "一年来，全区生产总值增速高于全市0.5个百分点。",         # a comparison
    "过去一年，税收收入占一般公共预算收入的比重为78%。",      # a share of the indicator, not the indicator
    "海洋生产总值年均增长15%以上。",                        # a sub-indicator (海洋生产总值 is not GDP)
    "两市固定资产投资年均分别增长12.1%、12.9%。",            # other places' figures
    "地区生产总值排名全省第3位。",                          # a rank
    "召开第十九届人民代表大会第六次会议。",                  # no figure
])
def test_negatives_yield_nothing(text):
    assert facts(text, 2021) == []
