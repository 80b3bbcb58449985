"""Region names to GB/T 2260 codes, admin level, province and parent, from jionlp's
gazetteer (province, prefecture, county levels). Ambiguous names (河东区 is in 临沂 and in
天津) are settled by which parent the document mentions. Towns have no 6-digit code: they
get admin_level 'town' and the county or city named next to them as parent."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}


@dataclass(frozen=True)
class RegionInfo:
    name: str
    code: str | None
    admin_level: str
    province: str | None
    parent: str | None


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, list[RegionInfo]]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp

        tree = jionlp.china_location_loader()
    index: dict[str, list[RegionInfo]] = {}

    def add(info: RegionInfo, alias) -> None:
        index.setdefault(info.name, []).append(info)
        for al in alias if isinstance(alias, list) else [alias]:
            if al and len(al) >= 2 and al != info.name:
                index.setdefault("~" + al, []).append(info)

    for prov_name, prov in tree.items():
        add(RegionInfo(prov_name, prov["_admin_code"], "province", prov_name, None), prov.get("_alias"))
        for city_name, city in prov.items():
            if city_name.startswith("_"):
                continue
            city_level = "prefecture" if prov_name not in MUNICIPALITIES else "district"
            if prov_name not in MUNICIPALITIES:
                add(RegionInfo(city_name, city["_admin_code"], city_level, prov_name, prov_name), city.get("_alias"))
            for county_name, county in city.items():
                if county_name.startswith("_"):
                    continue
                level = "district" if county_name.endswith("区") else "county"
                parent = city_name if prov_name not in MUNICIPALITIES else prov_name
                add(RegionInfo(county_name, county["_admin_code"], level, prov_name, parent), county.get("_alias"))
    return index


_PLACE = re.compile(r"[\u4e00-\u9fff]+?(?:省|自治区|自治州|市|州(?!市)|盟|地区|区|县|旗|镇|乡|街道)")


def split_places(name: str) -> list[str]:
    """'杭州市滨江区' -> ['杭州市', '滨江区']; '垦利区胜坨镇' -> ['垦利区', '胜坨镇']."""
    return _PLACE.findall(name)


_TOWN = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:镇|乡|街道|苏木)$")


def lookup(name: str) -> list[RegionInfo]:
    gaz = _gazetteer()
    return gaz.get(name) or gaz.get("~" + name) or []


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


def _best(cands: list[RegionInfo], context: str) -> RegionInfo | None:
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]

    def score(info: RegionInfo) -> int:
        s = 0
        for ref in (info.parent, info.province):
            if ref and (ref in context or ref.rstrip("市省") in context):
                s += 2 if ref == info.parent else 1
        return s

    return max(cands, key=score)


_REGION_IN_TEXT = re.compile(
    r"((?:[\u4e00-\u9fff]{2,5}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,6}?(?:市|州|盟|地区))?"
    r"[\u4e00-\u9fff]{1,6}?(?:市|区|县|旗|镇|乡|街道))"
)


def regions_in(text: str) -> list[str]:
    """Candidate region names in a short text (a title or a meeting line), longest first."""
    return [m for m in _REGION_IN_TEXT.findall(text)]
