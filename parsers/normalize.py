"""Normalise extracted text so one set of rules reads every source: full-width digits and
signs, stray spaces inside numbers, broken entities, markdown debris, traditional
characters, and lines broken by PDF page layout."""

from __future__ import annotations

import html
import re
from functools import lru_cache

_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９％．＋－"}
_FULLWIDTH.update({ord(c): ord(c) - 0xFEE0 for c in "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"})
_SPACES = re.compile(r"[\xa0\u2000-\u200b\u202f\u205f\ufeff\t]")
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}\s+", re.M)
# Tags left in a text copy of a page (<p>, </div>, <divclass="title"> with its space lost)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:[\s=\"'][^<>\n]{0,300})?>|<[a-zA-Z]+[a-zA-Z0-9]*=\"[^<>\n]{0,300}>")
# Mirror sites annotate characters with pinyin: 生(shēng)产(chǎn)总值 -> 生产总值
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_BLOCK_TAG = re.compile(r"^</?(?:p|div|br|h[1-6]|center|li|ul|ol|tr|table|section|article|title)", re.I)
_NUM_SPACE = [
    (re.compile(r"(?<![\d.])\d(?: \d){1,3}(?= ?[年月日])"), lambda m: m.group(0).replace(" ", "")),  # 1 9 9 8 年
    (re.compile(r"(\d)\s*\.\s*(\d)"), r"\1.\2"),
    (re.compile(r"(\d)\s+(%|‰|个百分点|万亿|亿|万|千|元|美元)"), r"\1\2"),
    (re.compile(r"(\d)\s*([:：∶])\s*(\d)"), r"\1\2\3"),
    (re.compile(r"(\d),(\d{3})(?!\d)"), r"\1\2"),  # thousands separators 1,187.9
    (re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\d.]+\s*(?:%|‰))"), ""),  # 增长 6.5% -> 增长6.5%
    (re.compile(r"(?<=[\d%])\s+(?=[左以不])"), ""),  # 3% 以内 -> 3%以内
    (re.compile(r"(?<=[\d%‰])([左以])[ \u3000]+([右上内下])"), r"\1\2"),  # 6%左 右 -> 6%左右
]
# Characters only traditional text uses; one of them switches on t2s conversion.
_TRADITIONAL = set("區產總經濟發財預報長與會議縣鎮書際實現設農業個項體覽統計資數據條關擴")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    if any(ch in _TRADITIONAL for ch in text):
        return _t2s().convert(text)
    return text


def normalize_text(text: str) -> str:
    """Clean text for parsing and publishing. Keeps Chinese punctuation (readers quote
    it) but makes numbers uniform."""
    for _ in range(2):  # '&amp;nbsp;' needs two rounds
        if "&" not in text:
            break
        text = html.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_TAG.findall(text[:20000])) >= 3:
        text = _TAG.sub(lambda m: "\n" if _BLOCK_TAG.match(m.group(0)) else "", text)
    text = text.translate(_FULLWIDTH)
    text = _SPACES.sub(" ", text)
    text = _MARKDOWN.sub("", text)
    text = to_simplified(text)
    if "(" in text or "（" in text:
        text = _PINYIN.sub("", text)
    for pattern, repl in _NUM_SPACE:
        text = pattern.sub(repl, text)
    lines = [re.sub(r"[ \u3000]{2,}", " ", line).strip(" \u3000") for line in text.split("\n")]
    return "\n".join(lines)


_END = "。！？；：…”」』）)!?;:"
_TITLE_LINE = re.compile(r"^\s*[•·]|.{0,40}(?:报告|通知|意见|方案|决定)$"
                         r"|^.{0,20}(?:省长|主席|市长|州长|盟长|区长|县长|旗长|镇长|乡长|总理)\s*[\u4e00-\u9fff]{2,4}$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.、．](?!\d)|——|第[一二三四五六七八九十]+[章部分节])")


def join_broken_lines(text: str, min_len: int = 12) -> str:
    """Rejoin paragraphs that a page or line break cut in the middle of a sentence: a line
    that does not end a sentence, followed (after blank lines) by one that does not start a
    heading, is the same paragraph. Short lines (titles, signatures) are left alone."""
    paras = [p.strip() for p in text.split("\n")]
    out: list[str] = []
    for para in paras:
        if not para:
            continue
        if out:
            prev = out[-1]
            heading = _HEADING.match(prev) and len(prev) <= 40  # 一、2025年工作回顾 stands alone
            if (len(prev) >= min_len and prev[-1] not in _END and not _HEADING.match(para) and not heading
                    and not _TITLE_LINE.match(prev) and not _TITLE_LINE.match(para)
                    and not re.fullmatch(r"[\u4e00-\u9fff ]{1,12}", para)):
                out[-1] = prev + para
                continue
        out.append(para)
    return "\n".join(out)


def clean_text(text: str) -> str:
    return join_broken_lines(normalize_text(text))
