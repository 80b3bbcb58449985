"""Home pages of the sample portal's sites, one per platform, in the shapes real portals of that
platform have (script and stylesheet paths, CMS comments and tags, URL shapes), and the
政府信息公开 pages some of them hide their columns behind. `govreports discover` reads these
the way it reads a real region's home page; each site is reached by a different path:

- 罗庄区 (VSB): home -> 政府信息公开 -> 政府工作报告 and 政府公文 columns
- 河东区 (VSB, GBK): home links 政府工作报告 directly
- 临淄区 (Shandong 集约化): home -> 政府信息公开 -> 法定主动公开内容 -> channel
- 青岛市 (TRS): home -> 政务公开 -> 政府工作报告
- 金乡县 (Hanweb jcms): no column link anywhere; the home page links the 2021 report, whose
  URL (art_3321_…) names its column (col3321)
- 冠县 (TRS, table rows): home links 政府工作报告 directly
- 兰山区 (Jiangxi-style UCAP 集约化): home -> 政府信息公开 -> 政府工作报告; this site has no
  hand-written registry entry at all: discovery is the only way it is crawled

Plus a region whose home page says nothing we know (no platform, no column): it must end
as `failing`, with the reason, not as a guessed entry."""

from __future__ import annotations

import hashlib

# GB/T 2260 code -> home page path on the sample portal (crawlers/regions.py: sample_regions)
HOME_PAGES = {
    "371311": "/luozhuang/index.htm",
    "371312": "/hedong/index.htm",
    "370305": "/linzi/",
    "370200": "/qingdao/",
    "370828": "/jinxiang/index.html",
    "371525": "/guanxian/index.shtml",
    "371302": "/lanshan/index.shtml",
    "371321": "/yinan/index.html",  # 沂南县: an unknown CMS and no column: must fail, with the reason
}

LANSHAN_COLUMN = "/lanshan/lszf/zfgzbg/"


def _hex(seed: str, n: int = 32) -> str:
    return hashlib.md5(seed.encode("utf-8")).hexdigest()[:n]


