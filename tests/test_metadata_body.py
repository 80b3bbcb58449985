"""Report year, type and region read from the body when a copy has no title line and no
dateline, in the styles of several regions and years, with negatives that must stay null."""

import pytest

from parsers.document import parse_text
from parsers.metadata import build_metadata, region_from_body, year_from_body
from parsers.regions import count_mentions, lookup, resolve_region, short_forms


def meta(text: str, **kw):
    kw.setdefault("title", None)
    return build_metadata(text, doc_type=None, region=kw.pop("region", None), crawl_meta=kw.pop("crawl_meta", None),
                          publish_date=kw.pop("publish_date", None), **kw)


OPENING = "各位代表：\n现在，我代表{gov}人民政府向大会报告工作，请予审议，并请政协委员提出意见。\n"


@pytest.mark.parametrize("body, year", [
    ("一、2018年工作回顾\n过去一年，全县经济平稳运行。", 2019),
    ("刚刚过去的2012年，我们战胜了罕见的旱灾。", 2013),
    ("过去的一年，困难超出预期。\n2009年的主要预期目标是：生产总值增长10%。", 2009),
    ("（一）2005年主要工作回顾和“十一五”成就", 2006),
    ("“十二五”时期经济社会发展回顾\n五年来，全市经济总量翻了一番。", 2016),
    ("请连同《本市国民经济和社会发展第十四个五年规划纲要（草案）》一并审议。", 2021),
    ("过去一年，我们砥砺前行。今年是中华人民共和国成立70周年，做好今年工作意义重大。", 2019),
    ("过去一年，全区上下团结奋斗。今年是“十四五”规划收官之年，要确保圆满完成规划目标。", 2025),
    ("预计2002年全市实现国内生产总值709亿元，比上年增长11%。", 2003),
    ("2016年是全面建成小康社会决胜阶段的开局之年。\n2017年是实施“十三五”规划的重要一年。", 2017),
    ("建议2024年全市经济社会发展的主要预期目标是：地区生产总值增长6%左右。", 2024),
])
def test_report_year_from_body_cues(body, year):
    assert year_from_body(body)[0] == year
    m = meta(OPENING.format(gov="县") + body)
    assert (m.report_year, m.metadata_source["report_year"]) == (year, "body")


def test_no_year_cue_leaves_the_year_null():
    assert year_from_body("各位代表：我们要坚定信心，真抓实干，推动高质量发展。")[0] is None
    # a long-range horizon is not the report's year
    assert year_from_body("到2035年基本实现社会主义现代化。到2025年全县生产总值达到500亿元。")[0] is None


def test_title_and_meeting_line_win_over_body_and_crawl_wins_over_all():
    text = "——2021年1月20日在某县第十八届人民代表大会第五次会议上\n一、2018年工作回顾\n"
    assert meta(text).report_year == 2021 and meta(text).metadata_source["report_year"] == "meeting_line"
    titled = meta("一、2018年工作回顾\n过去一年……", title="2020年金乡县政府工作报告")
    assert (titled.report_year, titled.metadata_source["report_year"]) == (2020, "title")
    crawled = meta("一、2018年工作回顾\n", title="2020年金乡县政府工作报告", crawl_meta={"report_year": 2022})
    assert (crawled.report_year, crawled.metadata_source["report_year"]) == (2022, "crawl")


def test_work_report_type_from_structure_not_one_string():
    text = OPENING.format(gov="市") + "一、2023年工作回顾\n一年来……\n二、2024年工作安排\n今年的主要预期目标是：……"
    m = meta(text)
    assert m.doc_type == "work_report" and m.metadata_source["doc_type"] == "body"
    # a review and a plan without salutation still make a report when the government speaks under its committee
    cut = "刚刚过去的2023年，在省委、省政府和州委的坚强领导下，全州上下……\n今年的主要预期目标是：……\n加强政府自身建设。"
    assert meta(cut).doc_type == "work_report"
    # a news item quoting one sentence is not a work report
    assert meta("记者从市统计局获悉，今年一季度全市地区生产总值增长5.1%。").doc_type == "other"
    assert meta("关于印发某区2023年重点工作任务的通知", title="关于印发某区2023年重点工作任务的通知").doc_type == "policy"


