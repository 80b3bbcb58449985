"""Indicators and targets: every number a report gives for a named indicator, as rows of
the `indicators` dataset.

How a sentence is read:
1. indicator names (vocabulary.find_mentions) and figures (values.find_values: numbers with a
   unit, ranges, a:b:c structure ratios) are found;
2. a figure belongs to the latest group of names before it; a list of names
   ('地区生产总值、一般公共预算收入…年均都增长5%') shares one figure, or zips with as many
   ('分别增长7%、7.5%'); name–amount pairs followed by 分别 zip too
   ('大口径财政收入44.1亿元、公共财政预算收入21.48亿元，分别增长30.1%和34.1%'). A clause after a
   comma keeps the name only when it continues it (同比增长…, 年均增长…, 达到…, 2010年达到…); an
   item after 、 that names something else (…15.9亿元、支出32.4亿元) ends it;
3. kind, period and span come from where the sentence stands in the report (parsers.context);
4. qualifiers from the words around the figure (左右, 以上, 以内, 不低于, 确保, 突破, 约…); a
   qualifier or verb written once for a list applies to each figure of it (分别突破8.5万亿元、13万元;
   分别增长7%、7.5%左右); `控制在X%` without a suffix is at_most in a target, exact in a result;
   力争/争取 mark the figure of their own item as the stretch tier (6%以上、力争7%).
Not read as levels or growth figures of the region: comparisons (高于全省…, 占全省…), start
values (由849亿元…到), increments (净增, 增收), conversions (折合6652美元), streaks (连续8个季度…),
cumulative or multi-year figures (累计完成, 比2010年增长), figures for part of a year (1-11月,
前三季度) in a review, and figures of a part (地方级财政收入中…, 城区…, 开发区…).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from parsers.context import Context, ContextIndex
from parsers.numbers import MONEY_UNITS, to_base
from parsers.values import RATIO, Value, find_values
from parsers.vocabulary import MONEY_CODES, RATE_CODES, SHARE_CODES, STRUCTURE, find_mentions

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_ITEM_BREAK = re.compile(r"[，,；;：:、]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CONTINUE_WORDS = (r"同比|比上年|比年初|较上年|较年初|五年平均|五年年均|年平均|平均每年|年均|平均|可比|分别|均|都|增长|增速|增幅|增|"
                   r"下降|降低|降|减少|回落|达到|达|突破|实现|完成|提高|提升|控制在|保持|稳定在|为|是|由|从|比|较|扣除|剔除|"
                   r"按可比|按现价|可比口径|同口径|自然口径|其中全|总量|迈上|跨过|跨入|跨上|跨越|跃上|超过|超|占比|涨幅|约|近|"
                   r"实际金额|金额|实际|名义|力争|争取|确保|努力|不低于|不少于|不超过|不高于|高于|快于|五年累计|累计|站上|总额|"
                   r"(?:确定|定|预期|安排|设定|拟定|调控目标)为")
_CONTINUE = re.compile(rf"^\s*(?:(?:19|20)\d{{2}}\s*年(?:底|末)?[，,]?\s*)?(?:预计|初步统计|初步测算|初步预计|全年|有望)*"
                       rf"(?:{_CONTINUE_WORDS})")
_GROWTH = re.compile(r"增长|增速|增幅|增|上涨|涨幅|涨|下降|降低|降幅|降|减少|减|回落|提高|提升")
_NEGATIVE = re.compile(r"下降|降低|降幅|降|减少|减|回落")
_TO_LEVEL = re.compile(r"(?:下降|降低|回落|减少|降)(?:到|至)\s*$")  # 回落到27.8%: the new rate, not a fall of 27.8
_LEVEL_CUE = re.compile(r"(?:提高|提升|增加|增长|上升)(?:到|至)|达到|达|为|保持在|控制在|稳定在")
_COMPARISON = re.compile(r"(?<!不)(?:高于|低于|多于|少于)|快于|慢于|超出|领先|相当于|位居|居全|排名|排在|好于|优于")
_THRESHOLD_COMPARISON = re.compile(r"(?:高于|快于|超出)\s*$")  # 增速高于7%: at least 7, not a comparison
_SKIP_BEFORE = re.compile(r"(?:占全|占|比重为|净增|纯增|增加|新增|多增|减少|增收|减收|多|少|由|从|是|的|累计|折合|约合|合|相当于)\s*$")
_END_VALUE = re.compile(r"(?:增长|提高|提升|上升|增加|扩大|下降|降低|回落|减少|达|为|到|至)\s*(?:(?:19|20)\d{2}\s*年(?:底|末)?(?:的)?)?\s*$")
_AT_LEAST_BEFORE = re.compile(r"(?:不低于|不少于|至少|确保|突破|超过|超|逾|迈上|迈过|跨过|跨上|跃上|跨越|站上|突破了)\s*$")
_AT_MOST_BEFORE = re.compile(r"(?:不超过|不高于|不大于|低于|慢于)\s*$")
_ABOUT_BEFORE = re.compile(r"(?:约|近|大约)\s*$")
_CUMULATIVE = re.compile(r"(?:比|较|与)\s*(?:(?:19|20)\d{2}\s*年|“?十[一二三四五六七八九]五”?|上一届|本届政府)|累计|五年共|倍")
_STREAK = re.compile(r"连续[\d一二三四五六七八九十]+个(?:季度|月)")
_PART_YEAR = re.compile(r"\d{1,2}\s*[-—～~至到]\s*\d{1,2}\s*月|前三季度|上半年|一季度|前[一二三四五六七八九十\d]+个?月|\d{1,2}月份")
_STRETCH = re.compile(r"力争|争取|努力|力求")
_RANK = re.compile(r"第\s*\d+\s*(?:位|名|)|前\s*\d+\s*(?:位|名|强)|\d+\s*强")
# value added of an industry, then its share: 服务业增加值突破3000亿元，占比达到52.4%
_SHARE_OF = {"primary_industry_value_added": "primary_industry_share",
             "secondary_industry_value_added": "secondary_industry_share",
             "tertiary_industry_value_added": "tertiary_industry_share"}
_SUB_PART = re.compile(r"其中[^，,；;。]{0,16}?(?:企业|项目|行业|部门|园区|城区|县|区)")


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


# --- period --------------------------------------------------------------------------------

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
    yearly = re.search(r"比上年|较上年|同比", cue) is not None  # 比上年增长14.1%: last year's, in a five-year review too
    consecutive = re.search(r"连续([\d一二三四五六七八九十]+)年", cue)
    if ctx.kind == "actual":
        if year is None:
            period = explicit or ctx.year or (ctx.span[1] if ctx.span else None)
        else:
            period = explicit if explicit and explicit < year else year - 1
        span = None
        held = re.search(r"控制在|保持在|稳定在|保持|连续", cue)
        if period and measure not in ("level", "share"):
            five = (ctx.five_year and not yearly and not (explicit and year and explicit < year)
                    and (measure == "growth" or held))
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


# --- names and figures of a sentence ---------------------------------------------------------

def _items(sentence: str, mentions: list, first: int, last: int) -> list[tuple[str, str]]:
    """The list a group of names names: items separated by 、和及与, as (code, phrase); an item
    that names no known indicator is kept as ('', its words) so zipping with figures stays
    aligned (and a plan's figure for it can still be kept as other:)."""
    start = mentions[first][0]
    end = mentions[last][1]
    tail = re.match(r"[^，,；;。%\d]*?(?=年均|分别|均|都|同比|比上年|增长|增|下降|降|达到|达|突破|实现|完成|提高|控制|为|是|预计|$|[\d])",
                    sentence[end:])
    region_end = end + (tail.end() if tail else 0)
    items: list[tuple[str, str]] = []
    pos = start
    for part in re.split(r"(、|和|及|与|以及)", sentence[start:region_end]):
        if part in ("、", "和", "及", "与", "以及"):
            pos += len(part)
            continue
        hit = [mn for mn in mentions[first:last + 1] if pos <= mn[0] < pos + len(part)]
        if hit:
            for mn in hit:
                named = [p for p in re.split(r"、", mn[3]) if p] if len(mn[2]) > 1 else [mn[3]]
                for k, code in enumerate(mn[2]):
                    items.append((code, mn[3]) if code else ("", named[k] if k < len(named) else ""))
        elif part.strip():
            items.append(("", part.strip()))
        pos += len(part)
    return items or [(c, mentions[first][3]) if c else ("", "") for c in mentions[first][2]]


def _measure(code: str, unit: str | None, cue: str) -> str | None:
    if unit == "个百分点":
        return "change_pp" if _GROWTH.search(cue) else None
    if unit in ("%", "‰"):
        if code == "cpi":
            return "growth"
        if code in SHARE_CODES:
            return None if re.search(r"增长|下降", cue) and not _LEVEL_CUE.search(cue) else "share"
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


def _groups(sentence: str, mentions: list, values: list[Value]) -> list[tuple[int, int]]:
    """Consecutive names joined only by list separators (and no figure) form one group."""
    groups: list[tuple[int, int]] = []
    for i, mn in enumerate(mentions):
        if groups:
            prev = mentions[groups[-1][1]]
            between = sentence[prev[1]:mn[0]]
            if re.fullmatch(r"\s*(?:、|和|及|与|以及|，)?[^，,；;。\d%]{0,14}?(?:、|和|及|与|以及)\s*", between) or between in ("、", "和", "及", "与"):
                if not any(v.start >= prev[1] and v.end <= mn[0] for v in values):
                    groups[-1] = (groups[-1][0], i)
                    continue
        groups.append((i, i))
    return groups


def _owns(sentence: str, g_end: int, v: Value, prev_value_end: int) -> bool:
    """Whether the figure at v still speaks of the names that end at g_end."""
    between = sentence[g_end:v.start]
    # a note in brackets (（预计数，下同）, （可比口径）) does not break the clause
    notes = re.sub(r"[（(][^（）()]{0,24}[）)]", lambda m: "~" * len(m.group(0)), between)
    breaks = list(_CLAUSE_BREAK.finditer(notes))
    if breaks and not _CONTINUE.match(between[breaks[-1].end():]):
        return False
    # clauses in between may only comment (进入全省前十强, 跃居全省第5位), not carry figures of their own
    if any(not _CONTINUE.match(between[b.end():]) and re.search(r"\d", _RANK.sub("", between[b.end():c.start()]))
           for b, c in zip(breaks[:-1], breaks[1:], strict=False)):
        return False
    # an item after 、 that names something else ends the list (15.9亿元、支出32.4亿元)
    cut = between.rfind("、")
    if cut >= 0 and g_end < prev_value_end <= g_end + cut:
        piece = between[cut + 1:]
        if re.search(r"[\u4e00-\u9fff]", piece) and not _CONTINUE.match(piece):
            return False
    return True


def _respectively(sentence: str, groups: list, mentions: list, values: list[Value], owner: dict[int, int]) -> None:
    """'A 44.1亿元、B 21.48亿元，分别增长30.1%和34.1%': the figures after 分别 (or 均) zip with the
    chain of named amounts before it, in order."""
    for m in re.finditer(r"[，,]\s*(?:同比|年均|比上年)?\s*(分别|均)", sentence):
        after_vals = [v for v in values if v.start > m.end()
                      and not re.search(r"[，,；;。]", sentence[m.end():v.start])]
        if not after_vals:
            continue
        chain = []
        for gi in range(len(groups) - 1, -1, -1):
            first, last = groups[gi]
            if mentions[first][0] > m.start():
                continue
            own_before = [v for v in values if owner.get(v.start) == gi and v.end <= m.start()]
            if len(own_before) != 1 or mentions[last][1] - mentions[first][0] > 40:
                break
            if chain:
                gap = sentence[own_before[0].end:mentions[groups[chain[-1]][0]][0]]
                if not re.fullmatch(r"\s*[、，,和及与]\s*", gap):
                    break
            chain.append(gi)
        chain.reverse()
        if len(chain) < 2:
            continue
        kinds = {v.kind for v in after_vals}
        if len(kinds) != 1:
            continue
        if m.group(1) == "分别" and len(after_vals) == len(chain):
            for gi, v in zip(chain, after_vals, strict=True):
                owner[v.start] = gi
        elif m.group(1) == "均" and len(after_vals) == 1:
            owner[after_vals[0].start] = tuple(chain)  # type: ignore[assignment]


def _list_leads(sentence: str, owned: list[Value], start: int) -> dict[int, str]:
    """The words before each figure of a group; a figure in a 、/和 list after the first takes
    the words before the first (分别突破8.5万亿元、13万元: 突破 for both)."""
    leads: dict[int, str] = {}
    prev_end = start
    head_lead = ""
    for i, v in enumerate(owned):
        gap = sentence[prev_end:v.start]
        own = gap[max((m.end() for m in _ITEM_BREAK.finditer(gap)), default=0):]
        if i and re.fullmatch(r"\s*(?:、|和|及|与)\s*", gap) and not (
                _COMPARISON.search(head_lead) and not _THRESHOLD_COMPARISON.search(head_lead)):
            leads[v.start] = head_lead  # (增速高于省平1个百分点、7%左右: the 7% is not a comparison)
        else:
            head_lead = own
            leads[v.start] = own
        prev_end = v.end
    return leads


def _clause_lead(sentence: str, pos: int, breaks: str = "，,；;：:") -> str:
    start = max((sentence.rfind(ch, 0, pos) + 1 for ch in breaks), default=0)
    return sentence[start:pos]


def _tier(sentence: str, pos: int) -> str | None:
    """力争/争取 in a figure's own clause make it the stretch figure, 确保 the floor."""
    clause = _clause_lead(sentence, pos)
    return "stretch" if _STRETCH.search(clause) else ("floor" if "确保" in clause else None)


def _spread_list_qualifiers(sentence: str, owned: list[Value]) -> None:
    """A qualifier written once after a list applies to each figure of it (分别增长7%、7.5%左右)."""
    def joined(a: Value, b: Value) -> bool:
        return re.fullmatch(r"\s*(?:、|和|及)\s*", sentence[a.end:b.start]) is not None

    for a, b in zip(owned, owned[1:], strict=False):
        if a.qualifier == "exact" and b.qualifier not in ("exact", "range") and joined(a, b):
            a.qualifier = b.qualifier
    for k in range(len(owned) - 2, -1, -1):
        a, b = owned[k], owned[k + 1]
        if a.qualifier == "exact" and b.qualifier not in ("exact", "range") and joined(a, b):
            a.qualifier = b.qualifier


def _not_a_figure_of_the_name(sentence: str, v: Value, lead: str, part_kind: str) -> bool:
    """Comparisons, start values, increments, conversions, streaks, cumulative and part-year
    figures, descriptions (20%以上的快速增长): owned by a name, but not its level or growth."""
    clause = _clause_lead(sentence, v.start)
    after = sentence[v.end:v.end + 3]
    return bool(
        (_SKIP_BEFORE.search(lead) and not _END_VALUE.search(lead))
        or (_COMPARISON.search(lead) and not _THRESHOLD_COMPARISON.search(lead))  # 增速高于全市0.5个百分点
        or _STREAK.search(lead) or re.search(r"[（(]\s*$", lead)
        or _CUMULATIVE.search(lead) or (v.kind != "pct" and _CUMULATIVE.search(clause))
        # 1-11月…增长9.1%; but 从上半年5.5%降到5.3%: the year-end figure
        or (part_kind == "actual" and _PART_YEAR.search(_clause_lead(sentence, v.start, "；;。"))
            and not re.search(r"(?:到|至)\s*$", lead))
        or (v.unit in MONEY_UNITS and re.match(r"(?:以上)?(?:的)?(?:项目|企业|工业企业)", after))
        or re.match(r"\s*的", after))


def _pairs(items: list[tuple[str, str]], vals: list[Value], shared: bool) -> list[tuple[tuple[str, str], Value]]:
    """Names of a group with its figures of one kind: one name takes every figure, a list zips
    with as many figures, or shares one figure (or, with 均, each name takes each figure)."""
    real = [it for it in items if it[0]]
    if shared or len(items) == 1 or (len(real) == 1 and len(vals) <= len(items) and items[0][0] and len(vals) == 1):
        return [(real[0], v) for v in vals] if real else []
    if len(vals) == len(items):
        return list(zip(items, vals, strict=True))
    if len(vals) == 1:
        return [(it, vals[0]) for it in real]
    return list(zip(items, vals, strict=False))


def _read_sentence(sentence: str, offset: int, contexts: ContextIndex, year: int | None, doc_kind: str,
                   region_name: str | None = None, estimated: bool = False) -> list[Fact]:
    mentions = find_mentions(sentence, region_name)
    ratios = list(RATIO.finditer(sentence))
    masked = sentence
    for r in ratios:
        masked = masked[:r.start()] + "#" * (r.end() - r.start()) + masked[r.end():]
    values = find_values(masked)
    facts: list[Fact] = []
    estimate_at = min((m.start() for m in re.finditer(r"预计|初步测算|初步预计|初步统计|初步核算|有望", sentence)), default=-1)

    def context(pos: int) -> Context:
        return contexts.at(offset + pos) if doc_kind == "work_report" else Context("target", False, None)

    def emit(code, phrase, v: Value, measure, qualifier, lead, tier):
        ctx = context(v.start)
        # 人口年均自然增长率: the average is in the name
        period, span = _period_and_span(ctx, sentence, v.start, year, phrase + lead, measure)
        value, high = v.value, v.value_high
        if (measure in ("growth", "change_pp") and _NEGATIVE.search(lead) and not _TO_LEVEL.search(lead)
                and not re.search(r"增长|提高", lead[-4:])):
            value = -value
            high = -high if high is not None else None
        facts.append(Fact(code, phrase, period, span, ctx.kind, measure, value, high, v.unit, to_base(value, v.unit),
                          qualifier, estimated or 0 <= estimate_at < v.start, tier, sentence.strip(),
                          offset + v.start, offset + v.end))

    # structure ratios: the last ratio of a sentence about industry structure is the current one
    if ratios and STRUCTURE.search(sentence):
        r = ratios[-1]
        if not re.search(r"由\s*(?:(?:19|20)\d{2}年)?\s*$", sentence[:r.start()]):
            ctx = context(r.start())
            period, _ = _period_and_span(ctx, sentence, r.start(), year, "", "share")
            for code, num in zip(("primary_industry_share", "secondary_industry_share", "tertiary_industry_share"),
                                 r.groups(), strict=True):
                facts.append(Fact(code, STRUCTURE.search(sentence).group(0), period, None, ctx.kind, "share", float(num),
                                  None, "%", float(num), "exact", estimated or 0 <= estimate_at < r.start(), None,
                                  sentence.strip(), offset + r.start(), offset + r.end()))

    if not values:
        return facts
    groups = _groups(sentence, mentions, values)
    owner: dict[int, object] = {}
    prev_end = 0
    for v in values:
        gi = next((i for i in range(len(groups) - 1, -1, -1) if mentions[groups[i][1]][1] <= v.start), None)
        if gi is not None and _owns(sentence, mentions[groups[gi][1]][1], v, prev_end):
            owner[v.start] = gi
        prev_end = v.end
    _respectively(sentence, groups, mentions, values, owner)
    used = set(owner)

    for gi, (first, last) in enumerate(groups):
        g_end = mentions[last][1]
        owned = [v for v in values if owner.get(v.start) == gi or (isinstance(owner.get(v.start), tuple)
                                                                     and gi in owner[v.start])]
        if not owned:
            continue
        items = _items(sentence, mentions, first, last)
        _spread_list_qualifiers(sentence, owned)
        leads = _list_leads(sentence, owned, g_end)
        by_kind: dict[str, list[Value]] = {}
        for v in owned:
            if not _not_a_figure_of_the_name(sentence, v, leads[v.start], context(v.start).kind):
                by_kind.setdefault(v.kind, []).append(v)
        for kind, vals in by_kind.items():
            if kind == "count":
                continue
            for (code, phrase), v in _pairs(items, vals, isinstance(owner.get(vals[0].start), tuple)):
                lead = leads[v.start]
                if not code:  # an item of the list we have no code for: a plan's figure is kept as other:
                    name = _OTHER_LEAD.sub("", phrase).strip(" 、，,")
                    if context(v.start).kind == "target" and 2 <= len(name) <= 24 and not re.search(r"\d", name):
                        measure = ("growth" if _GROWTH.search(lead) else "rate") if v.kind == "pct" else (
                            "change_pp" if v.kind == "pp" else "level")
                        emit(f"other:{name}", name, v, measure, v.qualifier, lead, _tier(sentence, v.start))
                    continue
                if code in _SHARE_OF and v.kind == "pct" and re.search(r"占比|比重|占(?:地区|国内)?(?:生产总值|GDP)", lead):
                    code = _SHARE_OF[code]
                measure = _measure(code, v.unit, lead)
                if measure is None:
                    continue
                qualifier = v.qualifier
                if qualifier == "exact":
                    if _AT_LEAST_BEFORE.search(lead) or "确保" in lead or _THRESHOLD_COMPARISON.search(lead):
                        qualifier = "at_least"
                    elif _AT_MOST_BEFORE.search(lead):
                        qualifier = "at_most"
                    elif _ABOUT_BEFORE.search(lead):
                        qualifier = "about"
                    elif "控制在" in lead and context(v.start).kind == "target":
                        qualifier = "at_most"
                emit(code, phrase, v, measure, qualifier, lead, _tier(sentence, v.start))
    facts.extend(_other_facts(sentence, offset, values, used, mentions, contexts, year, doc_kind, estimate_at, estimated))
    return facts


# --- figures of indicators outside the vocabulary ------------------------------------------------

_OTHER_LEAD = re.compile(r"^(?:[\s“”]|其中|同时|力争|确保|全年|今年|明年|全[市区县镇乡省州盟旗]|到\d{4}年(?:底|末)?|\d{4}年(?:底|末)?|"
                         r"累计|共|实现|完成|年内|争取|努力|推动|加快|预计|新建|建成)+")
_OTHER_TAIL = re.compile(r"(?:达到|达|突破|超过|增长|提高到|提高|提升到|提升|为|至|到|实现|完成|控制在|保持在|稳定在|以上|总数|总量)+$")
_VERBS = (r"实施|建设|新建|改造|培育|引进|打造|开展|新增|推进|建成|创建|组织|举办|招引|落地|新开工|开工|引育|发放|兑现|安排|争创|"
          r"认定|组建|竣工|投用|帮扶|转移|带动|吸引|服务|接待")
_VERB_ONLY = re.compile(rf"^(?:{_VERBS}|完成|实现)$")
_VERB_AT_END = re.compile(rf"(?:{_VERBS})$")
_COUNT_NOUN_AFTER = re.compile(r"^[\u4e00-\u9fff“”]{2,12}")


def _other_facts(sentence, offset, values, used, mentions, contexts, year, doc_kind, estimate_at, estimated
                 ) -> list[Fact]:
    """Figures of indicators outside the vocabulary (新增规上工业企业30家以上) in plans and
    policy notices, named by the phrase before them as `other:PHRASE` (or, when only a verb
    stands before the figure, the verb and the noun after it: 实施3000个技改项目 ->
    `other:实施技改项目`)."""
    out: list[Fact] = []
    last_subject = None
    for v in values:
        if v.start in used:
            continue
        ctx = contexts.at(offset + v.start) if doc_kind == "work_report" else Context("target", False, None)
        if ctx.kind != "target":
            continue
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence[:v.start])), default=0)
        clause_start = max([clause_start] + [p.end for p in values if p.end <= v.start and p.start >= clause_start])
        before = sentence[clause_start:v.start]
        if re.search(r"、\s*$", before) or any(clause_start <= m[0] < v.start for m in mentions):
            continue
        if _SKIP_BEFORE.search(before[-6:]) and not re.search(r"(?:增长|提高|达|到|为)\s*$", before):
            continue
        if _COMPARISON.search(before) or _CUMULATIVE.search(before):
            continue
        subject = _OTHER_TAIL.sub("", _OTHER_LEAD.sub("", before.strip(" 、，,"))).strip(" 、，,")
        after = sentence[v.end:v.end + 14]
        if v.unit in MONEY_UNITS and re.match(r"(?:以上)?(?:的)?(?:项目|企业|工业企业)", after):
            continue
        verb = _VERB_AT_END.search(before.strip())
        if (not subject or _VERB_ONLY.match(subject)) and verb and v.kind == "count":
            noun = _COUNT_NOUN_AFTER.match(after)
            if noun:
                subject = verb.group(0) + noun.group(0).strip("“”")
        if not subject and last_subject:
            subject = last_subject
        if not subject:  # '物价上涨幅度比去年有明显回落，力争控制在百分之十五左右': the previous clause names it
            prev = sentence[:clause_start].rstrip("，,；; ")
            prev = prev[max((m.end() for m in _CLAUSE_BREAK.finditer(prev)), default=0):]
            named = re.match(r"[\u4e00-\u9fff]{2,12}?(?=比|较|有|要|的|保持|继续|稳定|实现|$)", _OTHER_LEAD.sub("", prev.strip()))
            if named and not re.search(r"\d", prev):
                subject = named.group(0)
        if not subject or len(subject) > 24 or re.search(r"\d\s*(?:年|%|‰|个百分点)", subject) or _VERB_ONLY.match(subject):
            continue
        last_subject = subject
        cue = before
        if v.unit in ("%", "‰"):
            grows = re.search(r"增长|下降|提高(?!到)", cue[-6:]) or re.search(r"涨幅|上涨|增幅|增速|增长", subject)
            measure = "growth" if grows else "rate"
        elif v.unit == "个百分点":
            measure = "change_pp"
        else:
            measure = "level"
        period, span = _period_and_span(ctx, sentence, v.start, year, cue, measure)
        qualifier = v.qualifier
        if qualifier == "exact" and _AT_LEAST_BEFORE.search(cue):
            qualifier = "at_least"
        elif qualifier == "exact" and "控制在" in cue:
            qualifier = "at_most"
        tier = _tier(sentence, v.start)
        value = -v.value if measure == "growth" and re.search(r"(?:下降|降低|减少)\s*$", cue) else v.value
        out.append(Fact(f"other:{subject}", subject, period, span, ctx.kind, measure, value, v.value_high, v.unit,
                        to_base(value, v.unit), qualifier, estimated or 0 <= estimate_at < v.start, tier,
                        sentence.strip(), offset + v.start, offset + v.end))
    return out


