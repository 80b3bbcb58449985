"""Serve the sample portal on 127.0.0.1 in a background thread (or `govreports serve-portal`).

Pages carry an ETag and a Last-Modified date and answer conditional GETs with 304, as
real portals' web servers do. Unknown paths answer 404. Fault switches (FAULTS) make it
misbehave the way real portals do; they can be changed while it runs (`set_faults`), so a
rerun with faults off hits the same URLs."""

from __future__ import annotations

import argparse
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawlers.sample_portal.site import (
    FAULT_NAMES,
    GUANXIAN_ARTICLE,
    QINGDAO_COLUMN,
    REDIRECT_LOOP_PATH,
    build_site,
    resolve,
)

FAULTS = set(FAULT_NAMES)
LAST_MODIFIED = "Mon, 01 Jul 2024 08:00:00 GMT"
SLOW_PATH = f"{QINGDAO_COLUMN}202101/t20210118_2795630.shtml"  # with 'slow': answers after the crawler's timeout
SLOW_SECONDS = 0.15
TIMEOUT_SECONDS = 6.0
HTTP500_PREFIX = "/hedong/info/1331/20230.htm"
TRUNCATED_SUFFIX = ".pdf"
OFFSITE_REDIRECT_PATH = GUANXIAN_ARTICLE  # with 'offsite_redirect': 302 to the same path on localhost
WAF_COOKIE = "waf_token=passed"
# first listing pages: with 'rate_limit' each answers its first request with 429 + Retry-After
RATE_LIMITED = {"/luozhuang/zfxxgk/zfgzbg.htm", "/luozhuang/zfgw/lzbz.htm", "/hedong/zwgk/zfgzbg.htm",
                "/linzi/gongkai/site_lzqzf/channel_8a5d8e7f6b1c4d3e9f0a1b2c/",
                "/qingdao/zwgk/zdgk/ghjh/zfgzbg/index.shtml", "/agg/info/1009/page/1",
                "/jinxiang/col/col3321/index.html", "/guanxian/zwgk/zfgzbg/index.shtml",
                "/lanshan/lszf/zfgzbg/list.shtml"}


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, as from nginx (no 40 ms delayed-ACK stalls)
    portal: SamplePortal

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_POST(self) -> None:  # the API calls of a platform's page scripts (Hanweb dataproxy.jsp)
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(head=False, request_body=self.rfile.read(length) if length else b"")

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None,
              head: bool = False, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _serve(self, head: bool, request_body: bytes = b"") -> None:
        portal = self.portal
        faults, routes = portal.faults, portal.routes
        path = self.path
        with portal.lock:
            portal.hits[path] = portal.hits.get(path, 0) + 1
            first_hit = portal.hits[path] == 1
        if "slow" in faults:
            time.sleep(TIMEOUT_SECONDS if path == SLOW_PATH else SLOW_SECONDS)
        if "waf" in faults and path.startswith("/linzi/") and WAF_COOKIE not in (self.headers.get("Cookie") or ""):
            # a WAF challenge: set a cookie and send the client back to the same URL
            self._send(302, "text/html", b"", {"Location": path, "Set-Cookie": f"{WAF_COOKIE}; Path=/"}, head)
            return
        if "redirect_loop" in faults and path.startswith(REDIRECT_LOOP_PATH):
            target = REDIRECT_LOOP_PATH + ("?r=1" if path == REDIRECT_LOOP_PATH else "")
            self._send(302, "text/html", b"", {"Location": target}, head)
            return
        if "offsite_redirect" in faults and path == OFFSITE_REDIRECT_PATH:
            # the article moved to another host (a CMS migration): outside the source's domains
            port = self.server.server_address[1]
            self._send(302, "text/html", b"", {"Location": f"http://localhost:{port}{path}"}, head)
            return
        if "http500" in faults and path == HTTP500_PREFIX:
            self._send(500, "text/html", b"<h1>500 Internal Server Error</h1>", None, head)
            return
        if "rate_limit" in faults and first_hit and path in RATE_LIMITED:
            self._send(429, "text/html", b"<h1>429 Too Many Requests</h1>", {"Retry-After": "1"}, head)
            return
        resource = resolve(routes, path, request_body)
        if resource is None:
            self._send(404, "text/html; charset=utf-8", b"<html><body><h1>404 Not Found</h1></body></html>", None, head)
            return
        if "X-Stream-Bytes" in resource.headers:  # a large file, streamed without holding it in memory
            size = int(resource.headers["X-Stream-Bytes"])
            self._send(200, resource.content_type, b"", None, True, length=size)
            if not head:
                chunk = b"\0" * 65536
                try:
                    for _ in range(size // len(chunk)):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            return
        etag = '"' + hashlib.sha1(resource.body).hexdigest()[:16] + '"'
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self.headers.get("If-None-Match") == etag or (
                not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == LAST_MODIFIED):
            self._send(304, resource.content_type, b"", validators, True)
            return
        if "truncated_pdf" in faults and path.endswith(TRUNCATED_SUFFIX) or (
                "truncated_pdf" in faults and "download.jsp" in path and resource.content_type == "application/pdf"):
            # announce the whole file, send half of it, then close the connection
            body = resource.body[: len(resource.body) // 2]
            self._send(resource.status, resource.content_type, body, {**resource.headers, **validators}, head,
                       length=len(resource.body))
            self.close_connection = True
            return
        self._send(resource.status, resource.content_type, resource.body, {**resource.headers, **validators}, head)

    def log_message(self, format: str, *args) -> None:  # keep test output quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog is 5: a crawl opening 16+ connections at once overflowed it,
    # and each dropped SYN cost its request the kernel's 1 s retransmit (a real portal listens with 128+)
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # a client hanging up is normal
            super().handle_error(request, client_address)


class SamplePortal:
    """Context manager: `with SamplePortal() as portal: portal.url`."""

    def __init__(self, port: int = 0, faults: set[str] | None = None, host: str = "127.0.0.1") -> None:
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.faults: frozenset[str] = frozenset()
        self.routes = {}
        self.set_faults(faults or set())
        handler = type("Handler", (_Handler,), {"portal": self})
        self.httpd = _Server((host, port), handler)  # another host only in a container (docker/)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="sample-portal", daemon=True)

    def set_faults(self, faults: set[str] | frozenset[str]) -> None:
        unknown = set(faults) - FAULTS
        if unknown:
            raise ValueError(f"unknown fault switch(es): {sorted(unknown)}; known: {sorted(FAULTS)}")
        routes = build_site(frozenset(faults))
        with self.lock:
            self.faults, self.routes = frozenset(faults), routes
            self.hits.clear()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SamplePortal:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SamplePortal:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the govreports sample portal")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--faults", default="", help=f"comma-separated fault switches: {','.join(sorted(FAULTS))}")
    args = parser.parse_args()
    portal = SamplePortal(args.port, {f for f in args.faults.split(",") if f}).start()
    print(f"sample portal on {portal.url}  (Ctrl-C to stop)", flush=True)
    try:
        portal.thread.join()
    except KeyboardInterrupt:
        portal.stop()


if __name__ == "__main__":
    main()
