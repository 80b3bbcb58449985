import io
import urllib.error
import urllib.request

import pdfplumber
import pytest

from crawlers.sample_portal.site import build_site


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, resp.headers.get("Content-Type"), resp.read()


def test_portal_serves_robots_gbk_and_a_dead_link(portal):
    status, ctype, body = fetch(portal.url + "/robots.txt")
    assert status == 200 and b"Disallow: /agg/member/" in body
    status, ctype, body = fetch(portal.url + "/hedong/zwgk/zfgzbg.htm")
    assert "charset=gbk" in ctype
    assert "2023年河东区政府工作报告" in body.decode("gbk")
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(portal.url + "/luozhuang/info/1021/2890.htm")
    assert err.value.code == 404


def test_pages_are_deterministic():
    a, b = build_site(), build_site()
    assert a.keys() == b.keys()
    assert all(a[k].body == b[k].body for k in a)


def test_report_pdf_has_extractable_chinese_and_page_furniture():
    site = build_site()
    pdf = next(r for p, r in site.items() if p.startswith("/hedong/") and r.content_type == "application/pdf")
    with pdfplumber.open(io.BytesIO(pdf.body)) as doc:
        assert len(doc.pages) > 5
        second = doc.pages[1].extract_text()
    assert second.splitlines()[0] == "河东区第二十届人民代表大会第二次会议文件"
    assert second.splitlines()[-1] == "— 2 —"


def test_aggregator_is_paginated_with_unrelated_entries():
    site = build_site()
    pages = sorted(p for p in site if p.startswith("/agg/info/1009/page/"))
    assert len(pages) == 4
    first = site[pages[0]].body.decode()
    assert "共 4 页" in first and "招商引资优惠政策汇编" in first
