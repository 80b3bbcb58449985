"""Build the sample portal's pages from the seed documents.

Each site imitates one portal platform of DESIGN.md under its own path prefix:
/luozhuang (VSB, UTF-8), /hedong (VSB, GBK), /linzi (Shandong intensive platform),
/qingdao (TRS WCM, list rows), /guanxian (TRS WCM, table rows), /jinxiang (Hanweb jcms: rows
in an XML datastore, paging through dataproxy.jsp) and /agg (an aggregator with many reports per
page), built from the shapes of real pages (tests/fixtures/realpages). Listings have
pagination, dates and unrelated articles; one report link is dead (404).
"""

from __future__ import annotations

import datetime
import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import quote

from crawlers.sample_portal.pdfgen import render_pdf

SEED_000 = "000_f500e5b407999fc5.txt"
SEED_001 = "001_9441ed748846e1ff.txt"
SEED_002 = "002_b4c204f295541e57.txt"
SEED_003 = "003_13d6f5878df11cb4.txt"
SEED_004 = "004_e9778d67e6610d54.txt"


@dataclass
class Resource:
    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Dynamic:
    """A resource computed from the request: an API the platform's page script calls
    (Hanweb's dataproxy.jsp answers POST startrecord/endrecord with XML records)."""
    respond: object  # (query: dict[str, str], form: dict[str, str]) -> Resource


def resolve(routes: dict, path: str, body: bytes = b"") -> Resource | None:
    """The resource for a request path (with its query) and body, static or dynamic."""
    from urllib.parse import parse_qsl

    found = routes.get(path)
    if isinstance(found, Resource):
        return found
    base, _, query = path.partition("?")
    dynamic = routes.get(base)
    if isinstance(dynamic, Dynamic):
        form = dict(parse_qsl(body.decode("utf-8", "replace"))) if body else {}
        return dynamic.respond(dict(parse_qsl(query)), form)
    if isinstance(dynamic, Resource):  # a static page ignores its query string, as web servers do
        return dynamic
    if base.endswith("/"):  # a directory: its index page, as web servers serve it
        for index in ("index.html", "index.shtml", "index.htm"):
            if isinstance(routes.get(base + index), Resource):
                return routes[base + index]
    return None


def seed_text(name: str) -> str:
    return resources.files("crawlers.sample_portal").joinpath("data", name).read_text("utf-8")


def aggregator_entries() -> list[dict]:
    """Split seed 001 into its reports: a '• 【X招商】...' title line, the body two lines
    below it, then the date line."""
    lines = seed_text(SEED_001).split("\n")
    entries = []
    for i, line in enumerate(lines):
        if line.strip().startswith("• 【"):
            entries.append({
                "title": line.strip().lstrip("•").strip(),
                "body": lines[i + 2].strip(),
                "date": lines[i + 4].strip(),
            })
    return entries


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraphs(text: str) -> str:
    """Seed text to <p> blocks; '**bold**' markers of the seed become <strong>."""
    out = []
    for para in text.split("\n"):
        para = para.strip()
        if not para:
            continue
        body = _esc(para)
        body = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", body)
        out.append(f"<p>{body}</p>")
    return "\n".join(out)


def _page(title: str, site_name: str, charset: str, nav: str, main: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}">
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{_esc(title)} - {_esc(site_name)}</title>
<script>var _hmt = _hmt || [];</script></head>
<body>
<div class="top-bar"><a href="#">无障碍浏览</a> <a href="#">长者模式</a> <a href="#">English</a></div>
<div class="header"><h1 class="site-name">{_esc(site_name)}</h1>
<ul class="nav">{nav}</ul></div>
{main}
<div class="footer"><p>主办单位：{_esc(site_name)}办公室 网站标识码：3713110001</p>
<p>鲁ICP备05001234号 鲁公网安备 37131102000123号</p><p>联系电话：0539-8201234</p></div>
</body></html>"""


def _listing(items: list[tuple[str, str, str]], pager: str, crumbs: str) -> str:
    rows = "\n".join(
        f'<li><a href="{href}" title="{_esc(t)}" target="_blank">{_esc(t)}</a><span class="date">{d}</span></li>'
        for t, href, d in items
    )
    return f"""<div class="location">您现在的位置：{crumbs}</div>
