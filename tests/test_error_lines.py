"""Every failure names its cause (issue 14, item 10): no empty message after the kind, and
the kind says what happened (a redirect loop is not just `IgnoreRequest`)."""

import pytest
from scrapy.exceptions import IgnoreRequest

from crawlers.errors import describe
from pipeline.health import failure_reason


class ResponseDataLossError(Exception):
    """as Scrapy raises it: no message"""


class DownloadCancelledError(Exception):
    pass


@pytest.mark.parametrize(("exc", "kind", "words"), [
    (ResponseDataLossError(), "ResponseDataLossError", "closed before the whole body"),
    (DownloadCancelledError(), "DownloadCancelledError", "cancelled"),
    (IgnoreRequest("max redirections reached"), "RedirectLoop", "max redirections"),
    (IgnoreRequest("Forbidden by robots.txt"), "RobotsTxt", "robots.txt"),
    (IgnoreRequest("blocked: 10.0.0.1 is a private, loopback or link-local address"), "BlockedAddress", "private"),
    (IgnoreRequest(), "Ignored", "dropped"),
    (TimeoutError("took longer than 3.0 seconds"), "TimeoutError", "3.0 seconds"),
    (type("Bare", (Exception,), {})(), "Bare", "no message"),
])
def test_each_failure_names_its_kind_and_cause(exc, kind, words):
    line = describe(exc)
    head, _, cause = line.partition(": ")
    assert head == kind and cause.strip() and words in cause
    assert failure_reason({"error": line, "status": 0}) == kind
