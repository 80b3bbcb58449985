"""One line per failed request for the crawl_log: a specific kind, a colon, the cause. The
kind (before the colon) is what `status` counts by, so it must say what happened: Scrapy's
IgnoreRequest covers redirect loops, robots.txt, offsite and blocked addresses alike, and
some download errors carry no message at all."""

from __future__ import annotations

# Scrapy raises these with an empty message; what each means for a crawl of a portal
_SILENT = {
    "ResponseDataLossError": "the connection closed before the whole body arrived (fewer bytes than its "
                             "Content-Length): a dropped connection or a truncated file",
    "DownloadCancelledError": "the download was cancelled (a size cap reached, or the crawl stopped)",
    "ConnectionLost": "the server closed the connection before answering",
    "ConnectionDone": "the server closed the connection before answering",
    "TimeoutError": "no answer within the download timeout",
    "DownloadTimeoutError": "no answer within the download timeout",
    "ResponseNeverReceived": "the connection failed before any response arrived",
}
# IgnoreRequest's messages, by the kind they stand for
_IGNORED = (("max redirections", "RedirectLoop"), ("robots.txt", "RobotsTxt"), ("offsite", "Offsite"),
            ("blocked:", "BlockedAddress"))


def describe(exc: BaseException) -> str:
    """`Kind: cause` for a crawl_log row; never an empty cause."""
    name = type(exc).__name__
    message = str(exc).strip()
    if name == "IgnoreRequest":
        low = message.lower()
        kind = next((k for needle, k in _IGNORED if needle in low), "Ignored")
        return f"{kind}: {message or 'request dropped by a downloader middleware'}"
    if not message:
        nested = getattr(exc, "reasons", None)  # twisted's ResponseFailed and friends wrap the causes
        if nested:
            inner = "; ".join(describe(getattr(r, "value", r)) for r in nested)
            return f"{name}: {inner}"
        doc = (type(exc).__doc__ or "").strip().splitlines()
        message = _SILENT.get(name) or (doc[0] if doc else "no message")
    if message.lower().startswith("blocked:"):  # the address guard, from the resolver or the middleware
        return f"BlockedAddress: {message}"
    return f"{name}: {message}"
