"""Each rule of the figure reader, tested in the style of other regions and years than the one
it was first seen in, with a negative case beside it."""

import pytest

from parsers.document import parse_text
from parsers.facts import extract_facts
from parsers.normalize import clean_text

TARGETS = "今年经济社会发展的主要预期目标是："
REVIEW = "一、2023年工作回顾\n过去一年，"


def facts(text, year=2024, **kw):
    return [(f.indicator, f.kind, f.period, f.span, f.measure, f.value, f.qualifier)
            for f in extract_facts(clean_text(text), year, **kw)]


def rows(text, year=2024):
    return extract_facts(clean_text(text), year)


# --- lists --------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase", ["其中一、二、三产分别增长", "其中第一、第二、第三产业增加值分别增长",
                                    "三次产业增加值分别增长", "一产、二产、三产增加值分别增长", "其中一二三产增加值分别增长"])
def test_shared_suffix_lists_of_the_three_industries(phrase):
    got = facts(TARGETS + f"地区生产总值增长6.5%左右，{phrase}4%、7.5%、6%左右。")
    assert ("primary_industry_value_added", "target", 2024, None, "growth", 4, "about") in got
    assert ("secondary_industry_value_added", "target", 2024, None, "growth", 7.5, "about") in got
    assert ("tertiary_industry_value_added", "target", 2024, None, "growth", 6, "about") in got


def test_industry_structure_is_still_shares_not_value_added():
    got = facts(REVIEW + "三次产业结构调整为8.1∶39.5∶52.4。")
    assert ("tertiary_industry_share", "actual", 2023, None, "share", 52.4, "exact") in got
    assert not [g for g in got if g[0].endswith("value_added")]


def test_respectively_after_name_amount_pairs():
    got = facts(REVIEW + "全县完成财政总收入18.6亿元、一般公共预算收入9.2亿元，分别增长7.3%和5.1%。")
    assert ("fiscal_revenue_total", "actual", 2023, None, "level", 18.6, "exact") in got
    assert ("fiscal_revenue_total", "actual", 2023, None, "growth", 7.3, "exact") in got
    assert ("general_budget_revenue", "actual", 2023, None, "growth", 5.1, "exact") in got
    both = facts(REVIEW + "金融机构存款余额3120亿元、贷款余额2480亿元，均增长9%。")
    assert ("deposits_balance", "actual", 2023, None, "growth", 9, "exact") in both
    assert ("loans_balance", "actual", 2023, None, "growth", 9, "exact") in both


def test_an_item_naming_something_else_ends_the_list():
    got = facts(REVIEW + "地方一般预算收入12.4亿元、支出46.8亿元。")
    assert [g for g in got if g[0] == "general_budget_revenue"] == [
        ("general_budget_revenue", "actual", 2023, None, "level", 12.4, "exact")]


def test_names_of_a_list_zip_with_figures_and_unknown_names_keep_their_place():
    got = facts(REVIEW + "规模以上工业增加值、规模以上制造业增加值分别增长8.2%、9%。")
    assert [g for g in got if g[0] == "industrial_value_added_above_scale"] == [
        ("industrial_value_added_above_scale", "actual", 2023, None, "growth", 8.2, "exact")]


# --- tiers and qualifiers ------------------------------------------------------------------------

def test_floor_and_stretch_figures_of_one_item_and_no_leak_to_the_next():
    found = rows(TARGETS + "一般公共预算收入增长6%以上、力争7%，固定资产投资增长8%左右。")
    revenue = sorted((f.value, f.qualifier, f.target_tier) for f in found if f.indicator == "general_budget_revenue")
    assert revenue == [(6, "at_least", None), (7, "exact", "stretch")]
    fai = [f for f in found if f.indicator == "fixed_asset_investment"]
    assert [(f.value, f.target_tier) for f in fai] == [(8, None)]


def test_controlled_at_is_at_most_for_a_target_and_exact_for_a_result():
    target = facts(TARGETS + "城镇登记失业率控制在4.5%。")
    assert ("registered_urban_unemployment_rate", "target", 2024, None, "rate", 4.5, "at_most") in target
    result = facts(REVIEW + "城镇登记失业率控制在3.2%。")
    assert ("registered_urban_unemployment_rate", "actual", 2023, None, "rate", 3.2, "exact") in result
    explicit = facts(TARGETS + "居民消费价格涨幅控制在3%左右。")
    assert ("cpi", "target", 2024, None, "growth", 3, "about") in explicit