<div class="list-box"><ul class="list">
{rows}
</ul>
<div class="pagination">{pager}</div></div>"""


def _vsb_meta_table(meta: list[tuple[str, str]]) -> str:
    cells = []
    for i in range(0, len(meta), 2):
        pair = meta[i:i + 2]
        cells.append("<tr>" + "".join(f"<th>{_esc(k)}</th><td>{_esc(v)}</td>" for k, v in pair) + "</tr>")
    return '<table class="xxgk-table">' + "".join(cells) + "</table>"


SHARE = '<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>'


FAULT_NAMES = ("slow", "http500", "rate_limit", "truncated_pdf", "changed_listing", "waf", "redirect_loop",
               "oversize", "gbk", "silent", "offsite_redirect")


def build_site(faults: frozenset[str] | set[str] = frozenset()) -> dict[str, Resource]:
    """All pages of the portal for a set of fault switches (see server.FAULTS): switches that
    change content (a new report on a listing, GBK pages, extra links) are applied here,
    the ones that change how a page is served (5xx, 429, slow, WAF) in the server."""
    routes: dict[str, Resource] = {}
    gbk_everywhere = "gbk" in faults

    def add_html(path: str, text: str, charset: str = "utf-8") -> None:
        if gbk_everywhere and path.startswith(("/luozhuang/", "/agg/", "/lanshan/")):
            # served as GBK with the charset only in <meta> (罗庄) or nowhere (the aggregator)
            text = text.replace('charset="utf-8"', 'charset="gbk"').replace("charset=utf-8", "charset=gbk")
            if path.startswith("/agg/"):
                text = re.sub(r"<meta[^>]*charset[^>]*>", "", text)
            routes[path] = Resource(text.encode("gbk", errors="xmlcharrefreplace"), "text/html")
            return
        routes[path] = Resource(text.encode(charset, errors="xmlcharrefreplace"),
                                f"text/html; charset={charset}")

    routes["/robots.txt"] = Resource(
        b"User-agent: *\nDisallow: /luozhuang/system/admin/\nDisallow: /agg/member/\n"
        b"Crawl-delay: 0\n", "text/plain")

    _build_luozhuang(add_html, routes, faults)
    _build_hedong(add_html, routes)
    _build_linzi(add_html, routes, faults)
    _build_qingdao(add_html, faults)
    _build_aggregator(add_html, faults)
    _build_jinxiang(add_html, routes)
    _build_guanxian(add_html, routes)
    from crawlers.sample_portal.homes import build_homes

    build_homes(add_html, routes)
    return routes


PER_PAGE = 15
_FILLER = ["召开{m}月份安全生产工作会议", "开展{m}月份“双随机、一公开”检查", "{m}月份重点项目建设观摩活动举行",
           "召开{m}月份经济运行调度会", "举办{m}月份政务服务“开放日”活动", "{m}月份政府常务会议召开"]


def fillers(region: str, n: int, newest: str, oldest_year: int = 2017) -> list[tuple[str, str]]:
    """Unrelated news for a column: (title, date) from `newest` back about every 12 days."""
    import datetime as _dt

    day = _dt.date.fromisoformat(newest)
    out = []
    for i in range(n):
        if day.year < oldest_year:
            break
        out.append((f"{region}" + _FILLER[i % len(_FILLER)].format(m=day.month), day.isoformat()))
        day -= _dt.timedelta(days=12)
    return out


def paginate(rows: list[tuple[str, str, str]]) -> list[list[tuple[str, str, str]]]:
    """Newest first, PER_PAGE rows a page."""
    rows = sorted(rows, key=lambda r: r[2], reverse=True)
    return [rows[i:i + PER_PAGE] for i in range(0, len(rows), PER_PAGE)] or [[]]


def vsb_column(add_html, site: str, nav: str, crumbs: str, base: str, column: str,
               rows: list[tuple[str, str, str]], charset: str = "utf-8") -> None:
    """A VSB column: {base}/{column}.htm is the newest page, older pages are
    {base}/{column}/{k}.htm numbered down to 1 (the oldest), as VSB does. Row links are
    absolute paths."""
    pages = paginate(rows)
    total = len(pages)

    def path(i: int) -> str:  # i = 1 is the newest page
        return f"{base}/{column}.htm" if i == 1 else f"{base}/{column}/{total - i + 1}.htm"

    for i, chunk in enumerate(pages, start=1):
        nxt = f'<a href="{path(i + 1)}" class="Next">下页</a>' if i < total else "<span>下页</span>"
        prev = f'<a href="{path(i - 1)}">上页</a>' if i > 1 else "<span>上页</span>"
        pager = f"<span>共{total}页</span> <a href=\"{path(1)}\">首页</a> {prev} {nxt} <a href=\"{path(total)}\">尾页</a>"
        add_html(path(i), _page(crumbs.rsplit("&gt;", 1)[-1].strip(), site, charset, nav, _listing(chunk, pager, crumbs)), charset)


def _build_luozhuang(add_html, routes, faults) -> None:
    site, nav = "临沂市罗庄区人民政府", '<li><a href="/luozhuang/index.htm">首页</a></li><li><a href="/luozhuang/zfxxgk/zfgzbg.htm">政府工作报告</a></li><li><a href="/luozhuang/zfgw/lzbz.htm">政府公文</a></li>'
    crumbs = '<a href="/luozhuang/index.htm">首页</a> &gt; <a href="#">政府信息公开</a> &gt; 政府工作报告'
    rows = [
        ("罗庄区2020年国民经济和社会发展统计公报", "/luozhuang/info/1021/3320.htm", "2021-03-15"),
        ("图解：2021年罗庄区政府工作报告", "/luozhuang/info/1021/3316.htm", "2021-02-21"),
        ("2021年罗庄区政府工作报告", "/luozhuang/info/1021/3315.htm", "2021-02-20"),
        ("2020年罗庄区政府工作报告", "/luozhuang/info/1021/2890.htm", "2020-01-16"),  # dead link (404)
        ("罗庄区召开2019年政府工作报告征求意见座谈会", "/luozhuang/info/1021/2101.htm", "2019-01-05"),
    ]
    rows += [(t, f"/luozhuang/info/1021/{4000 + i}.htm", d) for i, (t, d) in enumerate(fillers("罗庄区", 140, "2021-04-10"))]
    if "silent" in faults:  # the column was moved: the listing comes back empty
        rows = []
    vsb_column(add_html, site, nav, crumbs, "/luozhuang/zfxxgk", "zfgzbg", rows)
    for path, title in (("/luozhuang/info/1021/3320.htm", "罗庄区2020年国民经济和社会发展统计公报"),
                        ("/luozhuang/info/1021/3316.htm", "图解：2021年罗庄区政府工作报告"),
                        ("/luozhuang/info/1021/2101.htm", "罗庄区召开2019年政府工作报告征求意见座谈会")):
        add_html(path, _page(title, site, "utf-8", nav, f'<div class="article"><h2 class="title">{_esc(title)}</h2><div class="v_news_content"><p>（略）</p></div></div>'))

    report = seed_text(SEED_000)
    pdf_path = "/luozhuang/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1635741212&wbfileid=5521187"
    routes[pdf_path] = Resource(render_pdf(report.replace("**", ""), "罗庄区第十九届人民代表大会第六次会议文件"),
                                "application/pdf",
                                headers={"Content-Disposition": 'attachment; filename="2021zfgzbg.pdf"'})
    meta = [("索引号", "luozhuangqulz201/2021-0000031"), ("公开方式", "主动公开"),
            ("信息名称", "2021年罗庄区政府工作报告"), ("成文日期", "2021-02-08"),
            ("公开日期", "2021-02-20"), ("发布机构", "罗庄区人民政府办公室"),
            ("文号", ""), ("有效性", "有效中")]
    body = f"""<div class="location">您现在的位置: <a href="/luozhuang/index.htm">首页</a> &gt; 政府工作报告 &gt; 正文</div>
{_vsb_meta_table(meta)}
<form name="_newscontent_fromname"><div class="article"><h2 class="title">2021年罗庄区政府工作报告</h2>
<div class="v_news_content"><p style="text-align:center">——2021年2月8日在罗庄区第十九届人民代表大会第六次会议上</p>
<p>政府工作报告全文请见附件。</p></div>
<div class="attach">附件【<a href="{_esc(pdf_path)}">2021年罗庄区政府工作报告.pdf</a>】已下载<span>次</span></div>
<div class="download"><a href="{_esc(pdf_path)}">下载PDF</a></div></div></form>{SHARE}"""
    add_html("/luozhuang/info/1021/3315.htm", _page("2021年罗庄区政府工作报告", site, "utf-8", nav, body))

    # 政府公文 column with the policy notice (seed 003) and its metadata table.
    gw_crumbs = '<a href="/luozhuang/index.htm">首页</a> &gt; 政府公文 &gt; 罗政办字'
    gw_rows = [
        ("媒体解读:罗庄区深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务", "/luozhuang/info/1091/5103.htm", "2023-09-13"),
        ("罗庄区人民政府办公室关于印发罗庄区深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务的通知", "/luozhuang/info/1091/5102.htm", "2023-09-12"),
    ]
    gw_rows += [(f"罗庄区{t[3:]}情况公示", f"/luozhuang/info/1091/{6000 + i}.htm", d)
                for i, (t, d) in enumerate(fillers("罗庄区", 140, "2023-09-01"))]
    if "changed_listing" in faults:  # a new notice is published
        gw_rows.append((NEW_NOTICE_TITLE, "/luozhuang/info/1091/5210.htm", "2024-03-05"))
        add_html("/luozhuang/info/1091/5210.htm", _page(NEW_NOTICE_TITLE, site, "utf-8", nav, f"""
{_vsb_meta_table([("索引号", "luozhuangqulz201/2024-0000031"), ("信息名称", NEW_NOTICE_TITLE), ("成文日期", "2024-03-04"),
                  ("公开日期", "2024-03-05"), ("发布机构", "罗庄区政府办公室"), ("文号", "罗政办字〔2024〕6号")])}
