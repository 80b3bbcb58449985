"""One handler per portal platform (the site-specific parts live in sources.yaml), driven by
the run's PortalSpider."""

from crawlers.spiders.aggregator import AggregatorSpider
from crawlers.spiders.hanweb import HanwebSpider
from crawlers.spiders.jxjy import JxjySpider
from crawlers.spiders.sdjy import SdjySpider
from crawlers.spiders.trs import TrsSpider
from crawlers.spiders.vsb import VsbSpider

SPIDER_BY_PLATFORM = {
    "vsb": VsbSpider,
    "sdjy": SdjySpider,
    "trs": TrsSpider,
    "hanweb": HanwebSpider,
    "jxjy": JxjySpider,
    "aggregator": AggregatorSpider,
}

__all__ = ["SPIDER_BY_PLATFORM", "AggregatorSpider", "HanwebSpider", "JxjySpider", "SdjySpider", "TrsSpider",
           "VsbSpider"]
