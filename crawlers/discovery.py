"""From a region's home page to a registry entry: which platform runs the site (fingerprints),
which columns hold its work reports and policy documents (link words), and which pages to open
next when the home page does not say (政府信息公开). Pure functions over (url, html): the
discovery spider (crawlers/spiders/discover.py) fetches, these decide.

The rules are data (crawlers/fingerprints.yaml). A discovery result is stored per region in
the store (`registry/discovered/{key}.json`, see `record`); `crawlers.registry.load_sources`
turns the usable ones into sources, after the hand-written ones, which win."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from lxml import html as lxml_html

from crawlers.regions import RegionPortal

DISCOVERED_PREFIX = "registry/discovered/"
DISCOVERED = "discovered"
FAILING = "failing"


@dataclass(frozen=True)
class Rules:
    min_score: int
    markers: dict[str, list[tuple[re.Pattern, int]]]
    links: dict[str, list[tuple[re.Pattern, int]]]
    column_of_article: dict[str, list[tuple[re.Pattern, list[str]]]]
    columns: dict[str, re.Pattern]
    disclosure: re.Pattern
    max_pages: int
    max_depth: int


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = yaml.safe_load(resources.files("crawlers").joinpath("fingerprints.yaml").read_text("utf-8"))
    plats = data["platforms"]
    return Rules(
        min_score=int(data["min_score"]),
        markers={p: [(re.compile(r["re"]), int(r["weight"])) for r in d.get("markers", [])] for p, d in plats.items()},
        links={p: [(re.compile(r["re"]), int(r["weight"])) for r in d.get("links", [])] for p, d in plats.items()},
        column_of_article={p: [(re.compile(r["re"]), list(r["columns"])) for r in d.get("column_of_article", [])]
                           for p, d in plats.items()},
        columns={k: re.compile(v) for k, v in data["columns"].items()},
        disclosure=re.compile(data["disclosure"]),
        max_pages=int(data["max_pages"]),
        max_depth=int(data["max_depth"]),
    )


@dataclass
class Link:
    url: str
    text: str


def page_links(url: str, body: bytes | str) -> list[Link]:
    """Every <a href> of a page as (absolute URL, its words: text, else title), in page order."""
    from parsers.extract import decode_html  # the parser stack, only when a page is read

    text = decode_html(body) if isinstance(body, bytes) else body
    try:
        tree = lxml_html.document_fromstring(text or "<html></html>")
    except Exception:  # an empty or binary page: nothing to follow
        return []
    base = tree.xpath("//base/@href")
    root = urljoin(url, base[0].strip()) if base else url
    out = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        words = re.sub(r"\s+", "", a.text_content() or "") or re.sub(r"\s+", "", a.get("title") or "")
        out.append(Link(urljoin(root, href).split("#")[0], words))
    return out


def fingerprint(url: str, body: bytes | str, links: list[Link] | None = None) -> dict[str, list[str]]:
    """Evidence per platform: the markers found in the source and the link shapes seen."""
    from parsers.extract import decode_html

    text = decode_html(body) if isinstance(body, bytes) else body
    links = page_links(url, text) if links is None else links
    found: dict[str, list[str]] = {}
    r = rules()
    for plat, markers in r.markers.items():
        for rx, weight in markers:
            m = rx.search(text)
            if m:
                found.setdefault(plat, []).append(f"marker:{m.group(0)[:40]}#{weight}")
        for rx, weight in r.links[plat]:
            n = sum(1 for link in links if rx.search(link.url))
            if n:
                found.setdefault(plat, []).append(f"links:{rx.pattern[:30]}x{min(n, 5)}#{weight * min(n, 5)}")
    return found


def score(evidence: dict[str, list[str]]) -> dict[str, int]:
    return {plat: sum(int(e.rsplit("#", 1)[1]) for e in items) for plat, items in evidence.items()}


def platform_of(evidence: dict[str, list[str]]) -> str | None:
    """The platform with the highest score, if it reaches min_score and is not tied."""
    scores = sorted(score(evidence).items(), key=lambda kv: -kv[1])
    if not scores or scores[0][1] < rules().min_score:
        return None
    if len(scores) > 1 and scores[1][1] == scores[0][1]:
        return None
    return scores[0][0]


def _same_site(url: str, domains: tuple[str, ...]) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == d or host.endswith("." + d) for d in domains)


def site_domain(url: str) -> str:
    """The allowed domain of a home page: its host without www. (www.jinxiang.gov.cn ->
    jinxiang.gov.cn, so xxgk.jinxiang.gov.cn is inside; danzhou.hainan.gov.cn stays itself)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def columns_on(url: str, links: list[Link], domains: tuple[str, ...]) -> list[dict[str, str]]:
    """Links whose words name a report or policy column, inside the site's domains."""
    out, seen = [], set()
    for link in links:
        if not _same_site(link.url, domains) or link.url in seen:
            continue
        for doc_type, rx in rules().columns.items():
            if rx.match(link.text):
                seen.add(link.url)
                out.append({"doc_type": doc_type, "text": link.text, "url": link.url, "found_on": url})
                break
    return out


