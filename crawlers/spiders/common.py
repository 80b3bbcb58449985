"""What the platform spiders share: the source, title classification, year scope, the
item shape, and attachment fetching."""

from __future__ import annotations

import functools
import logging
import re
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response

from crawlers.errors import describe
from crawlers.middlewares import utcnow
from crawlers.registry import Source, get_source
from storage.raw import file_name

# Listing titles that mention a report but are not one.
_NOT_A_REPORT = re.compile(r"图解|解读|问答|视频|答记者问|新闻发布|发布会|重点任务|分工|落实情况|完成情况|征求意见|座谈会|建议|提案")
_REPORT = re.compile(r"政府工作报告(?:[（(]?全文[）)]?)?$")
_POLICY = re.compile(r"(?:通知|意见|办法|方案|规定|决定|细则|规划|措施|批复)$")
_NOT_A_POLICY = re.compile(r"图解|解读|问答|视频|答记者问|新闻发布")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# every kind of file portals attach: by the path's extension, or by a file name in the query
# (downfile.jsp?…&filename=xxx.pdf, download.jsp?…), or by the link's words (下载PDF, 附件)
_FILE_EXT = r"pdf|docx?|wps|xlsx?|et|zip|rar|7z|ofd"
ATTACHMENT_EXT = re.compile(rf"\.(?:{_FILE_EXT})(?:$|[?#])|[?&](?:file_?name|name|filename)=[^&#]*\.(?:{_FILE_EXT})(?:$|[&#])", re.I)
ATTACHMENT_TEXT = re.compile(rf"下载\s*(?:PDF|Word|WORD|WPS|附件|原文)|\.(?:{_FILE_EXT})\s*$|附件", re.I)


def classify_title(title: str, doc_types: tuple[str, ...]) -> str | None:
    """The document type a listing title announces, or None for articles we skip."""
    title = re.sub(r"\s+", "", title)
    if "work_report" in doc_types and _REPORT.search(title) and not _NOT_A_REPORT.search(title):
        return "work_report"
    if "policy" in doc_types and _POLICY.search(title) and not _NOT_A_POLICY.search(title):
        return "policy"
    return None


def title_year(title: str) -> int | None:
    match = _YEAR.search(title)
    return int(match.group(1)) if match else None


def in_year_scope(year: int | None, title: str, date: str | None) -> bool:
    """With --year Y keep documents of report year Y: the title's year, else the listing date's."""
    if year is None:
        return True
    found = title_year(title) or (int(date[:4]) if date and date[:4].isdigit() else None)
    return found is None or found == year


def page_is_older(year: int | None, dates: list[str]) -> bool:
    """True when every dated row of a listing page is before report year Y: stop paging."""
    years = [int(d[:4]) for d in dates if d and d[:4].isdigit()]
    return bool(year is not None and years and max(years) < year)


