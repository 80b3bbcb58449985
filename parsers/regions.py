"""Region names to GB/T 2260 codes, admin level, province and parent.

The table is the compact GB/T 2260 code list shipped in `parsers/data/gb2260.csv` (3,212
regions, province to county level, end of 2025), read once and lazily: loading it costs a few
milliseconds, where a general-purpose gazetteer cost seconds per `govreports parse` call.
Short forms are derived from the official names the way reports write them (阿坝藏族羌族自治州
-> 阿坝州, 阿坝; 广西壮族自治区 -> 广西; 罗庄区 -> 罗庄). Ambiguous names (河东区 is in 临沂 and
in 天津) are settled by which parent the context mentions. Towns have no 6-digit code: they get
admin_level 'town' and the county or city named next to them as parent.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "gb2260.csv"
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
NATIONAL_CODE = "100000"

# The 55 minority names as they appear inside autonomous-area names (族 optional: 维吾尔自治区).
_ETHNIC = ("土家|蒙古|维吾尔|哈萨克|柯尔克孜|塔吉克|乌孜别克|塔塔尔|俄罗斯|达斡尔|鄂温克|鄂伦春|赫哲|锡伯|朝鲜|满|回|藏|"
           "苗|彝|壮|布依|侗|瑶|白|哈尼|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|土|仫佬|羌|布朗|撒拉|毛南|仡佬|"
           "阿昌|普米|怒|德昂|保安|裕固|京|独龙|门巴|珞巴|基诺|各")
_AUTONOMOUS = re.compile(rf"^(?P<stem>.+?)(?:(?:{_ETHNIC})族?)+自治(?P<kind>区|州|县|旗)$")
_SUFFIX = re.compile(r"^(?P<stem>.{2,}?)(?P<kind>特别行政区|省|市|县|区|旗|盟|地区|林区|特区)$")
# Stems of county-level cities that reports of other regions write as ordinary words (合作,
# 坚如磐石, 搬迁安置, 弘扬中华, 投资兴业…): found in many texts of the corpus that are not about
# these places, so a bare stem is not evidence of the place.
WORD_STEMS = {"合作", "安宁", "大安", "东方", "同仁", "迁安", "江山", "灯塔", "扬中", "兴城", "资兴", "磐石", "新民",
              "高安", "海城", "临江", "沙河", "界首", "开平", "永安", "长乐", "阳春", "龙井", "和龙", "福安", "凌源",
              "共青城", "古交", "乐平", "安达", "华安", "建安", "集安", "安国", "武安", "信宜", "化州"}


@dataclass(frozen=True)
class RegionInfo:
    name: str
    code: str | None
    admin_level: str
    province: str | None
    parent: str | None


NATIONAL = RegionInfo("全国", NATIONAL_CODE, "national", None, None)


def short_forms(name: str) -> list[str]:
    """How reports write an official name in short: 恩施土家族苗族自治州 -> [恩施州, 恩施]."""
    m = _AUTONOMOUS.match(name)
    if m:
        stem, kind = m.group("stem"), m.group("kind")
        forms = [stem + kind] if kind in "州县旗" else []
        return [*forms, stem] if len(stem) >= 2 else forms
    m = _SUFFIX.match(name)
    if m:
        return [m.group("stem")]
    return []


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, RegionInfo], dict[str, list[RegionInfo]], dict[str, list[RegionInfo]]]:
    """(code -> info, official name -> infos, short form -> infos)."""
    with open(TABLE, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["code"]: r["name"] for r in rows}
    parents = {r["code"]: r["parent_code"] for r in rows}

    def province_of(code: str) -> str | None:
        while parents.get(code):
            code = parents[code]
        return names.get(code)

    by_code: dict[str, RegionInfo] = {}
    by_name: dict[str, list[RegionInfo]] = {}
    by_short: dict[str, list[RegionInfo]] = {}
    for r in rows:
        level = r["level"]
        if level == "county" and r["name"].endswith("区") and not r["name"].endswith("林区"):
            level = "district"
        info = RegionInfo(r["name"], r["code"], level, province_of(r["code"]), names.get(r["parent_code"]))
        by_code[r["code"]] = info
        by_name.setdefault(r["name"], []).append(info)
        for form in short_forms(r["name"]):
            if form != r["name"]:
                by_short.setdefault(form, []).append(info)
    return by_code, by_name, by_short


def by_code(code: str | None) -> RegionInfo | None:
    if code == NATIONAL_CODE:
        return NATIONAL
    return _table()[0].get(code or "")


_PLACE = re.compile(r"[\u4e00-\u9fff]+?(?:省|自治区|自治州|市|州(?!市)|盟|地区|区|县|旗|镇|乡|街道)")


def split_places(name: str) -> list[str]:
    """'杭州市滨江区' -> ['杭州市', '滨江区']; '垦利区胜坨镇' -> ['垦利区', '胜坨镇']."""
    return _PLACE.findall(name)


_TOWN = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:镇|乡|街道|苏木)$")


def lookup(name: str) -> list[RegionInfo]:
    _, names, shorts = _table()
    return names.get(name) or shorts.get(name) or []


def resolve_region(name: str, context: str = "", parent_hint: str | None = None) -> RegionInfo | None:
    """The region called `name`, disambiguated by the places mentioned in `context`."""
    if not name:
        return None
    if _TOWN.search(name) and not lookup(name):
        parent = resolve_region(parent_hint, context) if parent_hint else None
        if parent is None:
            for cand in re.findall(r"[\u4e00-\u9fff]{1,6}?(?:县|区|市)", context[:2000]):
                parent = _best(lookup(cand), context)
                if parent:
                    break
        return RegionInfo(name, None, "town", parent.province if parent else None, parent.name if parent else parent_hint)
    cands = lookup(name)
    if not cands:
        return None
    return _best(cands, context + (parent_hint or ""))


def _mentioned(name: str | None, context: str) -> bool:
    if not name:
        return False
    return name in context or any(form in context for form in short_forms(name))


def _best(cands: list[RegionInfo], context: str) -> RegionInfo | None:
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]

    def score(info: RegionInfo) -> int:
        s = 0
        if _mentioned(info.parent, context):
            s += 2
        if info.province != info.parent and _mentioned(info.province, context):
            s += 1
        return s

    return max(cands, key=score)


@lru_cache(maxsize=2)
def _mention_index(county_stems: bool) -> dict[str, list[tuple[str, tuple[RegionInfo, ...]]]]:
    """First two characters -> [(form, infos)], longest form first: one dict lookup per text
    position finds every region name or short form written there."""
    _, names, shorts = _table()
    forms: dict[str, list[RegionInfo]] = {}
    for form, infos in names.items():
        # two-character county names are words or parts of phrases: 城区, 郊区, 和县 (…城乡和县域)
        if len(form) >= 3 or any(i.admin_level in ("province", "prefecture") for i in infos):
            forms.setdefault(form, []).extend(infos)
    for form, infos in shorts.items():
        # a county's bare stem is too often a word (振兴区, 和平区, 新兴县); stem + 县/旗 is not
        keep = [i for i in infos if i.admin_level in ("province", "prefecture") or form[-1] in "县旗州"
                or (county_stems and i.name.endswith("市") and form not in WORD_STEMS)]
        if keep and len(form) >= 2:
            forms.setdefault(form, []).extend(keep)
    index: dict[str, list[tuple[str, tuple[RegionInfo, ...]]]] = {}
    for form, infos in forms.items():
        index.setdefault(form[:2], []).append((form, tuple(dict.fromkeys(infos))))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def count_mentions(text: str, county_stems: bool = False) -> Counter:
    """How often each region (by code) is named in the text: in full, and provinces and
    prefectures also in short (安顺 for 安顺市); with county_stems, county-level cities too
    (天门 for 天门市). A form shared by several regions (黄山: the city and, written 黄山区, the
    district) counts for each of them."""
    index = _mention_index(county_stems)
    counts: Counter = Counter()
    i, n = 0, len(text)
    while i < n - 1:
        entries = index.get(text[i:i + 2])
        if entries:
            for form, infos in entries:
                if text.startswith(form, i) and not (form[0] == "全" and form[1] in "省市区县州盟旗"):
                    for info in infos:
                        counts[info.code] += 1
                    i += len(form) - 1
                    break
        i += 1
    return counts