def _is_report(words: str) -> bool:
    from crawlers.spiders.common import classify_title, title_year

    return classify_title(words, ("work_report",)) == "work_report" and title_year(words) is not None


def column_candidates(article_url: str, platform: str) -> list[str]:
    """The column pages an article URL of the platform names, most likely first."""
    clean = article_url.split("?")[0].split("#")[0]
    for rx, templates in rules().column_of_article.get(platform, []):
        m = rx.match(clean)
        if m:
            return [t.format(**m.groupdict()) for t in templates]
    return []


def columns_from_articles(url: str, links: list[Link], platform: str | None,
                          domains: tuple[str, ...]) -> list[dict[str, Any]]:
    """A report linked from the page (2021年金乡县政府工作报告) whose URL names its column on the
    platform (Hanweb art_{col}_{id} -> /col/col{col}/index.html). The candidates are checked
    by fetching them (DiscoverySpider) before the entry is recorded."""
    if platform is None:
        return []
    out = []
    for link in links:
        if not _same_site(link.url, domains) or not _is_report(link.text):
            continue
        candidates = column_candidates(link.url, platform)
        if candidates:
            out.append({"doc_type": "work_report", "text": link.text, "url": candidates[0], "found_on": url,
                        "via": "article", "candidates": candidates})
    return out


def confirms_column(platform: str, url: str, body: bytes | str) -> bool:
    """A fetched candidate is the platform's column page: it shows the platform's marks (its
    list script or data store, its article links), not a soft 404 or a portal's start page."""
    return score(fingerprint(url, body)).get(platform, 0) > 0


def disclosure_links(links: list[Link], domains: tuple[str, ...]) -> list[str]:
    """The region's 政府信息公开 pages: on its own site, or on another government host (the
    districts of a city or province often publish on a shared platform, as Beijing's do on
    zfxxgk.beijing.gov.cn); the finding then adopts that host."""
    out = []
    for link in links:
        if link.url in out or not rules().disclosure.match(link.text):
            continue
        if _same_site(link.url, domains) or _same_site(link.url, ("gov.cn",)):
            out.append(link.url)
    return out


