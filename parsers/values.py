"""Figures as reports write them: a number (Arabic or Chinese) with its unit, a range
(8—9%, 百分之八至九), the qualifier written after it (左右, 以上, 以内, 多), and the a:b:c of an
industry structure. What the figure is a figure *of* is decided by the sentence reader
(parsers/facts.py); this module only finds the figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.numbers import COUNT_UNITS, MONEY_UNITS, RATE_MONEY_UNITS, parse_number

_CN = "零〇○一二两三四五六七八九十百千万点"
UNITS = sorted(("%", "‰", "个百分点", *RATE_MONEY_UNITS, *MONEY_UNITS, *COUNT_UNITS), key=len, reverse=True)
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS)
_VALUE = re.compile(
    rf"(?P<pre>百分之)?(?P<num>\d+(?:\.\d+)?|[{_CN}]+)(?P<duo>多|余)?\s*(?P<unit>{_UNIT_ALT})?"
    rf"(?:\s*(?P<dash>[-—–~～]+|至|到)\s*(?P<pre2>百分之)?(?P<num2>\d+(?:\.\d+)?|[{_CN}]+)\s*(?P<unit2>{_UNIT_ALT})?)?"
)
RATIO = re.compile(r"(\d+(?:\.\d+)?)\s*[:：∶︰]\s*(\d+(?:\.\d+)?)\s*[:：∶︰]\s*(\d+(?:\.\d+)?)")
_SUFFIX_QUAL = re.compile(r"^\s*(左右|上下|以上|及以上|以内|以下|之内|多)")
_SUFFIX_NAMES = {"左右": "about", "上下": "about", "以上": "at_least", "及以上": "at_least", "多": "at_least",
                 "以内": "at_most", "以下": "at_most", "之内": "at_most"}


@dataclass
class Value:
    start: int
    end: int
    value: float
    value_high: float | None
    unit: str | None
    qualifier: str
    duo: bool

    @property
    def kind(self) -> str:
        """pct | pp | money | count: values of one kind zip with one list of names."""
        if self.unit in ("%", "‰"):
            return "pct"
        if self.unit == "个百分点":
            return "pp"
        if self.unit in MONEY_UNITS:
            return "money"
        return "count"


def find_values(sentence: str) -> list[Value]:
    values = []
    for m in _VALUE.finditer(sentence):
        num, unit = m.group("num"), m.group("unit")
        is_cn = not num[0].isdigit()
        if is_cn and not re.search(r"[一二两三四五六七八九十]", num):
            continue
        before = sentence[max(0, m.start() - 1):m.start()]
        if before in ("第", ".") or before.isdigit():
            continue
        value = parse_number(num)
        if value is None:
            continue
        high, qualifier, end = None, "exact", m.end()
        num2, unit2 = m.group("num2"), m.group("unit2")
        is_range = False
        if num2 is not None:
            high = parse_number(num2)
            # 8—9% and 4.5%-5% share the second unit; 百分之八至九 shares the 百分之
            same_unit = unit2 is not None and unit in (None, unit2)
            spelled = m.group("pre") is not None and unit is None and unit2 is None
            is_range = high is not None and high > value and (same_unit or spelled)
        if is_range:
            qualifier, unit = "range", unit2 or "%"
        else:
            high = None
            end = m.end("duo") if m.group("duo") else (m.end("unit") if unit else m.end("num"))
        if m.group("pre"):
            unit = unit or "%"
        if unit is None or unit in ("万亿", "亿"):
            continue
        if is_cn and unit in COUNT_UNITS and not m.group("pre"):
            continue  # 一个, 两项 … are words, not figures
        if not is_range:
            if m.group("duo"):
                qualifier = "at_least"
            suffix = _SUFFIX_QUAL.match(sentence[end:end + 6])
            if suffix and qualifier == "exact":
                qualifier = _SUFFIX_NAMES[suffix.group(1)]
                end += suffix.end()
        values.append(Value(m.start("pre") if m.group("pre") else m.start("num"), end, value, high, unit,
                            qualifier, bool(m.group("duo"))))
    return values
