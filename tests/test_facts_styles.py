"""Whole paragraphs in the style of other provinces, levels and decades (written for these
tests, not taken from the seeds): the parser must read them without rules keyed to a region."""

from parsers.facts import extract_facts


def rows(text, year):
    return {(f.indicator, f.kind, f.measure, f.period, f.span, f.value, f.unit, f.qualifier)
            for f in extract_facts(text, year)}


CITY_2012 = ("一、2011年工作回顾。2011年，全市实现生产总值2850.6亿元，增长12.3%；地方财政一般预算收入185.2亿元，"
             "增长25.6%；全社会固定资产投资1960亿元，增长21.5%；城镇居民人均可支配收入23650元，农民人均纯收入"
             "9820元，分别增长13.8%和16.2%。二、2012年工作安排。2012年经济社会发展的主要预期目标是：全市生产总值增长10%，"
             "地方财政一般预算收入增长12%，全社会固定资产投资增长18%，城镇居民人均可支配收入和农民人均纯收入分别增长11%和12%，"
             "城镇登记失业率控制在4.2%以内，人口自然增长率控制在6‰以内，万元生产总值能耗下降3.5%。")


def test_city_report_2012_style():
    out = rows(CITY_2012, 2012)
    expected = {
        ("gdp", "actual", "level", 2011, None, 2850.6, "亿元", "exact"),
        ("gdp", "actual", "growth", 2011, None, 12.3, "%", "exact"),
        ("general_budget_revenue", "actual", "level", 2011, None, 185.2, "亿元", "exact"),
        ("general_budget_revenue", "actual", "growth", 2011, None, 25.6, "%", "exact"),
        ("fixed_asset_investment", "actual", "growth", 2011, None, 21.5, "%", "exact"),
        ("urban_disposable_income_per_capita", "actual", "level", 2011, None, 23650.0, "元", "exact"),
        ("rural_net_income_per_capita", "actual", "level", 2011, None, 9820.0, "元", "exact"),
        ("gdp", "target", "growth", 2012, None, 10.0, "%", "exact"),
        ("fixed_asset_investment", "target", "growth", 2012, None, 18.0, "%", "exact"),
        ("urban_disposable_income_per_capita", "target", "growth", 2012, None, 11.0, "%", "exact"),
        ("rural_net_income_per_capita", "target", "growth", 2012, None, 12.0, "%", "exact"),
        ("registered_urban_unemployment_rate", "target", "rate", 2012, None, 4.2, "%", "at_most"),
        ("population_natural_growth_rate", "target", "rate", 2012, None, 6.0, "‰", "at_most"),
        ("energy_intensity", "target", "growth", 2012, None, -3.5, "%", "exact"),
    }
    assert expected <= out, expected - out


PROVINCE_2023 = ("过去一年，全省地区生产总值突破8万亿元，增长4.7%左右；一般公共预算收入8039.4亿元，增长4.9%。"
                 "今年经济社会发展的主要预期目标是：地区生产总值增长5%以上；一般公共预算收入增长5.5%；城镇新增就业100万人；"
                 "城镇调查失业率控制在5.5%以内；居民人均可支配收入增长与经济增长同步；居民消费价格涨幅3%左右；"
                 "单位GDP能耗下降2.5%左右。")


def test_province_report_2023_style():
    out = rows(PROVINCE_2023, 2023)
    expected = {
        ("gdp", "actual", "level", 2022, None, 8.0, "万亿元", "at_least"),
        ("gdp", "actual", "growth", 2022, None, 4.7, "%", "about"),
        ("general_budget_revenue", "actual", "level", 2022, None, 8039.4, "亿元", "exact"),
        ("gdp", "target", "growth", 2023, None, 5.0, "%", "at_least"),
        ("general_budget_revenue", "target", "growth", 2023, None, 5.5, "%", "exact"),
        ("surveyed_urban_unemployment_rate", "target", "rate", 2023, None, 5.5, "%", "at_most"),
        ("cpi", "target", "growth", 2023, None, 3.0, "%", "about"),
        ("energy_intensity", "target", "growth", 2023, None, -2.5, "%", "about"),
    }
    assert expected <= out, expected - out
    assert not any(r[0] == "disposable_income_per_capita" for r in out)  # 与经济增长同步 has no figure


NEWSPAPER_2019 = ("首页 > 要闻 > 正文 【政府工作报告】今年主要预期目标 GDP增长6.5%左右 一般公共预算收入增长6% "
                  "固定资产投资增长8%左右 社会消费品零售总额增长9% 城镇登记失业率4%以内 分享到： 微信 微博")


def test_newspaper_copy_without_punctuation():
    out = rows(NEWSPAPER_2019, 2019)
    expected = {
        ("gdp", "target", "growth", 2019, None, 6.5, "%", "about"),
        ("general_budget_revenue", "target", "growth", 2019, None, 6.0, "%", "exact"),
        ("fixed_asset_investment", "target", "growth", 2019, None, 8.0, "%", "about"),
        ("retail_sales", "target", "growth", 2019, None, 9.0, "%", "exact"),
        ("registered_urban_unemployment_rate", "target", "rate", 2019, None, 4.0, "%", "at_most"),
    }
    assert expected == out


COUNTY_2008 = ("过去的一年，全县完成地区生产总值85.6亿元，比上年增长13.2%；财政总收入7.8亿元，增长21.3%，"
               "其中地方财政收入4.2亿元，增长19.6%。")


def test_county_report_2008_style_with_sub_items():
    out = rows(COUNTY_2008, 2008)
    assert ("fiscal_revenue_total", "actual", "growth", 2007, None, 21.3, "%", "exact") in out
    assert ("local_fiscal_revenue", "actual", "level", 2007, None, 4.2, "亿元", "exact") in out
    assert ("local_fiscal_revenue", "actual", "growth", 2007, None, 19.6, "%", "exact") in out
    assert not any(r[0] == "fiscal_revenue_total" and r[5] == 19.6 for r in out)


def test_continuation_wordings_keep_the_subject():
    out = rows("过去一年，全市一般公共预算收入完成100.2亿元，同口径增长8.5%；生产总值1200亿元，按可比价格计算增长6.1%。", 2020)
    assert ("general_budget_revenue", "actual", "growth", 2019, None, 8.5, "%", "exact") in out
    assert ("gdp", "actual", "growth", 2019, None, 6.1, "%", "exact") in out