<div class="article"><h2 class="title">{_esc(NEW_NOTICE_TITLE)}</h2><div class="v_news_content">{_paragraphs(NEW_NOTICE_BODY)}</div></div>"""))
    vsb_column(add_html, site, nav, gw_crumbs, "/luozhuang/zfgw", "lzbz", gw_rows)
    add_html("/luozhuang/info/1091/5103.htm", _page("媒体解读", site, "utf-8", nav, '<div class="article"><h2 class="title">媒体解读:罗庄区深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务</h2><div class="v_news_content"><p>（略）</p></div></div>'))
    notice = seed_text(SEED_003)
    lines = notice.split("\n")
    head = {}
    keys = ("索引号", "公开方式", "信息名称", "成文日期", "公开日期", "发布机构", "文号", "有效性")
    key_re = "|".join(r"\s*".join(k) for k in keys)
    for line in lines[2:6]:
        line = line.replace("\xa0", " ")
        for key, value in re.findall(rf"({key_re})\s+(.+?)(?=\s+(?:{key_re})\s|\s*$)", line):
            head[re.sub(r"\s", "", key)] = value.strip()
    start = next(i for i, line in enumerate(lines) if i > 5 and line.strip() == head.get("信息名称", "").strip())
    end = next(i for i, line in enumerate(lines) if line.startswith("媒体解读"))
    notice_body = "\n".join(lines[start + 1:end])
    meta = [(k, head.get(k, "")) for k in ("索引号", "公开方式", "信息名称", "成文日期", "公开日期", "发布机构", "文号", "有效性")]
    docx_path = "/luozhuang/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1635741212&wbfileid=6630021"
    routes[docx_path] = Resource(_docx(head.get("信息名称", ""), notice_body),
                                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    body = f"""<div class="location">您现在的位置: <a href="/luozhuang/index.htm">首页</a> &gt; 政府公文 &gt; 罗政办字 &gt; 正文</div>
{_vsb_meta_table(meta)}
<form name="_newscontent_fromname"><div class="article"><h2 class="title">{_esc(head.get("信息名称", ""))}</h2>
<div class="v_news_content">{_paragraphs(notice_body)}</div>
<div class="download"><a href="{_esc(docx_path)}">下载Word</a></div></div></form>
<div class="related"><a href="../1091/5103.htm">媒体解读:罗庄区深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务</a></div>{SHARE}
<div class="close"><a href="javascript:window.close()">关闭窗口</a></div>"""
    add_html("/luozhuang/info/1091/5102.htm", _page(head.get("信息名称", ""), site, "utf-8", nav, body))


NEW_NOTICE_TITLE = "罗庄区人民政府办公室关于印发罗庄区2024年优化营商环境重点任务的通知"
NEW_NOTICE_BODY = """罗政办字〔2024〕6号
各街镇,区政府各部门:
现将《罗庄区2024年优化营商环境重点任务》印发给你们,请认真贯彻落实。
一、提升政务服务效能
1.推进“高效办成一件事”。2024年新增“一件事”集成服务15项以上。(牵头单位:区行政审批服务局)
2.压减企业开办时间。企业开办时间压减至0.5个工作日以内。(牵头单位:区行政审批服务局、区市场监管局)
二、强化要素保障
3.保障项目用地。全年供应工业用地3000亩以上。(牵头单位:区自然资源局)"""


def _docx(title: str, body: str) -> bytes:
    import docx

    document = docx.Document()
    fixed = datetime.datetime(2023, 9, 12, 9, 0, 0)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.add_heading(title, level=1)
    for para in body.split("\n"):
        if para.strip():
            document.add_paragraph(para.strip())
    buf = io.BytesIO()
    document.save(buf)
    # Rewrite the zip with fixed member dates so the bytes (and sha256) never change.
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2023, 9, 12, 9, 0, 0)), src.read(info))
    return out.getvalue()


def _build_hedong(add_html, routes) -> None:
    site = "临沂市河东区人民政府"
    nav = '<li><a href="/hedong/index.htm">首页</a></li><li><a href="/hedong/zwgk/zfgzbg.htm">政府工作报告</a></li>'
    crumbs = '<a href="/hedong/index.htm">首页</a> &gt; 政务公开 &gt; 政府工作报告'
    rows = [
        ("河东区2022年政府工作报告重点任务完成情况", "/hedong/info/1331/20301.htm", "2023-02-10"),
        ("2023年河东区政府工作报告", "/hedong/info/1331/20230.htm", "2023-01-16"),
        ("河东区召开全区安全生产工作会议", "/hedong/info/1331/20102.htm", "2023-01-05"),
    ]
    rows += [(t, f"/hedong/info/1331/{30000 + i}.htm", d) for i, (t, d) in enumerate(fillers("河东区", 140, "2023-03-30"))]
    vsb_column(add_html, site, nav, crumbs, "/hedong/zwgk", "zfgzbg", rows, "gbk")
    for path, title in (("/hedong/info/1331/20301.htm", "河东区2022年政府工作报告重点任务完成情况"),
                        ("/hedong/info/1331/20102.htm", "河东区召开全区安全生产工作会议")):
        add_html(path, _page(title, site, "gbk", nav, f'<div class="article"><h2 class="title">{_esc(title)}</h2><div class="v_news_content"><p>（略）</p></div></div>'), "gbk")
    report = seed_text(SEED_002)
    pdf_path = "/hedong/__local/A/3C/5F/D1E8F0A2B3C4D5E6F7A8B9C0D1E_1A2B3C4D_9F1E2.pdf"
    routes[pdf_path] = Resource(render_pdf(report.replace("**", ""), "河东区第二十届人民代表大会第二次会议文件"), "application/pdf")
    meta = [("索引号", "hedongqu/2023-0000012"), ("公开方式", "主动公开"), ("信息名称", "2023年河东区政府工作报告"),
            ("成文日期", "2023-01-10"), ("公开日期", "2023-01-16"), ("发布机构", "河东区人民政府办公室"),
            ("文号", ""), ("有效性", "有效中")]
    body = f"""<div class="location">您现在的位置: <a href="/hedong/index.htm">首页</a> &gt; 政府工作报告 &gt; 正文</div>
{_vsb_meta_table(meta)}
<div class="article"><h2 class="title">2023年河东区政府工作报告</h2>
<div class="v_news_content"><p>2023年河东区政府工作报告（附件）</p></div>
<ul class="attachments"><li>附件：<a href="{pdf_path}">政府工作报告.pdf</a></li></ul></div>{SHARE}"""
    add_html("/hedong/info/1331/20230.htm", _page("2023年河东区政府工作报告", site, "gbk", nav, body), "gbk")


LINZI_CHANNEL = "/linzi/gongkai/site_lzqzf/channel_8a5d8e7f6b1c4d3e9f0a1b2c"
LINZI_DOC = f"{LINZI_CHANNEL}/doc_5ff3a2b1c0d9e8f7a6b5c4d3.html"
OVERSIZE_PATH = "/linzi/gongkai/site_lzqzf/att/2021zfgzbg_tujie.pdf"
OVERSIZE_BYTES = 24 * 1024 * 1024


def _build_linzi(add_html, routes, faults) -> None:
    site = "淄博市临淄区人民政府"
    nav = '<li><a href="/linzi/">首页</a></li><li><a href="/linzi/gongkai/">政府信息公开</a></li>'
    crumbs = '首页 &gt; 政府信息公开 &gt; 法定主动公开内容 &gt; 政府工作报告'
    rows = [
        ("临淄区2020年法治政府建设情况报告", f"{LINZI_CHANNEL}/doc_600a1b2c3d4e5f6a7b8c9d0e.html", "2021-02-01"),
        ("2021年临淄区政府工作报告", LINZI_DOC, "2021-01-20"),
        ("临淄区召开2020年第四季度经济运行分析会", f"{LINZI_CHANNEL}/doc_5fc1a2b3c4d5e6f7a8b9c0d1.html", "2020-11-30"),
    ]
    rows += [(t, f"{LINZI_CHANNEL}/doc_{0x5f0000000000000000000000 + i:024x}.html", d)
             for i, (t, d) in enumerate(fillers("临淄区", 140, "2021-03-30"))]
    pages = paginate(rows)

    def path(i: int) -> str:  # the platform's page URLs carry a timestamp
        return f"{LINZI_CHANNEL}/" if i == 1 else f"{LINZI_CHANNEL}_n_{1606752000 - 86400 * i}/"

    for i, chunk in enumerate(pages, start=1):
        pager = (f'<a href="{path(i - 1)}">上一页</a> ' if i > 1 else "") + (f'<a href="{path(i + 1)}">下一页</a>' if i < len(pages) else "")
        add_html(path(i), _page("政府工作报告", site, "utf-8", nav, _listing(chunk, pager, crumbs)))
    for path_, title in ((f"{LINZI_CHANNEL}/doc_600a1b2c3d4e5f6a7b8c9d0e.html", "临淄区2020年法治政府建设情况报告"),
                         (f"{LINZI_CHANNEL}/doc_5fc1a2b3c4d5e6f7a8b9c0d1.html", "临淄区召开2020年第四季度经济运行分析会")):
        add_html(path_, _page(title, site, "utf-8", nav, f'<div class="detail"><h1>{_esc(title)}</h1><div class="content"><p>（略）</p></div></div>'))
    extra = ""
    if "oversize" in faults:  # an attachment far over the download cap
        extra = f'<ul class="attachments"><li>附件：<a href="{OVERSIZE_PATH}">2021年政府工作报告图解.pdf</a></li></ul>'
        routes[OVERSIZE_PATH] = Resource(b"", "application/pdf", headers={"X-Stream-Bytes": str(OVERSIZE_BYTES)})
    body = f"""<div class="crumbs">{crumbs} &gt; 正文</div>
