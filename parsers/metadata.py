"""Document metadata from the text and the crawl: title, type, region, report year, meeting
date, speaker, and where each came from (`metadata_source`).

Real copies of a work report often have no title line and no dateline: a portal article body,
a PDF that starts at 各位代表, a mirror site's page, a newspaper's quotation. So each field has
a ladder of sources, strongest first: the crawl (the registry entry and the listing know the
region and sometimes the year), the title line (2021年历城区政府工作报告), the meeting line
(——2021年2月8日在…人民代表大会…会议上, and the signature under it), then the body's own cues
(一、2023年工作回顾, 刚刚过去的2012年, 今年是“十四五”开局之年, 我代表海拉尔区人民政府, the region
the text keeps naming). A field no source gives stays null: a wrong region is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from parsers.numbers import cn_digits_to_int
from parsers.regions import (
    NATIONAL,
    RegionInfo,
    by_code,
    count_mentions,
    resolve_region,
    split_places,
)

_CN = "〇○零Ｏ一二三四五六七八九十"
_DATE = re.compile(
    rf"((?:19|20)\d{{2}}|[二一][{_CN}]{{3}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日"
)
_MEETING = re.compile(r"人民代表大会|人代会|人大|代表大会")
_TITLE_WORDS = r"(?:代理|代|副)?(?:省长|(?:自治区)?主席|市长|州长|盟长|区长|县长|旗长|镇长|乡长|主任|总理)"
_SPEAKER = re.compile(
    rf"(?P<title>{_TITLE_WORDS})[\s;；:：,，、\u3000]*(?P<name>[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){{1,3}}?)"
    r"(?=\s*(?:各位代表|\n|$|\s{2,}|\s*——|同志|<|\"))"
)
_NAME_BEFORE_GREETING = re.compile(r"会议上\s*(?P<name>[\u4e00-\u9fff]{2,3})\s*各位代表")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_REPORT_TITLE_REGION = re.compile(
    r"(?:(?:19|20)\d{2}年(?:度)?)?(?P<region>[\u4e00-\u9fff]{2,16}?)(?:人民)?政府工作报告")
_YEAR = r"((?:19|20)\d{2})"
_FYP = r"“?十([一二三四五六七八九])五”?"
_FYP_NUM = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15, "六": 16, "七": 17, "八": 18, "九": 19}


@dataclass
class DocMeta:
    title: str | None = None
    doc_type: str = "other"
    region_name: str | None = None
    region_code: str | None = None
    admin_level: str | None = None
    province: str | None = None
    parent_region: str | None = None
    report_year: int | None = None
    meeting_date: str | None = None
    speaker: str | None = None
    speaker_title: str | None = None
    publish_date: str | None = None
    written_date: str | None = None
    doc_number: str | None = None
    index_no: str | None = None
    publisher: str | None = None
    metadata_source: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def fyp_years(numeral: str) -> tuple[int, int]:
    """The years of the Nth five-year plan ('三' -> 十三五 -> 2016-2020)."""
    start = 1966 + 5 * (_FYP_NUM[numeral] - 3)
    return start, start + 4


def parse_date(match: re.Match) -> str | None:
    year = cn_digits_to_int(match.group(1))
    month = cn_digits_to_int(match.group(2))
    day = cn_digits_to_int(match.group(3))
    if not (year and month and day and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def meeting_date(text: str) -> str | None:
    """The date on the report's dateline: the first date followed by the people's congress
    session it was delivered at (within the opening of the text)."""
    head = text[:1500]
    for match in _DATE.finditer(head):
        after = head[match.end():match.end() + 80]
        meeting = _MEETING.search(after)
        # the date and its congress are one line (a page's own time stamp stands on a line of its own)
        if meeting and ("在" in after[:3] or ("会议" in after and "\n" not in after[:meeting.start()])):
            return parse_date(match)
    return None


def speaker(text: str) -> tuple[str | None, str | None]:
    head = text[:800]
    cut = head.find("各位代表")
    window = head[: cut + 4] if cut >= 0 else head[:400]
    found = None
    for match in _SPEAKER.finditer(window):
        found = match
    if found:
        name = re.sub(r"\s", "", found.group("name"))
        return name, found.group("title")
    match = _NAME_BEFORE_GREETING.search(window)
    if match:
        return match.group("name"), None
    return None, None


# --- document type ----------------------------------------------------------------------------

_WR_CUES = (
    re.compile(r"各位代表|各位委员|各位主任"),
    re.compile(r"向大会(?:作|报告|提出)|报告(?:政府)?工作|作(?:政府)?工作报告|向[^。]{0,12}报告工作"),
    re.compile(r"请予审议|请[^。]{0,6}审议|提请[^。]{0,10}审"),
    re.compile(r"工作回顾|过去(?:的)?一年|一年来|过去五年|五年来|刚刚过去的"),
    re.compile(r"预期目标|主要目标|今年(?:的)?(?:政府)?工作|(?:工作|任务)安排|总体要求"),
    re.compile(r"政府自身建设|加强政府建设|人民满意的(?:服务型)?政府|建设法治政府"),
    re.compile(r"和(?:省|市|区|县|州|盟|旗)委的(?:坚强|正确)领导下|在[^。]{0,12}(?:党委|省委|市委|区委|县委|州委)的(?:坚强|正确)领导下"),
)


def work_report_cues(text: str) -> int:
    """How many of a work report's structural parts the text has: the salutation, the
    announcement (向大会报告工作), the request for review, the review of the past year(s),
    the plan for this year, the government's own conduct, the government speaking under its party
    committee. A title is not needed: three parts make a work report."""
    return sum(1 for cue in _WR_CUES if cue.search(text))


def _is_work_report(text: str, title: str | None) -> bool:
    if "政府工作报告" in re.sub(r"\s", "", title or "") or "政府工作报告" in re.sub(r"\s", "", text[:400]):
        return True
    return work_report_cues(text) >= 3


# --- report year --------------------------------------------------------------------------------

_PLAN_START = re.compile(r"主要预期目标|今年(?:[^。，]{0,14})?(?:主要|预期|发展|工作)目标|今年(?:的)?(?:政府)?工作(?:的)?(?:总体要求|安排)"
                         r"|(?:今后|未来)五年")
_ANNIVERSARY = ((re.compile(r"(?:新中国|中华人民共和国)成立(\d{2,3}|[一二三四五六七八九十百]+)周年"), 1949),
                (re.compile(r"(?:中国共产党|党)成立(\d{2,3}|[一二三四五六七八九十百]+)周年|建党(\d{2,3}|[一二三四五六七八九十百]+)周年"), 1921),
                (re.compile(r"改革开放(\d{2}|[一二三四五六七八九十]+)周年"), 1978))
_FYP_ORDINAL = re.compile(rf"{_FYP}(?:规划)?(?:的)?(?:(开局之年|起步之年|第一年|头一年)|(收官之年|最后一年|收尾之年)|第([二三四])年|"
                          r"(承上启下之年|中期))")


def _cn_int(s: str) -> int | None:
    return cn_digits_to_int(s) if s else None


def _this_year_sentence(sentence: str) -> int | None:
    """'今年是新中国成立75周年' -> 2024; '今年是“十四五”规划收官之年' -> 2025."""
    for pattern, base in _ANNIVERSARY:
        m = pattern.search(sentence)
        if m:
            n = _cn_int(next(g for g in m.groups() if g))
            if n:
                return base + n
    m = _FYP_ORDINAL.search(sentence)
    if m:
        start, end = fyp_years(m.group(1))
        if m.group(2):
            return start
        if m.group(3):
            return end
        if m.group(4):
            return start + "一二三四".index(m.group(4))
        return start + 2
    return None


def year_from_body(text: str) -> tuple[int | None, list[tuple[int, int, str]]]:
    """The report year from the body's own cues, each voting for a year with a weight: the
    heading of the review (一、2023年工作回顾 -> 2024), the past year named as past
    (刚刚过去的2012年), this year's targets named with their year (2019年的主要预期目标), the
    plan of the year (2024年工作安排), last year's estimates (预计2002年全市…), the five-year plan
    reviewed or opened (“十二五”时期回顾 -> 2016), 今年是… (an anniversary, the plan's first or
    last year), and 'Y年是…' read as the past year before the plan part and as this year in it.
    Returns the year (None when nothing votes) and the votes, for the record."""
    votes: list[tuple[int, int, str]] = []
    plan = _PLAN_START.search(text)
    plan_at = plan.start() if plan else len(text)

    def vote(year: int | None, weight: int, why: str) -> None:
        if year and 1949 <= year <= 2100:
            votes.append((year, weight, why))

    for m in re.finditer(rf"{_YEAR}\s*年(?:度)?(?:的)?(?:[^。，,；\n]{{0,14}}?)(?:工作)?(?:回顾|总结)", text):
        vote(int(m.group(1)) + 1, 5, "review heading")
    for m in re.finditer(rf"{_YEAR}\s*年(?:的)?主要工作(?=[^。\n]{{0,20}}(?:成就|回顾|总结|成绩))", text):
        vote(int(m.group(1)) + 1, 4, "review heading")
    for m in re.finditer(rf"(?:刚刚过去的|过去的|回顾)[ \u3000]*{_YEAR}\s*年(?!以来|至|到|—|-|～)", text):
        vote(int(m.group(1)) + 1, 4, "past year")
    for m in re.finditer(rf"(?<![到至于])\s*{_YEAR}\s*年(?:(?:全[省市区县州盟旗]|我[省市区县州盟旗])?(?:经济社会|国民经济和社会|经济|政府)?"
                         r"(?:发展|工作)?的?)(?:主要)?(?:预期)?(?:目标|指标)(?:任务)?(?:是|为|建议|：|:|\s)", text):
        vote(int(m.group(1)), 5, "targets of the year")
    for m in re.finditer(rf"建议\s*{_YEAR}\s*年|{_YEAR}\s*年(?:的)?(?:政府|经济社会发展)?(?:工作)?(?:的)?(?:总体要求|工作安排|工作任务|重点工作|主要任务)", text):
        vote(int(m.group(1) or m.group(2)), 4, "plan of the year")
    for m in re.finditer(rf"(?:预计|初步核算|初步统计|初步测算|据初步统计)[，,：:\s]*{_YEAR}\s*年", text):
        vote(int(m.group(1)) + 1, 3, "estimate of last year")
    for m in re.finditer(rf"{_FYP}(?:时期|期间)?(?:[^。\n]{{0,14}}?)(?:回顾|成就|执行情况|主要成绩|发展成就)", text):
        vote(fyp_years(m.group(1))[1] + 1, 4, "five-year plan reviewed")
    for m in re.finditer(rf"第十([一二三四五六七八九])个五年规划纲要|{_FYP}规划纲要\s*[（(]草案[）)]", text):
        vote(fyp_years(m.group(1) or m.group(2))[0], 4, "five-year plan opened")
    for m in re.finditer(r"今年是([^。！!\n]{2,80})", text):
        vote(_this_year_sentence(m.group(1)), 4, "今年是…")
    opening = [(m.start(), int(m.group(1))) for m in re.finditer(rf"(?:^|[\n。])\s*{_YEAR}\s*年(?:是|，|,)", text)]
    if len({y for _, y in opening}) == 2 and max(y for _, y in opening) - min(y for _, y in opening) == 1:
        vote(max(y for _, y in opening), 3, "Y年是… for last year and this year")  # 2023年是…, 2024年是…
    else:
        for at, y in opening:
            vote(y + 1 if at < plan_at else y, 2, "Y年是… in the review" if at < plan_at else "Y年是… in the plan")
    for m in re.finditer(rf"(?<![到至于\d]){_YEAR}\s*年(?:全年)?[，,]?\s*(?:全[省市区县州盟旗])?(?:预计)?(?:实现|完成)?(?:地区)?(?:生产总值|GDP)", text[:plan_at]):
        vote(int(m.group(1)) + 1, 2, "last year's figures")
    if not votes:
        return None, votes
    tally: Counter = Counter()
    for year, weight, _ in votes:
        tally[year] += weight
    best = max(tally.items(), key=lambda kv: (kv[1], kv[0]))
    return best[0], votes


def year_from_title(title: str | None) -> int | None:
    bare, _ = _strip_tag(title or "")
    if not re.search(r"报告|政府工作", bare):
        return None
    match = _TITLE_YEAR.search(bare)
    return int(match.group(1)) if match else None


# --- region -------------------------------------------------------------------------------------

def _strip_tag(title: str) -> tuple[str, str | None]:
    """'【滕州市招商】2020年姜屯镇政府工作报告' -> (rest, '滕州市') : aggregator tags name a parent place."""
    match = re.match(r"^\s*[•·]?\s*【([^】]*)】\s*", title)
    if not match:
        return title, None
    hint = re.sub(r"招商$|投资$|资讯$", "", match.group(1)) or None
    return title[match.end():], hint


def region_from_title(title: str, text: str) -> RegionInfo | None:
    bare, hint = _strip_tag(title)
    match = _REPORT_TITLE_REGION.search(bare)
    if not match:
        return None
    name = re.sub(r"^(?:(?:19|20)\d{2}年(?:度)?)", "", match.group("region"))
    candidates = [name]
    parts = split_places(name)
    if len(parts) > 1:  # '垦利区胜坨镇' -> the town, with the district as parent hint
        candidates.insert(0, parts[-1])
        hint = parts[-2]
    opening = text[:600]
    dateline = _dateline_place(opening)
    for cand in candidates:
        info = resolve_region(cand, opening, hint)
        if info:
            if dateline and info.admin_level != "town" and info.parent and info.parent not in dateline:
                info = resolve_region(cand, dateline, hint) or info
            return info
    return None


def _dateline_place(head: str) -> str | None:
    m = re.search(r"在([\u4e00-\u9fff]{2,20}?)第[一二三四五六七八九十]+届", head)
    return m.group(1) if m else None


def region_from_meeting_line(text: str) -> RegionInfo | None:
    """The place of the congress on the dateline (在海拉尔区第十四届人民代表大会…), or the
    government named in the signature under it (广东省省长, 海拉尔区人民政府区长)."""
    head = text[:1500]
    if re.search(r"第[一二三四五六七八九十]+届全国人民代表大会|国务院总理", head[:600]):
        return NATIONAL
    place = _dateline_place(head)
    if place:
        parts = split_places(place)
        if parts:
            info = resolve_region(parts[-1], place + head, parts[-2] if len(parts) > 1 else None)
            if info:
                return info
    m = re.search(rf"([\u4e00-\u9fff]{{2,16}}?)(?:人民政府)?{_TITLE_WORDS}\s*[\u4e00-\u9fff]{{2,4}}", head[:600])
    if m:
        parts = split_places(m.group(1))
        if parts:
            return resolve_region(parts[-1], head, parts[-2] if len(parts) > 1 else None)
    return None


_WE_REPRESENT = re.compile(r"我代表(?P<who>[\u4e00-\u9fff]{0,16}?)(?:人民政府|政府|行政公署|行署|国务院)")
_LEVEL_OF_WORD = {"省": "省", "自治区": "自治区", "市": "市", "州": "州", "盟": "盟", "行署": "盟",
                  "行政公署": "盟", "地区": "盟", "区": "区", "县": "县", "旗": "旗"}


def _fits(info: RegionInfo, level_word: str) -> bool:
    name = info.name
    return {"省": name.endswith("省"), "自治区": info.admin_level == "province" and name.endswith("自治区"),
            "市": name.endswith("市"), "州": name.endswith("州") and info.admin_level == "prefecture",
            "盟": name.endswith(("盟", "地区")), "区": info.admin_level == "district" or name.endswith("自治区"),
            "县": name.endswith("县"), "旗": name.endswith("旗")}[level_word]


def _own_level(text: str) -> str | None:
    """The level a text speaks at, without 我代表…: '在省委、省政府和市委的坚强领导下' ends with
    its own level; else '我市/我州' (a city report writes 全省 for its rankings, not 我省); else 全X."""
    led = Counter(re.findall(r"和(省|市|区|县|州|盟|旗)委(?:、\1政府)?的(?:坚强|正确)?领导", text))
    if led:
        return led.most_common(1)[0][0]
    for pattern in (r"我(省|市|区|县|州|盟|旗)", r"全(省|市|区|县|州|盟|旗)"):
        own = Counter(re.findall(pattern, text))
        if own:
            return own.most_common(1)[0][0]
    return None


def _ranked(counts: Counter, level_word: str) -> list[tuple[int, str]]:
    return sorted(((n, code) for code, n in counts.items() if _fits(by_code(code), level_word)), reverse=True)


def region_from_body(text: str) -> RegionInfo | None:
    """The government the text speaks for: '我代表海拉尔区人民政府' names it; '我代表市人民政府'
    names its level, and the region of that level the text names most often (安顺 69 times,
    贵州 16) is it. None unless one region clearly dominates."""
    m = _WE_REPRESENT.search(text)
    level_word = None
    if m:
        if "国务院" in m.group(0):
            return NATIONAL
        who = re.sub(r"[一二三四五六七八九十]+届", "", m.group("who"))
        parts = split_places(who)
        if parts and len(parts[-1]) > 1:
            info = resolve_region(parts[-1], text[:3000], parts[-2] if len(parts) > 1 else None)
            if info:
                return info
        word = "行署" if "行署" in m.group(0) or "行政公署" in m.group(0) else who
        level_word = _LEVEL_OF_WORD.get(word)
    if level_word is None:
        level_word = _own_level(text)
        if level_word is None:
            return None
    ranked = _ranked(count_mentions(text), level_word)
    if level_word == "市":  # a county-level city calls itself by its stem (天门, 恩施): it must outnumber the rest
        with_stems = _ranked(count_mentions(text, county_stems=True), level_word)
        if with_stems and (not ranked or with_stems[0][0] > ranked[0][0]) and by_code(with_stems[0][1]).admin_level == "county":
            ranked = with_stems
    if not ranked:
        return None
    top, code = ranked[0]
    tied = [by_code(c) for n, c in ranked if n == top]
    second = next((n for n, c in ranked if n < top), 0)
    if top < 2 or (top < 1.3 * second and top - second < 5):
        return None
    if len(tied) > 1:  # the same name in two places (朝阳区): the parent the text names settles it
        names = {i.name for i in tied}
        if len(names) > 1:
            return None
        return resolve_region(tied[0].name, text)
    return by_code(code)


# --- page metadata given as text ------------------------------------------------------------------

_TEXT_META_KEYS = {"索引号": "index_no", "文号": "doc_number", "发布机构": "publisher", "成文日期": "written_date",
                   "发文日期": "written_date", "公开日期": "publish_date", "发布日期": "publish_date",
                   "信息名称": "title", "标题": "title"}
_TEXT_META = re.compile(r"(索\s*引\s*号|文\s*号|发布机构|成文日期|发文日期|公开日期|发布日期|信息名称|标\s*题)\s*[:：]?\s+"
                        r"(.+?)(?=\s{2,}|\s*(?:索\s*引\s*号|公开方式|信息名称|成文日期|公开日期|发布机构|文\s*号|有效性|发文日期)|$)", re.M)


def text_meta(text: str) -> dict[str, str]:
    """The metadata table of a portal page when it reached us as text (索引号 … 文号 …)."""
    found: dict[str, str] = {}
    for m in _TEXT_META.finditer(text[:1500]):
        key = _TEXT_META_KEYS[re.sub(r"\s", "", m.group(1))]
        value = m.group(2).strip()
        if value and key not in found and len(value) < 120:
            found[key] = value
    return found


def guess_title(text: str) -> str | None:
    """A work report's own heading ('政 府 工 作 报 告' -> 政府工作报告), else the first
    substantial line that reads like a title (a body sentence is not one)."""
    for line in text.split("\n")[:40]:
        bare = re.sub(r"[\s\u3000]", "", line)
        if bare.endswith("政府工作报告") and len(bare) <= 40:
            return bare.lstrip("•·")
        head = re.match(r"[•·]?((?:(?:19|20)\d{2}年)?[\u4e00-\u9fff]{0,20}?政府工作报告)(?=——|-)", bare)
        if head:  # a flattened copy: the title runs on into the dateline
            return head.group(1)
    for line in text.split("\n")[:10]:
        bare = line.strip()
        if bare.startswith("各位代表") or re.search(r"[，。；：,;:]", bare[:-1]) or len(bare) > 60:
            return None
        if (len(bare) >= 6 and re.search(r"报告|通知|意见|方案|决定|办法|规划|公告|纲要|讲话|细则|规定", bare)
                and not re.search(r"浏览|位置|首页|印刷稿|材料之|下载|打印|字号", bare)):
            return bare[:80]
    return None


def _set_region(meta: DocMeta, info: RegionInfo) -> None:
    meta.region_name, meta.region_code, meta.admin_level = info.name, info.code, info.admin_level
    meta.province, meta.parent_region = info.province, info.parent


def build_metadata(text: str, *, title: str | None, doc_type: str | None, region: dict | None,
                   crawl_meta: dict | None, publish_date: str | None) -> DocMeta:
    crawl_meta = {**text_meta(text), **(crawl_meta or {})}
    title = title or crawl_meta.get("title")
    meta = DocMeta(title=title, publish_date=publish_date or crawl_meta.get("publish_date"),
                   written_date=crawl_meta.get("written_date"),
                   doc_number=crawl_meta.get("doc_number"), index_no=crawl_meta.get("index_no"),
                   publisher=crawl_meta.get("publisher"))
    source = meta.metadata_source
    head = text[:400]
    if not meta.title:
        meta.title = guess_title(text)
    if doc_type:
        meta.doc_type, source["doc_type"] = doc_type, "crawl"
    elif _is_work_report(text, meta.title):
        titled = "政府工作报告" in re.sub(r"\s", "", meta.title or "")
        meta.doc_type, source["doc_type"] = "work_report", "title" if titled else "body"
    elif re.search(r"〔\d{4}〕\d+号", head) or re.search(r"(?:通知|意见|办法|方案)$", meta.title or ""):
        meta.doc_type, source["doc_type"] = "policy", "body"
    if not meta.doc_number:  # the page's own number: on a line of its own under the title, not one it cites
        from parsers.page_meta import own_doc_number

        meta.doc_number = own_doc_number([ln.strip() for ln in text[:3000].split("\n") if ln.strip()], meta.title)
    if meta.doc_type in ("work_report", "other"):
        meta.meeting_date = meeting_date(text)
        meta.speaker, meta.speaker_title = speaker(text) if meta.doc_type == "work_report" else (None, None)

    # region: crawl, title, meeting line, body
    info, where = None, None
    if region:
        info, where = RegionInfo(region["name"], region.get("code"), region.get("admin_level"),
                                 region.get("province"), region.get("parent")), "crawl"
    else:
        info, where = (region_from_title(meta.title, text) if meta.title else None), "title"
        if info is None and meta.title:
            for name in re.findall(r"([\u4e00-\u9fff]{2,8}?(?:市|区|县|旗|镇|乡))(?:人民政府|政府|委员会)", meta.title):
                info = resolve_region(name, text[:600])
                if info:
                    break
        if info is None and meta.doc_type in ("work_report", "other"):
            info, where = region_from_meeting_line(text), "meeting_line"
            if info is None:
                info, where = region_from_body(text), "body"
    if info:
        _set_region(meta, info)
        source["region"] = where

    # report year: crawl, title, meeting line, body, publish date
    written = crawl_meta.get("written_date")
    year, where = None, None
    if crawl_meta.get("report_year"):
        year, where = int(crawl_meta["report_year"]), "crawl"
    elif meta.doc_type in ("work_report", "other"):
        # the body's cues date a work report; a bulletin or news item has no report year of its own
        ladder = [("meeting_line", lambda: int(meta.meeting_date[:4]) if meta.meeting_date else None),
                  ("title", lambda: year_from_title(meta.title))]
        if meta.doc_type == "work_report":
            ladder.append(("body", lambda: year_from_body(text)[0]))
        for name, read in ladder:
            year = read()
            if year:
                where = name
                break
        if not year and meta.doc_type == "work_report" and meta.publish_date and meta.publish_date[:4].isdigit():
            year, where = int(meta.publish_date[:4]), "crawl"
    else:
        date = written or meta.publish_date
        if date and date[:4].isdigit():
            year, where = int(date[:4]), "crawl"
        else:
            match = _TITLE_YEAR.search(meta.title or "")
            year, where = (int(match.group(1)), "title") if match else (None, None)
    if year:
        meta.report_year = year
        source["report_year"] = where
    return meta
