"""VSB-style CMS (luozhuang.gov.cn, hedong.gov.cn): column pages with '下页' pagination,
articles at /info/{column}/{id}.htm with a 索引号/文号 table and 下载PDF/Word links."""

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


class VsbSpider(PlatformSpider):
    name = "vsb"
    platform = "vsb"

    def parse_listing(self, response):
        dates = []
        for row in response.css("ul.list li, .list-box li, table.listTable tr"):
            link = row.css("a[href]")
            if not link:
                continue
            title = (link.attrib.get("title") or " ".join(link.css("::text").getall())).strip()
            date = (row.css(".date::text, span::text, td:last-child::text").get() or "").strip()
            dates.append(date)
            doc_type = classify_title(title, self.source.doc_types)
            if doc_type and in_year_scope(self.year, title, date):
                yield response.follow(link[0], callback=self.parse_article,
                                      cb_kwargs={"listing_title": title, "doc_type": doc_type, "date": date})
        if page_is_older(self.year, dates):
            return
        for nxt in response.xpath('//a[normalize-space(text())="下页" or normalize-space(text())="下一页"]/@href').getall():
            yield response.follow(nxt, callback=self.parse_listing)

    def parse_article(self, response, listing_title: str, doc_type: str, date: str):
        meta = normalise_meta(table_meta(response))
        title = article_title(response, meta, listing_title)
        item = self.make_item(response, title=title, doc_type=doc_type,
                              publish_date=meta.get("publish_date") or date or None, meta=meta)
        yield from self.with_attachments(response, item, attachment_links(response))