<table class="gk-info"><tr><td class="k">标题：</td><td colspan="3">2021年临淄区政府工作报告</td></tr>
<tr><td class="k">索引号：</td><td>11370305004190345X/2021-4800123</td><td class="k">文号：</td><td></td></tr>
<tr><td class="k">发文日期：</td><td>2021-01-20</td><td class="k">发布机构：</td><td>临淄区人民政府办公室</td></tr></table>
<div class="detail"><h1 class="detail-title">2021年临淄区政府工作报告</h1>
<div class="detail-content" id="zoom">{_paragraphs(seed_text(SEED_004))}</div>{extra}</div>{SHARE}
<div class="print"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>"""
    add_html(LINZI_DOC, _page("2021年临淄区政府工作报告", site, "utf-8", nav, body))


QINGDAO_COLUMN = "/qingdao/zwgk/zdgk/ghjh/zfgzbg/"
REDIRECT_LOOP_PATH = f"{QINGDAO_COLUMN}202001/t20200110_2400001.shtml"


def _split_inline(body: str) -> str:
    """The aggregator body is one line; give the TRS copy paragraphs at its runs of spaces."""
    return "\n".join(p for p in re.split(r"[\s\xa0\u2002\u3000]{2,}", body) if p.strip())


def _build_qingdao(add_html, faults) -> None:
    site = "青岛市人民政府"
    nav = '<li><a href="/qingdao/">首页</a></li><li><a href="/qingdao/zwgk/">政务公开</a></li>'
    crumbs = '<a href="/qingdao/">首页</a> &gt; 政务公开 &gt; 规划计划 &gt; 政府工作报告'
    rows = [
        ("青岛市2021年政府工作报告新闻发布会", "./202101/t20210119_2795700.shtml", "2021-01-19"),
        ("2021年青岛市政府工作报告", "./202101/t20210118_2795630.shtml", "2021-01-18"),
        ("关于青岛市2020年国民经济和社会发展计划执行情况与2021年计划草案的报告", "./202101/t20210125_2801234.shtml", "2021-01-25"),
    ]
    if "redirect_loop" in faults:  # a report link whose page redirects to itself forever
        rows.append(("2020年青岛市政府工作报告", "./" + REDIRECT_LOOP_PATH[len(QINGDAO_COLUMN):], "2020-01-10"))
    rows += [(t, f"./{d[:4]}{d[5:7]}/t{d.replace('-', '')}_{2600000 + i}.shtml", d)
             for i, (t, d) in enumerate(fillers("青岛市", 140, "2021-03-30"))]
    pages = paginate(rows)
    for i, chunk in enumerate(pages):
        pager = f'<script type="text/javascript">createPageHTML({len(pages)}, {i}, "index", "shtml");</script>'
        name = "index.shtml" if i == 0 else f"index_{i}.shtml"
        add_html(f"{QINGDAO_COLUMN}{name}", _page("政府工作报告", site, "utf-8", nav, _listing(chunk, pager, crumbs)))
    for path, title in ((f"{QINGDAO_COLUMN}202101/t20210119_2795700.shtml", "青岛市2021年政府工作报告新闻发布会"),
                        (f"{QINGDAO_COLUMN}202101/t20210125_2801234.shtml", "关于青岛市2020年国民经济和社会发展计划执行情况与2021年计划草案的报告")):
        add_html(path, _page(title, site, "utf-8", nav, f'<div class="article"><h1>{_esc(title)}</h1><div class="TRS_Editor"><p>（略）</p></div></div>'))
    first = aggregator_entries()[0]
    body = f"""<div class="crumbs">{crumbs}</div>
