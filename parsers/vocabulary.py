"""Indicator vocabulary: the phrases reports use for each canonical code (DESIGN.md data
contract). One place to extend when a report uses a new name; each code is documented in
docs/indicators.md.

A phrase maps to one code, or to several when it names a list (城镇和农村居民人均可支配收入).
`RATE_CODES` hold levels that are percentages (a bare 58% is a rate, not growth)."""

from __future__ import annotations

import re
from functools import lru_cache

SYNONYMS: dict[str, tuple[str, ...]] = {
    "gdp": ("地区生产总值", "生产总值", "国内生产总值", "GDP", "经济总量", "地区经济总量", "全市生产总值", "全区生产总值",
            "全县生产总值", "全镇生产总值", "全省生产总值", "区域生产总值"),
    "gdp_per_capita": ("人均地区生产总值", "人均生产总值", "人均GDP", "人均国内生产总值"),
    "general_budget_revenue": ("一般公共预算收入", "地方一般公共预算收入", "一般公共预算财政收入", "公共财政预算收入",
                               "地方公共财政预算收入", "地方财政一般预算收入", "一般预算收入", "地方一般预算收入",
                               "财政一般预算收入", "一般公共财政预算收入"),
    "local_fiscal_revenue": ("地方财政收入", "地方级财政收入", "地方级收入", "财政地方收入"),
    "fiscal_revenue_total": ("财政总收入", "全口径财政收入", "财政收入总额"),
    "fixed_asset_investment": ("固定资产投资", "全社会固定资产投资", "社会固定资产投资", "城镇固定资产投资",
                               "固定资产投资额", "固投"),
    "retail_sales": ("社会消费品零售总额", "社会消费品零售额", "社零额", "社会商品零售总额"),
    "industrial_value_added_above_scale": ("规模以上工业增加值", "规上工业增加值", "规模以上工业企业增加值",
                                           "规模以上工业企业工业增加值"),
    "industrial_value_added": ("工业增加值", "全部工业增加值"),
    "disposable_income_per_capita": ("居民人均可支配收入", "全体居民人均可支配收入", "居民可支配收入",
                                     "全体居民可支配收入", "人均可支配收入", "全镇居民可支配收入", "城乡居民人均可支配收入"),
    "urban_disposable_income_per_capita": ("城镇居民人均可支配收入", "城镇常住居民人均可支配收入",
                                           "城市居民人均可支配收入", "城镇居民可支配收入"),
    "rural_disposable_income_per_capita": ("农村居民人均可支配收入", "农村常住居民人均可支配收入",
                                           "农民人均可支配收入", "农村居民可支配收入"),
    "rural_net_income_per_capita": ("农民人均纯收入", "农村居民人均纯收入", "农民纯收入"),
    "registered_urban_unemployment_rate": ("城镇登记失业率", "登记失业率"),
    "surveyed_urban_unemployment_rate": ("城镇调查失业率", "调查失业率"),
    "foreign_trade_total": ("进出口总额", "外贸进出口总额", "外贸进出口", "进出口总值", "外贸进出口总值",
                            "货物进出口总额", "对外贸易进出口总额", "外贸总额", "进出口"),
    "exports": ("出口总额", "出口额", "外贸出口", "出口"),
    "fdi_utilized": ("实际利用外资", "实际使用外资", "实际利用外商直接投资", "实际使用外商直接投资", "利用外资"),
    "cpi": ("居民消费价格指数", "居民消费价格", "消费价格总水平", "CPI"),
    "urbanization_rate": ("常住人口城镇化率", "城镇化率", "人口城镇化率", "城市化率"),
    "deposits_balance": ("存款余额", "各项存款余额", "金融机构存款余额", "本外币存款余额"),
    "loans_balance": ("贷款余额", "各项贷款余额", "金融机构贷款余额", "本外币贷款余额"),
    "population_natural_growth_rate": ("人口自然增长率",),
    "energy_intensity": ("万元GDP能耗", "万元生产总值能耗", "单位GDP能耗", "单位地区生产总值能耗", "万元地区生产总值能耗",
                         "单位生产总值能耗", "单位GDP能源消耗"),
}

