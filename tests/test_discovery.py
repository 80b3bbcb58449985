"""Discovery, offline: the region registry (3,215 portals), platform fingerprints on the real
pages and on pages in other shapes, column link words in the styles portals write them, the
column a report URL names, which regions a nightly run takes, and how results become sources."""

import datetime as dt
import json

import pytest

from crawlers.discovery import (
    DISCOVERED,
    FAILING,
    Finding,
    Link,
    column_candidates,
    columns_on,
    confirms_column,
    disclosure_links,
    entry_of,
    fingerprint,
    load_results,
    page_links,
    platform_of,
    record,
    result_of,
    site_domain,
)
from crawlers.regions import RegionPortal, load_regions, national_regions, sample_regions
from crawlers.registry import load_sources
from crawlers.sample_portal.homes import HOME_PAGES
from crawlers.sample_portal.site import build_site
from crawlers.spiders import SPIDER_BY_PLATFORM
from parsers.regions import by_code
from pipeline.discover import region_states, regions_due
from storage import open_store
from tests.conftest import ROOT

REAL = ROOT / "tests" / "fixtures" / "realpages"
PAGES = json.loads((REAL / "sources.json").read_text("utf-8"))
PLATFORM_OF_PAGE = {"hanweb": "hanweb", "trs": "trs", "jiangxi-jyh": "jxjy", "gov.cn": None, "spa-json": None}
SPIDERS = set(SPIDER_BY_PLATFORM)
SITE = build_site()
BASE = "http://127.0.0.1:9"


# --- the registry of regions ----------------------------------------------------------------

def test_every_portal_of_the_list_is_a_region():
    regions = national_regions()
    assert len(regions) == 3215 and len({r.key for r in regions}) == 3215
    levels = {lvl: sum(1 for r in regions if r.admin_level == lvl) for lvl in ("province", "prefecture", "county", "district")}
    assert levels == {"province": 34, "prefecture": 334, "county": 1870, "district": 977}
    coded = [r for r in regions if r.code]
    assert len(coded) == 3210 and all(by_code(r.code) is not None for r in coded)
    assert sum(1 for r in regions if r.home_url) == 3211
    jinxiang = next(r for r in regions if r.code == "370828")
    assert (jinxiang.name, jinxiang.parent, jinxiang.province, jinxiang.source_id) == ("金乡县", "济宁市", "山东省", "gb370828")
    # regions without a GB/T 2260 code (大兴安岭's 区, 兵团) get a stable key from their path
    uncoded = [r for r in regions if not r.code]
    assert len(uncoded) == 5 and all(r.key.startswith("x") and len(r.key) == 9 for r in uncoded)


def test_the_sample_portal_stands_in_for_its_regions():
    regions = load_regions(BASE)
    assert [r.code for r in regions] == list(HOME_PAGES)
    assert all(r.local and r.home_url == BASE + HOME_PAGES[r.code] for r in regions)
    assert all(r.home_url.startswith("{portal}") for r in sample_regions())


# --- fingerprints -----------------------------------------------------------------------------

@pytest.mark.parametrize("slug", sorted(PAGES))
def test_platform_of_each_real_page(slug):
    page = PAGES[slug]
    evidence = fingerprint(page["url"], (REAL / page["file"]).read_bytes())
    assert platform_of(evidence) == PLATFORM_OF_PAGE[page["platform"]]


@pytest.mark.parametrize(("path", "platform"), [(p, plat) for p, plat in [
    ("/luozhuang/index.htm", "vsb"), ("/hedong/index.htm", "vsb"), ("/linzi/gongkai/site_lzqzf/fdzdgknr/", "sdjy"),
    ("/qingdao/", "trs"), ("/guanxian/index.shtml", "trs"), ("/jinxiang/index.html", "hanweb"),
    ("/lanshan/index.shtml", "jxjy"), ("/yinan/index.html", None)]])