@dataclass
class Finding:
    """What the pages of one region showed so far."""
    region: RegionPortal
    home: str
    domains: tuple[str, ...]
    evidence: dict[str, list[str]] = field(default_factory=dict)
    columns: list[dict[str, str]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add_page(self, url: str, body: bytes | str) -> list[str]:
        """Read one fetched page; returns the disclosure pages it links to (not yet read)."""
        self.pages.append(url)
        if not _same_site(url, self.domains):  # a shared disclosure platform, or a home page that moved
            self.domains = (*self.domains, site_domain(url))
        links = page_links(url, body)
        for plat, items in fingerprint(url, body, links).items():
            self.evidence.setdefault(plat, []).extend(items)
        found = columns_on(url, links, self.domains)
        found += columns_from_articles(url, links, platform_of(self.evidence), self.domains)
        for column in found:
            if column["url"] not in {c["url"] for c in self.columns}:
                self.columns.append(column)
        return [u for u in disclosure_links(links, self.domains) if u not in self.pages]

    def unconfirmed(self) -> dict[str, Any] | None:
        """The next column read off a report's URL that the entry would use and no fetch has
        confirmed yet."""
        return next((c for c in self.listing_columns() if c.get("via") == "article" and not c.get("confirmed")), None)

    def confirm(self, column: dict[str, Any], url: str | None) -> None:
        """`url` answered as the column; None: no candidate did, the column is dropped."""
        if url is None:
            self.columns.remove(column)
            self.errors.append(f"no column page at {', '.join(column['candidates'])}")
        else:
            column["url"], column["confirmed"] = url, True

    def listing_columns(self) -> list[dict[str, str]]:
        """Named columns first; a column read off a report's URL only where no column of that
        type is named (a home page's 2021年政府工作报告 link, when no 政府工作报告 column is linked)."""
        named = [c for c in self.columns if c.get("via") != "article"]
        types = {c["doc_type"] for c in named}
        return named + [c for c in self.columns if c.get("via") == "article" and c["doc_type"] not in types]


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_of(finding: Finding, spiders: set[str], portal_url: str | None = None) -> tuple[dict | None, str | None]:
    """The registry entry the finding supports, or (None, why not)."""
    platform = platform_of(finding.evidence)
    region = finding.region
    if not finding.columns:
        if finding.errors and not finding.pages:
            return None, "home page not read: " + "; ".join(finding.errors)
        return None, (f"no 政府工作报告 / 政府文件 column linked from the home page or its 政府信息公开 pages "
                      f"({len(finding.pages)} pages read)")
    if platform is None:
        seen = ", ".join(f"{p} {s}" for p, s in sorted(score(finding.evidence).items())) or "no fingerprint"
        return None, f"platform not recognised ({seen}); columns found: {', '.join(c['url'] for c in finding.columns)}"
    if platform not in spiders:
        return None, f"platform {platform} has no spider"
    columns = finding.listing_columns()
    types = [t for t in ("work_report", "policy") if any(c["doc_type"] == t for c in columns)]
    urls = [c["url"] for t in types for c in columns if c["doc_type"] == t][:4]
    domains = sorted(set(finding.domains) | {site_domain(u) for u in urls})
    entry: dict[str, Any] = {
        "id": region.source_id, "name": f"{region.name}人民政府 (discovered)", "platform": platform,
        "listing_urls": urls, "allowed_domains": domains, "doc_types": types,
        "region": {"name": region.name, "code": region.code, "admin_level": region.admin_level,
                   "province": region.province, "parent": region.parent},
        "priority": 20,  # after hand-written portal entries (10), before aggregators (50)
        "politeness": {"concurrency": 1, "download_delay": 2.0},
    }
    if region.local and portal_url:  # the sample portal: kept portable, like the bundled local entries
        base = portal_url.rstrip("/")
        host = urlsplit(base).hostname or ""
        entry["listing_urls"] = [u.replace(base, "{portal}") for u in urls]
        entry["allowed_domains"] = ["{portal_host}" if d == host else d for d in domains]
        entry["local"] = True
        entry["politeness"] = {"concurrency": 4, "download_delay": 0, "timeout": 3, "retries": 2, "backoff": 0.2,
                               "max_mb": 8}
    return entry, None


def result_of(finding: Finding, spiders: set[str], portal_url: str | None = None) -> dict[str, Any]:
    entry, reason = entry_of(finding, spiders, portal_url)
    return {"key": finding.region.key, "region_path": finding.region.path, "home": finding.home,
            "local": finding.region.local, "state": DISCOVERED if entry else FAILING, "reason": reason,
            "tried_at": now_iso(), "platform": platform_of(finding.evidence), "scores": score(finding.evidence),
            "evidence": finding.evidence, "columns": finding.columns, "pages": finding.pages,
            "errors": finding.errors, "entry": entry}


def discovered_key(region_key: str) -> str:
    return f"{DISCOVERED_PREFIX}{region_key}.json"


def record(store, result: dict[str, Any]) -> dict[str, Any]:
    """Store a region's result. A failed retry of a region discovered before keeps the entry
    (a portal down for a night must not drop out of the crawl) and notes the failure."""
    key = discovered_key(result["key"])
    old = json.loads(store.get_bytes(key)) if store.exists(key) else None
    result["attempts"] = (old or {}).get("attempts", 0) + 1
    if result["state"] == DISCOVERED:
        result["discovered_at"] = result["tried_at"]
    elif old and old.get("entry"):
        result = {**old, "attempts": result["attempts"], "last_failure": {"at": result["tried_at"],
                                                                          "reason": result["reason"]}}
    store.put_bytes(key, json.dumps(result, ensure_ascii=False, indent=1).encode("utf-8"),
                    content_type="application/json")
    return result


def load_results(store) -> dict[str, dict[str, Any]]:
    """Every stored discovery result, by region key."""
    out = {}
    for key in store.list_keys(DISCOVERED_PREFIX):
        if key.endswith(".json"):
            data = json.loads(store.get_bytes(key))
            out[data["key"]] = data
    return out