def test_a_verb_written_once_for_a_list_qualifies_each_figure():
    got = facts(REVIEW + "全市生产总值、人均生产总值分别突破6000亿元、10万元。")
    assert ("gdp", "actual", 2023, None, "level", 6000, "at_least") in got
    assert ("gdp_per_capita", "actual", 2023, None, "level", 10, "at_least") in got
    # an increment verb written once skips each figure
    none = facts(REVIEW + "地方财政收入和一般公共预算收入同比分别增收3.2亿元和2.1亿元。")
    assert not [g for g in none if g[4] == "level"]


def test_thresholds_are_qualifiers_comparisons_are_skipped():
    got = facts(TARGETS + "地区生产总值增速不低于5.5%，固定资产投资增速高于8%，社会消费品零售总额增速高于全省1个百分点。")
    assert ("gdp", "target", 2024, None, "growth", 5.5, "at_least") in got
    assert ("fixed_asset_investment", "target", 2024, None, "growth", 8, "at_least") in got
    assert not [g for g in got if g[0] == "retail_sales"]
    mixed = facts(TARGETS + "地区生产总值增速高于省平1个百分点、7%左右。")
    assert mixed == [("gdp", "target", 2024, None, "growth", 7, "about")]


def test_about_before_a_figure():
    got = facts(REVIEW + "全市地区生产总值增长5.4%、约2.1万亿元。")
    assert ("gdp", "actual", 2023, None, "level", 2.1, "about") in got


def test_chinese_numeral_ranges_of_older_reports():
    got = facts("今年经济增长速度的预期目标，定为百分之七至八。", 1996)
    assert [(g[0], g[4], g[5], g[6]) for g in got] == [("gdp", "growth", 7, "range")]
    assert rows("今年经济增长速度的预期目标，定为百分之七至八。", 1996)[0].value_high == 8


# --- what is not the region's annual figure ------------------------------------------------------------

def test_cumulative_and_multi_year_figures_are_not_annual():
    got = facts(REVIEW + "全县生产总值比2018年增长41%，五年累计完成固定资产投资860亿元，是“十三五”时期的1.5倍。")
    assert got == []


def test_a_ratio_to_gdp_is_not_gdp():
    got = facts(TARGETS + "研发经费投入占地区生产总值比重达到2.6%，社会物流总费用与地区生产总值的比率下降0.5个百分点。")
    assert not [g for g in got if g[0] == "gdp"]
    share = facts(REVIEW + "服务业增加值占地区生产总值比重达到51.2%，第三产业增加值占比提高1.3个百分点。")
    assert ("tertiary_industry_share", "actual", 2023, None, "share", 51.2, "exact") in share
    assert ("tertiary_industry_share", "actual", 2023, None, "change_pp", 1.3, "exact") in share


def test_figures_of_a_part_are_not_the_regions():
    text = REVIEW + ("开发区完成固定资产投资120亿元。城区地区生产总值增长6.8%。跨境电商实现进出口额23亿元。"
                     "“新三样”出口增长35%。地方级财政收入中企业所得税增长12%。平阴县生产总值增长4%。")
    assert facts(text) == []
    own = facts(REVIEW + "区本级全社会固定资产投资额完成90.7亿元，同比增长24.7%。")
    assert ("fixed_asset_investment", "actual", 2023, None, "level", 90.7, "exact") in own


def test_start_values_conversions_and_streaks_are_skipped():
    got = facts(REVIEW + "全县生产总值由2018年的120亿元增加到2023年的186亿元，人均生产总值52300元（折合7400美元），"
                "实现连续6个季度8%以上的快速增长。")
    assert ("gdp", "actual", 2023, None, "level", 186, "exact") in got
    assert not [g for g in got if g[5] in (120, 7400, 8)]
    rate = facts(REVIEW + "城镇化率从2018年的51.2%提高到2023年的56.8%。")
    assert ("urbanization_rate", "actual", 2023, None, "rate", 56.8, "exact") in rate and len(rate) == 1


def test_a_fall_to_a_rate_is_the_new_rate_not_a_decrease():
    got = facts(REVIEW + "固定资产投资增长幅度由上年的百分之三十回落到百分之十八点五。")
    assert ("fixed_asset_investment", "actual", 2023, None, "growth", 18.5, "exact") in got
    fall = facts(REVIEW + "单位地区生产总值能耗下降3.2%。")
    assert ("energy_intensity", "actual", 2023, None, "growth", -3.2, "exact") in fall


def test_part_year_figures_are_not_the_years_result():
    got = facts(REVIEW + "1-11月，规模以上工业增加值增长9.1%；前三季度，城乡居民人均可支配收入分别增长5.6%、7.2%。全年地区生产总值增长6%。")
    assert got == [("gdp", "actual", 2023, None, "growth", 6, "exact")]


