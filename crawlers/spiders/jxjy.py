"""The Jiangxi province-run 集约化 platform (UCAP, wanzai.gov.cn, yichun.gov.cn): articles
…/{YYYYMM}/{32 hex}.shtml with `<ucaptitle>`, `<publishtime>` and a `dl/dd` metadata block
(索 引 号, 发布机构, 发文日期) read by parsers.page_meta; listings list.shtml / xxgk_list.shtml
with `<li><a href="…shtml">` rows and a dated `<span>`, paged as list_2.shtml, list_3.shtml …
(named by the page's pager, else found as 下一页 links)."""

from __future__ import annotations

import re

from crawlers.spiders.common import PlatformSpider

_PAGER = re.compile(r"createPageHTML\(\s*['\"]?[\w-]*['\"]?\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]")


class JxjySpider(PlatformSpider):
    name = "jxjy"
    platform = "jxjy"
    row_css = "li, tr"
    link_css = 'a[href$=".shtml"]'
    date_css = "span, .date, td:last-child"

    def next_pages(self, response):
        pager = _PAGER.search(response.text)
        if pager:  # createPageHTML('page_div', total, current, 'list', 'shtml')
            total, current, stem, ext = int(pager[1]), int(pager[2]), pager[3], pager[4]
            return [f"{stem}_{current + 1}.{ext}"] if current < total else []
        return super().next_pages(response)
