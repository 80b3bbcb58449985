"""Where a sentence of a work report stands: the review of last year or of the closing
five-year plan (its figures are actuals), the next five-year plan or this year's plan (its
figures are targets).

A report reads in order: review, (five-year plan), this year's targets, tasks. Cues mark where
a part begins, and a part lasts until the next cue. Only cues that open a part count:
"一、2023年工作回顾", "五年来，", "“十五五”时期经济社会发展的主要目标是", "今年…主要预期目标是：".
A five-year plan named in passing ("为完成“十二五”规划目标奠定了坚实基础", "实现“十五五”良好开局",
"对接“十四五”规划") opens nothing, so it cannot turn the rest of a review into targets.
The number of a plan gives its years (十三五 = 2016-2020), so the rules hold in any decade.
When the report's year is unknown, a cue that names its year (2014年…主要预期目标) still dates
the part it opens.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from parsers.metadata import fyp_years

_FYP = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?")
# what may stand before a plan's name when the name opens a part: a heading, a clause start, 和/及
_OPENS = re.compile(r"(?:^|[\n。；;：:！!]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|和|及|与|、)\s*$")
_REVIEW_AFTER = re.compile(r"^(?:时期|期间|以来|规划执行情况|规划实施情况)(?:[^。\n]{0,16}?)(?:回顾|成就|成绩|工作|总结|发展|是|，|,|我们|全[省市区县州盟旗])")
_PLAN_AFTER = re.compile(r"^(?:时期|期间)(?:[^。\n]{0,24}?)(?:主要目标|目标任务|发展目标|奋斗目标|主要指标|预期目标|要努力实现|目标是)"
                         r"|^规划(?:纲要)?\s*[（(]草案[）)]|^规划纲要|^末")


@dataclass(frozen=True)
class Context:
    kind: str  # actual | target
    five_year: bool
    span: tuple[int, int] | None  # the five-year window when five_year
    year: int | None = None  # the year a cue names for its part (2014年…主要预期目标), when it names one


REVIEW = Context("actual", False, None)


def _clause_before(text: str, pos: int, width: int = 60) -> str:
    """The clause a cue stands in, up to the cue."""
    start = max(text.rfind(ch, 0, pos) for ch in "。\n：:；;")
    return text[max(start + 1, pos - width):pos]


def cues(text: str, year: int | None) -> list[tuple[int, Context]]:
    """Positions where the report turns to reviewing or planning, with what follows them."""
    found: list[tuple[int, Context]] = []
    for m in _FYP.finditer(text):
        start, end = fyp_years(m.group(1))
        after = text[m.end():m.end() + 40]
        # the plan's outline presented to the congress opens the plan part wherever it is named
        outline = re.match(r"规划纲要\s*[（(]草案[）)]|规划[《]?纲要[》]?[（(]草案[）)]", after)
        if not outline and not _OPENS.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if _REVIEW_AFTER.match(after) and (year is None or end <= year - 1):
            found.append((m.start(), Context("actual", True, (start, end))))
        elif _PLAN_AFTER.match(after) and (year is None or start >= year):
            found.append((m.start(), Context("target", True, (start, end))))
    prev5 = (year - 5, year - 1) if year else None
    next5 = (year, year + 4) if year else None
    for m in re.finditer(r"(?:^|[\n。；：:])\s*(?:[一二三四五六七八九十]+、\s*)?(?:过去五年|过去的五年|五年来|这五年|五年间|本届政府(?:任期)?以来)", text):
        found.append((m.end(), Context("actual", True, prev5)))
    for m in re.finditer(r"今后五年|未来五年|今后一个时期", text):
        found.append((m.start(), Context("target", True, next5)))
    y1 = rf"{year - 1}\s*年" if year else r"(?:19|20)\d{2}\s*年"
    review = (rf"一年来|过去(?:的)?一年|刚刚过去的|回顾过去|这一年|({y1})(?:的)?(?:主要)?(?:工作)?回顾|"
              rf"(?:^|[\n。；;！!]|各位代表[，,！!：:])\s*(?:[一二三四五六七八九十]+、\s*)?({y1})(?:是|，|,|全年|我们|全[省市区县州盟旗])|"
              rf"(?:^|\n)\s*({y1})(?!以来|至|到|—|-|～)|全年(?:实现|完成)")
    for m in re.finditer(review, text):
        named = m.group(1) or m.group(2) or m.group(3)
        found.append((m.start(), Context("actual", False, None, int(named[:4]) if named and not year else None)))
    y0 = rf"{year}\s*年" if year else r"(?:19|20)\d{2}\s*年"
    plan = (rf"主要预期目标|预期目标(?:是|为)|(?:今年|明年|(?<![到至])({y0}))(?:[^。；;\n]{{0,24}}?)(?:主要)?(?:目标|指标)(?:任务)?(?:是|为|建议|：|:|[，,]\s*(?:定为|确定为|预期为|安排为))|"
            rf"(?:今年|({y0}))(?:的)?(?:政府|经济社会发展)?(?:工作)?(?:的)?(?:总体要求|工作安排|主要任务|重点工作|工作任务)|"
            rf"(?:^|\n)\s*(?:[一二三四五六七八九十]+、\s*)?({y0})(?:的)?主要工作(?!\s*(?:和|及)?[^。\n]{{0,16}}(?:回顾|成就|成绩))|"
            rf"(?:^|[\n。])\s*({y0})(?:是|，|,)(?!\s*(?:我们|全[省市区县州盟旗])?(?:实现|完成))|"
            r"做好今年(?:的)?(?:政府)?工作|政府工作的总体要求|今年(?:要|我们要|我们将|将)")
    for m in re.finditer(plan, text):
        clause = _clause_before(text, m.start())
        if re.search(r"十[一二三四五六七八九]五[”\"]?(?:时期|期间)|五年|到\s*20\d\d\s*年", clause):
            continue  # '“十五五”时期的主要目标是' stays in the five-year plan
        named = next((g for g in m.groups() if g), None)
        found.append((m.start(), Context("target", False, None, int(named[:4]) if named and not year else None)))
    found.sort(key=lambda c: c[0])
    return found


class ContextIndex:
    def __init__(self, text: str, year: int | None) -> None:
        self.year = year
        found = cues(text, year)
        self.positions = [c[0] for c in found]
        self.contexts = [c[1] for c in found]

    def at(self, pos: int) -> Context:
        i = bisect.bisect_right(self.positions, pos) - 1
        if i < 0:
            return REVIEW  # reports open with the review
        return self.contexts[i]
