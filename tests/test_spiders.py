"""Spiders offline against the portal's saved pages (frozen clock), and over real HTTP."""

import json

import pytest
from scrapy.http import HtmlResponse, Request

import crawlers.spiders.common as common
from crawlers.sample_portal.site import build_site, resolve
from crawlers.spiders import SPIDER_BY_PLATFORM
from tests.conftest import run_cli

BASE = "http://portal.test"
SITE = build_site()


def response_for(url: str, body: bytes = b"", **meta) -> HtmlResponse:
    res = resolve(SITE, url[len(BASE):], body)
    return HtmlResponse(url=url, body=res.body, headers={"Content-Type": res.content_type},
                        request=Request(url, meta=meta))


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(common, "utcnow", lambda: "2026-01-02T03:04:05Z")


def spider_for(source_id, year=None):
    from crawlers.registry import get_source

    source = get_source(source_id, BASE)
    return SPIDER_BY_PLATFORM[source.platform](source=source, year=year)


def follow(spider, response, callback):
    """Run a callback and resolve requests to saved pages, depth-first; return the items."""
    items = []
    for out in callback(response):
        if isinstance(out, Request):
            if resolve(SITE, out.url[len(BASE):], out.body) is None:
                continue  # the dead link
            resp = response_for(out.url, out.body, raw={"sha256": "x" * 64, "key": "raw/xx/x.bin", "content_type": "t"},
                                **{k: v for k, v in out.meta.items() if k.startswith(("hanweb_", "api_"))})
            items.extend(follow(spider, resp, lambda r, o=out: o.callback(r, **o.cb_kwargs)))
        else:
            items.append(out)
    return items


@pytest.mark.parametrize("source_id,expected", [
    ("luozhuang_zfgzbg", ["2021年罗庄区政府工作报告"]),
    ("luozhuang_zfgw", ["罗庄区人民政府办公室关于印发罗庄区深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务的通知"]),
    ("hedong_zfgzbg", ["2023年河东区政府工作报告"]),
    ("linzi_zfgzbg", ["2021年临淄区政府工作报告"]),
    ("qingdao_zfgzbg", ["2021年青岛市政府工作报告"]),
    ("jinxiang_zfgzbg", ["2021年金乡县政府工作报告"]),
    ("guanxian_zfgzbg", ["2021年冠县政府工作报告"]),
])
def test_platform_spider_offline(source_id, expected):
    spider = spider_for(source_id)
    items = follow(spider, response_for(spider.source.listing_urls[0]), spider.parse_listing)
    assert [i["title"] for i in items] == expected
    item = items[0]
    assert item["fetched_at"] == "2026-01-02T03:04:05Z"
    assert item["region"]["name"] == spider.source.region.name
    if source_id in ("luozhuang_zfgzbg", "hedong_zfgzbg"):
        assert len(item["attachments"]) == 1  # the PDF full text
    if source_id == "luozhuang_zfgw":
        assert item["meta"]["doc_number"] == "罗政办字〔2023〕25号"
        assert item["meta"]["index_no"] == "luozhuangqulz201/2023-0000116"


def test_aggregator_spider_offline_skips_unrelated_entries():
    spider = spider_for("cyyq_zfgzbg")
    items = follow(spider, response_for(spider.source.listing_urls[0]), spider.parse_listing)
    assert len(items) == 10
    assert all(i["fragment"] and i["url"].endswith("#" + i["fragment"]) for i in items)
    assert not any("招商引资优惠政策" in i["title"] for i in items)


def test_year_scope_keeps_only_that_report_year():
    spider = spider_for("cyyq_zfgzbg", year=2019)
    items = follow(spider, response_for(spider.source.listing_urls[0]), spider.parse_listing)
    assert len(items) == 4 and all("2019年" in i["title"] for i in items)
    # a title without a year (【青岛招商】青岛市政府工作报告) is filed by its dateline (二○二一年…)
    spider = spider_for("cyyq_zfgzbg", year=2021)
    titles = [i["title"] for i in follow(spider, response_for(spider.source.listing_urls[0]), spider.parse_listing)]
    assert "【青岛招商】青岛市政府工作报告" in titles and len(titles) == 5


@pytest.mark.slow
def test_crawl_every_source_over_http(portal, tmp_path):
    store = tmp_path / "store"
    proc = run_cli("crawl", "--all", "--portal-url", portal.url, "--store", str(store), "--quiet",
                   "--json-summary", str(tmp_path / "stats.json"))
    assert proc.returncode == 0, proc.stderr
    stats = {r["source_id"]: r for r in json.loads((tmp_path / "stats.json").read_text())}
    assert {k: v["items"] for k, v in stats.items()} == {
        "luozhuang_zfgzbg": 1, "luozhuang_zfgw": 1, "hedong_zfgzbg": 1, "linzi_zfgzbg": 1,
        "qingdao_zfgzbg": 1, "cyyq_zfgzbg": 10, "jinxiang_zfgzbg": 1, "guanxian_zfgzbg": 1}
    assert stats["luozhuang_zfgzbg"]["status_counts"].get("404") == 1
    manifests = list((store / "crawl" / "items").rglob("*.jsonl"))
    assert len(manifests) == 8
    raw = list((store / "raw").rglob("*.*"))
    assert any(p.suffix == ".pdf" for p in raw) and any(p.suffix == ".docx" for p in raw)
    assert portal.hits.get("/agg/member/login") is None  # robots.txt-disallowed, never fetched


