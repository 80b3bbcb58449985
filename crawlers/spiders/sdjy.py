"""Shandong intensive platform (集约化, linzi.gov.cn, zhoucun.gov.cn): listings under
/gongkai/site_{site}/channel_{hex}[_n_{ts}]/, articles doc_{24 hex}.html with a
标题/索引号/文号/发文日期/发布机构 table."""

from __future__ import annotations

from crawlers.spiders.common import PlatformSpider


class SdjySpider(PlatformSpider):
    name = "sdjy"
    platform = "sdjy"
    row_css = "li, tr"
    link_css = 'a[href*="doc_"]'
    date_css = ".date::text, span::text"

    def publish_date(self, response, meta, listing_date):
        return meta.get("written_date") or meta.get("publish_date") or listing_date or None
