"""Indicator vocabulary: the names reports use for each canonical code (DESIGN.md data
contract, extensions in docs/data.md). One place to extend when a report uses a new name.

Names come in two forms. `SYNONYMS` are literal phrases. `PATTERNS` are names with the
modifiers, scopes and verbs that reports put inside them (年末金融机构本外币存款余额,
规模以上工业企业实现增加值, 区本级全社会固定资产投资额, 人口年均自然增长率), written once as a
regular expression instead of a list of every combination. `LIST_PATTERNS` name several
indicators at once (城镇和农村居民人均可支配收入, 存贷款余额, 一、二、三产业增加值). Every
phrase here was read in the corpus of real reports (benchmarks/corpus.py), older and regional
names included (农牧民人均纯收入, 公共财政预算收入, 城市化水平, 货物进出口).

`RATE_CODES` hold levels that are percentages (a bare 58% is a rate, not growth)."""

from __future__ import annotations

import re
from functools import lru_cache

SYNONYMS: dict[str, tuple[str, ...]] = {
    "gdp": ("地区生产总值", "生产总值", "国内生产总值", "GDP", "经济总量", "地区经济总量", "全市生产总值", "全区生产总值",
            "全县生产总值", "全镇生产总值", "全省生产总值", "区域生产总值", "地方生产总值", "全州生产总值", "全盟生产总值",
            "全旗生产总值", "经济增长速度", "经济增速"),
    "gnp": ("国民生产总值",),
    "gdp_per_capita": ("人均地区生产总值", "人均生产总值", "人均GDP", "人均国内生产总值"),
    "general_budget_revenue": ("一般公共预算收入", "地方一般公共预算收入", "一般公共预算财政收入", "公共财政预算收入",
                               "地方公共财政预算收入", "地方财政一般预算收入", "一般预算收入", "地方一般预算收入",
                               "财政一般预算收入", "一般公共财政预算收入", "公共财政收入", "地方公共财政收入",
                               "地方财政一般公共预算收入", "地方级一般公共预算收入", "全国一般公共预算收入",
                               "全国财政收入"),
    "local_fiscal_revenue": ("地方财政收入", "地方级财政收入", "地方级收入", "财政地方收入"),
    "fiscal_revenue_total": ("财政总收入", "全口径财政收入", "财政收入总额", "地方财政总收入", "大口径财政收入",
                             "全部财政收入", "财政收入"),
    "fixed_asset_investment": ("固定资产投资", "全社会固定资产投资", "社会固定资产投资", "城镇固定资产投资",
                               "固定资产投资额", "固投", "全社会固定资产投资额"),
    "retail_sales": ("社会消费品零售总额", "社会消费品零售额", "社零额", "社会商品零售总额"),
    "industrial_value_added_above_scale": ("规模以上工业增加值", "规上工业增加值", "规模以上工业企业增加值",
                                           "规模以上工业企业工业增加值", "规模工业增加值", "规上工业企业增加值"),
    "industrial_value_added": ("工业增加值", "全部工业增加值"),
    "primary_industry_value_added": ("第一产业增加值", "一产增加值", "第一产业", "一产"),
    "secondary_industry_value_added": ("第二产业增加值", "二产增加值", "第二产业", "二产"),
    "tertiary_industry_value_added": ("第三产业增加值", "三产增加值", "服务业增加值", "第三产业", "三产"),
    "disposable_income_per_capita": ("居民人均可支配收入", "全体居民人均可支配收入", "居民可支配收入",
                                     "全体居民可支配收入", "人均可支配收入", "全镇居民可支配收入", "城乡居民人均可支配收入",
                                     "全体常住居民人均可支配收入", "常住居民人均可支配收入", "城乡居民可支配收入",
                                     "居民收入", "城乡居民收入"),
    "urban_disposable_income_per_capita": ("城镇居民人均可支配收入", "城镇常住居民人均可支配收入",
                                           "城市居民人均可支配收入", "城镇居民可支配收入", "城市人均可支配收入",
                                           "城镇居民家庭人均可支配收入", "城镇居民收入", "城镇常住居民收入"),
    "rural_disposable_income_per_capita": ("农村居民人均可支配收入", "农村常住居民人均可支配收入",
                                           "农民人均可支配收入", "农村居民可支配收入", "农牧民人均可支配收入",
                                           "农村牧区常住居民人均可支配收入", "农村牧区居民人均可支配收入",
                                           "农村居民收入", "农村常住居民收入"),
    "rural_net_income_per_capita": ("农民人均纯收入", "农村居民人均纯收入", "农民纯收入", "农牧民人均纯收入",
                                    "农牧民纯收入", "农村居民家庭人均纯收入"),
    "registered_urban_unemployment_rate": ("城镇登记失业率", "登记失业率"),
    "surveyed_urban_unemployment_rate": ("城镇调查失业率", "调查失业率"),
    "foreign_trade_total": ("进出口总额", "外贸进出口总额", "外贸进出口", "进出口总值", "外贸进出口总值",
                            "货物进出口总额", "对外贸易进出口总额", "外贸总额", "进出口", "货物进出口", "货物贸易进出口",
                            "外贸进出口额", "进出口额"),
    "exports": ("出口总额", "出口额", "外贸出口", "出口"),
    "fdi_utilized": ("实际利用外资", "实际使用外资", "实际利用外商直接投资", "实际使用外商直接投资", "利用外资",
                     "外商直接投资", "实际利用外资额", "实际使用外资金额"),
    "cpi": ("居民消费价格指数", "居民消费价格", "消费价格总水平", "CPI"),
    "urbanization_rate": ("常住人口城镇化率", "城镇化率", "人口城镇化率", "城市化率", "城镇化水平", "城市化水平"),
    "deposits_balance": ("存款余额",),
    "loans_balance": ("贷款余额",),
    "population_natural_growth_rate": ("人口自然增长率",),
    "energy_intensity": ("万元GDP能耗", "万元生产总值能耗", "单位GDP能耗", "单位地区生产总值能耗", "万元地区生产总值能耗",
                         "单位生产总值能耗", "单位GDP能源消耗", "单位国内生产总值能耗", "单位地区生产能耗",
                         "万元GDP综合能耗", "单位GDP综合能耗"),
}