<div class="article"><h1 class="article-title">2021年青岛市政府工作报告</h1>
<div class="article-info">发布日期：2021-01-18 &nbsp; 来源：青岛市人民政府办公厅 &nbsp; 【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class="article-content"><div class="TRS_Editor">{_paragraphs(_split_inline(first["body"]))}</div></div></div>{SHARE}"""
    add_html(f"{QINGDAO_COLUMN}202101/t20210118_2795630.shtml", _page("2021年青岛市政府工作报告", site, "utf-8", nav, body))


AGG_PER_PAGE = 3
AGG_UNRELATED = [
    {"title": "【青岛招商】青岛市2021年招商引资优惠政策汇编", "body": "青岛市围绕先进制造业、现代服务业出台了一系列招商引资优惠政策，详情请咨询招商中心。", "date": "2025-07-08"},
    {"title": "【临沂招商】临沂市工业用地招商信息", "body": "临沂市多个园区有工业用地可供出让，欢迎咨询。", "date": "2025-07-08"},
]


def _build_aggregator(add_html, faults) -> None:
    site = "产业园区网"
    nav = '<li><a href="/agg/">首页</a></li><li><a href="/agg/info/1009/page/1">政府工作报告</a></li><li><a href="/agg/member/login">会员登录</a></li>'
    entries = aggregator_entries()
    entries = entries[:2] + [AGG_UNRELATED[0]] + entries[2:7] + [AGG_UNRELATED[1]] + entries[7:]
    entries += [{"title": f"【{t[:3]}招商】{t}", "body": "详情请咨询招商中心。", "date": d}
                for t, d in fillers("临沂市", 48, "2025-07-07", oldest_year=2024)]
    pages = [entries[i:i + AGG_PER_PAGE] for i in range(0, len(entries), AGG_PER_PAGE)]
    for n, chunk in enumerate(pages, start=1):
        items = []
        for entry in chunk:
            nid = 10000 + int(hashlib.sha1(entry["title"].encode()).hexdigest()[:6], 16) % 90000  # stable article id
            items.append(f"""<div class="news-item" id="n{nid}">
