"""Leases in the store: at most one crawl per site, and one publish per store, at a time,
across processes, runs and machines.

Airflow pools cap how many crawls run, but a pool cannot be chosen per mapped task, and the
nightly run and a backfill of past years reach the same portals. So each crawl takes a lease
per site (host:port) in the store itself, the one thing every worker shares: an object created
with a conditional write (O_EXCL locally, If-None-Match on S3), renewed by a heartbeat and
dropped at the end. A worker that dies leaves a lease that expires after `ttl` seconds (or at
once, when the dead process was on this machine), so a rerun is never locked out for long."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlparse

from storage.objectstore import ObjectStore

LEASE_PREFIX = "locks/sites/"


class SiteBusy(RuntimeError):
    """Another crawl holds a site's lease for longer than we may wait."""


def lease_key(url_or_netloc: str) -> str:
    netloc = urlparse(url_or_netloc).netloc if "//" in url_or_netloc else url_or_netloc
    return LEASE_PREFIX + netloc.lower().replace(":", "_") + ".json"


def _now() -> float:
    return time.time()


def _holder_is_dead(lease: dict) -> bool:
    if lease.get("expires", 0) < _now():
        return True
    if lease.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(lease["pid"]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, KeyError, ValueError):
        return False
    return False


def _read(store: ObjectStore, key: str) -> dict | None:
    try:
        return json.loads(store.get_bytes(key))
    except Exception:  # vanished between calls, or half-written by a dying process
        return None


def try_acquire(store: ObjectStore, key: str, owner: str, ttl: float) -> dict | None:
    """Take the lease if free or stale; return None on success, else the holder's lease."""
    body = {"owner": owner, "host": socket.gethostname(), "pid": os.getpid(), "expires": _now() + ttl,
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    data = json.dumps(body).encode()
    if store.put_if_absent(key, data):
        return None
    held = _read(store, key)
    if held is None or _holder_is_dead(held):
        store.delete(key)
        if store.put_if_absent(key, data):
            return None
        held = _read(store, key) or {"owner": "unknown"}
    return held


def _renew(store: ObjectStore, keys: list[str], owner: str, ttl: float, stop: threading.Event) -> None:
    while not stop.wait(ttl / 3):
        for key in keys:
            held = _read(store, key)
            if held and held.get("owner") == owner:
                held["expires"] = _now() + ttl
                with contextlib.suppress(Exception):  # a missed renewal only shortens the lease
                    store.put_bytes(key, json.dumps(held).encode())


@contextlib.contextmanager
def site_leases(store: ObjectStore, sites: list[str], owner: str, wait: float | None = None,
                ttl: float = 300.0, poll: float = 2.0) -> Iterator[list[str]]:
    """Hold a lease on every site in `sites` (taken in sorted order, so two crawls of
    overlapping sites cannot deadlock); wait up to `wait` seconds for busy ones."""
    if wait is None:
        wait = float(os.environ.get("GOVREPORTS_SITE_WAIT", "3600"))

    def busy(key: str, held: dict) -> Exception:
        return SiteBusy(f"site {key[len(LEASE_PREFIX):-5]} is being crawled by {held.get('owner')} "
                        f"(since {held.get('since')}, host {held.get('host')}); waited {wait:.0f}s")

    with _held(store, sorted({lease_key(s) for s in sites}), owner, wait, ttl, poll, busy) as taken:
        yield taken


PUBLISH_LEASE = "locks/publish.json"


class PublishBusy(RuntimeError):
    """Another publish to the same store held its lease for longer than we may wait."""


@contextlib.contextmanager
def publish_lease(store: ObjectStore, owner: str, wait: float | None = None, ttl: float = 300.0,
                  poll: float = 2.0) -> Iterator[list[str]]:
    """One publish per store at a time (nightly, annual, reparse, a hand-run `process`): a
    publish reads the manifests and decides what is stale under the lease, so no other
    publish can change the datasets in between."""
    if wait is None:
        wait = float(os.environ.get("GOVREPORTS_PUBLISH_WAIT", "7200"))

    def busy(_key: str, held: dict) -> Exception:
        return PublishBusy(f"the store is being published by {held.get('owner')} (since {held.get('since')}, "
                           f"host {held.get('host')}); waited {wait:.0f}s: run again when it is done")

    with _held(store, [PUBLISH_LEASE], owner, wait, ttl, poll, busy) as taken:
        yield taken


@contextlib.contextmanager
def _held(store: ObjectStore, keys: list[str], owner: str, wait: float, ttl: float, poll: float,
          busy) -> Iterator[list[str]]:
    taken: list[str] = []
    deadline = _now() + wait
    stop = threading.Event()
    try:
        for key in keys:
            while (held := try_acquire(store, key, owner, ttl)) is not None:
                if _now() >= deadline:
                    raise busy(key, held)
                time.sleep(poll)
            taken.append(key)
        threading.Thread(target=_renew, args=(store, taken, owner, ttl, stop), daemon=True,
                         name="lease-renewal").start()
        yield taken
    finally:
        stop.set()
        for key in taken:
            held = _read(store, key)
            if held is None or held.get("owner") == owner:
                store.delete(key)
