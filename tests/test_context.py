"""Where a figure stands decides its kind and period: review parts give actuals, plan parts
targets. Styles of several regions and decades, and mentions that must not open a part."""

from parsers.context import ContextIndex, cues
from parsers.facts import extract_facts


def facts(text, year, **kw):
    return [(f.indicator, f.kind, f.period, f.span, f.measure, f.value, f.qualifier)
            for f in extract_facts(text, year, **kw)]


def test_plan_named_in_review_prose_does_not_turn_the_review_into_targets():
    text = ("一、2015年工作回顾\n过去一年，全县经济稳中有进，为完成“十二五”规划目标奠定了坚实基础。"
            "全县生产总值增长8.1%，固定资产投资增长12%。\n二、2016年工作安排\n今年经济社会发展的主要目标是：生产总值增长7.5%左右。")
    got = facts(text, 2016)
    assert ("gdp", "actual", 2015, None, "growth", 8.1, "exact") in got
    assert ("fixed_asset_investment", "actual", 2015, None, "growth", 12, "exact") in got
    assert ("gdp", "target", 2016, None, "growth", 7.5, "about") in got


def test_planning_cues_other_than_the_literal_phrase():
    for cue in ("今年经济社会发展的主要目标是：", "今年的工作目标是：", "2019年全市经济社会发展的预期目标为：",
                "建议今年全区发展主要指标为："):
        text = f"一年来，地区生产总值增长6%。\n{cue}地区生产总值增长6.5%左右，一般公共预算收入增长5%。"
        got = facts(text, 2019)
        assert ("gdp", "target", 2019, None, "growth", 6.5, "about") in got, cue
        assert ("gdp", "actual", 2018, None, "growth", 6, "exact") in got, cue


def test_a_plan_mentioned_in_passing_opens_nothing():
    text = ("过去一年，全省地区生产总值增长5.4%。对接“十四五”规划，提出今年的主要预期目标是：地区生产总值增长5%左右。"
            "实现“十五五”良好开局。居民消费价格涨幅3%左右。")
    got = facts(text, 2026)
    assert ("gdp", "target", 2026, None, "growth", 5, "about") in got
    assert ("cpi", "target", 2026, None, "growth", 3, "about") in got
    assert not any(f[2] == 2030 for f in got)


def test_five_year_plan_part_then_this_years_targets():
    text = ("一、2025年和“十四五”时期工作回顾\n五年来，全省地区生产总值年均增长5.5%。\n"
            "二、“十五五”时期主要目标任务\n“十五五”时期经济社会发展的主要目标是：地区生产总值年均增长5%左右。\n"
            "三、2026年主要工作\n今年是“十五五”开局之年。主要预期目标是：地区生产总值增长5%以上，城镇调查失业率5.5%左右。")
    got = facts(text, 2026)
    assert ("gdp", "actual", 2025, "2021-2025", "growth", 5.5, "exact") in got
    assert ("gdp", "target", 2030, "2026-2030", "growth", 5, "about") in got
    assert ("gdp", "target", 2026, None, "growth", 5, "at_least") in got
    assert ("surveyed_urban_unemployment_rate", "target", 2026, None, "rate", 5.5, "about") in got


def test_older_plan_numbers_give_their_own_years():
    text = ("“十一五”时期工作回顾\n“十一五”时期，全市生产总值年均增长13.2%。\n"
            "“十二五”时期经济社会发展的主要目标是：生产总值年均增长12%。\n"
            "2011年全市经济社会发展的主要预期目标是：生产总值增长13%。")
    got = facts(text, 2011)
    assert ("gdp", "actual", 2010, "2006-2010", "growth", 13.2, "exact") in got
    assert ("gdp", "target", 2015, "2011-2015", "growth", 12, "exact") in got
    assert ("gdp", "target", 2011, None, "growth", 13, "exact") in got


def test_facts_never_wait_for_the_year():
    dated = "2014年经济社会发展的主要预期目标：地区生产总值增长8.5%左右，城镇登记失业率控制在4.5%以内。"
    got = facts(dated, None)
    assert ("gdp", "target", 2014, None, "growth", 8.5, "about") in got
    assert ("registered_urban_unemployment_rate", "target", 2014, None, "rate", 4.5, "at_most") in got
    undated = "今年的主要预期目标是：地区生产总值增长7%左右。"
    assert ("gdp", "target", None, None, "growth", 7, "about") in facts(undated, None)
    review = "一、2012年工作回顾\n全年地区生产总值增长10.5%。"
    assert ("gdp", "actual", 2012, None, "growth", 10.5, "exact") in facts(review, None)


def test_month_dates_do_not_date_a_figure():
    text = "一年来，全市经济稳步回升。2023年12月，全市贷款余额突破1万亿元，同比增长9.1%。"
    got = facts(text, 2024)
    assert ("loans_balance", "actual", 2023, None, "growth", 9.1, "exact") in got


def test_cues_and_index_positions():
    text = "一、2020年工作回顾\n……\n二、2021年工作安排\n今年要……"
    found = cues(text, 2021)
    kinds = [c.kind for _, c in found]
    assert kinds[0] == "actual" and kinds[-1] == "target"
    index = ContextIndex(text, 2021)
    assert index.at(0).kind == "actual" and index.at(len(text) - 1).kind == "target"


def test_plan_part_opened_by_this_years_name_without_a_targets_phrase():
    text = ("一、2023年工作回顾\n全年地区生产总值增长8%。\n"
            "2024年是实施“十四五”规划的关键一年，做好今年工作至关重要。政府工作的总体要求是：……\n"
            "地区生产总值增长7%左右，规上工业增加值增长8%。")
    got = facts(text, 2024)
    assert ("gdp", "actual", 2023, None, "growth", 8, "exact") in got
    assert ("gdp", "target", 2024, None, "growth", 7, "about") in got
    # in the review, 'Y年，全市实现…' stays a result
    review = "一、2023年工作回顾\n2024年，全市实现地区生产总值520亿元。"
    assert ("gdp", "target", 2024, None, "level", 520, "exact") not in facts(review, 2024)
