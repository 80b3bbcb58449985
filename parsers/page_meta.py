"""One reader of the metadata a government page shows about its document, for every layout
the platforms use: `th/td` pairs, a label and its value in one cell (`<td><b>文 号:</b>
赣府厅发〔2020〕10号</td>`), `<dl><dd><label>索 引 号：</label><div>…</div>`, visible lines
(`发布时间：2023-10-23 08:59`, `来源：`, `发文机关：`), the gov.cn names (`发文字号`, `发文机关`,
`成文日期`, `发布日期`), labels with spaces inside (`索 引 号`, `标　　题`), and the `<meta>`
tags Hanweb, TRS and UCAP write (ArticleTitle, PubDate, ContentSource, Keywords).

The spiders and `govreports parse page.html` both call `read_page_meta`, so a saved page and a
crawl of it give the same document fields. The page's own document number comes from its
metadata block, else from a line of its own under the title: a number inside the body is a
document the page cites, not the page's.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import lxml.html
from lxml import etree

from parsers.numbers import cn_digits_to_int

# label -> field (None: a label we recognise so that it ends the value before it)
_LABELS: dict[str, str | None] = {
    "索引号": "index_no", "文号": "doc_number", "发文字号": "doc_number", "发文文号": "doc_number",
    "发文机关": "publisher", "发布机构": "publisher", "发文单位": "publisher", "发布单位": "publisher",
    "成文日期": "written_date", "发文日期": "written_date", "印发日期": "written_date", "成文时间": "written_date",
    "发布日期": "publish_date", "发布时间": "publish_date", "公开日期": "publish_date", "公布日期": "publish_date",
    "标题": "title", "信息名称": "title", "文件名称": "title",
    "来源": "source", "信息来源": "source", "文章来源": "source", "稿件来源": "source",
    "有效性": "validity", "时效": "validity",
    "主题分类": None, "组配分类": None, "主题词": None, "浏览次数": None, "访问量": None, "点击数": None,
    "公开方式": None, "公开时限": None, "公开范围": None, "字号": None, "分类": None, "体裁分类": None,
    "服务对象": None, "作者": None, "责任编辑": None, "打印": None, "关闭": None, "时间": "publish_date",
}
_SP = r"[\s\u3000\xa0]*"
_LABEL_ALT = "|".join(_SP.join(re.escape(ch) for ch in label) for label in sorted(_LABELS, key=len, reverse=True))
_PAIR = re.compile(rf"(?<![\u4e00-\u9fff])(?P<label>{_LABEL_ALT}){_SP}(?P<sep>[:：]|‖)[\s\u3000\xa0‖]*"
                   rf"(?!(?:{_LABEL_ALT}){_SP}[:：])(?P<value>[^\n‖]*?)"
                   rf"(?=\s*‖|\s*\n|\s*$|[\s\u3000\xa0]+(?:{_LABEL_ALT}){_SP}[:：])")
_META_TAGS = {"articletitle": "title", "pubdate": "publish_date", "contentsource": "source", "keywords": "keywords",
              "firstpublishedtime": "publish_date", "publishdate": "publish_date"}
_BLOCK = {"p", "div", "br", "li", "tr", "table", "tbody", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6",
          "section", "article", "header", "footer", "form"}
_CELL = {"td", "th", "dd", "dt", "label"}
_DROP = {"script", "style", "noscript", "iframe", "select", "option", "textarea", "head", "title"}
# a CMS left its template tags in the text: $[标题], <$[信息内容]>, {{data.docSource}}, ${x}, #{x}
PLACEHOLDER = re.compile(r"<?\$\[[^\]]{0,30}\]>?|\{\{[^{}]{0,60}\}\}|[$#]\{[^{}]{0,40}\}|(?:begin|end)?-->|<!--")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,16}(?:〔|\[|［|【)\s*(?:19|20)\d{2}\s*(?:〕|\]|］|】)\s*\d{1,4}\s*号")
# the platforms' title elements, most specific first; the union serves a page of unknown platform
TITLE_SELECTORS = (".sp_title", ".con-title", "ucaptitle", ".article-title", ".detail-article-title h2", ".xxgk_title",
                   ".xxgk-title", "#ivs_title", ".bt_title", ".detail-title", ".news-title", ".article h1", ".content h1",
                   "h1.title", ".title h1", "#title", ".main-title", ".zw-title")


@dataclass
class PageMeta:
    title: str | None = None
    publish_date: str | None = None
    written_date: str | None = None
    doc_number: str | None = None
    index_no: str | None = None
    publisher: str | None = None
    source: str | None = None
    keywords: str | None = None
    validity: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


def iso_date(text: str | None) -> str | None:
    """A date in any form pages write it (2018-12-27 08:59, 2018年12月27日, 2018/12/27,
    二〇一八年十二月二十七日) as YYYY-MM-DD; None when there is none."""
    if not text:
        return None
    m = re.search(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        cn = "〇○零Ｏ一二三四五六七八九十"
        m = re.search(rf"([一二][{cn}]{{3}})\s*年\s*([{cn}]{{1,3}})\s*月\s*([{cn}]{{1,3}})\s*日", text)
        if not m:
            return None
        y, mo, d = cn_digits_to_int(m[1]), cn_digits_to_int(m[2]), cn_digits_to_int(m[3])
    if not (y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def clean_value(text: str) -> str:
    text = PLACEHOLDER.sub("", text)
    return re.sub(r"[\s\u3000\xa0]+", " ", text).strip(" ‖|：:")


def _flatten(el, out: list[str]) -> None:
    """The page's visible text with block ends as newlines and cell ends as ' ‖ ', so a label
    and its value stay apart when they are in two cells and together when in one."""
    if el.tag is etree.Comment or el.tag is etree.ProcessingInstruction:
        if el.tail:
            out.append(el.tail)
        return
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in _DROP:
        if el.tail:
            out.append(el.tail)
        return
    mark = "\n" if tag in _BLOCK else (" ‖ " if tag in _CELL else "")
    out.append(mark)
    if el.text:
        out.append(el.text)
    for child in el:
        _flatten(child, out)
    out.append(mark)
    if el.tail:
        out.append(el.tail)


def page_lines(root) -> str:
    out: list[str] = []
    _flatten(root, out)
    text = "".join(out).replace("\xa0", " ")
    return re.sub(r"[ \t]*\n[\s]*", "\n", text)


def parse_tree(markup: str | bytes):
    """The page as an lxml tree (a fragment without <html> is wrapped in one); bytes are
    decoded as the extractor decodes pages (declared charset, then sniffing, GBK as GB18030)."""
    if isinstance(markup, bytes):
        from parsers.extract import decode_html

        markup = decode_html(markup)
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)  # lxml refuses a str that declares its encoding
    try:
        return lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


def _title_from_elements(root) -> str | None:
    from lxml.cssselect import CSSSelector

    for sel in TITLE_SELECTORS:
        for el in CSSSelector(sel, translator="html")(root):
            text = clean_value(" ".join(t for t in el.itertext()))
            if _plausible_title(text):
                return text
    return None


def _plausible_title(text: str | None) -> bool:
    """Not a caption, an index number, a date or a placeholder."""
    if not text or len(text) < 4 or len(text) > 200:
        return False
    if re.fullmatch(r"[\d\s/.\-:A-Za-z]+", text) or iso_date(text) == text:
        return False
    return text not in ("正文", "通知公告", "政策文件", "信息公开", "首页", "当前位置", "文章标题") and not PLACEHOLDER.search(text)


def _title_from_head(root, meta_tags: dict[str, str]) -> str | None:
    title = root.findtext(".//title")
    if not title:
        return None
    title = clean_value(title)
    site = meta_tags.get("sitename")
    column = meta_tags.get("columnname")
    parts = [p.strip() for p in re.split(r"\s+[-|_—]+\s+|\s*[|_]\s*|\s+-\s*|-\s+", title) if p.strip()]
    parts = [p for p in parts if p not in (site, column) and not (site and p in site)]
    if site and title.startswith(site):  # 江西省人民政府 工作动态 <title>
        rest = title[len(site):].strip()
        if column and rest.startswith(column):
            rest = rest[len(column):].strip()
        parts = [rest] if rest else parts
    best = max(parts, key=len) if parts else None
    return best if _plausible_title(best) else None


def own_doc_number(lines: list[str], title: str | None = None) -> str | None:
    """A document number set on a line of its own under the title (the page's own number), not
    one cited in a sentence of the body."""
    start = 0
    if title:
        bare = re.sub(r"\s", "", title)
        for i, line in enumerate(lines[:200]):
            if re.sub(r"\s", "", line) == bare:
                start = i + 1
                break
    for line in lines[start:start + 6]:
        m = _DOC_NUMBER.fullmatch(re.sub(r"[\s\u3000]", "", line))
        if m:
            return m.group(0)
    return None


def read_page_meta(root) -> PageMeta:
    """The document fields a page shows; `root` is an lxml tree of the page (or None)."""
    meta = PageMeta()
    if root is None:
        return meta
    tags = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").lower()
        if name and el.get("content") and name not in tags:
            tags[name] = clean_value(el.get("content"))
    text = page_lines(root)
    found: dict[str, str] = {}
    for m in _PAIR.finditer(text):
        field = _LABELS.get(re.sub(r"[\s\u3000\xa0]", "", m.group("label")))
        value = clean_value(m.group("value"))
        if field and value and field not in found and len(value) <= 120:
            found[field] = value
    for name, field in _META_TAGS.items():
        if tags.get(name) and field not in found:
            found[field] = tags[name]
    title = _title_from_elements(root)
    if not _plausible_title(title):
        title = found.get("title") if _plausible_title(found.get("title")) else None
    meta.title = title or (tags.get("articletitle") if _plausible_title(tags.get("articletitle")) else None) \
        or _title_from_head(root, tags)
    meta.publish_date = iso_date(found.get("publish_date")) or iso_date(tags.get("pubdate"))
    meta.written_date = iso_date(found.get("written_date"))
    number = found.get("doc_number")
    match = _DOC_NUMBER.search(re.sub(r"\s", "", number or ""))
    meta.doc_number = match.group(0) if match else (number if number and len(number) <= 40 else None)
    if not meta.doc_number:
        meta.doc_number = own_doc_number([ln.strip() for ln in text.split("\n") if ln.strip()], meta.title)
    meta.index_no = found.get("index_no")
    meta.publisher = found.get("publisher")
    meta.source = found.get("source") or tags.get("contentsource") or None
    meta.keywords = tags.get("keywords") or None
    meta.validity = found.get("validity")
    return meta