# Names with modifiers inside them (each a regex; the longest name found at a place wins).
PATTERNS: dict[str, tuple[str, ...]] = {
    "deposits_balance": (r"(?:银行业?(?:机构)?|金融机构)?(?:本外币|人民币)?(?:各项)?存款余额",),
    "loans_balance": (r"(?:银行业?(?:机构)?|金融机构)?(?:本外币|人民币)?(?:各项)?贷款余额",),
    "industrial_value_added_above_scale": (r"规(?:模以)?上工业(?:企业)?(?:实现|完成)(?:工业)?增加值",),
    "fixed_asset_investment": (r"(?:[区县市旗]本级|本级)(?:全社会)?固定资产投资(?:额|完成额)?(?!项目)",),
    "population_natural_growth_rate": (r"人口(?:年均|年平均)自然增长率",),
    "tertiary_industry_share": (r"(?:服务业|第三产业|三产)(?:增加值)?占(?:全[省市区县])?(?:地区|国内)?(?:生产总值|GDP)(?:的)?(?:比重|比例)",
                                r"(?:服务业|第三产业|三产)(?:增加值)?(?:占比|比重)"),
    "gdp": (r"经济(?=(?:年均|平均)?(?:增长|增速)\s*(?:\d|百分之))",),  # 经济增长5%左右: growth of the economy
}

