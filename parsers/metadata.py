"""Document metadata from the text and the crawl: title, type, region, report year, meeting
date, speaker. Rules read the conventional opening of a work report (——2021年2月8日在…
人民代表大会…会议上 / 区长 张强) and titles such as '2021年历城区政府工作报告'."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from parsers.numbers import cn_digits_to_int
from parsers.regions import RegionInfo, resolve_region, split_places

_CN = "〇○零Ｏ一二三四五六七八九十"
_DATE = re.compile(
    rf"((?:19|20)\d{{2}}|[二][{_CN}]{{3}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日"
)
_MEETING = re.compile(r"人民代表大会|人代会|人大|代表大会")
_TITLE_WORDS = r"(?:代理|代|副)?(?:省长|主席|市长|州长|盟长|区长|县长|旗长|镇长|乡长|主任)"
_SPEAKER = re.compile(
    rf"(?P<title>{_TITLE_WORDS})[\s;；:：,，、\u3000]*(?P<name>[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){{1,3}}?)"
    r"(?=\s*(?:各位代表|\n|$|\s{2,}|\s*——|同志))"
)
_NAME_BEFORE_GREETING = re.compile(r"会议上\s*(?P<name>[\u4e00-\u9fff]{2,3})\s*各位代表")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_REPORT_TITLE_REGION = re.compile(
    r"(?:(?:19|20)\d{2}年(?:度)?)?(?P<region>[\u4e00-\u9fff]{2,16}?)(?:人民)?政府工作报告")


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

    def as_dict(self) -> dict:
        return asdict(self)


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
        if _MEETING.search(after) and ("在" in after[:3] or "会议" in after):
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
    candidates = []
    if match:
        name = match.group("region")
        name = re.sub(r"^(?:(?:19|20)\d{2}年(?:度)?)", "", name)
        candidates.append(name)
        # '垦利区胜坨镇' -> the town, with the district as parent hint
        parts = split_places(name)
        if len(parts) > 1:
            candidates.insert(0, parts[-1])
            hint = parts[-2]
    opening = text[:600]
    dateline = re.search(r"在([\u4e00-\u9fff]{2,20}?)第[一二三四五六七八九十]+届", opening)
    for name in candidates:
        info = resolve_region(name, opening, hint)
        if info:
            if dateline and info.admin_level != "town" and info.parent and info.parent not in dateline.group(1):
                alt = resolve_region(name, dateline.group(1), hint)
                info = alt or info
            return info
    if dateline:
        place = dateline.group(1)
        parts = split_places(place)
        if parts:
            return resolve_region(parts[-1], place, parts[-2] if len(parts) > 1 else hint)
    return None


def report_year(title: str, text: str, meeting: str | None, publish_date: str | None) -> int | None:
    if meeting:
        return int(meeting[:4])
    bare, _ = _strip_tag(title or "")
    match = _TITLE_YEAR.search(bare)
    if match:
        return int(match.group(1))
    head = text[:600]
    match = re.search(r"((?:19|20)\d{2})\s*年(?:政府)?工作报告", head) or _DATE.search(head)
    if match:
        return cn_digits_to_int(match.group(1))
    if publish_date and publish_date[:4].isdigit():
        return int(publish_date[:4])
    return None


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
    substantial line."""
    for line in text.split("\n")[:40]:
        bare = re.sub(r"[\s\u3000]", "", line)
        if bare.endswith("政府工作报告") and len(bare) <= 40:
            return bare.lstrip("•·")
    for line in text.split("\n")[:10]:
        bare = line.strip()
        if len(bare) >= 6 and not re.search(r"浏览|位置|首页|印刷稿|材料之", bare):
            return bare[:80]
    return None


def build_metadata(text: str, *, title: str | None, doc_type: str | None, region: dict | None,
                   crawl_meta: dict | None, publish_date: str | None) -> DocMeta:
    crawl_meta = {**text_meta(text), **(crawl_meta or {})}
    title = title or crawl_meta.get("title")
    meta = DocMeta(title=title, publish_date=publish_date or crawl_meta.get("publish_date"),
                   written_date=crawl_meta.get("written_date"),
                   doc_number=crawl_meta.get("doc_number"), index_no=crawl_meta.get("index_no"),
                   publisher=crawl_meta.get("publisher"))
    head = text[:400]
    if not meta.title:
        meta.title = guess_title(text)
    if doc_type:
        meta.doc_type = doc_type
    elif "政府工作报告" in (title or "") or "政府工作报告" in re.sub(r"\s", "", head):
        meta.doc_type = "work_report"
    elif re.search(r"〔\d{4}〕\d+号", head) or re.search(r"(?:通知|意见|办法|方案)$", title or ""):
        meta.doc_type = "policy"
    if not meta.doc_number:
        match = re.search(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号", head)
        meta.doc_number = match.group(0) if match else None
    if meta.doc_type == "work_report":
        meta.meeting_date = meeting_date(text)
        meta.speaker, meta.speaker_title = speaker(text)
    info = None
    if region:
        info = RegionInfo(region["name"], region.get("code"), region.get("admin_level"),
                          region.get("province"), region.get("parent"))
    else:
        info = region_from_title(meta.title or "", text)
        if info is None and meta.title:
            for name in re.findall(r"([\u4e00-\u9fff]{2,8}?(?:市|区|县|旗|镇|乡))(?:人民政府|政府|委员会)", meta.title):
                info = resolve_region(name, text[:600])
                if info:
                    break
    if info:
        meta.region_name, meta.region_code, meta.admin_level = info.name, info.code, info.admin_level
        meta.province, meta.parent_region = info.province, info.parent
    written = crawl_meta.get("written_date")
    if meta.doc_type == "work_report":
        meta.report_year = report_year(meta.title or "", text, meta.meeting_date, meta.publish_date)
    else:
        date = written or meta.publish_date
        meta.report_year = int(date[:4]) if date and date[:4].isdigit() else report_year(title or "", text, None, None)
    return meta