def _home(title: str, charset: str, head: str, nav: str, main: str, foot: str = "") -> str:
    from crawlers.sample_portal.site import _esc

    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}">
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="SiteName" content="{_esc(title)}"><meta name="SiteIDCode" content="3713000001">
<title>{_esc(title)}</title>{head}</head>
<body><div class="top-bar"><a href="#">无障碍浏览</a> <a href="#">长者模式</a> <a href="#">English</a></div>
<div class="header"><h1 class="site-name">{_esc(title)}</h1><ul class="nav">{nav}</ul></div>
<div class="main">{main}</div>
<div class="footer"><p>主办：{_esc(title)}办公室</p><a href="http://bszs.conac.cn/sitename?method=show&amp;id=1">党政机关</a>
<a href="https://www.gov.cn/">中国政府网</a>{foot}</div></body></html>"""


def _news(items: list[tuple[str, str]]) -> str:
    from crawlers.sample_portal.site import _esc

    return '<ul class="news">' + "".join(f'<li><a href="{h}" target="_blank">{_esc(t)}</a></li>' for t, h in items) + "</ul>"


def build_homes(add_html, routes) -> None:
    _vsb(add_html)
    _sdjy(add_html)
    _trs(add_html)
    _hanweb(add_html)
    _lanshan(add_html)
    _unknown(add_html)


def _vsb(add_html) -> None:
    head = ('<link rel="stylesheet" href="{0}/_sitegray/_sitegray_d.css" type="text/css">'
            '<script language="javascript" src="{0}/_sitegray/_sitegray.js"></script>'
            '<script type="text/javascript" src="/system/resource/js/counter.js"></script>'
            '<script type="text/javascript" src="/system/resource/js/dynclicks.js"></script>')
    nav = ('<li><a href="/luozhuang/index.htm">首页</a></li><li><a href="/luozhuang/zjlz.htm">走进罗庄</a></li>'
           '<li><a href="/luozhuang/zfxxgk.htm">政府信息公开</a></li><li><a href="/luozhuang/hdjl.htm">互动交流</a></li>')
    news = _news([("图解：2021年罗庄区政府工作报告", "info/1021/3316.htm"),
                  ("罗庄区2020年国民经济和社会发展统计公报", "info/1021/3320.htm"),
                  ("罗庄区召开2019年政府工作报告征求意见座谈会", "info/1021/2101.htm")])
    add_html("/luozhuang/index.htm", _home("临沂市罗庄区人民政府", "utf-8", head.format("/luozhuang"), nav, news))
    gk = ('<div class="gk-nav"><ul><li><a href="zfxxgk/xxgkzn.htm">政府信息公开指南</a></li>'
          '<li><a href="zfxxgk/zfgzbg.htm">政府工作报告</a></li><li><a href="zfgw/lzbz.htm">政府公文</a></li>'
          '<li><a href="zfxxgk/ysqgk.htm">依申请公开</a></li><li><a href="zfxxgk/ndbg.htm">政府信息公开年度报告</a></li></ul></div>')
    add_html("/luozhuang/zfxxgk.htm", _home("政府信息公开 - 临沂市罗庄区人民政府", "utf-8", head.format("/luozhuang"), nav, gk))
    nav = ('<li><a href="/hedong/index.htm">首页</a></li><li><a href="/hedong/zwgk/zfgzbg.htm">政府工作报告</a></li>'
           '<li><a href="/hedong/zwgk/tzgg.htm">通知公告</a></li>')
    news = _news([("河东区召开2023年第一季度经济运行分析会", "info/1061/2203.htm")])
    add_html("/hedong/index.htm", _home("临沂市河东区人民政府", "gbk", head.format("/hedong"), nav, news), charset="gbk")


def _sdjy(add_html) -> None:
    from crawlers.sample_portal.site import LINZI_CHANNEL

    head = '<script src="/linzi/gongkai/js/jquery.min.js"></script><link rel="stylesheet" href="/linzi/gongkai/css/gk.css">'
    nav = '<li><a href="/linzi/">首页</a></li><li><a href="/linzi/gongkai/">政府信息公开</a></li><li><a href="/linzi/hdjl/">互动交流</a></li>'
    add_html("/linzi/", _home("淄博市临淄区人民政府", "utf-8", head, nav, _news([("临淄区召开2020年第四季度经济运行分析会",
             f"{LINZI_CHANNEL}/doc_5fc1a2b3c4d5e6f7a8b9c0d1.html")])))
    gk = ('<div class="gk-info"><ul><li><a href="/linzi/gongkai/site_lzqzf/channel_zn/">政府信息公开指南</a></li>'
          '<li><a href="/linzi/gongkai/site_lzqzf/fdzdgknr/">法定主动公开内容</a></li></ul></div>')
    add_html("/linzi/gongkai/", _home("政府信息公开 - 淄博市临淄区人民政府", "utf-8", head, nav, gk))
    fd = (f'<div class="gk-info"><ul><li><a href="{LINZI_CHANNEL}/">政府工作报告</a></li>'
          '<li><a href="/linzi/gongkai/site_lzqzf/channel_3c2b1a0f9e8d7c6b5a4f3e2d/">规划计划</a></li></ul></div>')
    add_html("/linzi/gongkai/site_lzqzf/fdzdgknr/", _home("法定主动公开内容 - 淄博市临淄区人民政府", "utf-8", head, nav, fd))


def _trs(add_html) -> None:
    head = '<script src="//ta.trs.cn/c/js/ta.js?mpid={0}" id="trs_ta_js" async defer></script>'
    nav = '<li><a href="/qingdao/">首页</a></li><li><a href="/qingdao/zwgk/">政务公开</a></li><li><a href="/qingdao/hdjl/">政民互动</a></li>'
    news = _news([("青岛市2021年政府工作报告新闻发布会", "/qingdao/zwgk/zdgk/ghjh/zfgzbg/202101/t20210119_2795700.shtml")])
    add_html("/qingdao/", _home("青岛政务网", "utf-8", head.format(1142), nav, news))
    gk = ('<div class="zwgk"><a href="./zdgk/ghjh/zfgzbg/index.shtml">政府工作报告</a> <a href="./zdgk/ghjh/fzgh/">发展规划</a>'
          ' <a href="./xxgkzn/">政府信息公开指南</a></div>')
    add_html("/qingdao/zwgk/", _home("政务公开 - 青岛政务网", "utf-8", head.format(1142), nav, gk))
    nav = ('<li><a href="/guanxian/index.shtml">首页</a></li><li><a href="/guanxian/zwgk/zfgzbg/index.shtml">政府工作报告</a></li>'
           '<li><a href="/guanxian/zwgk/tzgg/">通知公告</a></li>')
    news = _news([("冠县2021年政府工作报告新闻发布会", "./zwgk/zfgzbg/202101/t20210126_4513.shtml")])
    add_html("/guanxian/index.shtml", _home("冠县人民政府", "utf-8", head.format(3101), nav, news))


def _hanweb(add_html) -> None:
    from crawlers.sample_portal.site import JINXIANG_ARTICLE

    head = ('<link rel="stylesheet" href="/jinxiang/images/42/hanweb.css">'
            '<script type="text/javascript" src="/jinxiang/module/jslib/jquery/jquery.js"></script>'
            '<script type="text/javascript" src="/jinxiang/script/0/1808171530046632.js"></script>')
    nav = ('<li><a href="/jinxiang/index.html">首页</a></li><li><a href="/jinxiang/col/col3301/index.html">政务公开</a></li>'
           '<li><a href="/jinxiang/col/col3310/index.html">政务服务</a></li>')
    news = _news([("2021年金乡县政府工作报告", JINXIANG_ARTICLE),
                  ("金乡县2020年政府工作报告解读", "/jinxiang/art/2021/1/26/art_3321_2950013.html")])
    foot = '<!--Produced By 大汉网络 大汉版通发布系统-->'
    add_html("/jinxiang/index.html", _home("金乡县人民政府", "utf-8", head, nav, news, foot))
    cols = _news([("通知公告", "/jinxiang/col/col3302/index.html"), ("政策解读", "/jinxiang/col/col3303/index.html")])
    add_html("/jinxiang/col/col3301/index.html", _home("政务公开 - 金乡县人民政府", "utf-8", head, nav, cols, foot))


def _lanshan(add_html) -> None:
    """A UCAP 集约化 site (the Jiangxi platform's shapes, wanzai.gov.cn / yichun.gov.cn), with
    a one-page-per-fifteen listing and the 2021 report from seed 001."""
    from crawlers.sample_portal.site import (
        _esc,
        _paragraphs,
        _split_inline,
        aggregator_entries,
        fillers,
        paginate,
    )

    site = "临沂市兰山区人民政府"
    head = (f'<meta name="template,templategroup,version" content="{_hex("lanshan-template")},default,1.0">'
            f'<script type="text/javascript">var websiteId= "{_hex("lanshan")}";</script>'
            '<link rel="stylesheet" type="text/css" href="/lanshan/images/common.css">')
    nav = ('<li><a href="/lanshan/index.shtml">首页</a></li><li><a href="/lanshan/lszf/xxgk/index.shtml">政府信息公开</a></li>'
           '<li><a href="/lanshan/lszf/hdjl/index.shtml">互动交流</a></li>')
    entry = next(e for e in aggregator_entries() if "兰山区" in e["title"])
    title = "2021年兰山区政府工作报告"

    def art(t: str, d: str) -> str:
        return f"{LANSHAN_COLUMN}{d[:4]}{d[5:7]}/{_hex(t)}.shtml"

    rows = [(title, art(title, "2021-01-20"), "2021-01-20"),
            ("兰山区2021年政府工作报告解读", art("兰山区2021年政府工作报告解读", "2021-01-22"), "2021-01-22")]
    rows += [(t, art(t, d), d) for t, d in fillers("兰山区", 40, "2021-03-28")]
    rows.sort(key=lambda r: r[2], reverse=True)
    pages = paginate(rows)
    for i, chunk in enumerate(pages, start=1):
        items = "".join(f'<li><a href="{h}" target="_blank" title="{_esc(t)}">{_esc(t)}</a><span>{d}</span></li>'
                        for t, h, d in chunk)
        main = (f'<div class="crumbs">首页 &gt; 政府信息公开 &gt; 政府工作报告</div><ul class="xxgk_list">{items}</ul>'
                f'<div id="page_div"></div><script>createPageHTML(\'page_div\', {len(pages)}, {i}, \'list\', \'shtml\');</script>')
        add_html(f"{LANSHAN_COLUMN}{'list' if i == 1 else f'list_{i}'}.shtml", _home(f"政府工作报告 - {site}", "utf-8", head, nav, main))
    for t, h, d in rows:
        body = _paragraphs(_split_inline(entry["body"])) if t == title else f"<p>{_esc(t)}（略）</p>"
        meta = (f'<dl class="xxgk-info"><dd><label>索 引 号：</label><div>11371302MB2851234X/{d[:4]}-{int(_hex(t, 4), 16)}</div></dd>'
                f'<dd><label>发布机构：</label><div>兰山区人民政府办公室</div></dd><dd><label>发文日期：</label><div>{d}</div></dd></dl>')
        main = (f'{meta}<h1 class="article-title"><ucaptitle>{_esc(t)}</ucaptitle></h1>'
                f'<div class="article-attr"><span class="ly">来源：<b>兰山区人民政府办公室</b></span>'
                f'<span class="date">发布日期：<b><publishtime>{d} 10:30:00</publishtime></b></span></div>'
                f'<div class="article-content" id="zoomcon"><ucapcontent>{body}</ucapcontent></div>')
        add_html(h, _home(f"{site} | {t}", "utf-8", head, nav, main))
    add_html("/lanshan/index.shtml", _home(site, "utf-8", head, nav, _news([(t, h) for t, h, _ in rows[:5]])))
    gk = ('<ul class="xxgk-nav"><li><a href="/lanshan/lszf/xxgkzn/index.shtml">政府信息公开指南</a></li>'
          f'<li><a href="{LANSHAN_COLUMN}list.shtml">政府工作报告</a></li>'
          '<li><a href="/lanshan/lszf/ndbg/index.shtml">政府信息公开年报</a></li></ul>')
    add_html("/lanshan/lszf/xxgk/index.shtml", _home(f"政府信息公开 - {site}", "utf-8", head, nav, gk))


def _unknown(add_html) -> None:
    nav = '<li><a href="/yinan/index.html">首页</a></li><li><a href="/yinan/news.html">要闻动态</a></li>'
    add_html("/yinan/index.html", _home("沂南县人民政府", "utf-8", "", nav, _news([("沂南县召开防汛工作会议", "/yinan/n1.html")])))
