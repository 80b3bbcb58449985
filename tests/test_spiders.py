"""Spiders offline against the portal's saved pages (frozen clock), and over real HTTP."""

import json

import pytest
from scrapy.http import HtmlResponse, Request

import crawlers.spiders.common as common
from crawlers.sample_portal.site import build_site
from crawlers.spiders import SPIDER_BY_PLATFORM
from tests.conftest import run_cli

BASE = "http://portal.test"
SITE = build_site()


def response_for(url: str, **meta) -> HtmlResponse:
    res = SITE[url[len(BASE):]]
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
            if out.url[len(BASE):] not in SITE:
                continue  # the dead link
            resp = response_for(out.url, raw={"sha256": "x" * 64, "key": "raw/xx/x.bin", "content_type": "t"})
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
        "qingdao_zfgzbg": 1, "cyyq_zfgzbg": 10}
    assert stats["luozhuang_zfgzbg"]["status_counts"].get("404") == 1
    manifests = list((store / "crawl" / "items").rglob("*.jsonl"))
    assert len(manifests) == 6
    raw = list((store / "raw").rglob("*.*"))
    assert any(p.suffix == ".pdf" for p in raw) and any(p.suffix == ".docx" for p in raw)
    assert portal.hits.get("/agg/member/login") is None  # robots.txt-disallowed, never fetched
