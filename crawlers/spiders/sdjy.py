"""Shandong intensive platform (集约化, linzi.gov.cn, zhoucun.gov.cn): listings under
/gongkai/site_{site}/channel_{hex}[_n_{ts}]/, articles doc_{24 hex}.html with a
标题/索引号/文号/发文日期/发布机构 table."""

from __future__ import annotations

from crawlers.spiders.common import (
    PlatformSpider,
    article_title,
    attachment_links,
    classify_title,
    in_year_scope,
    normalise_meta,
    page_is_older,
    table_meta,
)


class SdjySpider(PlatformSpider):
    name = "sdjy"
    platform = "sdjy"

    def parse_listing(self, response):
        dates = []
        for row in response.css("li, tr"):
            link = row.css('a[href*="doc_"]')
            if not link:
                continue
            title = (link.attrib.get("title") or " ".join(link.css("::text").getall())).strip()
            date = (row.css(".date::text, span::text").get() or "").strip()
            dates.append(date)
            doc_type = classify_title(title, self.source.doc_types)
            if doc_type and in_year_scope(self.year, title, date):
                yield response.follow(link[0], callback=self.parse_article,
                                      cb_kwargs={"listing_title": title, "doc_type": doc_type, "date": date})
        if page_is_older(self.year, dates):
            return
        for nxt in response.xpath('//a[normalize-space(text())="下一页" or normalize-space(text())="下页"]/@href').getall():
            yield response.follow(nxt, callback=self.parse_listing)

    def parse_article(self, response, listing_title: str, doc_type: str, date: str):
        meta = normalise_meta(table_meta(response))
        title = article_title(response, meta, listing_title)
        publish = meta.get("written_date") or date or None
        item = self.make_item(response, title=title, doc_type=doc_type, publish_date=publish, meta=meta)
        yield from self.with_attachments(response, item, attachment_links(response))
