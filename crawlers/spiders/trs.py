"""TRS WCM (qingdao.gov.cn): index.shtml, index_1.shtml ... announced by the
createPageHTML(total, current, "index", "shtml") script; articles ./YYYYMM/tYYYYMMDD_{id}.shtml
with a 发布日期 line."""

from __future__ import annotations

import re

from crawlers.spiders.common import (
    PlatformSpider,
    article_title,
    attachment_links,
    classify_title,
    in_year_scope,
    page_is_older,
)

_PAGER = re.compile(r'createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"')
_DATE = re.compile(r"发布日期[：:]\s*(\d{4}-\d{2}-\d{2})")
_URL_DATE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+\.s?html?$")


class TrsSpider(PlatformSpider):
    name = "trs"
    platform = "trs"

    def parse_listing(self, response):
        dates = []
        for row in response.css("li"):
            link = row.css('a[href*="/t"], a[href^="./"]')
            if not link:
                continue
            title = (link.attrib.get("title") or " ".join(link.css("::text").getall())).strip()
            date = (row.css("span::text").get() or "").strip()
            dates.append(date)
            doc_type = classify_title(title, self.source.doc_types)
            if doc_type and in_year_scope(self.year, title, date):
                yield response.follow(link[0], callback=self.parse_article,
                                      cb_kwargs={"listing_title": title, "doc_type": doc_type, "date": date})
        if page_is_older(self.year, dates):
            return
        pager = _PAGER.search(response.text)
        if pager:
            total, current, stem, ext = int(pager[1]), int(pager[2]), pager[3], pager[4]
            if current + 1 < total:
                yield response.follow(f"{stem}_{current + 1}.{ext}", callback=self.parse_listing)

    def parse_article(self, response, listing_title: str, doc_type: str, date: str):
        text = " ".join(response.css(".article-info ::text, .info ::text").getall())
        found = _DATE.search(text)
        url_date = _URL_DATE.search(response.url)
        publish = found[1] if found else (f"{url_date[1]}-{url_date[2]}-{url_date[3]}" if url_date else date or None)
        title = article_title(response, {}, listing_title)
        item = self.make_item(response, title=title, doc_type=doc_type, publish_date=publish)
        yield from self.with_attachments(response, item, attachment_links(response))