def test_platform_of_each_sample_home_page(path, platform):
    assert platform_of(fingerprint(BASE + path, SITE[path].body)) == platform


@pytest.mark.parametrize("page", [
    "<html><head><title>某县人民政府</title></head><body><a href='/news/1.html'>要闻</a></body></html>",
    # words about a platform in the text are not its marks
    "<html><body><p>本站采用大汉和TRS两家公司的产品招标公告</p><a href='/a/b.html'>TRS</a></body></html>",
    "",
])
def test_pages_without_marks_have_no_platform(page):
    assert platform_of(fingerprint("http://www.x.gov.cn/", page.encode())) is None


def test_a_tie_is_no_platform():
    page = ('<html><body><a href="/col/col12/index.html">a</a><a href="/t20200101_1.html">b</a>'
            '<a href="/col/col13/index.html">a</a><a href="/t20200101_2.html">b</a>'
            '<a href="/col/col14/index.html">a</a><a href="/t20200101_3.html">b</a></body></html>')
    assert platform_of(fingerprint("http://www.x.gov.cn/", page)) is None


# --- columns and disclosure pages --------------------------------------------------------------

@pytest.mark.parametrize(("words", "doc_type"), [
    ("政府工作报告", "work_report"), ("历年政府工作报告", "work_report"), ("县政府工作报告", "work_report"),
    ("金乡县政府工作报告", "work_report"), ("政府工作报告专栏", "work_report"), ("市人民政府工作报告", "work_report"),
    ("政府文件", "policy"), ("县政府文件", "policy"), ("市政府办公室文件", "policy"), ("政府办文件", "policy"),
    ("规范性文件", "policy"), ("行政规范性文件", "policy"), ("政府公文", "policy"), ("政策文件", "policy"),
    ("政府令", "policy"), ("政府规章", "policy"),
    # articles and other columns
    ("2021年政府工作报告", None), ("政府工作报告解读", None), ("图解政府工作报告", None),
    ("关于印发2024年重点工作任务的通知", None), ("政策解读", None), ("文件下载", None), ("政府信息公开指南", None),
    ("政府工作报告重点任务分工", None), ("", None),
])
def test_column_words(words, doc_type):
    found = columns_on("http://www.x.gov.cn/", [Link("http://www.x.gov.cn/col/1/", words)], ("x.gov.cn",))
    assert (found[0]["doc_type"] if found else None) == doc_type


def test_columns_of_other_sites_are_not_taken():
    links = [Link("http://www.other.gov.cn/zfgzbg/", "政府工作报告"), Link("http://xxgk.x.gov.cn/zfwj/", "政府文件")]
    assert [c["url"] for c in columns_on("http://www.x.gov.cn/", links, ("x.gov.cn",))] == ["http://xxgk.x.gov.cn/zfwj/"]


def test_link_words_come_from_text_then_title():
    page = ('<html><body><a href="zfgzbg/" title="政府工作报告"><img src="a.png"></a>'
            '<a href="gk/"> 政府 信息 公开 </a><a href="javascript:void(0)">政府文件</a></body></html>')
    links = page_links("http://www.x.gov.cn/index.html", page)
    assert [(lk.url, lk.text) for lk in links] == [("http://www.x.gov.cn/zfgzbg/", "政府工作报告"),
                                                 ("http://www.x.gov.cn/gk/", "政府信息公开")]


@pytest.mark.parametrize(("words", "follow"), [
    ("政府信息公开", True), ("信息公开", True), ("政务公开", True), ("政府信息公开目录", True), ("法定主动公开内容", True),
    ("县政府信息公开", True), ("主动公开", True),
    ("政府信息公开指南", False), ("依申请公开", False), ("政府信息公开年度报告", False), ("政务服务", False),
])
def test_disclosure_pages(words, follow):
    got = disclosure_links([Link("http://www.x.gov.cn/gk/", words)], ("x.gov.cn",))
    assert bool(got) == follow


