"""Aggregator pages (产业园区网-style): many reports in full on one listing page, each
'• 【X招商】YEAR REGION政府工作报告' + body + date; paginated /info/{id}/page/{n}, '共 N 页'.
Each report becomes an item pointing at its fragment of the stored page."""

from __future__ import annotations

import re

from crawlers.spiders.common import PlatformSpider

_TOTAL = re.compile(r"共\s*(\d+)\s*页")


class AggregatorSpider(PlatformSpider):
    name = "aggregator"
    platform = "aggregator"
    listing_dates_are_report_dates = False

    row_css = ".news-item[id]"
    link_css = "h3"
    date_css = ".news-date"

    def listing_rows(self, response):
        for title, _, date, entry in super().listing_rows(response):
            yield title.lstrip("•").strip(), f"{response.url}#{entry.get('id')}", date, entry

    def new_document(self, response, row, url, title, doc_type, date):
        item = self.make_item(response, title=title, doc_type=doc_type, publish_date=date or None,
                              fragment=row.get("id"), listing_title=title, listing_date=date)
        item["doc_key"] = url
        body = " ".join(el.text_content() for el in row.find_class("news-body"))
        if self.wanted(item, body):
            yield item

    def next_pages(self, response):
        nxt = response.css("a.next::attr(href)").get() or response.xpath('//a[normalize-space(text())="下一页"]/@href').get()
        if nxt:
            return [nxt]
        total = _TOTAL.search(response.text)
        current = re.search(r"/page/(\d+)$", response.url)
        if total and current and int(current[1]) < int(total[1]):
            return [re.sub(r"/page/\d+$", f"/page/{int(current[1]) + 1}", response.url)]
        return []
