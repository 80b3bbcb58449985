"""TRS WCM (qingdao.gov.cn, shanxi.gov.cn) and gov.cn: index.shtml, index_1.shtml ... announced
by the createPageHTML(total, current, "index", "shtml") script; rows as list items or table
rows; articles ./YYYYMM/tYYYYMMDD_{id}.shtml (gov.cn: content_{id}.htm) with a 发布日期 line or a
metadata table read by parsers.page_meta."""

from __future__ import annotations

import re

from crawlers.spiders.common import PlatformSpider

_PAGER = re.compile(r'createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"')
_DATE = re.compile(r"发布日期[：:]\s*(\d{4}-\d{2}-\d{2})")
_URL_DATE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+\.s?html?$")


class TrsSpider(PlatformSpider):
    name = "trs"
    platform = "trs"
    # rows as list items or table rows (<tr><td><a href="./201710/t20171010_123.html">…</td><td>2017-10-10</td>)
    row_css = "li, tr"
    link_css = 'a[href*="/t"], a[href^="./"], a[href*="content_"]'
    date_css = "span::text, td:last-child::text, .date::text"

    def next_pages(self, response):
        pager = _PAGER.search(response.text)
        if not pager:
            return []
        total, current, stem, ext = int(pager[1]), int(pager[2]), pager[3], pager[4]
        return [f"{stem}_{current + 1}.{ext}"] if current + 1 < total else []

    def publish_date(self, response, meta, listing_date):
        if meta.get("publish_date"):
            return meta["publish_date"]
        found = _DATE.search(" ".join(response.css(".article-info ::text, .info ::text").getall()))
        url_date = _URL_DATE.search(response.url)
        if found:
            return found[1]
        if url_date:
            return f"{url_date[1]}-{url_date[2]}-{url_date[3]}"
        return listing_date or None
