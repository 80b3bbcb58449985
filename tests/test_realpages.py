"""Pages saved from real government portals (tests/fixtures/realpages, what a reader sees on
each in sources.json `expected`), through the platform spiders with their original URLs and a
frozen clock, and through `govreports parse`. A field is checked where the page shows it."""

import json
import re
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

import crawlers.spiders.common as common
from crawlers.registry import load_sources
from crawlers.spiders import SPIDER_BY_PLATFORM
from parsers.document import parse_bytes
from parsers.extract import decode_html
from tests.conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "realpages"
PAGES = json.loads((FIXTURES / "sources.json").read_text("utf-8"))
# the registry entry of each real site (crawlers/sources.yaml, live entries)
SITE_SOURCE = {"www.jiangxi.gov.cn": "jiangxi_gov_zcwj", "sthjt.jiangxi.gov.cn": "jiangxi_sthjt_zcjd",
               "fgw.zj.gov.cn": "zhejiang_fgw_tzyx", "www.shanxi.gov.cn": "shanxi_gov_sxyw",
               "www.gov.cn": "gov_cn_zhengce", "www.wanzai.gov.cn": "wanzai_gov_tjgb",
               "www.yichun.gov.cn": "yichun_gov_tjgb", "www.nfra.gov.cn": "nfra_jgjbj"}
FIELDS = ("title", "publish_date", "doc_number", "index_no", "publisher")
JUNK = re.compile(r"<!--|-->|<\$\[|\$\[[^\]]*\]|\{\{|\}\}|\$\{|#\{")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(common, "utcnow", lambda: "2026-01-02T03:04:05Z")


def body(page: dict) -> bytes:
    return (FIXTURES / page["file"]).read_bytes()


def shown(page: dict, field: str) -> list[str]:
    """The expected values of a field that the saved bytes actually show (a fragment saved by
    another scraper may lack its page's header)."""
    want = page["expected"].get(field)
    if want is None:
        return []
    values = want if isinstance(want, list) else [want]
    text = re.sub(r"\s", "", decode_html(body(page)))
    out = []
    for v in values:
        forms = {re.sub(r"\s", "", v)}
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v)
        if m:
            forms.add(f"{int(m[1])}年{int(m[2])}月{int(m[3])}日")
        if any(f in text for f in forms):
            out.append(v)
    return out


def handler_for(page: dict):
    source = next(s for s in load_sources() if s.id == SITE_SOURCE[page["site"]])
    return SPIDER_BY_PLATFORM[source.platform](source=source)


def response(page: dict) -> HtmlResponse:
    return HtmlResponse(url=page["url"], body=body(page), request=Request(page["url"]),
                        headers={"Content-Type": "text/html"}, encoding=None)


ARTICLES = [slug for slug, p in PAGES.items() if p["kind"] in ("article", "fragment")]
LISTINGS = [slug for slug, p in PAGES.items() if p["kind"] == "listing"]


@pytest.mark.parametrize("slug", ARTICLES)
def test_article_fields_through_the_spider(slug):
    page = PAGES[slug]
    spider = handler_for(page)
    doc_type = page["expected"].get("doc_type") if page["expected"].get("doc_type") != "other" else "policy"
    (item,) = list(spider.parse_article(response(page), listing_title="", doc_type=doc_type, date=""))
    assert item["fetched_at"] == "2026-01-02T03:04:05Z"
    got = {"title": item["title"], "publish_date": item["publish_date"], **item["meta"]}
    for field in FIELDS:
        values = shown(page, field)
        if values:
            assert got.get(field) in values, (slug, field, got.get(field), values)


@pytest.mark.parametrize("slug", ARTICLES)
def test_article_fields_and_clean_text_through_parse(slug):
    page = PAGES[slug]
    doc = parse_bytes(body(page), "html")[0]["document"]
    for field in FIELDS:
        values = shown(page, field)
        if values:
            assert doc.get(field) in values, (slug, field, doc.get(field), values)
    assert doc["text_chars"] > 200
    assert not JUNK.search(doc["text"]), JUNK.search(doc["text"]).group(0)


def test_parse_cli_over_the_saved_pages_gives_the_same_fields(tmp_path):
    proc = run_cli("parse", str(FIXTURES / "pages"), "--json")
    assert proc.returncode == 0, proc.stderr
    docs = {Path(json.loads(line)["document"]["source_path"]).stem: json.loads(line)["document"]
            for line in proc.stdout.splitlines()}
    for slug in ARTICLES:
        for field in FIELDS:
            values = shown(PAGES[slug], field)
            if values:
                assert docs[slug].get(field) in values, (slug, field)


@pytest.mark.parametrize("slug", LISTINGS)
def test_listing_pages_yield_article_links_and_the_next_page(slug):
    page = PAGES[slug]
    spider = handler_for(page)
    res = response(page)
    if spider.source.listing_api:
        from crawlers.spiders import listing_api

        rows = list(listing_api.html_rows(spider, res))
    else:
        rows = list(spider.listing_rows(res))
    links = [url for _, url, _, _ in rows]
    assert len(links) >= 5, links
    assert all(re.search(page["expected"]["article_link_regex"], u) for u in links), links
    assert all(title for title, _, _, _ in rows)
    out = list(spider.parse_listing(res))
    nexts = [r for r in out if r.callback == spider.parse_listing]
    assert len(nexts) == 1
    if "pageNum" in page["expected"]["next_page"]:
        assert "pageNum=2" in nexts[0].url and "uid=" in nexts[0].url
    else:  # the API the rendered page called, its second page
        assert "pageIndex=2" in nexts[0].url and nexts[0].url.endswith(".json")


def test_a_number_cited_in_the_body_is_not_the_pages_own():
    html = ("<html><body><h1 class='article-title'>关于做好某项工作的通知</h1>"
            "<div id='zoom'><p>各区县：</p><p>根据《省政府关于加快发展的意见》（赣府发〔2019〕3号）要求，现通知如下。</p>"
            "</div></body></html>").encode()
    doc = parse_bytes(html, "html")[0]["document"]
    assert doc["doc_number"] is None
    own = ("<html><body><h1 class='article-title'>关于做好某项工作的通知</h1><div id='zoom'>"
           "<p>赣府厅字〔2021〕12号</p><p>各区县：</p><p>根据《意见》（赣府发〔2019〕3号）要求……</p></div></body></html>").encode()
    assert parse_bytes(own, "html")[0]["document"]["doc_number"] == "赣府厅字〔2021〕12号"


def test_two_notices_citing_one_document_stay_two_documents():
    def notice(title):
        return (f"<html><body><h1 class='article-title'>{title}</h1><div id='zoom'><p>各县区：</p>"
                "<p>为贯彻落实《国务院关于某事的通知》（国发〔2020〕7号）精神，特制定本方案。</p></div></body></html>").encode()
    a = parse_bytes(notice("某市关于印发甲工作方案的通知"), "html")[0]["document"]
    b = parse_bytes(notice("某市关于印发乙工作方案的通知"), "html")[0]["document"]
    assert a["doc_id"] != b["doc_id"]
