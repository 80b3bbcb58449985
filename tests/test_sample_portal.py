import io
import urllib.error
import urllib.request

import pdfplumber
import pytest

from crawlers.sample_portal.site import JINXIANG_PROXY, Resource, build_site, resolve


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, resp.headers.get("Content-Type"), resp.read()


def test_portal_serves_robots_gbk_and_a_dead_link(portal):
    status, ctype, body = fetch(portal.url + "/robots.txt")
    assert status == 200 and b"Disallow: /agg/member/" in body
    status, ctype, body = fetch(portal.url + "/hedong/zwgk/zfgzbg.htm")
    assert "charset=gbk" in ctype
    assert "河东区" in body.decode("gbk") and "下页" in body.decode("gbk")
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(portal.url + "/luozhuang/info/1021/2890.htm")
    assert err.value.code == 404


def test_pages_are_deterministic():
    a, b = build_site(), build_site()
    assert a.keys() == b.keys()
    assert all(a[k].body == b[k].body for k in a if isinstance(a[k], Resource))
    form = b"col=1&webid=42&path=/&columnid=3321&unitid=18801"
    assert resolve(a, f"{JINXIANG_PROXY}?startrecord=16&endrecord=60&perpage=15", form).body == \
        resolve(b, f"{JINXIANG_PROXY}?startrecord=16&endrecord=60&perpage=15", form).body


def test_hanweb_dataproxy_answers_records_like_jpage(portal):
    url = f"{portal.url}{JINXIANG_PROXY}?startrecord=16&endrecord=30&perpage=15"
    req = urllib.request.Request(url, data=b"col=1&appid=1&webid=42&path=/&columnid=3321&unitid=18801", method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        xml = resp.read().decode()
    assert "<totalrecord>72</totalrecord>" in xml and xml.count("<record>") == 15


def test_report_pdf_has_extractable_chinese_and_page_furniture():
    site = build_site()
    pdf = next(r for p, r in site.items() if p.startswith("/hedong/") and r.content_type == "application/pdf")
    with pdfplumber.open(io.BytesIO(pdf.body)) as doc:
        assert len(doc.pages) > 5
        second = doc.pages[1].extract_text()
    assert second.splitlines()[0] == "河东区第二十届人民代表大会第二次会议文件"
    assert second.splitlines()[-1] == "— 2 —"


def test_listings_are_deep_and_dated_like_real_portals():
    site = build_site()
    pages = [p for p in site if p.startswith("/agg/info/1009/page/")]
    assert len(pages) == 20
    first = site["/agg/info/1009/page/1"].body.decode()
    assert "共 20 页" in first and "招商引资优惠政策汇编" in first
    vsb = [p for p in site if p.startswith("/luozhuang/zfxxgk/zfgzbg")]
    assert len(vsb) >= 9  # zfgzbg.htm, then zfgzbg/N.htm counting down to 1.htm
    assert "/luozhuang/zfxxgk/zfgzbg/1.htm" in site


def test_conditional_get_answers_304(portal):
    req = urllib.request.Request(portal.url + "/luozhuang/zfgw/lzbz.htm")
    with urllib.request.urlopen(req, timeout=10) as resp:
        etag = resp.headers["ETag"]
        assert resp.headers["Last-Modified"]
    req = urllib.request.Request(portal.url + "/luozhuang/zfgw/lzbz.htm", headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 304


def test_fault_switches_change_pages():
    base, changed = build_site(), build_site({"changed_listing", "oversize", "redirect_loop", "gbk", "silent"})
    assert "/luozhuang/info/1091/5210.htm" in changed and "/luozhuang/info/1091/5210.htm" not in base
    assert changed["/agg/info/1009/page/1"].content_type == "text/html"  # GBK, charset only sniffable
    assert b"charset" not in changed["/agg/info/1009/page/1"].body[:400]
    assert "2021年罗庄区政府工作报告" not in changed["/luozhuang/zfxxgk/zfgzbg.htm"].body.decode("gbk")
