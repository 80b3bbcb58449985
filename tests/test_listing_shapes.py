"""Listing shapes of real platforms that the sample portal does not copy, each written in
the style of more than one region (checked first on saved real pages that are not in the
repository): the list nested inside a layout row, TRS's countPage/currentPage pager, and
Hanweb's dataproxy form posted as the page's own link spells it."""

from urllib.parse import parse_qsl

import pytest
from scrapy.http import HtmlResponse, Request

from crawlers.registry import Region, Source
from crawlers.spiders import SPIDER_BY_PLATFORM


def spider(platform: str, url: str):
    host = url.split("/")[2]
    source = Source("shape_test", "shape test", platform, (url,), (host,), ("work_report", "policy"),
                    Region("某县", None, "county", None, None))
    return SPIDER_BY_PLATFORM[platform](source=source)


def page(url: str, html: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode("utf-8"), request=Request(url),
                        headers={"Content-Type": "text/html; charset=utf-8"})


def nested_trs_listing(rows: list[tuple[str, str, str]]) -> str:
    inner = "".join(f'<tr><td><a href="{h}" target="_blank">{t}</a></td><td>{d}</td></tr>' for h, t, d in rows)
    return ("<html><body><table><tr><td><a href='../../'>首页</a></td></tr>"
            f"<tr><td><table class='list'>{inner}</table></td></tr></table></body></html>")


@pytest.mark.parametrize("url,rows", [
    ("http://www.hlbe.gov.cn/xxgk/zfwj/index.html",
     [("./202101/t20210125_331.html", "2021年市政府工作报告", "2021-01-25"),
      ("./202003/t20200302_298.html", "关于印发某某实施方案的通知", "2020-03-02")]),
    ("http://www.xuancheng.gov.cn/zwgk/zfgzbg/index.shtml",
     [("./201902/t20190220_12.shtml", "2019年政府工作报告", "2019-02-20")]),
])
def test_a_list_nested_in_a_layout_row_yields_each_row_once_with_its_own_date(url, rows):
    got = [(t, u, d) for t, u, d, _ in spider("trs", url).listing_rows(page(url, nested_trs_listing(rows)))]
    articles = [g for g in got if "/t20" in g[1]]
    assert [(t, d) for t, _, d in articles] == [(t, d) for _, t, d in rows]  # once each, not also as the outer row
    assert len({u for _, u, _ in articles}) == len(rows)


def test_a_flat_list_is_read_as_before():
    url = "http://www.example.gov.cn/col/zcwj/index.html"
    html = ("<ul>" + "".join(f'<li><a href="./2020{m:02d}/t2020{m:02d}01_{m}.html">关于第{m}项工作的通知</a>'
                            f"<span>2020-{m:02d}-01</span></li>" for m in (1, 2, 3)) + "</ul>")
    got = list(spider("trs", url).listing_rows(page(url, html)))
    assert [d for _, _, d, _ in got] == ["2020-01-01", "2020-02-01", "2020-03-01"]


PAGER_SCRIPT = """<script>
var currentPage = {current};//所在页从0开始
var countPage = {count}//共多少页
var nextPage = currentPage+1
if(countPage>1&&currentPage!=(countPage-1))
document.write("&nbsp;<a href=\\"{stem}"+"_" + nextPage + "."+"{ext}\\">下一页</a>");
</script>"""


@pytest.mark.parametrize("url,current,count,stem,ext,expected", [
    ("http://egb.example.gov.cn/xxgk/xxgknb/index.html", 0, 2, "index", "html", ["index_1.html"]),
    ("http://www.example.gov.cn/zwgk/zfgzbg/index_2.shtml", 2, 5, "index", "shtml", ["index_3.shtml"]),
    ("http://www.example.gov.cn/zwgk/zfgzbg/index_4.shtml", 4, 5, "index", "shtml", []),  # the last page
    ("http://www.example.gov.cn/zwgk/zfwj/index.htm", 0, 1, "index", "htm", []),  # one page only
])
def test_trs_pager_from_script_variables(url, current, count, stem, ext, expected):
    html = "<html><body><ul></ul>" + PAGER_SCRIPT.format(current=current, count=count, stem=stem, ext=ext) + "</body></html>"
    assert spider("trs", url).next_pages(page(url, html)) == expected


def test_trs_pager_variables_without_a_written_link_take_the_pages_own_name():
    url = "http://www.example.gov.cn/xxgk/zfwj/index_1.shtml"
    html = "<script>var currentPage = 1; var countPage = 3;</script>"
    assert spider("trs", url).next_pages(page(url, html)) == ["index_2.shtml"]


def test_no_pager_no_next_page():
    url = "http://www.example.gov.cn/xxgk/zfwj/index.html"
    assert spider("trs", url).next_pages(page(url, "<script>var current = 0; var pages = 3;</script>")) == []


@pytest.mark.parametrize("webname", ["%25E5%25AE%259A%25E8%25A5%25BF", "%E6%B1%9F%E5%8C%97", "plain"])
def test_hanweb_dataproxy_form_posts_values_as_the_link_spells_them(webname):
    url = "http://zwgk.example.gov.cn/col/col12377/index.html"
    records = "".join(f"<record><![CDATA[<li><a href='/art/2022/1/{d}/art_12377_{d}.html'>关于第{d}项的通知</a>"
                      f"<span>2022-01-{d:02d}</span></li>]]></record>" for d in range(1, 4))
    html = ('<div id="1"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
            f'dataproxy.jsp?page=1&appid=1&appid=1&webid=110&path=/&columnid=12377&unitid=38486&webname={webname}'
            '&permissiontype=0"></a>]]></nextgroup><recordset>' + records + "</recordset></datastore></script>"
            "<script>var perpage = 3; var totalRecord = 9;</script></div>")
    (nxt,) = spider("hanweb", url).next_pages(page(url, html))
    assert nxt.method == "POST" and "startrecord=4" in nxt.url
    form = dict(parse_qsl(nxt.body.decode()))
    assert form["webname"] == dict(parse_qsl(f"webname={webname}"))["webname"]  # the value the page holds
    assert form["columnid"] == "12377" and form["unitid"] == "38486"
    assert "%2525" not in nxt.body.decode()  # never encoded twice
