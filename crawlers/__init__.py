"""Scrapy project: source registry, spiders per portal platform, raw-storage middleware,
and the offline sample portal."""

import os

# Scrapy's cookie middleware uses tldextract, which would download the public suffix list
# from the internet on first use. Crawlers must only talk to the portals: use the snapshot
# bundled with tldextract (an operator can point this at a local file or URL instead).
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