def test_a_threshold_is_dropped_when_the_exact_figure_is_given():
    got = facts(REVIEW + "全市生产总值突破500亿元，达到523.6亿元，增长7.2%。")
    assert [g for g in got if g[4] == "level"] == [("gdp", "actual", 2023, None, "level", 523.6, "exact")]
    doc = facts("一、2025年和“十四五”时期工作回顾\n全年地区生产总值8.1万亿元，增长5.3%。\n五年来，经济总量跨过两个万亿元台阶、超过8万亿元。",
                2026)
    assert [g for g in doc if g[4] == "level"] == [("gdp", "actual", 2025, None, "level", 8.1, "exact")]


# --- names with modifiers, older and regional names ----------------------------------------------

@pytest.mark.parametrize("sentence, code, measure, value", [
    ("年末金融机构本外币存款余额2865亿元", "deposits_balance", "level", 2865),
    ("年末人民币各项贷款余额1932亿元", "loans_balance", "level", 1932),
    ("规模以上工业企业实现增加值增长7.7%", "industrial_value_added_above_scale", "growth", 7.7),
    ("规模工业增加值增长8%", "industrial_value_added_above_scale", "growth", 8),
    ("农牧民人均纯收入5120元", "rural_net_income_per_capita", "level", 5120),
    ("公共财政预算收入增长15.4%", "general_budget_revenue", "growth", 15.4),
    ("地方财政总收入完成31.2亿元", "fiscal_revenue_total", "level", 31.2),
    ("城市化水平达到49.5%", "urbanization_rate", "rate", 49.5),
    ("货物进出口增长4.3%", "foreign_trade_total", "growth", 4.3),
    ("外商直接投资增长12%", "fdi_utilized", "growth", 12),
    ("经济增长6.2%", "gdp", "growth", 6.2),
    ("城镇常住居民人均可支配收入41230元", "urban_disposable_income_per_capita", "level", 41230),
    ("进出口总额达到1.2万亿美元", "foreign_trade_total", "level", 1.2),
])
def test_names_with_modifiers_and_older_names(sentence, code, measure, value):
    got = facts(REVIEW + sentence + "。")
    assert (code, "actual", 2023, None, measure, value, "exact") in got


def test_modifier_inside_a_name_keeps_its_average():
    got = facts("“十一五”时期的主要目标是：人口年均自然增长率控制在6.5‰以内。", 2006)
    assert ("population_natural_growth_rate", "target", 2010, "2006-2010", "rate", 6.5, "at_most") in got


def test_units_for_grain_and_dollars():
    got = [(f.indicator, f.value, f.unit, f.qualifier) for f in rows(TARGETS + "粮食产量稳定在210亿斤以上。")]
    assert got == [("other:粮食产量", 210, "亿斤", "at_least")]


# --- estimates and noisy copies -----------------------------------------------------------------------

def test_estimates_and_a_note_that_covers_what_follows():
    found = rows(REVIEW + "初步测算，全区地区生产总值增长5.8%。\n全年一般公共预算收入（预计数，下同）增长4%。社会消费品零售总额增长6%。\n"
                 "二、2024年工作安排\n" + TARGETS + "地区生产总值增长6%左右。")
    est = {(f.indicator, f.kind): f.estimate for f in found}
    assert est[("gdp", "actual")] and est[("general_budget_revenue", "actual")] and est[("retail_sales", "actual")]
    assert est[("gdp", "target")] is False


def test_noisy_copies_pinyin_html_and_stray_spaces():
    text = ("<p>一、2023年工作回顾</p><p>全年地区生(shēng)产(chǎn)总值增长 6.1 %，一般公共预算收入增长4.2%。</p>"
            "<p>" + TARGETS + "地区生产总值增长 6% 左右，一般公共预算收入增长５％以 上。</p>")
    got = facts(text)
    assert ("gdp", "actual", 2023, None, "growth", 6.1, "exact") in got
    assert ("general_budget_revenue", "actual", 2023, None, "growth", 4.2, "exact") in got
    assert ("gdp", "target", 2024, None, "growth", 6, "about") in got
    assert ("general_budget_revenue", "target", 2024, None, "growth", 5, "at_least") in got