# Phrases that name several indicators at once (in this order).
LIST_PATTERNS: dict[str, tuple[str | None, ...]] = {
    r"(?:城镇|城市)(?:常住)?(?:居民)?[和、与及]农村(?:常住)?(?:居民)?(?:人均)?(?:可支配)?收入":
        ("urban_disposable_income_per_capita", "rural_disposable_income_per_capita"),
    r"城乡(?:常住)?居民(?:人均)?(?:可支配)?收入(?=(?:[^，。；]{0,30})分别)":
        ("urban_disposable_income_per_capita", "rural_disposable_income_per_capita"),
    r"城镇(?:居民)?(?:人均可支配收入)?[和、与及]农(?:村居|牧)?民人均纯收入":
        ("urban_disposable_income_per_capita", "rural_net_income_per_capita"),
    r"(?:银行业?(?:机构)?|金融机构)?(?:本外币|人民币)?(?:各项)?存贷款余额":
        ("deposits_balance", "loans_balance"),
    # a shared head: 规上工业总产值、增加值 (the first is not an indicator of ours, the second is)
    r"规(?:模以)?上工业(?:企业)?(?:总产值|营业收入|营收|利润总额|利润)、增加值":
        (None, "industrial_value_added_above_scale"),
    r"(?:第?一、(?:第)?二、(?:第)?三|一二三|一、二、三)(?:次)?产(?:业)?(?:增加值)?|一产、二产、三产(?:增加值)?|三次产业(?:增加值)?(?=[^，。；]{0,4}分别)":
        ("primary_industry_value_added", "secondary_industry_value_added", "tertiary_industry_value_added"),
}

STRUCTURE = re.compile(r"(?:三次)?产业(?:结构|比例|比重|之比|比)|三次产业")

RATE_CODES = {"registered_urban_unemployment_rate", "surveyed_urban_unemployment_rate", "urbanization_rate",
              "population_natural_growth_rate", "primary_industry_share", "secondary_industry_share",
              "tertiary_industry_share"}
SHARE_CODES = {"primary_industry_share", "secondary_industry_share", "tertiary_industry_share"}
# Codes whose natural values are money amounts (a level needs a currency unit).
MONEY_CODES = {"gdp", "gnp", "gdp_per_capita", "general_budget_revenue", "local_fiscal_revenue", "fiscal_revenue_total",
               "fixed_asset_investment", "retail_sales", "industrial_value_added_above_scale",
               "industrial_value_added", "disposable_income_per_capita", "urban_disposable_income_per_capita",
               "rural_disposable_income_per_capita", "rural_net_income_per_capita", "foreign_trade_total",
               "exports", "fdi_utilized", "deposits_balance", "loans_balance", "primary_industry_value_added",
               "secondary_industry_value_added", "tertiary_industry_value_added"}

# A bare phrase preceded by one of these characters is part of a longer noun
# (海洋生产总值, 工业固定资产投资, 跨境电商进出口) and is not the indicator itself.
_NOUN_BEFORE = re.compile(r"[\u4e00-\u9fff]")
_OK_BEFORE = set("市区县镇乡省旗州盟年计现成的是达和及与为到均，、：:,；;（(“\"全其比较中后即由及将使")
# two characters before a name that are scope, time or verbs, not a longer noun
_OK_TWO_BEFORE = {"规上", "以上", "全年", "全部", "本地", "地区", "国内", "完成", "实现", "预计", "累计", "力争", "年末",
                  "年底", "全国", "本级", "提出", "争取", "确保", "努力", "初步", "推动", "保持", "力求", "促进"}
# the name is followed by what makes it a ratio or a part (与地区生产总值的比率, 财政收入中…)
_NOT_ITSELF_AFTER = re.compile(r"^(?:的)?(?:比率|比重|之比|比例|占比)|^中(?!心|国|部|小|央|西|欧|亚|东|非)|^(?:企业|产品|商品|额度|基地|退税|信用|实绩|项目|计划|贷款)")
# a sub-area or sub-sector named just before (城区地区生产总值, 开发区固定资产投资, “新三样”出口)
_SUB_SCOPE_BEFORE = re.compile(r"(?:主城区|中心城区|城区|市区|县城|开发区|高新区|经开区|园区|新区|县域|镇域|片区|景区|保税区|自贸区|"
                               r"自贸试验区|综保区|[”》]|对(?!外)[\u4e00-\u9fff“”]{1,8})\s*$")  # 对东盟进出口: trade with a partner


@lru_cache(maxsize=1)
def mention_pattern() -> re.Pattern:
    phrases = sorted({p for ps in SYNONYMS.values() for p in ps}, key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases))


