"""Scrapy project: source registry, spiders per portal platform, raw-storage middleware,
and the offline sample portal."""