def test_site_domain():
    assert site_domain("http://www.jinxiang.gov.cn/") == "jinxiang.gov.cn"
    assert site_domain("https://danzhou.hainan.gov.cn/x") == "danzhou.hainan.gov.cn"
    assert site_domain("http://127.0.0.1:8765/luozhuang/") == "127.0.0.1"


# --- the column a report's URL names -----------------------------------------------------------

def _breadcrumb_links(page: dict) -> set[str]:
    return {lk.url.split("?")[0] for lk in page_links(page["url"], (REAL / page["file"]).read_bytes())}


@pytest.mark.parametrize("slug", [s for s, p in sorted(PAGES.items())
                                  if p["kind"] == "article" and PLATFORM_OF_PAGE[p["platform"]]])
def test_a_real_article_url_names_a_column_the_page_links(slug):
    """On every real article page of a known platform, one candidate column read off the
    page's own URL is a link of the page (its breadcrumb or column tab)."""
    page = PAGES[slug]
    candidates = column_candidates(page["url"], PLATFORM_OF_PAGE[page["platform"]])
    assert candidates and set(candidates) & _breadcrumb_links(page), candidates


@pytest.mark.parametrize(("url", "platform", "first"), [
    ("http://www.x.gov.cn/art/2021/1/25/art_3321_2950012.html", "hanweb", "http://www.x.gov.cn/col/col3321/index.html"),
    ("http://x.gov.cn/site/art/2021/1/5/art_7_8.html", "hanweb", "http://x.gov.cn/site/col/col7/index.html"),
    ("http://www.x.gov.cn/zwgk/zfgzbg/202101/t20210125_4512.shtml", "trs", "http://www.x.gov.cn/zwgk/zfgzbg/"),
    ("http://www.x.gov.cn/a/b/202305/36796cdc82d04268913f2884cf2fe579.shtml", "jxjy", "http://www.x.gov.cn/a/b/list.shtml"),
    ("http://www.x.gov.cn/gongkai/site_x/channel_8a5d/doc_5ff3.html", "sdjy", "http://www.x.gov.cn/gongkai/site_x/channel_8a5d/"),
    ("http://www.x.gov.cn/info/1021/3315.htm", "vsb", None),  # VSB article ids do not name the column page
    ("http://www.x.gov.cn/art/2021/1/25/art_3321_2950012.html", "trs", None),  # another platform's shape
])
def test_column_candidates(url, platform, first):
    got = column_candidates(url, platform)
    assert (got[0] if got else None) == first


def test_only_a_report_names_a_column():
    finding = Finding(load_regions(BASE)[0], BASE + "/", ("127.0.0.1",))
    page = ('<html><head><link href="/images/1/hanweb.css"><script src="/module/jslib/jquery/jquery.js"></script></head>'
            '<body><a href="/art/2021/1/26/art_11_1.html">2021年政府工作报告解读</a>'
            '<a href="/art/2021/1/27/art_12_1.html">关于2021年政府工作报告的建议</a>'
            '<a href="/art/2021/1/25/art_13_1.html">2021年政府工作报告</a></body></html>')
    finding.add_page(BASE + "/", page)
    assert [c["url"] for c in finding.columns] == [BASE + "/col/col13/index.html"]


def test_a_candidate_is_confirmed_by_the_platform_marks():
    column = SITE["/jinxiang/col/col3321/index.html"].body
    assert confirms_column("hanweb", BASE + "/jinxiang/col/col3321/index.html", column)
    soft404 = "<html><body><h1>页面不存在</h1><a href='/'>返回首页</a></body></html>"
    assert not confirms_column("hanweb", BASE + "/jinxiang/col/col9/index.html", soft404)


# --- from findings to entries ------------------------------------------------------------------

def _finding(code: str, pages: list[str]) -> Finding:
    region = next(r for r in load_regions(BASE) if r.code == code)
    finding = Finding(region, region.home_url, ("127.0.0.1",))
    for path in pages:
        finding.add_page(BASE + path, SITE[path].body)
    return finding


