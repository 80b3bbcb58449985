"""Numbers as written in reports: Arabic or Chinese numerals, units and their base values.

cn2an does the Chinese numeral arithmetic; around it we handle its known failure cases:
'○/〇/Ｏ' as zero, digit-by-digit years (二○二一), '两', and the '百分之' prefix that its
smart mode rejects."""

from __future__ import annotations

import re

import cn2an

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "О": 0, "Ο": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL_CHARS = "零〇○Ｏ一二两三四五六七八九十百千万亿点"

# unit -> (multiplier to base unit, base unit)
UNITS: dict[str, tuple[float, str]] = {
    "万亿元": (1e12, "yuan"), "亿元": (1e8, "yuan"), "万元": (1e4, "yuan"), "千元": (1e3, "yuan"), "元": (1.0, "yuan"),
    "万亿美元": (1e12, "usd"), "亿美元": (1e8, "usd"), "万美元": (1e4, "usd"), "美元": (1.0, "usd"),
    "%": (1.0, "percent"), "‰": (0.1, "percent"), "个百分点": (1.0, "percentage_point"),
}
MONEY_UNITS = ("万亿元", "亿元", "万元", "千元", "元", "万亿美元", "亿美元", "万美元", "美元")
# amounts per person (全员劳动生产率17万元/人) are levels of their own indicator, not money totals
RATE_MONEY_UNITS = ("万元/人", "元/人")
COUNT_UNITS = ("万平方米", "平方米", "平方公里", "公里", "万千瓦时", "亿千瓦时", "万千瓦", "千瓦", "万亩", "亩", "万吨标准煤",
               "万吨", "吨", "亿斤", "万斤", "亿公斤", "万公斤", "公斤", "万标箱", "万户", "户", "亿人次", "万人次", "人次", "万人",
               "人", "万辆", "家", "个", "项", "所", "处", "座", "条", "辆", "套", "张", "台", "件", "次")


def cn_digits_to_int(text: str) -> int | None:
    """'2021', '二○二一' (digit by digit) or '十二' (numeral) to int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text and all(ch in CN_DIGITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    value = cn_to_number(text)
    return int(value) if value is not None else None


def cn_to_number(text: str) -> float | None:
    """A Chinese (or mixed) numeral to a float; None when it is not a number."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text.startswith("百分之"):
        text = text[3:]
    norm = "".join("零" if ch in "〇○ＯОΟ" else ch for ch in text).replace("两", "二")
    if not re.search(r"[一二三四五六七八九十\d]", norm):
        return None  # '万亿' alone is not a number
    try:
        value = cn2an.cn2an(norm, "normal")
    except (ValueError, KeyError, IndexError):
        try:
            value = cn2an.cn2an(norm, "smart")
        except (ValueError, KeyError, IndexError):
            return None
    return float(value)


def parse_number(text: str) -> float | None:
    text = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if re.fullmatch(r"\d+(?:\.\d+)?[万亿]+", text):  # 1.2万 (unit prefix handled by caller)
        return float(re.match(r"\d+(?:\.\d+)?", text).group(0))
    return cn_to_number(text)


def to_base(value: float | None, unit: str | None) -> float | None:
    if value is None or unit not in UNITS:
        return None
    return round(value * UNITS[unit][0], 6)