def test_flattened_paragraphs_of_a_national_report():
    text = ("政府工作报告\t——2009年3月5日在第十一届全国人民代表大会第二次会议上\t国务院总理 温家宝\t各位代表：\t"
            "一、2008年工作回顾\t过去的一年，国内生产总值达到30.07万亿元，比上年增长9%。\t"
            "二、2009年工作总体部署\t今年经济社会发展的主要预期目标是：国内生产总值增长8%左右。")
    doc = parse_text(clean_text(text))
    d = doc["document"]
    assert (d["report_year"], d["region_code"], d["admin_level"]) == (2009, "100000", "national")
    got = {(i["indicator"], i["kind"], i["period"], i["measure"], i["value"]) for i in doc["indicators"]}
    assert ("gdp", "actual", 2008, "level", 30.07) in got and ("gdp", "target", 2009, "growth", 8) in got


def test_other_indicators_are_named_by_their_phrase_or_verb_and_noun():
    found = rows(TARGETS + "城镇新增就业4.2万人以上，实施3000个技改项目。")
    names = {(f.indicator, f.value) for f in found}
    assert ("other:城镇新增就业", 4.2) in names and ("other:实施技改项目", 3000) in names


def test_shared_head_list_and_unknown_items_of_a_plan():
    got = facts(TARGETS + "规上工业营业收入、增加值分别增长12%、9%，建筑业总产值增长8%。")
    assert ("industrial_value_added_above_scale", "target", 2024, None, "growth", 9, "exact") in got
    assert ("other:规上工业营业收入", "target", 2024, None, "growth", 12, "exact") in got
    # in a review, an item we have no code for yields nothing
    assert facts(REVIEW + "规上工业营业收入、增加值分别增长12%、9%。") == [
        ("industrial_value_added_above_scale", "actual", 2023, None, "growth", 9, "exact")]


def test_trade_with_a_partner_is_not_the_total():
    got = facts(REVIEW + "外贸进出口总额增长6.1%，其中对欧盟进出口增长12%，对外贸易进出口总额1.2万亿元。")
    assert [g[5] for g in got if g[0] == "foreign_trade_total"] == [6.1, 1.2]


def test_value_added_then_its_share():
    got = facts(REVIEW + "服务业增加值突破2000亿元，占比达到54.6%。")
    assert ("tertiary_industry_value_added", "actual", 2023, None, "level", 2000, "at_least") in got
    assert ("tertiary_industry_share", "actual", 2023, None, "share", 54.6, "exact") in got


def test_year_end_figure_after_a_part_year_one():
    got = facts(REVIEW + "年末城镇调查失业率从上半年5.6%降到5.1%。")
    assert got == [("surveyed_urban_unemployment_rate", "actual", 2023, None, "rate", 5.1, "exact")]


def test_a_rank_in_between_does_not_break_the_subject():
    got = facts(REVIEW + "全市生产总值达到1526亿元，跃居全省第3位，年均增长6.8%。", 2021)
    assert ("gdp", "actual", 2020, None, "level", 1526, "exact") in got
    assert any(g[0] == "gdp" and g[5] == 6.8 for g in got)


def test_the_plan_outline_presented_opens_the_plan_part():
    text = ("一、“十四五”时期工作回顾\n五年来，全区生产总值年均增长5.9%。\n"
            "我们编制了“十五五”规划纲要（草案），提出地区生产总值年均增长5%左右。\n"
            "三、2026年工作\n今年主要预期目标是：地区生产总值增长5%以上。")
    got = facts(text, 2026)
    assert ("gdp", "actual", 2025, "2021-2025", "growth", 5.9, "exact") in got
    assert ("gdp", "target", 2030, "2026-2030", "growth", 5, "about") in got
    assert ("gdp", "target", 2026, None, "growth", 5, "at_least") in got


@pytest.mark.parametrize("text", ["", "123", "%%%%", "（（（（（", "各位代表" * 3000, "增长" + "5%、" * 2000,
                                  "\n".join(["2023年"] * 300), "<p>" * 50, "十五五" * 200, "分别" * 500])
def test_odd_inputs_do_not_break_the_parser(text):
    doc = parse_text(clean_text(text))
    assert set(doc) == {"document", "indicators", "tasks"}


def test_a_sentence_about_a_sub_area_is_not_the_regions():
    got = facts(REVIEW + "县域经济发展迅速，生产总值158.3亿元，增长18.4%。全市生产总值243.8亿元，增长22.6%。")
    assert [g[5] for g in got if g[0] == "gdp"] == [243.8, 22.6]
    own = facts(REVIEW + "城区改造加快推进，全市生产总值增长6%。")
    assert ("gdp", "actual", 2023, None, "growth", 6, "exact") in own


def test_expected_to_is_an_estimate():
    found = rows(REVIEW + "进出口总额逆势上扬，全年有望突破200亿元。")
    assert [(f.indicator, f.value, f.qualifier, f.estimate) for f in found] == [("foreign_trade_total", 200, "at_least", True)]