def test_entry_of_a_site_found_through_its_disclosure_page():
    finding = _finding("371311", ["/luozhuang/index.htm"])
    assert finding.columns == []
    finding = _finding("371311", ["/luozhuang/index.htm", "/luozhuang/zfxxgk.htm"])
    entry, why = entry_of(finding, SPIDERS, BASE)
    assert why is None and entry["platform"] == "vsb" and entry["doc_types"] == ["work_report", "policy"]
    assert entry["listing_urls"] == ["{portal}/luozhuang/zfxxgk/zfgzbg.htm", "{portal}/luozhuang/zfgw/lzbz.htm"]
    assert entry["allowed_domains"] == ["{portal_host}"] and entry["local"] is True
    assert entry["region"] == {"name": "罗庄区", "code": "371311", "admin_level": "district", "province": "山东省",
                               "parent": "临沂市"}


def test_failing_reasons():
    entry, why = entry_of(_finding("371321", ["/yinan/index.html"]), SPIDERS)
    assert entry is None and "no 政府工作报告 / 政府文件 column" in why
    unknown = _finding("371321", ["/yinan/index.html"])
    unknown.columns.append({"doc_type": "work_report", "text": "政府工作报告", "url": BASE + "/yinan/zfgzbg/", "found_on": ""})
    entry, why = entry_of(unknown, SPIDERS)
    assert entry is None and why.startswith("platform not recognised") and "/yinan/zfgzbg/" in why
    down = Finding(load_regions(BASE)[0], BASE + "/", ("127.0.0.1",), errors=[BASE + "/: HTTP 503"])
    entry, why = entry_of(down, SPIDERS)
    assert entry is None and why == f"home page not read: {BASE}/: HTTP 503"
    entry, why = entry_of(_finding("371311", ["/luozhuang/index.htm", "/luozhuang/zfxxgk.htm"]), SPIDERS - {"vsb"})
    assert entry is None and why == "platform vsb has no spider"


def test_a_failed_retry_keeps_the_entry_it_had(tmp_path):
    store = open_store(str(tmp_path))
    good = result_of(_finding("371311", ["/luozhuang/index.htm", "/luozhuang/zfxxgk.htm"]), SPIDERS, BASE)
    assert record(store, good)["state"] == DISCOVERED
    down = Finding(load_regions(BASE)[0], BASE + "/", ("127.0.0.1",), errors=[BASE + "/: HTTP 503"])
    kept = record(store, result_of(down, SPIDERS, BASE))
    assert kept["state"] == DISCOVERED and kept["entry"] == good["entry"] and kept["attempts"] == 2
    assert kept["last_failure"]["reason"].endswith("HTTP 503")
    assert load_results(store)["371311"]["entry"] == good["entry"]


def test_discovered_entries_join_the_registry_and_hand_written_ones_win(tmp_path):
    store = open_store(str(tmp_path))
    record(store, result_of(_finding("371311", ["/luozhuang/index.htm", "/luozhuang/zfxxgk.htm"]), SPIDERS, BASE))
    record(store, result_of(_finding("371302", ["/lanshan/index.shtml", "/lanshan/lszf/xxgk/index.shtml"]), SPIDERS, BASE))
    record(store, result_of(_finding("371321", ["/yinan/index.html"]), SPIDERS, BASE))
    broken = result_of(_finding("370200", ["/qingdao/", "/qingdao/zwgk/"]), SPIDERS, BASE)
    broken["entry"]["listing_urls"] = ["ftp://x/"]  # an entry a later rule rejects is skipped, not fatal
    record(store, broken)
    sources = {s.id: s for s in load_sources(BASE, store_uri=str(tmp_path))}
    assert sources["gb371311"].origin == "discovered" and sources["gb371311"].shadowed_by == "luozhuang_zfgzbg"
    assert sources["gb371302"].shadowed_by is None and sources["gb371302"].platform == "jxjy"
    assert sources["gb371302"].listing_urls == (BASE + "/lanshan/lszf/zfgzbg/list.shtml",)
    assert "gb371321" not in sources and "gb370200" not in sources
    assert sources["luozhuang_zfgzbg"].origin == "hand-written"
    states = {r["code"]: r for r in region_states(str(tmp_path), BASE)}
    assert states["371311"]["state"] == "hand-written" and states["371302"]["state"] == "discovered"
    assert states["371321"]["state"] == FAILING and "column" in states["371321"]["reason"]
    assert states["370305"]["state"] == "hand-written"
    # the live registry is not touched by the sample portal's results
    live = {r["state"] for r in region_states(str(tmp_path))}
    assert live <= {"hand-written", "undiscovered"}


