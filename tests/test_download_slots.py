"""Per-site politeness applies to the hosts actually requested (issue 14, item 13): slots are
keyed by the registrable domain, so www./xxgk. hosts of a source share its slot, and one slow
site does not slow the others."""

import pytest
from scrapy.http import Request

from crawlers.registry import Region, Source
from crawlers.settings import crawl_settings
from crawlers.slots import DownloadSlotMiddleware, slot_key


@pytest.mark.parametrize(("host", "key"), [
    ("www.luozhuang.gov.cn", "luozhuang.gov.cn"), ("xxgk.luozhuang.gov.cn", "luozhuang.gov.cn"),
    ("luozhuang.gov.cn", "luozhuang.gov.cn"), ("WWW.Jiangxi.Gov.CN.", "jiangxi.gov.cn"),
    ("sthjt.jiangxi.gov.cn", "jiangxi.gov.cn"), ("www.gov.cn", "www.gov.cn"),
    ("127.0.0.1", "127.0.0.1"), ("::1", "::1"), ("sample-portal", "sample-portal"),
])
def test_slot_key(host, key):
    assert slot_key(host) == key


def source(sid, domain, **politeness):
    return Source(sid, sid, "vsb", (f"http://www.{domain}/list.htm",), (domain,), ("work_report",),
                  Region("某区", None, "district", None, None), politeness=politeness)


def test_each_site_gets_its_own_politeness_on_the_hosts_requested(tmp_path):
    """Scrapy's downloader takes a request's slot from meta['download_slot'] and that slot's
    concurrency and delay from DOWNLOAD_SLOTS: both now use the registrable domain."""
    slow = source("slow_site", "luozhuang.gov.cn", concurrency=1, download_delay=5.0)
    fast = source("fast_site", "hedong.gov.cn", concurrency=4, download_delay=0.5)
    slots = crawl_settings([slow, fast], str(tmp_path), "run").getdict("DOWNLOAD_SLOTS")
    mw = DownloadSlotMiddleware()
    got = {}
    for url in ("http://www.luozhuang.gov.cn/info/1.htm", "http://xxgk.luozhuang.gov.cn/robots.txt",
                "http://www.hedong.gov.cn/zwgk/zfgzbg.htm"):
        request = Request(url)
        mw.process_request(request)
        key = request.meta["download_slot"]
        got[url.split("/")[2]] = (key, slots[key]["concurrency"], slots[key]["delay"])
    assert got["www.luozhuang.gov.cn"] == ("luozhuang.gov.cn", 1, 5.0)
    assert got["xxgk.luozhuang.gov.cn"][0] == "luozhuang.gov.cn"  # the same slot: one queue per site
    assert got["www.hedong.gov.cn"] == ("hedong.gov.cn", 4, 0.5)  # not slowed to the other site's 5 s


def test_a_slot_set_by_the_spider_is_kept():
    request = Request("http://www.luozhuang.gov.cn/", meta={"download_slot": "custom"})
    DownloadSlotMiddleware().process_request(request)
    assert request.meta["download_slot"] == "custom"