class PlatformSpider:
    """The crawling logic of one portal platform, bound to one registry source. Not a Scrapy
    spider of its own: one `PortalSpider` per run drives a handler per source, so that
    politeness is per site (download slots) rather than per source, and one crawler serves
    the whole run.

    Incremental rule: a listing row whose URL, title and date are known from an earlier run is
    not fetched again; once a listing has been walked to its end, later runs stop paging at the
    first page whose rows are all known. With --year, pages are walked until they are older
    than the year (known documents are still skipped)."""

    platform = ""
    # Listing layout of the platform: rows, the article link in a row, the row's date.
    row_css = "li"
    link_css = "a[href]"
    date_css = "span::text"
    # On portals a listing date is the publication date of the report; on aggregators it is
    # the date of the repost and says nothing about the report year.
    listing_dates_are_report_dates = True

    def __init__(self, source_id: str | None = None, portal_url: str | None = None,
                 year: int | str | None = None, source: Source | None = None, crawler=None) -> None:
        self.source = source or get_source(source_id, portal_url)
        if self.source.platform != self.platform:
            raise ValueError(f"source {self.source.id} is on platform {self.source.platform}, not {self.platform}")
        self.year = int(year) if year not in (None, "") else None
        self.crawler = crawler
        self.logger = logging.getLogger(f"govreports.{self.platform}.{self.source.id}")
        self._offline_state = None
        pol = self.source.politeness
        self._meta = {"source_id": self.source.id, "download_timeout": pol.get("timeout", 60),
                      "download_maxsize": int(pol.get("max_mb", 64) * 1024 * 1024),
                      "max_retry_times": pol.get("retries", 3), "backoff_base": pol.get("backoff", 1.0),
                      "local_source": self.source.local}
        self._domains = self.source.allowed_domains

    # --- crawl state -------------------------------------------------------------------------
    @property
    def state(self):
        """The source's crawl state (from the store); an empty one when the handler runs
        without a crawler, as in offline tests."""
        if self.crawler is None:
            from crawlers.state import CrawlState

            if self._offline_state is None:
                self._offline_state = CrawlState(self.source.id, "offline")
            return self._offline_state
        from crawlers.middlewares import recorder

        return recorder(self.crawler, self.source.id).state

    def _stat(self, key: str, n: int = 1) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(f"govreports/{self.source.id}/{key}", n)

    def request(self, url: str, callback, **kwargs: Any) -> scrapy.Request:
        """A request of this source: its timeout, size cap, retries and backoff travel in meta."""
        meta = {**self._meta, **kwargs.pop("meta", {})}
        return scrapy.Request(url, callback=callback, errback=kwargs.pop("errback", self.request_failed),
                              meta=meta, **kwargs)

    def in_domain(self, url: str) -> bool:
        host = urlparse(url).hostname or ""
        return any(host == d or host.endswith("." + d) for d in self._domains)

    def request_failed(self, failure):
        """Failures that never reach the downloader's log (robots.txt, offsite, redirect loops,
        blocked addresses) become crawl_log rows too; a failed article is simply not yielded,
        so it is not marked known and the next run tries it again."""
        from scrapy.exceptions import IgnoreRequest
        from scrapy.spidermiddlewares.httperror import HttpError

        exc = failure.value
        if isinstance(exc, IgnoreRequest) and not isinstance(exc, HttpError) and self.crawler is not None:
            from crawlers.middlewares import recorder

            recorder(self.crawler, self.source.id).log(failure.request.url, 0, error=describe(exc))
        self._stat("failed_requests")
        self.logger.info("request failed: %s (%r)", failure.request.url, exc)

    # --- listings -------------------------------------------------------------------------------
    def start_requests(self):
        if self.source.listing_api:  # the page fetches its list from an API: so do we
            from crawlers.spiders import listing_api

            yield listing_api.page_request(self, int(self.source.listing_api.get("first_page", 1)),
                                           referer=self.source.listing_urls[0])
            return
        for url in self.source.listing_urls:
            yield self.request(url, self.parse_listing, cb_kwargs={"root": url})

    def listing_rows(self, response: Response):
        """(title, url, date, row) of each row of a listing page. Selectors are compiled once
        per platform and applied to the lxml tree: this runs for every row of every page."""
        row_sel, link_sel, date_sel = _compiled(self.row_css, self.link_css, self.date_css)
        found = row_sel(response.selector.root)
        # a layout table or menu that holds the listing matches the row selector too: keep
        # the innermost rows only (older TRS and VSB templates nest the list in a <tr>)
        holders = {id(up) for row in found for up in row.iterancestors()}
        for row in found:
            if id(row) in holders:
                continue
            links = link_sel(row)
            if not links:
                continue
            link = links[0]
            title = (link.get("title") or link.text_content()).strip()
            date = next((t for t in (el.text_content().strip() for el in date_sel(row)) if t), "")
            yield title, response.urljoin(link.get("href") or ""), date, row

    def parse_listing(self, response: Response, root: str | None = None):
        """Follow the new articles a listing page announces, then its next page. Once a listing
        has been walked to its end, a nightly run stops at the first page whose rows are all
        known from earlier runs (a new report pushes rows down; the page after it is known)."""
        root = root or response.url
        api = None
        if self.source.listing_api:
            from crawlers.spiders import listing_api as api
        if api:
            page_rows = api.rows(self, response) if api.is_api_response(response) else api.html_rows(self, response)
        else:
            page_rows = self.listing_rows(response)
        dates, seen, new, rows_known, rows = [], 0, 0, True, 0
        for title, url, date, row in page_rows:
            rows += 1
            dates.append(date)
            rows_known = rows_known and url in self.state.rows
            self.state.rows[url] = 1
            bare = re.sub(r"^【[^】]*】", "", title)
            doc_type = classify_title(bare, self.source.doc_types)
            scope_date = date if self.listing_dates_are_report_dates else None
            if not doc_type or not in_year_scope(self.year, bare, scope_date):
                continue
            seen += 1
            if self.state.is_known(url, title, date):
                self._stat("known_documents")
                continue
            new += 1
            yield from self.new_document(response, row, url, title, doc_type, date)
        self._stat("documents_seen", seen)
        self._stat("listing_rows", rows)
        if self.listing_dates_are_report_dates and page_is_older(self.year, dates):
            return
        nexts = api.next_pages(self, response, rows) if api else self.next_pages(response)
        complete = self.state.listings.get(root, {}).get("complete")
        if self.year is None and not nexts:
            self.state.listings[root] = {"complete": True}
        if self.year is None and complete and rows and rows_known and new == 0:
            self._stat("listing_stopped_early")
            return
        yield from self.next_requests(response, root, nexts)

    def next_requests(self, response: Response, root: str, nexts: list[str]):
        """Requests for the listing's next pages (a platform whose paging is an API call, not a
        link, makes its own)."""
        for nxt in nexts:
            if isinstance(nxt, scrapy.Request):  # an API call the page would make (POST, JSON…)
                yield nxt.replace(callback=self.parse_listing, cb_kwargs={"root": root})
            else:
                yield self.request(response.urljoin(nxt), self.parse_listing, cb_kwargs={"root": root})

    def new_document(self, response: Response, row, url: str, title: str, doc_type: str, date: str):
        if not self.in_domain(url):
            self._stat("offsite_links")
            return
        yield self.request(url, self.parse_article, cb_kwargs={"listing_title": title, "doc_type": doc_type, "date": date})

    def next_pages(self, response: Response) -> list:
        """The next listing pages: URLs, or requests when the page calls an API for them."""
        return response.xpath('//a[normalize-space(text())="下页" or normalize-space(text())="下一页"]/@href').getall()

    def publish_date(self, response: Response, meta: dict[str, str], listing_date: str) -> str | None:
        return meta.get("publish_date") or meta.get("written_date") or listing_date or None

    def parse_article(self, response: Response, listing_title: str, doc_type: str, date: str):
        # imported here: cn2an's patterns cost a crawl of unchanged sources 0.1 s, and only an article needs them
        from parsers.page_meta import read_page_meta

        meta = read_page_meta(response.selector.root).as_dict()
        title = meta.pop("title", None) or listing_title
        item = self.make_item(response, title=title, doc_type=doc_type,
                              publish_date=self.publish_date(response, meta, date), meta=meta,
                              listing_title=listing_title, listing_date=date)
        if self.wanted(item):
            yield from self.with_attachments(response, item, attachment_links(response))

    def wanted(self, item: dict, text: str = "") -> bool:
        """With --year, only documents of that report year: the title's year, else the dateline
        of the text, else the document's date."""
        if self.year is None:
            return True
        from parsers.metadata import meeting_date

        found = title_year(re.sub(r"^【[^】]*】", "", item["title"]))
        if found is None and text:
            dateline = meeting_date(text)
            found = int(dateline[:4]) if dateline else None
        if found is None:
            date = item["meta"].get("written_date") or item.get("publish_date") or ""
            found = int(date[:4]) if date[:4].isdigit() else None
        if found is not None and found != self.year:
            self._stat("other_year_documents")
            return False
        return True

    def make_item(self, response: Response, *, title: str, doc_type: str, publish_date: str | None,
                  meta: dict[str, str] | None = None, fragment: str | None = None,
                  listing_title: str | None = None, listing_date: str | None = None) -> dict:
        raw = response.meta.get("raw") or {}
        region = self.source.region
        return {
            "source_id": self.source.id,
            "platform": self.platform,
            "url": response.url + (f"#{fragment}" if fragment else ""),
            # the URL the listing announced (before any redirect): the key of the crawl state
            "doc_key": (response.meta.get("redirect_urls") or [response.url])[0] + (f"#{fragment}" if fragment else ""),
            "listing_title": listing_title or title,
            "listing_date": listing_date,
            "title": title.strip(),
            "doc_type": doc_type,
            "publish_date": publish_date,
            "meta": meta or {},
            "fragment": fragment,
            "page_sha256": raw.get("sha256"),
            "page_key": raw.get("key"),
            "page_content_type": raw.get("content_type"),
            "attachments": [],
            "region": region.__dict__ if region else None,
            "priority": self.source.priority,
            "fetched_at": utcnow(),
        }

    def with_attachments(self, response: Response, item: dict, links: list[str]):
        """Fetch the attachments one after another, then yield the item (also when one fails,
        so the document is kept and the failure shows in the crawl log)."""
        urls = [u for u in (response.urljoin(h) for h in dict.fromkeys(links)) if self.in_domain(u)]
        if not urls:
            yield item
            return
        yield self._attachment_request(item, urls)

    def _attachment_request(self, item: dict, urls: list[str]) -> scrapy.Request:
        url, rest = urls[0], urls[1:]
        return self.request(url, self._attachment_done, errback=self._attachment_failed,
                            cb_kwargs={"item": item, "rest": rest}, dont_filter=True)

    def _attachment_done(self, response: Response, item: dict, rest: list[str]):
        raw = response.meta.get("raw") or {}
        item["attachments"].append({"url": response.url, "sha256": raw.get("sha256"), "key": raw.get("key"),
                                    "content_type": raw.get("content_type"), "name": attachment_name(response)})
        yield self._attachment_request(item, rest) if rest else item

    def _attachment_failed(self, failure):
        self.request_failed(failure)
        item, rest = failure.request.cb_kwargs["item"], failure.request.cb_kwargs["rest"]
        item.setdefault("errors", []).append(f"attachment {failure.request.url}: {failure.value!r}")
        yield self._attachment_request(item, rest) if rest else item


@functools.cache
def _compiled(row_css: str, link_css: str, date_css: str):
    from lxml.cssselect import CSSSelector

    return (CSSSelector(row_css, translator="html"), CSSSelector(link_css, translator="html"),
            CSSSelector(date_css.replace("::text", ""), translator="html"))


def attachment_name(response: Response) -> str | None:
    return file_name(response.headers.get(b"Content-Disposition"), response.url)


def attachment_links(response: Response) -> list[str]:
    links = []
    for anchor in response.css("a[href]"):
        href = anchor.attrib["href"]
        text = " ".join(anchor.css("::text").getall()).strip()
        if ATTACHMENT_EXT.search(href) or ATTACHMENT_TEXT.search(text):
            if not href.startswith("javascript"):
                links.append(href)
    return links
