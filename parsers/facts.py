"""Indicators and targets: every number a report gives for a named indicator, as rows of
the `indicators` dataset.

How a sentence is read:
1. indicator mentions (vocabulary.find_mentions) and values (numbers with a unit, ranges,
   a:b:c structure ratios) are found;
2. a value belongs to the latest group of mentions before it in the sentence; a list
   ('地区生产总值、一般公共预算收入…年均都增长5%') shares one value, or zips with as many
   values ('分别增长7%、7.5%'); a clause after a comma keeps the subject only when it
   continues it (同比增长…, 年均增长…, 达到…);
3. kind, period and span come from where the sentence stands: the review of last year or
   of the last five-year plan (actual), this year's plan or the five-year plan (target),
   found from cues such as 回顾 / 五年来 / “十四五”时期…目标 / 今年…预期目标 / 到2025年;
4. qualifiers from the words around the value (左右, 以上, 以内, 不低于, 确保, 突破…), a
   qualifier written once after a list applies to each value of the list.
Comparisons (高于全市…, 占全省…, 是…的1.3倍), start values (由849亿元…) and increments
(净增1663万元) are not levels or growth figures and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from parsers.context import Context, ContextIndex
from parsers.numbers import COUNT_UNITS, MONEY_UNITS, parse_number, to_base
from parsers.vocabulary import MONEY_CODES, RATE_CODES, STRUCTURE, find_mentions

_CN = "零〇○一二两三四五六七八九十百千万点"
_UNITS = sorted(("%", "‰", "个百分点", *MONEY_UNITS, *COUNT_UNITS), key=len, reverse=True)
_UNIT_ALT = "|".join(re.escape(u) for u in _UNITS)
_VALUE = re.compile(
    rf"(?P<pre>百分之)?(?P<num>\d+(?:\.\d+)?|[{_CN}]+)(?P<duo>多)?\s*(?P<unit>{_UNIT_ALT})?"
    rf"(?:\s*(?P<dash>[-—–~～]+|至|到)\s*(?P<pre2>百分之)?(?P<num2>\d+(?:\.\d+)?|[{_CN}]+)\s*(?P<unit2>{_UNIT_ALT}))?"
)
_RATIO = re.compile(r"(\d+(?:\.\d+)?)\s*[:：∶]\s*(\d+(?:\.\d+)?)\s*[:：∶]\s*(\d+(?:\.\d+)?)")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_CONTINUE = re.compile(
    r"^\s*(?:预计)?(?:全年)?(?:同比|比上年|较上年|年均|可比|分别|均|都|增长|增|下降|降低|降|减少|达到|达|突破|实现|完成|"
    r"提高|提升|控制在|保持|为|是|由|从|比|较|扣除|剔除|按可比|按现价|可比口径|同口径|自然口径|其中全|总量|迈上|跨过|"
    r"跨入|超过|占比|涨幅)"
)
_SUFFIX_QUAL = re.compile(r"^\s*(左右|上下|以上|及以上|以内|以下|之内|多)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass
class Fact:
    indicator: str
    indicator_text: str
    period: int | None
    span: str | None
    kind: str
    measure: str
    value: float
    value_high: float | None
    unit: str | None
    value_base: float | None
    qualifier: str
    estimate: bool
    target_tier: str | None
    sentence: str
    char_start: int
    char_end: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Value:
    start: int
    end: int
    value: float
    value_high: float | None
    unit: str | None
    qualifier: str
    duo: bool


# --- values ---------------------------------------------------------------------------------

def _find_values(sentence: str) -> list[_Value]:
    values = []
    for m in _VALUE.finditer(sentence):
        num, unit = m.group("num"), m.group("unit") or m.group("unit2")
        is_cn = not num[0].isdigit()
        if m.group("pre"):
            unit = unit or "%"
        if unit is None:
            continue
        if is_cn and not re.search(r"[一二两三四五六七八九十]", num):
            continue
        before = sentence[max(0, m.start() - 1):m.start()]
        if before in ("第", ".") or (before.isdigit()):
            continue
        if is_cn and unit in COUNT_UNITS and not m.group("pre"):
            continue  # 一个, 两项 … are words, not figures
        value = parse_number(num)
        if value is None:
            continue
        high = None
        qualifier = "exact"
        if m.group("num2"):
            high = parse_number(m.group("num2"))
            unit1 = m.group("unit")
            if high is not None and high > value and (unit1 in (None, m.group("unit2"))):
                qualifier = "range"
                unit = m.group("unit2")
            else:
                high = None
        if unit == "万亿" or unit == "亿":
            continue
        after = sentence[m.end():m.end() + 4]
        suffix = _SUFFIX_QUAL.match(after)
        end = m.end() if qualifier == "range" or not m.group("num2") else m.end()
        if qualifier != "range":
            # the regex may have swallowed a '至X' that was not a range; keep the first value only
            end = m.start() + len(m.group(0)) if not m.group("num2") else m.start("dash")
            after = sentence[end:end + 4]
            suffix = _SUFFIX_QUAL.match(after)
        if qualifier != "range" and m.group("duo"):
            qualifier = "at_least"
        elif qualifier != "range" and suffix:
            qualifier = {"左右": "about", "上下": "about", "以上": "at_least", "及以上": "at_least", "多": "at_least",
                         "以内": "at_most", "以下": "at_most", "之内": "at_most"}[suffix.group(1)]
            end += suffix.end()
        values.append(_Value(m.start("pre") if m.group("pre") else m.start("num"), end, value, high, unit,
                             qualifier, bool(m.group("duo"))))
    return values


# --- the sentence reader ----------------------------------------------------------------------

_GROWTH = re.compile(r"增长|增速|增幅|增|上涨|涨幅|涨|下降|降低|降幅|降|减少|减|回落|提高|提升")
_NEGATIVE = re.compile(r"下降|降低|降幅|降|减少|减|回落")
_LEVEL_CUE = re.compile(r"(?:提高|提升|增加|增长|上升)(?:到|至)|达到|达|为|保持在|控制在|稳定在")
_COMPARISON = re.compile(r"高于|低于|快于|慢于|多于|少于|超出|领先|相当于|位居|居全|排名|排在")
_SKIP_BEFORE = re.compile(r"(?:高于|低于|快于|慢于|多于|少于|超出|领先|占全|占|相当于|比重为|净增|增加|新增|减少|增收|减收|"
                          r"多|少|由|从|是|的)\s*$")
_AT_LEAST_BEFORE = re.compile(r"(?:不低于|不少于|至少|确保|突破|超过|超|迈上|迈过|跨过|跃上|跨越)\s*$")
_AT_MOST_BEFORE = re.compile(r"(?:不超过|不高于|不大于)\s*$")


def _items(sentence: str, mentions: list, first: int, last: int) -> list[tuple[tuple[str, ...], str] | None]:
    """The list a group of mentions names: items separated by 、和及与, an item that names no
    known indicator is kept as None so zipping with values stays aligned."""
    start = mentions[first][0]
    end = mentions[last][1]
    tail = re.match(r"[^，,；;。%\d]*?(?=年均|分别|均|都|同比|比上年|增长|增|下降|降|达到|达|突破|实现|完成|提高|控制|为|是|预计|$|[\d])",
                    sentence[end:])
    region_end = end + (tail.end() if tail else 0)
    items: list[tuple[tuple[str, ...], str] | None] = []
    pos = start
    for part in re.split(r"(、|和|及|与|以及)", sentence[start:region_end]):
        if part in ("、", "和", "及", "与", "以及"):
            pos += len(part)
            continue
        hit = [mn for mn in mentions[first:last + 1] if pos <= mn[0] < pos + len(part)]
        if hit:
            for mn in hit:
                items.extend([((code,), mn[3]) for code in mn[2]])
        elif part.strip():
            items.append(None)
        pos += len(part)
    return items or [((c,), mentions[first][3]) for c in mentions[first][2]]


def _measure(code: str, unit: str | None, cue: str) -> str | None:
    if unit == "个百分点":
        return "change_pp" if _GROWTH.search(cue) else None
    if unit in ("%", "‰"):
        if code == "cpi":
            return "growth"
        if code in RATE_CODES:
            if re.search(r"增长|下降", cue) and not _LEVEL_CUE.search(cue):
                return None  # growth of a rate is not a rate
            return "rate"
        if re.search(r"占比|比重|占", cue):
            return None
        return "growth"
    if unit in MONEY_UNITS:
        return "level" if code in MONEY_CODES else None
    return None


def extract_facts(text: str, report_year: int | None, doc_kind: str = "work_report",
                  region_name: str | None = None) -> list[Fact]:
    """Every figure of the text. The report year dates undated sentences; without it, a
    sentence that dates itself (2014年…主要预期目标：…增长8.5%左右) is still read, and an
    undated figure is kept with period null."""
    contexts = ContextIndex(text, report_year)
    facts: list[Fact] = []
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        if not re.search(r"\d|百分之", sentence):
            continue
        facts.extend(_read_sentence(sentence, sm.start(), contexts, report_year, doc_kind, region_name))
    return _dedupe(facts)


def _explicit_year(sentence: str, pos: int) -> int | None:
    """The year the words before a figure name for it: '2013年全区…', '到2025年…'; not a base
    year of a comparison (比2010年, 由2015年的…), not the year of a month date (2023年11月…)."""
    explicit = None
    for m in _YEAR.finditer(sentence[:pos]):
        if sentence[max(0, m.start() - 1):m.start()] in ("比", "较", "由", "从", "与") or sentence[m.end():m.end() + 1] == "度":
            continue
        if re.match(r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:月|[-—～~至到]\s*\d{1,2}\s*月)", sentence[m.end():]):
            continue
        explicit = int(m.group(1))
    return explicit


def _period_and_span(ctx: Context, sentence: str, pos: int, year: int | None, cue: str, measure: str
                     ) -> tuple[int | None, str | None]:
    """The year a figure refers to, and its five-year window when it is an average or a claim
    over the window. Without the report's year, a figure is dated by its sentence or by the
    year its part names, else left undated."""
    explicit = _explicit_year(sentence, pos)
    annual_avg = "年均" in cue or "年平均" in cue or "平均每年" in cue
    consecutive = re.search(r"连续([\d一二三四五六七八九十]+)年", cue)
    if ctx.kind == "actual":
        if year is None:
            period = explicit or ctx.year or (ctx.span[1] if ctx.span else None)
        else:
            period = explicit if explicit and explicit < year else year - 1
        span = None
        held = re.search(r"控制在|保持在|稳定在|保持|连续", cue)
        if period and measure not in ("level", "share"):
            five = ctx.five_year and not (explicit and year and explicit < year) and (measure == "growth" or held)
            if annual_avg or five or consecutive:
                lo = ctx.span[0] if ctx.span and ctx.span[1] == period else period - 4
                span = f"{lo}-{period}"
        return period, span
    if ctx.five_year:
        end = ctx.span[1] if ctx.span else (year + 4 if year else None)
        period = explicit if explicit and (year is None or explicit > year) else end
        span = None
        if annual_avg and measure != "level" and period:
            lo = ctx.span[0] if ctx.span else (year if year else period - 4)
            span = f"{lo}-{period}"
        return period, span
    if year is None:
        return explicit or ctx.year, None
    period = explicit if explicit and explicit >= year else year
    return period, None


def _read_sentence(sentence: str, offset: int, contexts: ContextIndex, year: int | None, doc_kind: str,
                   region_name: str | None = None) -> list[Fact]:
    mentions = find_mentions(sentence, region_name)
    ratios = list(_RATIO.finditer(sentence))
    masked = sentence
    for r in ratios:
        masked = masked[:r.start()] + "#" * (r.end() - r.start()) + masked[r.end():]
    values = _find_values(masked)
    facts: list[Fact] = []
    estimate_at = sentence.find("预计")

    def emit(code, phrase, v: _Value, measure, qualifier, cue_start):
        ctx = contexts.at(offset + v.start) if doc_kind == "work_report" else Context("target", False, None)
        kind = ctx.kind if doc_kind == "work_report" else "target"
        cue = sentence[cue_start:v.start]
        period, span = _period_and_span(ctx, sentence, v.start, year, cue, measure)
        value, high = v.value, v.value_high
        if measure in ("growth", "change_pp") and _NEGATIVE.search(cue) and not re.search(r"增长|提高", cue[-4:]):
            value = -value
            high = -high if high is not None else None
        tier = "floor" if "确保" in cue else ("stretch" if "力争" in cue or "力争" in sentence[:v.start][-30:] else None)
        facts.append(Fact(code, phrase, period, span, kind, measure, value, high, v.unit, to_base(value, v.unit),
                          qualifier, 0 <= estimate_at < v.start, tier, sentence.strip(), offset + v.start, offset + v.end))

    # structure ratios: the last ratio of a sentence about industry structure is the current one
    if ratios and STRUCTURE.search(sentence):
        r = ratios[-1]
        if not re.search(r"由\s*(?:(?:19|20)\d{2}年)?\s*$", sentence[:r.start()]):
            ctx = contexts.at(offset + r.start())
            kind = ctx.kind if doc_kind == "work_report" else "target"
            period, _ = _period_and_span(ctx, sentence, r.start(), year, "", "share")
            for code, num in zip(("primary_industry_share", "secondary_industry_share", "tertiary_industry_share"),
                                 r.groups(), strict=True):
                facts.append(Fact(code, STRUCTURE.search(sentence).group(0), period, None, kind, "share", float(num),
                                  None, "%", float(num), "exact", 0 <= estimate_at < r.start(), None,
                                  sentence.strip(), offset + r.start(), offset + r.end()))

    if not values:
        return facts
    used: set[int] = set()
    # group mentions: consecutive mentions joined only by list separators form one group
    groups: list[tuple[int, int]] = []  # (first, last) mention index
    for i, mn in enumerate(mentions):
        if groups:
            prev = mentions[groups[-1][1]]
            between = sentence[prev[1]:mn[0]]
            if re.fullmatch(r"\s*(?:、|和|及|与|以及|，)?[^，,；;。\d%]{0,14}?(?:、|和|及|与|以及)\s*", between) or between in ("、", "和", "及", "与"):
                if not any(v.start >= prev[1] and v.end <= mn[0] for v in values):
                    groups[-1] = (groups[-1][0], i)
                    continue
        groups.append((i, i))

    for gi, (first, last) in enumerate(groups):
        g_end = mentions[last][1]
        next_start = mentions[groups[gi + 1][0]][0] if gi + 1 < len(groups) else len(sentence)
        # values owned by this group: after it, before the next group, within continuing clauses
        owned: list[_Value] = []
        for v in values:
            if not (g_end <= v.start < next_start):
                continue
            between = sentence[g_end:v.start]
            breaks = list(_CLAUSE_BREAK.finditer(between))
            if breaks and not _CONTINUE.match(between[breaks[-1].end():]):
                continue
            # clauses in between may only comment (进入全省前十强), not carry figures of their own
            if any(not _CONTINUE.match(between[b.end():]) and re.search(r"\d", between[b.end():c.start()])
                   for b, c in zip(breaks[:-1], breaks[1:], strict=False)):
                continue
            owned.append(v)
            used.add(v.start)
        if not owned:
            continue
        items = _items(sentence, mentions, first, last)
        # a qualifier written once after a list applies to each value of the list
        for a, b in zip(owned, owned[1:], strict=False):
            if a.qualifier == "exact" and b.qualifier not in ("exact", "range") and re.fullmatch(r"\s*(?:、|和|及)\s*", sentence[a.end:b.start]):
                a.qualifier = b.qualifier
        for k in range(len(owned) - 2, -1, -1):
            a, b = owned[k], owned[k + 1]
            if a.qualifier == "exact" and b.qualifier not in ("exact", "range") and re.fullmatch(r"\s*(?:、|和|及)\s*", sentence[a.end:b.start]):
                a.qualifier = b.qualifier
        by_class: dict[str, list[_Value]] = {}
        for v in owned:
            before = sentence[max(g_end, v.start - 8):v.start]
            if _SKIP_BEFORE.search(before) and not re.search(r"(?:增长|提高|下降|达|到|为)\s*$", before):
                continue
            if _COMPARISON.search(sentence[g_end:v.start]):
                continue  # 增速高于全市0.5个百分点 compares, it does not measure
            after = sentence[v.end:v.end + 3]
            if v.unit in MONEY_UNITS and re.match(r"(?:以上)?(?:的)?(?:项目|企业|工业企业)", after):
                continue
            cls = "pct" if v.unit in ("%", "‰") else ("pp" if v.unit == "个百分点" else ("money" if v.unit in MONEY_UNITS else "count"))
            by_class.setdefault(cls, []).append(v)
        for cls, vals in by_class.items():
            if cls == "count":
                continue
            real = [it for it in items if it is not None]
            if len(items) == 1 or (len(real) == 1 and len(vals) <= len(items) and items[0] is not None and len(vals) == 1):
                pairs = [(real[0], v) for v in vals] if real else []
            elif len(vals) == len(items):
                pairs = [(it, v) for it, v in zip(items, vals, strict=True) if it is not None]
            elif len(vals) == 1:
                pairs = [(it, vals[0]) for it in real]
            else:
                pairs = [(it, v) for it, v in zip(items, vals, strict=False) if it is not None]
            for (codes, phrase), v in pairs:
                code = codes[0]
                cue_start = g_end
                prev_vals = [p for p in owned if p.end <= v.start]
                if prev_vals and len(items) == 1:
                    cue_start = prev_vals[-1].end
                cue = sentence[cue_start:v.start]
                measure = _measure(code, v.unit, sentence[g_end:v.start] if len(items) > 1 else cue)
                if measure is None:
                    continue
                qualifier = v.qualifier
                if qualifier == "exact":
                    if _AT_LEAST_BEFORE.search(cue) or "确保" in cue:
                        qualifier = "at_least"
                    elif _AT_MOST_BEFORE.search(cue):
                        qualifier = "at_most"
                emit(code, phrase, v, measure, qualifier, cue_start)
    facts.extend(_other_facts(sentence, offset, values, used, mentions, contexts, year, doc_kind, estimate_at))
    return facts


_OTHER_LEAD = re.compile(r"^(?:[\s“”]|其中|同时|力争|确保|全年|今年|明年|全[市区县镇乡省]|到\d{4}年(?:底|末)?|\d{4}年(?:底|末)?|"
                         r"累计|共|实现|完成|年内|争取|努力|推动|加快|预计)+")
_OTHER_TAIL = re.compile(r"(?:达到|达|突破|超过|增长|提高到|提高|提升到|提升|为|至|到|实现|完成|控制在|保持在|以上|总数|总量)+$")


def _other_facts(sentence, offset, values, used, mentions, contexts, year, doc_kind, estimate_at) -> list[Fact]:
    """Figures of indicators outside the vocabulary (新增规上工业企业30家以上) in plans and
    policy notices, named by the phrase before them as `other:PHRASE`."""
    out: list[Fact] = []
    last_subject = None
    for v in values:
        if v.start in used:
            continue
        ctx = contexts.at(offset + v.start) if doc_kind == "work_report" else Context("target", False, None)
        kind = ctx.kind
        if kind != "target":
            continue
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence[:v.start])), default=0)
        clause_start = max([clause_start] + [p.end for p in values if p.end <= v.start and p.start >= clause_start])
        before = sentence[clause_start:v.start]
        if re.search(r"、\s*$", before) or any(clause_start <= m[0] < v.start for m in mentions):
            continue
        if _SKIP_BEFORE.search(before[-6:]) and not re.search(r"(?:增长|提高|达|到|为)\s*$", before):
            continue
        subject = _OTHER_TAIL.sub("", _OTHER_LEAD.sub("", before.strip(" 、，,"))).strip(" 、，,")
        after = sentence[v.end:v.end + 3]
        if v.unit in MONEY_UNITS and re.match(r"(?:以上)?(?:的)?(?:项目|企业|工业企业)", after):
            continue
        if not subject and last_subject:
            subject = last_subject
        if not subject or len(subject) > 24 or re.search(r"\d\s*(?:年|%|‰|个百分点)", subject):
            continue
        last_subject = subject
        cue = before
        if v.unit in ("%", "‰"):
            measure = "growth" if re.search(r"增长|下降|提高(?!到)", cue[-6:]) else "rate"
        elif v.unit == "个百分点":
            measure = "change_pp"
        else:
            measure = "level"
        period, span = _period_and_span(ctx, sentence, v.start, year, cue, measure)
        qualifier = v.qualifier
        if qualifier == "exact" and _AT_LEAST_BEFORE.search(cue):
            qualifier = "at_least"
        tier = "floor" if "确保" in cue else ("stretch" if "力争" in sentence[max(0, v.start - 30):v.start] else None)
        out.append(Fact(f"other:{subject}", subject, period, span, kind, measure, v.value, v.value_high, v.unit,
                        to_base(v.value, v.unit), qualifier, 0 <= estimate_at < v.start, tier, sentence.strip(),
                        offset + v.start, offset + v.end))
    return out


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One row per number: when one sentence gives the same indicator twice for one key
    (突破30000元, 达到31915元) the later, more precise figure is kept."""
    out: dict[tuple, Fact] = {}
    for f in facts:
        key = (f.indicator, f.kind, f.measure, f.period, f.span, f.sentence, f.target_tier)
        if f.indicator.startswith("other:"):
            key += (f.char_start,)  # free-named figures are distinct even when their phrase repeats
        out[key] = f
    return sorted(out.values(), key=lambda f: (f.char_start, f.indicator))
