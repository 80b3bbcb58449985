"""Every region we serve: the 3,215 portal home pages of `crawlers/data/portals.csv` (province,
prefecture and county governments with their GB/T 2260 codes; provenance in
`crawlers/data/PORTALS_README.md`). Each row is the seed of a registry entry: `govreports
discover` turns a home page into a source (platform, listing URLs, allowed domains).

With a sample-portal URL the registry is the sample portal's regions instead, their home pages
on 127.0.0.1, the way local sources stand in for live ones."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from crawlers.registry import Region
from parsers.regions import by_code


@dataclass(frozen=True)
class RegionPortal:
    key: str  # the GB/T 2260 code, or x + a hash of the region path when the region has none
    name: str
    code: str | None
    admin_level: str
    province: str | None
    parent: str | None
    path: str  # 山东省/济宁市/金乡县
    home_url: str | None
    local: bool = False  # a home page of the sample portal ({portal} in home_url)

    @property
    def source_id(self) -> str:
        """The id of this region's discovered source: gb370828, gbx1a2b3c4d."""
        return f"gb{self.key}"

    def region(self) -> Region:
        return Region(self.name, self.code, self.admin_level, self.province, self.parent)


def _key(code: str | None, path: str) -> str:
    return code or "x" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:8]


def _parent(code: str | None, path: str) -> str | None:
    info = by_code(code) if code else None
    if info is not None and info.parent:
        return info.parent
    parts = path.split("/")
    return parts[-2] if len(parts) > 1 else None


@lru_cache(maxsize=1)
def national_regions() -> tuple[RegionPortal, ...]:
    text = resources.files("crawlers").joinpath("data", "portals.csv").read_text("utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        code = row["region_code"] or None
        path = row["region_path"]
        info = by_code(code) if code else None
        out.append(RegionPortal(_key(code, path), info.name if info else row["region_name"], code,
                                row["admin_level"], row["province"] or None, _parent(code, path), path,
                                row["url"].strip() or None))
    return tuple(out)


def sample_regions() -> tuple[RegionPortal, ...]:
    from crawlers.sample_portal.homes import HOME_PAGES

    by_key = {r.key: r for r in national_regions()}
    return tuple(RegionPortal(**{**by_key[code].__dict__, "home_url": "{portal}" + path, "local": True})
                 for code, path in HOME_PAGES.items())


def load_regions(portal_url: str | None = None) -> tuple[RegionPortal, ...]:
    """The national registry, or with a sample-portal URL its regions (home URLs filled in)."""
    if not portal_url:
        return national_regions()
    base = portal_url.rstrip("/")
    return tuple(RegionPortal(**{**r.__dict__, "home_url": r.home_url.replace("{portal}", base)})
                 for r in sample_regions())