<h3>• <a href="/agg/news/{nid}.html">{_esc(entry["title"])}</a></h3>
<div class="news-body">    {_esc(entry["body"])}</div>
<span class="news-date">    {entry["date"]}</span></div>""")
        links = " ".join(f'<a href="/agg/info/1009/page/{i}">{i}</a>' if i != n else f"<b>{i}</b>"
                         for i in range(max(1, n - 3), min(len(pages), n + 3) + 1))
        nxt = f' <a href="/agg/info/1009/page/{n + 1}" class="next">下一页</a>' if n < len(pages) else ""
        main = f"""<div class="news-list">{''.join(items)}</div>
<div class="tougao">有想补充的信息?点我投稿</div>
<div class="pages">{links}{nxt} <span>共 {len(pages)} 页</span></div>
<div class="side"><p>招商中心</p><p>400-162-2002</p><ul><li>联系我们</li><li>企业入驻</li></ul></div>"""
        add_html(f"/agg/info/1009/page/{n}", _page("政府工作报告", site, "utf-8", nav, main))


# --- Hanweb jcms (金乡县): rows as XML records in the column page, more from dataproxy.jsp -----------

JINXIANG_COLUMN = "/jinxiang/col/col3321/index.html"
JINXIANG_PROXY = "/jinxiang/module/web/jpage/dataproxy.jsp"
JINXIANG_ARTICLE = "/jinxiang/art/2021/1/25/art_3321_2950012.html"
HANWEB_PER_PAGE = 15


def _hanweb_record(title: str, href: str, date: str) -> str:
    return (f'<record><![CDATA[<li><a href="{href}" target="_blank" title="{_esc(title)}">{_esc(title)}</a>'
            f'<span class="bt-data-time">{date}</span></li>]]></record>')


def _build_jinxiang(add_html, routes) -> None:
    site = "金乡县人民政府"
    nav = ('<li><a href="/jinxiang/index.html">首页</a></li><li><a href="/jinxiang/col/col3301/index.html">政务公开</a></li>'
           f'<li><a href="{JINXIANG_COLUMN}">政府工作报告</a></li>')
    entry = next(e for e in aggregator_entries() if "金乡县" in e["title"])
    rows = [("2021年金乡县政府工作报告", JINXIANG_ARTICLE, "2021-01-25"),
            ("金乡县2020年政府工作报告解读", "/jinxiang/art/2021/1/26/art_3321_2950013.html", "2021-01-26")]
    rows += [(t, f"/jinxiang/art/{d[:4]}/{int(d[5:7])}/{int(d[8:])}/art_3321_{2940000 + i}.html", d)
             for i, (t, d) in enumerate(fillers("金乡县", 70, "2021-04-20"))]
    rows.sort(key=lambda r: r[2], reverse=True)
    records = [_hanweb_record(*r) for r in rows]
    query = "page=1&webid=42&path=/&columnid=3321&unitid=18801&webname=%E9%87%91%E4%B9%A1%E5%8E%BF&permissiontype=0"
    store = (f'<div id="18801"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{JINXIANG_PROXY}?{query}"></a>]]>'
             f'</nextgroup><recordset>{"".join(records[:HANWEB_PER_PAGE])}</recordset></datastore></script></div>'
             f'<script type="text/javascript">$(function(){{$("#18801").jpage({{dataStore: dataStore, perPage:{HANWEB_PER_PAGE},'
             f' totalRecord:{len(records)}, proxyUrl:"{JINXIANG_PROXY}", groupSize:3}});}});</script>')
    main = f'<div class="bt-position">当前位置：首页 &gt; 政务公开 &gt; 政府工作报告</div><div class="bt-list">{store}</div>'
    add_html(JINXIANG_COLUMN, _page("政府工作报告", site, "utf-8", nav, main).replace(
        "<title>", '<meta name="SiteName" content="金乡县人民政府"><meta name="ColumnName" content="政府工作报告"><title>', 1))

    def proxy(query: dict, form: dict) -> Resource:
        start, end = int(query.get("startrecord", 1)), int(query.get("endrecord", HANWEB_PER_PAGE))
        if form.get("columnid") != "3321":
            return Resource(b"<datastore><totalrecord>0</totalrecord><recordset></recordset></datastore>", "text/xml")
        chunk = records[max(start - 1, 0):end]
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(records)}</totalrecord>'
               f'<totalpage>{-(-len(records) // HANWEB_PER_PAGE)}</totalpage><recordset>{"".join(chunk)}</recordset></datastore>')
        return Resource(xml.encode("utf-8"), "text/xml; charset=UTF-8")

    routes[JINXIANG_PROXY] = Dynamic(proxy)
    for title, href, date in rows:
        if href == JINXIANG_ARTICLE:
            continue
        add_html(href, _hanweb_article(site, nav, title, date, f"<p>{_esc(title)}（略）</p>", index_no=None))
    body = _paragraphs(_split_inline(entry["body"])) + _hanweb_attachments(routes)
    add_html(JINXIANG_ARTICLE, _hanweb_article(site, nav, "2021年金乡县政府工作报告", "2021-01-25", body,
                                               index_no="11370828004325871F/2021-00012"))


JINXIANG_DOWNLOAD = "/jinxiang/module/download/downfile.jsp"


def _hanweb_attachments(routes) -> str:
    """Hanweb serves attachments from downfile.jsp as application/octet-stream: only the
    filename parameter and Content-Disposition (RFC 5987, the name is Chinese) say what they are."""
    files = [("2101251030.xlsx", "2021年金乡县主要经济指标.xlsx", _xlsx([("指标", "增长"), ("地区生产总值", "6%以上")])),
             ("2101251031.zip", "2021年政府工作报告图解.zip", _zip({"图解说明.txt": "2021年金乡县政府工作报告图解"}))]
    links = []
    for stored, name, data in files:
        href = f"{JINXIANG_DOWNLOAD}?classid=0&filename={stored}"
        routes[href] = Resource(data, "application/octet-stream",
                                headers={"Content-Disposition": f"attachment; filename={stored}; filename*=UTF-8''{quote(name)}"})
        links.append(f'<p>附件：<a href="{_esc(href)}" target="_blank">{_esc(name)}</a></p>')
    return "".join(links)


_ZIP_TIME = (2021, 1, 25, 9, 0, 0)  # fixed, so the bytes (and their sha256) never change


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(zipfile.ZipInfo(name, _ZIP_TIME), text.encode("utf-8"))
    return buf.getvalue()


def _xlsx(rows: list[tuple[str, ...]]) -> bytes:
    """The smallest workbook spreadsheet programs open: one sheet of inline strings."""
    cells = "".join("<row>" + "".join(f'<c t="inlineStr"><is><t>{_esc(v)}</t></is></c>' for v in row) + "</row>"
                    for row in rows)
    ns = "http://schemas.openxmlformats.org"
    return _zip({
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>',
    })


def _hanweb_article(site: str, nav: str, title: str, date: str, body: str, index_no: str | None) -> str:
    """An article as Hanweb jcms renders it: a 索引号 block whose cells hold label and value
    together, the title and the body between template comments."""
    block = ""
    if index_no:
        block = f"""<div class="screen xxgkTitle"><table border='0' width='99%'><tr>