# --- the document ---------------------------------------------------------------------------------

def _estimate_ranges(text: str, contexts: ContextIndex) -> list[tuple[int, int]]:
    """'（预计数，下同）' makes the figures after it estimates, to the end of its part."""
    ranges = []
    for m in re.finditer(r"(?:预计数|预计值|预计|初步统计数|初步统计|初步核算数)[，,、\s]*(?:[^。；]{0,6})下同", text):
        later = [p for p in contexts.positions if p > m.end()]
        ranges.append((m.start(), later[0] if later else len(text)))
    return ranges


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One row per figure. Within a sentence, one key given twice keeps the exact figure over a
    threshold (突破200亿元，达到212.18亿元) and the highest of several thresholds (接连突破8万亿元、
    9万亿元). In a document, a result's threshold claim (超过6万亿元) that an exact figure for the
    same key (67665亿元) already satisfies adds nothing and is dropped."""
    out: dict[tuple, Fact] = {}
    for f in facts:
        key = (f.indicator, f.kind, f.measure, f.period, f.span, f.sentence, f.target_tier)
        if f.indicator.startswith("other:"):
            key += (f.char_start,)  # free-named figures are distinct even when their phrase repeats
        prev = out.get(key)
        if prev is None:
            out[key] = f
        elif prev.qualifier == "at_least" and f.qualifier == "at_least":
            out[key] = f if (f.value_base or f.value) >= (prev.value_base or prev.value) else prev
        elif prev.qualifier == "at_least" and f.qualifier != "at_least":
            out[key] = f
        elif prev.qualifier != "at_least" and f.qualifier == "at_least":
            continue
        else:
            out[key] = f
    kept = list(out.values())
    exact = {}
    for f in kept:
        if f.kind == "actual" and f.qualifier == "exact" and f.measure == "level" and f.value_base is not None:
            exact.setdefault((f.indicator, f.period, f.span), []).append(f.value_base)
    kept = [f for f in kept if not (f.kind == "actual" and f.measure == "level" and f.qualifier == "at_least"
                                    and f.value_base is not None
                                    and any(x >= f.value_base for x in exact.get((f.indicator, f.period, f.span), [])))]
    return sorted(kept, key=lambda f: (f.char_start, f.indicator))


def extract_facts(text: str, report_year: int | None, doc_kind: str = "work_report",
                  region_name: str | None = None) -> list[Fact]:
    """Every figure of the text. The report year dates undated sentences; without it, a
    sentence that dates itself (2014年…主要预期目标：…增长8.5%左右) is still read, and an
    undated figure is kept with period null."""
    contexts = ContextIndex(text, report_year)
    estimates = _estimate_ranges(text, contexts)
    facts: list[Fact] = []
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        if not re.search(r"\d|百分之", sentence):
            continue
        estimated = any(a < sm.end() and sm.start() < b for a, b in estimates)
        facts.extend(_read_sentence(sentence, sm.start(), contexts, report_year, doc_kind, region_name, estimated))
    return _dedupe(facts)
