"""Serve the sample portal on 127.0.0.1 in a background thread (or `python -m`).

Unknown paths answer 404 like a real portal's dead links. `faults` is a set of switch
names the fault-injection tests turn on (see FAULTS)."""

from __future__ import annotations

import argparse
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawlers.sample_portal.site import Resource, build_site

FAULTS = {"slow"}  # more switches arrive with the crawler-hardening work


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"
    sys_version = ""
    routes: dict[str, Resource] = {}
    faults: set[str] = set()
    hits: dict[str, int] = {}

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if "slow" in self.faults:
            time.sleep(0.5)
        resource = self.routes.get(self.path)
        if resource is None:
            body = b"<html><body><h1>404 Not Found</h1></body></html>"
            resource = Resource(body, "text/html; charset=utf-8", status=404)
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        for key, value in resource.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(resource.body)

    def log_message(self, format: str, *args) -> None:  # keep test output quiet
        pass


class SamplePortal:
    """Context manager: `with SamplePortal() as portal: portal.url`."""

    def __init__(self, port: int = 0, faults: set[str] | None = None) -> None:
        unknown = set(faults or ()) - FAULTS
        if unknown:
            raise ValueError(f"unknown fault switch(es): {sorted(unknown)}; known: {sorted(FAULTS)}")
        handler = type("Handler", (_Handler,), {"routes": build_site(), "faults": set(faults or ()), "hits": {}})
        self.handler = handler
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="sample-portal", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def hits(self) -> dict[str, int]:
        return self.handler.hits

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
    args = parser.parse_args()
    portal = SamplePortal(args.port).start()
    print(f"sample portal on {portal.url}  (Ctrl-C to stop)", flush=True)
    try:
        portal.thread.join()
    except KeyboardInterrupt:
        portal.stop()


if __name__ == "__main__":
    main()