# --- which regions a nightly run takes ---------------------------------------------------------

def test_regions_due_undiscovered_first_then_failing_then_stale():
    regions = national_regions()[:6]
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

    def res(state, days_ago):
        stamp = (now - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"state": state, "tried_at": stamp}

    results = {regions[0].key: res(DISCOVERED, 40), regions[1].key: res(FAILING, 1), regions[2].key: res(FAILING, 10),
               regions[3].key: res(DISCOVERED, 2), regions[5].key: res(FAILING, 5)}
    due = regions_due(regions, results, limit=None, now=now)
    assert [r.key for r in due] == [regions[4].key, regions[2].key, regions[5].key, regions[0].key]
    assert [r.key for r in regions_due(regions, results, limit=2, now=now)] == [regions[4].key, regions[2].key]
    assert len(regions_due(national_regions(), {}, now=now)) == 300  # a night's share by default


@pytest.mark.parametrize(("home", "href", "words", "follow"), [
    ("http://www.bjchy.gov.cn/", "http://zfxxgk.beijing.gov.cn/11E000/cyq_index.shtml", "政府信息公开专栏", True),
    ("http://www.sjs.gov.cn/", "https://xxgk.shanghai.gov.cn/sjs/index.html", "政府信息公开", True),
    ("http://www.gulou.gov.cn/", "http://www.fuzhou.gov.cn/zfxxgkzl/gkml/", "信息公开", True),
    ("http://www.bjchy.gov.cn/", "http://www.gov.cn/", "中国政府网", False),  # not a disclosure link
    ("http://www.bjchy.gov.cn/", "http://www.beijing.gov.cn/zhengce/", "政策文件", False),  # a column elsewhere
    ("http://www.x.gov.cn/", "http://xxgk.example.com/x/", "政府信息公开", False),  # not a government host
])
def test_a_disclosure_platform_on_another_government_host(home, href, words, follow):
    """Districts and counties often publish on their city's or province's shared platform."""
    got = disclosure_links([Link(href, words)], (site_domain(home),))
    assert bool(got) == follow


def test_columns_on_a_shared_disclosure_platform_are_the_regions():
    home = "http://www.bjchy.gov.cn/"
    region = RegionPortal("110105", "朝阳区", "110105", "district", "北京市", "北京市", "北京市/朝阳区", home)
    finding = Finding(region, home, (site_domain(home),))
    follow = finding.add_page(home, '<a href="http://zfxxgk.beijing.gov.cn/11E000/cyq_index.shtml">政府信息公开专栏</a>'
                                    '<a href="http://www.beijing.gov.cn/zhengce/zfwj/">政府文件</a>')
    assert follow == ["http://zfxxgk.beijing.gov.cn/11E000/cyq_index.shtml"]
    assert finding.columns == []  # the city's own column is not the district's
    finding.add_page(follow[0], '<a href="/11E000/zfwj/list.shtml">政府文件</a>')
    assert [c["url"] for c in finding.columns] == ["http://zfxxgk.beijing.gov.cn/11E000/zfwj/list.shtml"]
    assert "zfxxgk.beijing.gov.cn" in finding.domains