@pytest.mark.parametrize("gov, name, code, level", [
    ("海拉尔区", "海拉尔区", "150702", "district"),
    ("镇江市", "镇江市", "321100", "prefecture"),
    ("上海市", "上海市", "310000", "province"),
    ("自治区", None, None, None),  # names only its level, and the body names no region
])
def test_region_named_by_we_represent(gov, name, code, level):
    m = meta(OPENING.format(gov=gov) + "一、2023年工作回顾\n过去一年，全区经济稳中有进。今年要稳中求进。")
    assert (m.region_name, m.region_code, m.admin_level) == (name, code, level)
    if name:
        assert m.metadata_source["region"] == "body"


def test_region_by_level_and_dominant_mentions():
    text = (OPENING.format(gov="市") + "一、2023年工作回顾\n" + "遵义经济稳步回升，遵义人民团结奋斗。" * 4
            + "全省排名第二，贵州全省领先。与重庆合作。今年要推动遵义高质量发展。")
    info = region_from_body(text)
    assert (info.name, info.code, info.parent, info.province) == ("遵义市", "520300", "贵州省", "贵州省")
    # the province is named more often than the city? the level says 市, the province is not a candidate
    text2 = OPENING.format(gov="州") + "黔东南发展……" * 3 + "贵州贵州贵州贵州贵州贵州" + "今年要……"
    assert region_from_body(text2).name == "黔东南苗族侗族自治州"
    # a county-level city writes its stem; the prefecture city it borders is named less
    text3 = OPENING.format(gov="市") + "天门的发展……" * 6 + "融入武汉都市圈，对接武汉。今年要……"
    assert region_from_body(text3).code == "429006"


def test_region_null_rather_than_a_guess():
    # two cities named as often as each other
    text = OPENING.format(gov="市") + "深化与广州、深圳合作，广州、深圳……" * 3
    assert region_from_body(text) is None
    # nothing named at all
    assert meta(OPENING.format(gov="市") + "一、2023年工作回顾\n全市经济稳中有进。今年要……").region_name is None
    # 合作 is a word here, not 合作市; 振兴 not 振兴区
    words = OPENING.format(gov="市") + "深化合作，扩大合作，区域合作，乡村振兴，全面振兴。" * 5
    assert region_from_body(words) is None
    assert "合作市" not in {r.name for r in map(lambda c: lookup("合作市")[0], count_mentions(words, county_stems=True))}


def test_same_district_name_in_two_places_is_settled_by_the_parent_named():
    assert resolve_region("朝阳区", "北京市朝阳区").code == "110105"
    assert resolve_region("朝阳区", "长春市朝阳区").code == "220104"


def test_short_forms_of_official_names():
    assert short_forms("阿坝藏族羌族自治州") == ["阿坝州", "阿坝"]
    assert short_forms("广西壮族自治区") == ["广西"]
    assert short_forms("新疆维吾尔自治区") == ["新疆"]
    assert short_forms("积石山保安族东乡族撒拉族自治县") == ["积石山县", "积石山"]
    assert short_forms("锡林郭勒盟") == ["锡林郭勒"]
    assert short_forms("香港特别行政区") == ["香港"]
    assert lookup("阿坝州")[0].code == "513200"


def test_national_report_from_we_represent_and_dateline():
    m = meta("各位代表：现在，我代表国务院，向大会报告政府工作，请予审议。一、2020年工作回顾 过去一年……")
    assert (m.region_name, m.region_code, m.admin_level, m.report_year) == ("全国", "100000", "national", 2021)
    dated = meta("政府工作报告 ——1998年3月5日在第九届全国人民代表大会第一次会议上 国务院总理 李鹏 各位代表：")
    assert (dated.region_code, dated.report_year, dated.meeting_date) == ("100000", 1998, "1998-03-05")


def test_page_time_stamp_is_not_the_meeting_date():
    text = "2026年某省人民政府工作报告\n2026年02月10日 07时41分\n来源:日报\n2026年2月3日在某省第十四届人民代表大会第五次会议上\n"
    assert meta(text).meeting_date == "2026-02-03"


def test_parse_text_records_metadata_source_and_publishes_facts_without_title():
    text = OPENING.format(gov="海拉尔区") + "一、2013年工作回顾\n全年地区生产总值完成253.7亿元，同比增长10.1%。"
    doc = parse_text(text)
    d = doc["document"]
    assert (d["report_year"], d["region_code"]) == (2014, "150702")
    assert d["metadata_source"] == {"doc_type": "body", "report_year": "body", "region": "body"}
    gdp = [(i["kind"], i["period"], i["measure"], i["value"]) for i in doc["indicators"] if i["indicator"] == "gdp"]
    assert ("actual", 2013, "level", 253.7) in gdp and ("actual", 2013, "growth", 10.1) in gdp