<td><b><span>索  引  号: </span></b>{index_no}</td><td><b> 发文机关: </b> 金乡县人民政府办公室</td><td><b>文      号:</b> </td></tr>
<tr><td><b>主题分类: </b> 综合政务</td><td><b>组配分类: </b> 政府工作报告</td><td><b>成文日期: </b> {date}          </td></tr></table></div>"""
    main = f"""<!--当前位置开始--><div class="bt-position">当前位置：首页 &gt; 政府工作报告</div><!--当前位置结束-->
<!--文章正文开始-->{block}
<div class="bt-article-02"><p class="sp_title con-title"> <!--<$[标题]>begin-->{_esc(title)}<!--<$[标题]>end--></p>
<div id="zoom"><!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta name="ContentStart">{body}<meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end--></div></div>"""
    head = (f'<meta name="SiteName" content="{site}"><meta name="ColumnName" content="政府工作报告">'
            f'<meta name="ArticleTitle" content="{_esc(title)}"><meta name="PubDate" content="{date} 09:30">'
            '<meta name="ContentSource" content="金乡县人民政府办公室">')
    return _page(title, site, "utf-8", nav, main).replace("<title>", head + "<title>", 1)


# --- TRS WCM with table rows (冠县) ---------------------------------------------------------------

GUANXIAN_COLUMN = "/guanxian/zwgk/zfgzbg/"
GUANXIAN_ARTICLE = f"{GUANXIAN_COLUMN}202101/t20210125_4512.shtml"


def _build_guanxian(add_html, routes) -> None:
    site = "冠县人民政府"
    nav = '<li><a href="/guanxian/index.shtml">首页</a></li><li><a href="/guanxian/zwgk/">政务公开</a></li>'
    rows = [("2021年冠县政府工作报告", "./202101/t20210125_4512.shtml", "2021-01-25"),
            ("冠县2021年政府工作报告新闻发布会", "./202101/t20210126_4513.shtml", "2021-01-26")]
    rows += [(t, f"./{d[:4]}{d[5:7]}/t{d.replace('-', '')}_{3000 + i}.shtml", d)
             for i, (t, d) in enumerate(fillers("冠县", 60, "2021-04-10"))]
    pages = paginate(rows)
    for i, chunk in enumerate(pages):
        table = "".join(f'<tr><td class="bt"><a href="{href}" target="_blank" title="{_esc(t)}">{_esc(t)}</a></td>'
                        f'<td class="rq">{d}</td></tr>' for t, href, d in chunk)
        main = (f'<div class="crumbs">首页 &gt; 政务公开 &gt; 政府工作报告</div><table class="list-table">{table}</table>'
                f'<div class="page"><script>createPageHTML({len(pages)}, {i}, "index", "shtml");</script></div>')
        add_html(f"{GUANXIAN_COLUMN}{'index' if i == 0 else f'index_{i}'}.shtml", _page("政府工作报告", site, "utf-8", nav, main))
    for title, href, _date in rows[1:]:
        add_html(GUANXIAN_COLUMN + href[2:], _page(title, site, "utf-8", nav,
                 f'<div class="article"><h1>{_esc(title)}</h1><div class="TRS_Editor"><p>（略）</p></div></div>'))
    head = ('<meta name="SiteName" content="冠县人民政府"><meta name="ColumnName" content="政府工作报告">'
            '<meta name="ArticleTitle" content="2021年冠县政府工作报告"><meta name="PubDate" content="2021-01-25 16:20">'
            '<meta name="ContentSource" content="冠县人民政府办公室">')
    # the report itself is the Word 97 attachment (TRS names uploads P0…); the page is a stub
    doc_name = "P020210125561230984712.doc"
    routes[GUANXIAN_COLUMN + "202101/" + doc_name] = Resource(
        resources.files("crawlers.sample_portal").joinpath("files", "guanxian-2021-zfgzbg.doc").read_bytes(),
        "application/msword")
    main = f"""<div class="crumbs">首页 &gt; 政务公开 &gt; 政府工作报告</div>
<div class="detail-article-title"><h2>2021年冠县政府工作报告</h2></div>
<ul class="detail-article-infos"><li><span><i>时间：</i>2021-01-25 16:20</span><span><i>来源：</i>冠县人民政府办公室</span></li></ul>
<div class="view TRS_UEDITOR trs_paper_default trs_web"><div class="TRS_Editor"><p>2021年1月22日在冠县第十七届人民代表大会第五次会议上，全文见附件。</p></div></div>
<div class="fujian">附件：<a href="./{doc_name}" OLDSRC="/protect/P0202101/P020210125/{doc_name}">2021年冠县政府工作报告.doc</a></div>"""
    add_html(GUANXIAN_ARTICLE, _page("2021年冠县政府工作报告 - 冠县人民政府", site, "utf-8", nav, main).replace(
        "<title>", head + "<title>", 1))
