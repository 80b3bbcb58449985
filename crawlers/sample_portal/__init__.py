"""An offline imitation of the seed documents' portals, served on 127.0.0.1."""

from crawlers.sample_portal.server import SamplePortal

__all__ = ["SamplePortal"]
