"""VSB-style CMS (luozhuang.gov.cn, hedong.gov.cn): column pages with '下页' pagination,
articles at /info/{column}/{id}.htm with a 索引号/文号 table and 下载PDF/Word links."""

from __future__ import annotations

from crawlers.spiders.common import PlatformSpider


class VsbSpider(PlatformSpider):
    name = "vsb"
    platform = "vsb"
    row_css = "ul.list li, .list-box li, table.listTable tr"
    date_css = ".date::text, span::text, td:last-child::text"
