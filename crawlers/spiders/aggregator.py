"""Aggregator pages (产业园区网-style): many reports in full on one listing page, each
'• 【X招商】YEAR REGION政府工作报告' + body + date; paginated /info/{id}/page/{n}, '共 N 页'.
Each report becomes an item pointing at its fragment of the stored page."""

from __future__ import annotations

import re

from crawlers.spiders.common import PlatformSpider, classify_title, in_year_scope, page_is_older

_TOTAL = re.compile(r"共\s*(\d+)\s*页")


class AggregatorSpider(PlatformSpider):
    name = "aggregator"
    platform = "aggregator"

    def parse_listing(self, response):
        dates = []
        for entry in response.css(".news-item[id]"):
            title = " ".join(entry.css("h3 a::text, h3::text").getall()).strip().lstrip("•").strip()
            date = (entry.css(".news-date::text").get() or "").strip()
            dates.append(date)
            bare = re.sub(r"^【[^】]*】", "", title)
            doc_type = classify_title(bare, self.source.doc_types)
            if doc_type and in_year_scope(self.year, bare, None):
                yield self.make_item(response, title=title, doc_type=doc_type, publish_date=date or None,
                                     fragment=entry.attrib["id"])
        if self.year is not None and page_is_older(self.year, dates):
            return
        nxt = response.css("a.next::attr(href)").get() or response.xpath('//a[normalize-space(text())="下一页"]/@href').get()
        if nxt:
            yield response.follow(nxt, callback=self.parse_listing)
        else:
            total = _TOTAL.search(response.text)
            current = re.search(r"/page/(\d+)$", response.url)
            if total and current and int(current[1]) < int(total[1]):
                yield response.follow(re.sub(r"/page/\d+$", f"/page/{int(current[1]) + 1}", response.url),
                                      callback=self.parse_listing)