def test_hanweb_column_pages_through_dataproxy_like_its_page_script():
    from crawlers.sample_portal.site import JINXIANG_PROXY

    spider = spider_for("jinxiang_zfgzbg")
    first = response_for(spider.source.listing_urls[0])
    out = list(spider.parse_listing(first))
    (nxt,) = [r for r in out if r.callback == spider.parse_listing]
    assert nxt.method == "POST" and nxt.url.startswith(f"{BASE}{JINXIANG_PROXY}?startrecord=16&endrecord=60&perpage=15")
    assert b"columnid=3321" in nxt.body and b"unitid=18801" in nxt.body
    follow(spider, first, spider.parse_listing)
    total_records = SITE["/jinxiang/col/col3321/index.html"].body.decode().split("totalRecord:")[1].split(",")[0]
    assert len(spider.state.rows) == int(total_records)  # every record of the column was listed, none twice


def test_trs_table_rows_and_create_page_html_paging():
    spider = spider_for("guanxian_zfgzbg")
    first = response_for(spider.source.listing_urls[0])
    rows = list(spider.listing_rows(first))
    assert len(rows) == 15 and all(url.endswith(".shtml") and date for _, url, date, _ in rows)
    assert spider.next_pages(first) == ["index_1.shtml"]
    follow(spider, first, spider.parse_listing)
    assert len(spider.state.rows) == 62


def test_listing_api_rows_and_paging():
    from scrapy.http import TextResponse

    from crawlers.registry import load_sources

    (source,) = load_sources(text="""
- id: api_site
  name: 某市人民政府 政策文件
  platform: trs
  listing_urls: ["https://www.example.gov.cn/zcwj/index.html"]
  allowed_domains: ["example.gov.cn"]
  doc_types: [policy]
  region: {name: 冠县, code: "371525", admin_level: county, province: 山东省, parent: 聊城市}
  listing_api:
    url: "https://www.example.gov.cn/api/list?pageNo={page}&pageSize={size}"
    size: 2
    rows: data.list
    fields: {title: title, url: id, date: pubDate}
    article_url: "https://www.example.gov.cn/zcwj/detail.html?id={id}"
    total: data.total
""")
    spider = SPIDER_BY_PLATFORM["trs"](source=source)
    (start,) = list(spider.start_requests())
    assert start.url == "https://www.example.gov.cn/api/list?pageNo=1&pageSize=2"
    assert start.headers.get("Referer") == b"https://www.example.gov.cn/zcwj/index.html"

    def page(n, rows):
        body = json.dumps({"data": {"total": 3, "list": rows}}, ensure_ascii=False).encode()
        return TextResponse(url=f"https://www.example.gov.cn/api/list?pageNo={n}&pageSize=2", body=body,
                            headers={"Content-Type": "application/json"}, request=Request("https://x", meta={"api_page": n}))

    rows1 = [{"title": "某市关于印发甲方案的通知", "id": 11, "pubDate": "2024-03-02 10:00"},
             {"title": "某市关于乙的意见", "id": 12, "pubDate": "2024-02-20"}]
    out = list(spider.parse_listing(page(1, rows1)))
    articles = [r.url for r in out if r.callback == spider.parse_article]
    assert articles == ["https://www.example.gov.cn/zcwj/detail.html?id=11", "https://www.example.gov.cn/zcwj/detail.html?id=12"]
    (nxt,) = [r for r in out if r.callback == spider.parse_listing]
    assert nxt.url.endswith("pageNo=2&pageSize=2")
    out = list(spider.parse_listing(page(2, [{"title": "某市关于丙的通知", "id": 13, "pubDate": "2024-01-05"}])))
    assert [r for r in out if r.callback == spider.parse_listing] == []  # 3 rows in all: done


def test_no_spider_callback_returns_a_value_from_a_generator():
    """Scrapy's own check of this (WARN_ON_GENERATOR_RETURN_VALUE) is off in our settings, as it
    parses each callback's source during the crawl; so it runs here, over every spider module,
    and a seeded bad callback shows that it can fail."""
    import importlib
    import inspect
    import pkgutil

    from scrapy.utils.misc import is_generator_with_return_value

    import crawlers.spiders

    checked = []
    for mod in pkgutil.iter_modules(crawlers.spiders.__path__):
        module = importlib.import_module(f"crawlers.spiders.{mod.name}")
        for _, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and inspect.isgeneratorfunction(fn):
                checked.append(fn)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                checked += [f for _, f in inspect.getmembers(cls, inspect.isfunction) if inspect.isgeneratorfunction(f)]
    assert len(checked) >= 10
    assert not [f.__qualname__ for f in checked if is_generator_with_return_value(f)]

    def bad(response):
        yield 1
        return 2

    assert is_generator_with_return_value(bad)
