"""TRS WCM (qingdao.gov.cn, shanxi.gov.cn) and gov.cn: index.shtml, index_1.shtml ... announced
by the createPageHTML(total, current, "index", "shtml") script or by countPage/currentPage
script variables; rows as list items or table rows; articles ./YYYYMM/tYYYYMMDD_{id}.shtml (gov.cn: content_{id}.htm) with a 发布日期 line or a
metadata table read by parsers.page_meta."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawlers.spiders.common import PlatformSpider

_PAGER = re.compile(r'createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"')
# the other TRS pager: page count and current page in script variables, links written by script
_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"\bvar\s+currentPage\s*=\s*(\d+)")
_WRITTEN_PAGE = re.compile(r'href=\\?"(\w+)"\s*\+\s*"_"\s*\+\s*(?:nextPage|\(currentPage\s*\+\s*1\))\s*\+\s*"\."\s*\+\s*"(s?html?)')
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
        if pager:
            total, current, stem, ext = int(pager[1]), int(pager[2]), pager[3], pager[4]
        else:  # var currentPage = 0; var countPage = 5; document.write("<a href=\"index"+"_"+nextPage+"."+"html\">")
            count, current_at = _COUNT_PAGE.search(response.text), _CURRENT_PAGE.search(response.text)
            if not (count and current_at):
                return []
            total, current = int(count[1]), int(current_at[1])
            written = _WRITTEN_PAGE.search(response.text)
            name = urlsplit(response.url).path.rsplit("/", 1)[-1]
            stem, ext = ((written[1], written[2]) if written
                         else (re.sub(r"_\d+$", "", name.rpartition(".")[0]) or "index", name.rpartition(".")[2] or "html"))
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
