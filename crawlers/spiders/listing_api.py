"""Listings served by an API instead of HTML rows (an Angular or Vue page that fetches its
list, a CMS's JSON endpoint): the registry entry's `listing_api` says how the page calls it,
and the spider makes the same calls.

    listing_api:
      url: "https://www.example.gov.cn/data/list_itemId=42,pageIndex={page},pageSize={size}.json"
      method: GET                 # or POST, with `body` (a template like the url)
      size: 18                    # rows per page
      first_page: 1
      rows: data.rows             # dotted path to the rows in the JSON
      fields: {title: docTitle, date: publishDate, url: docId}
      article_url: "https://www.example.gov.cn/detail.html?docId={docId}"   # when fields.url is an id
      total: data.total           # optional: dotted path to the number of rows in all

Templates know {page}, {size}, {start} (first row, from 1) and {end}.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.http import Response

_FORMAT_KEYS = ("page", "size", "start", "end")


def _fill(template: str, page: int, size: int) -> str:
    start = (page - 1) * size + 1
    return template.replace("{page}", str(page)).replace("{size}", str(size)).replace(
        "{start}", str(start)).replace("{end}", str(start + size - 1))


def page_request(spider, page: int, referer: str | None = None):
    api = spider.source.listing_api
    size = int(api.get("size", 20))
    url = _fill(api["url"], page, size)
    kwargs: dict[str, Any] = {"meta": {"api_page": page}, "cb_kwargs": {"root": api["url"]}}
    headers = {"Accept": "application/json, text/javascript, */*; q=0.01", "X-Requested-With": "XMLHttpRequest"}
    if referer:
        headers["Referer"] = referer
    if api.get("method", "GET").upper() == "POST":
        kwargs.update(method="POST", body=_fill(api.get("body", ""), page, size))
        headers["Content-Type"] = api.get("content_type", "application/x-www-form-urlencoded; charset=UTF-8")
    return spider.request(url, spider.parse_listing, headers=headers, **kwargs)


def is_api_response(response: Response) -> bool:
    ctype = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    return "json" in ctype or response.body.lstrip()[:1] in (b"{", b"[")


def _path(data: Any, dotted: str | None) -> Any:
    for key in (dotted or "").split("."):
        if not key:
            continue
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def rows(spider, response: Response):
    """(title, url, date, row) of each row of an API page."""
    api = spider.source.listing_api
    try:
        data = json.loads(response.text)
    except ValueError:
        spider.logger.info("listing API answered %s with no JSON", response.url)
        return
    fields = api.get("fields", {})
    for row in _path(data, api.get("rows")) or []:
        if not isinstance(row, dict):
            continue
        title = str(_path(row, fields.get("title", "title")) or "").strip()
        ref = _path(row, fields.get("url", "url"))
        if not title or ref in (None, ""):
            continue
        url = api["article_url"].format(**{k: v for k, v in row.items() if isinstance(v, str | int)}) \
            if api.get("article_url") else str(ref)
        date = str(_path(row, fields.get("date", "date")) or "")[:10]
        yield title, response.urljoin(url), date, row


def html_rows(spider, response: Response):
    """The rows of the rendered page of an API source (a browser's copy): its links to
    articles of the shape `article_url` gives."""
    api = spider.source.listing_api
    prefix = (api.get("article_url") or "").split("{")[0]
    if not prefix:
        yield from spider.listing_rows(response)
        return
    from urllib.parse import urlparse

    parts = urlparse(prefix)
    shape = parts.path + ("?" + parts.query if parts.query else "")
    seen = set()
    for a in response.css("a[href]"):
        url = response.urljoin(a.attrib["href"])
        if shape in url and url not in seen:
            seen.add(url)
            title = (a.attrib.get("title") or " ".join(a.css("::text").getall())).strip()
            if title:
                yield title, url, "", a


def next_pages(spider, response: Response, rows_on_page: int) -> list:
    """The next API page while the last one had rows (and the total says there are more); an
    HTML page of an API source (the rendered list) continues with the API's second page."""
    api = spider.source.listing_api
    size = int(api.get("size", 20))
    first = int(api.get("first_page", 1))
    if not is_api_response(response):
        return [page_request(spider, first + 1, referer=response.url)]
    page = int(response.meta.get("api_page", first))
    if rows_on_page == 0:
        return []
    total = None
    if api.get("total"):
        try:
            total = int(_path(json.loads(response.text), api["total"]))
        except (TypeError, ValueError):
            total = None
    if total is not None and (page - first + 1) * size >= total:
        return []
    return [page_request(spider, page + 1, referer=response.url)]