# Phrases that name two indicators at once (in this order).
LIST_PHRASES: dict[str, tuple[str, ...]] = {
    r"(?:城镇|城市)(?:常住)?(?:居民)?[和、与及]农村(?:常住)?居民人均可支配收入":
        ("urban_disposable_income_per_capita", "rural_disposable_income_per_capita"),
    r"城乡(?:常住)?居民人均可支配收入(?=(?:[^，。；]{0,6})分别)":
        ("urban_disposable_income_per_capita", "rural_disposable_income_per_capita"),
    r"城镇(?:居民)?[和、与及]农村居民人均纯收入":
        ("urban_disposable_income_per_capita", "rural_net_income_per_capita"),
}

STRUCTURE = re.compile(r"(?:三次)?产业(?:结构|比例|比重|之比|比)|三次产业")

RATE_CODES = {"registered_urban_unemployment_rate", "surveyed_urban_unemployment_rate", "urbanization_rate",
              "population_natural_growth_rate", "primary_industry_share", "secondary_industry_share",
              "tertiary_industry_share"}
# Codes whose natural values are money amounts (a level needs a currency unit).
MONEY_CODES = {"gdp", "gdp_per_capita", "general_budget_revenue", "local_fiscal_revenue", "fiscal_revenue_total",
               "fixed_asset_investment", "retail_sales", "industrial_value_added_above_scale",
               "industrial_value_added", "disposable_income_per_capita", "urban_disposable_income_per_capita",
               "rural_disposable_income_per_capita", "rural_net_income_per_capita", "foreign_trade_total",
               "exports", "fdi_utilized", "deposits_balance", "loans_balance"}

# A bare phrase preceded by one of these characters is part of a longer noun
# (海洋生产总值, 工业固定资产投资, 跨境电商进出口) and is not the indicator itself.
_NOUN_BEFORE = re.compile(r"[\u4e00-\u9fff]")
_OK_BEFORE = set("市区县镇乡省旗年计现成的是达和及与为到均，、：:,；;（(“\"全其比较中后即由及将使")


@lru_cache(maxsize=1)
def mention_pattern() -> re.Pattern:
    phrases = sorted({p for ps in SYNONYMS.values() for p in ps}, key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases))


@lru_cache(maxsize=1)
def phrase_codes() -> dict[str, str]:
    return {p: code for code, ps in SYNONYMS.items() for p in ps}


_OTHER_PLACE = re.compile(r"(?:[两三四五六七八九十几各]|[\u4e00-\u9fff]{2,6}?)(?:市|区|县|镇|乡|省|旗)$")
_OWN_PLACE = re.compile(r"(?:全|本|我|该)(?:市|区|县|镇|乡|省|旗)$")


def _names_other_place(before: str, region_name: str | None) -> bool:
    """'两市固定资产投资', '平度市生产总值' are figures of other places, not of the report's region."""
    if not before or before[-1] not in "市区县镇乡省旗" or _OWN_PLACE.search(before):
        return False
    if region_name and (before.endswith(region_name) or before.endswith(region_name[:-1] + before[-1])):
        return False
    return bool(_OTHER_PLACE.search(before))


def find_mentions(sentence: str, region_name: str | None = None) -> list[tuple[int, int, tuple[str, ...], str]]:
    """(start, end, codes, phrase) for each indicator named in the sentence, list phrases first."""
    found: list[tuple[int, int, tuple[str, ...], str]] = []
    taken = [False] * (len(sentence) + 1)
    for pattern, codes in LIST_PHRASES.items():
        for m in re.finditer(pattern, sentence):
            found.append((m.start(), m.end(), codes, m.group(0)))
            for i in range(m.start(), m.end()):
                taken[i] = True
    codes_by_phrase = phrase_codes()
    for m in mention_pattern().finditer(sentence):
        if any(taken[m.start():m.end()]):
            continue
        before = sentence[m.start() - 1] if m.start() else ""
        if before and _NOUN_BEFORE.match(before) and before not in _OK_BEFORE:
            two = sentence[max(0, m.start() - 2):m.start()]
            if two not in ("规上", "以上", "全年", "全部", "本地", "地区", "国内", "完成", "实现", "预计", "累计", "力争"):
                continue
        if _names_other_place(sentence[max(0, m.start() - 8):m.start()], region_name):
            continue
        phrase = m.group(0)
        after = sentence[m.end():m.end() + 2]
        if phrase in ("出口", "进出口") and after.startswith(("企业", "产品", "商品", "额度", "基地", "退税", "信用")):
            continue
        found.append((m.start(), m.end(), (codes_by_phrase[phrase],), phrase))
    found.sort()
    return found