@lru_cache(maxsize=1)
def phrase_codes() -> dict[str, str]:
    return {p: code for code, ps in SYNONYMS.items() for p in ps}


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[re.Pattern, tuple[str, ...]]], list[tuple[re.Pattern, tuple[str, ...]]]]:
    lists = [(re.compile(p), codes) for p, codes in LIST_PATTERNS.items()]
    singles = [(re.compile(p), (code,)) for code, ps in PATTERNS.items() for p in ps]
    return lists, singles


_OTHER_PLACE = re.compile(r"(?:[两三四五六七八九十几各]|[\u4e00-\u9fff]{2,6}?)(?:市|区|县|镇|乡|省|旗)$")
_OWN_PLACE = re.compile(r"(?:全|本|我|该)(?:市|区|县|镇|乡|省|旗)$")


def _names_other_place(before: str, region_name: str | None) -> bool:
    """'两市固定资产投资', '平度市生产总值' are figures of other places, not of the report's region."""
    if not before or before[-1] not in "市区县镇乡省旗" or _OWN_PLACE.search(before):
        return False
    if re.search(r"(?:[区县市旗]本级|本级)$", before):
        return False
    if region_name and (before.endswith(region_name) or before.endswith(region_name[:-1] + before[-1])):
        return False
    return bool(_OTHER_PLACE.search(before))


# a part of the economy as the subject (跨境电商实现进出口额…, 开发区完成固定资产投资…): the part's figure
_PART_SUBJECT = re.compile(r"(?:电商|企业|行业|园区|开发区|高新区|经开区|基地|集团|平台|产业链|项目|外资|民营|国有|口岸|港口|机场|景区|"
                           r"新区|城区)[^，,；;。]{0,4}(?:实现|完成)\s*$")


# a sentence about a sub-area as a whole (县域经济发展迅速，生产总值158.3亿元…)
_SUB_SCOPE_SENTENCE = re.compile(r"^\s*(?:(?:过去一年|一年来|这一年|全年|同时|此外|另外|其中|(?:19|20)\d{2}年)[，,]?\s*)*(?:县域|镇域|城区|市区|主城区|中心城区|开发区|高新区|经开区|园区|新区|"
                                 r"保税区|自贸区|自贸试验区|综保区|片区)")


def _acceptable(sentence: str, start: int, end: int, region_name: str | None) -> bool:
    before = sentence[start - 1] if start else ""
    if _SUB_SCOPE_SENTENCE.match(sentence) and not re.search(r"全[省市区县州盟旗]|我[省市区县州盟旗]", sentence[:end]):
        return False
    clause = sentence[max((sentence.rfind(c, 0, start) for c in "，,；;：:。"), default=-1) + 1:start]
    if _PART_SUBJECT.search(clause):
        return False
    if before and _NOUN_BEFORE.match(before) and before not in _OK_BEFORE:
        if sentence[max(0, start - 2):start] not in _OK_TWO_BEFORE:
            return False
    if _NOT_ITSELF_AFTER.match(sentence[end:end + 4]):
        return False
    window = sentence[max(0, start - 8):start]
    if _SUB_SCOPE_BEFORE.search(window) or _names_other_place(window, region_name):
        return False
    return True


def find_mentions(sentence: str, region_name: str | None = None) -> list[tuple[int, int, tuple[str, ...], str]]:
    """(start, end, codes, phrase) for each indicator named in the sentence; where names
    overlap, the longest wins (a list phrase over its parts)."""
    candidates: list[tuple[int, int, tuple[str, ...], str]] = []
    lists, singles = _compiled()
    for pattern, codes in lists + singles:
        for m in pattern.finditer(sentence):
            if m.end() > m.start():
                candidates.append((m.start(), m.end(), codes, m.group(0)))
    codes_by_phrase = phrase_codes()
    for m in mention_pattern().finditer(sentence):
        candidates.append((m.start(), m.end(), (codes_by_phrase[m.group(0)],), m.group(0)))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken = [False] * (len(sentence) + 1)
    found: list[tuple[int, int, tuple[str, ...], str]] = []
    for start, end, codes, phrase in candidates:
        if any(taken[start:end]):
            continue
        if not _acceptable(sentence, start, end, region_name):
            continue
        for i in range(start, end):
            taken[i] = True
        found.append((start, end, codes, phrase))
    found.sort()
    return found
