"""Hanweb (大汉) jcms and jpaas, the most common platform of provincial and city portals.

Articles: /art/{Y}/{M}/{D}/art_{column}_{id}.html (jcms) or /col/col{id}/content/content_{id}.html
(jpaas), with a 索引号/发文机关/文号/成文日期 block read by parsers.page_meta. Column pages
/col/col{id}/index.html do not carry their rows as HTML:
- jcms writes them as records of an XML datastore inside `<script type="text/xml">`
  (`<record><![CDATA[<li><a href="/art/…">…</a><span>2021-03-05</span></li>]]></record>`) and
  pages through `/module/web/jpage/dataproxy.jsp`, which the page's jpage script calls with
  POST `startrecord/endrecord/perpage` and the column's `webid/columnid/unitid`;
- jpaas writes them as JSON (`var listData = {articleList: [{title, urls: {pc}, pubDate}…]}`)
  and pages with `?uid={unit}&pageNum={n}` on the column URL.
The spider reads the rows where the platform puts them and asks for the next page the way the
page's own script does. A registry entry may give `listing_api` (see crawlers/registry.py)
when a site pages through an API of its own.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode, urljoin

import lxml.html
from scrapy.http import Response

from crawlers.spiders.common import PlatformSpider

_DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)")
_PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)|perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_LISTDATA = re.compile(r"(?:var\s+)?listData\s*=\s*\{\s*articleList\s*:\s*(\[.*?\])\s*,?\s*\}\s*;", re.S)
_UNITID = re.compile(r"unitid\s*[:=]\s*['\"]?(\d+)", re.I)
_DATE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}")


class HanwebSpider(PlatformSpider):
    name = "hanweb"
    platform = "hanweb"
    row_css = "li, tr"
    link_css = 'a[href*="/art/"], a[href*="content_"], a[href$=".html"]'
    date_css = "span, td:last-child, .date, .bt-data-time"

    # --- rows -------------------------------------------------------------------------------
    def listing_rows(self, response: Response):
        text = response.text
        records = []
        for store in _DATASTORE.findall(text):
            records += _RECORD.findall(store)
        if records:  # jcms: the datastore of the column page, or the XML of dataproxy.jsp
            yield from self._record_rows(response, records)
            return
        listdata = _LISTDATA.search(text)
        if listdata:  # jpaas: the rows as JSON in the page
            yield from self._json_rows(response, listdata.group(1))
            return
        yield from super().listing_rows(response)

    def _record_rows(self, response: Response, records: list[str]):
        for record in records:
            frag = lxml.html.fragment_fromstring(record, create_parent="div")
            links = [a for a in frag.iter("a") if a.get("href")]
            if not links:
                continue
            link = links[0]
            title = (link.get("title") or link.text_content()).strip()
            date = next((m.group(0) for m in [_DATE.search(frag.text_content())] if m), "")
            yield title, response.urljoin(link.get("href")), date, frag

    def _json_rows(self, response: Response, data: str):
        try:
            rows = json.loads(data)
        except ValueError:
            self.logger.info("listData of %s is not JSON", response.url)
            return
        for row in rows:
            urls = row.get("urls")
            if isinstance(urls, str):
                try:
                    urls = json.loads(urls)
                except ValueError:
                    urls = {"pc": urls}
            href = (urls or {}).get("pc") or row.get("url")
            title = re.sub(r"<[^>]+>", "", row.get("title") or row.get("showTitle") or "").strip()
            if href and title:
                yield title, response.urljoin(href), (row.get("pubDate") or "")[:10], row

    # --- next pages ---------------------------------------------------------------------------
    def next_pages(self, response: Response) -> list:
        text = response.text
        records_here = sum(len(_RECORD.findall(s)) for s in _DATASTORE.findall(text))
        if records_here:
            return self._dataproxy_next(response, text, records_here)
        if _LISTDATA.search(text):
            return self._page_num_next(response, text)
        return super().next_pages(response)

    def _dataproxy_next(self, response: Response, text: str, records_here: int) -> list:
        """The next group of records from dataproxy.jsp, as the jpage script asks for it."""
        group = _NEXTGROUP.search(text)
        query = {}
        endpoint = None
        if group:
            href = re.search(r'href="([^"]+)"', group.group(1))
            if href:
                endpoint, _, qs = urljoin(response.url, href.group(1).replace("&amp;", "&")).partition("?")
                # decoded, so that the form posts each value as the href spelled it (a value
                # kept encoded would be encoded twice: webname=%25E5… becoming %2525E5…)
                query = dict(parse_qsl(qs, keep_blank_values=True))
        elif "dataproxy.jsp" in response.url:
            endpoint = response.url.split("?")[0]
            query = dict(response.meta.get("hanweb_form") or {})
        if not endpoint:
            return []
        per_page = int(next((g for m in _PERPAGE.finditer(text) for g in m.groups() if g), records_here) or records_here)
        start = int(response.meta.get("hanweb_end") or records_here) + 1
        total = next((int(g) for m in _TOTAL.finditer(text) for g in m.groups() if g), None)
        if total is not None and start > total:
            return []
        if total is None and records_here < per_page and "dataproxy.jsp" in response.url:
            return []
        end = start + per_page * 3 - 1  # jpage asks for three pages at a time
        form = {k: v for k, v in query.items() if k not in ("startrecord", "endrecord", "perpage")}
        url = f"{endpoint}?{urlencode({'startrecord': start, 'endrecord': end, 'perpage': per_page})}"
        return [self.request(url, self.parse_listing, method="POST", body=urlencode(form),
                             headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                                      "Referer": response.url},
                             meta={"hanweb_form": form, "hanweb_end": end})]

    def _page_num_next(self, response: Response, text: str) -> list:
        """jpaas columns page with ?uid={unit}&pageNum={n} on the column URL."""
        unit = _UNITID.search(text)
        current = re.search(r"[?&]pageNum=(\d+)", response.url)
        page = int(current.group(1)) + 1 if current else 2
        per_page = next((int(g) for m in _PERPAGE.finditer(text) for g in m.groups() if g), None)
        total = re.search(r'"articleCount"\s*:\s*(\d+)', text)
        if per_page and total and (page - 1) * per_page >= int(total.group(1)):
            return []
        base = response.url.split("?")[0]
        return [f"{base}?{urlencode({'uid': unit.group(1), 'pageNum': page}) if unit else urlencode({'pageNum': page})}"]
