"""Site leases keep two crawls off one site, on a local folder and on S3 (moto server)."""

import json
import subprocess
import sys
import threading
import time

import pytest

from pipeline.site_lease import SiteBusy, lease_key, site_leases, try_acquire
from storage.objectstore import open_store


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return open_store(str(tmp_path / "store"))
    s3 = request.getfixturevalue("s3")
    return open_store(f"s3://{s3['bucket']}/lease-{time.time_ns()}?endpoint_url={s3['endpoint']}")


def test_second_crawl_of_a_site_waits_then_names_the_holder(store):
    with site_leases(store, ["http://www.example.gov.cn/a/list.htm"], owner="run A") as keys:
        assert keys == [lease_key("www.example.gov.cn")] and store.exists(keys[0])
        with pytest.raises(SiteBusy, match=r"www.example.gov.cn is being crawled by run A"):
            with site_leases(store, ["http://www.example.gov.cn/b/"], owner="run B", wait=0.3, poll=0.1):
                pass
        # another site is free meanwhile
        with site_leases(store, ["http://other.gov.cn/"], owner="run B", wait=0):
            pass
    assert not store.exists(lease_key("www.example.gov.cn"))


def test_waiting_crawl_starts_when_the_site_is_released(store):
    order = []
    ready = threading.Event()

    def first():
        with site_leases(store, ["http://127.0.0.1:8000/x"], owner="first"):
            ready.set()
            time.sleep(0.5)
            order.append("first done")

    t = threading.Thread(target=first)
    t.start()
    ready.wait(5)
    with site_leases(store, ["http://127.0.0.1:8000/y"], owner="second", wait=10, poll=0.05):
        order.append("second started")
    t.join()
    assert order == ["first done", "second started"]


def test_lease_of_a_dead_or_expired_holder_is_taken_over(store):
    key = lease_key("dead.gov.cn")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket

    store.put_bytes(key, json.dumps({"owner": "crashed", "host": socket.gethostname(), "pid": int(dead.stdout),
                                     "expires": time.time() + 3600}).encode())
    assert try_acquire(store, key, "rerun", ttl=60) is None
    assert json.loads(store.get_bytes(key))["owner"] == "rerun"
    other = lease_key("expired.gov.cn")
    store.put_bytes(other, json.dumps({"owner": "elsewhere", "host": "another-machine", "pid": 1,
                                       "expires": time.time() - 1}).encode())
    assert try_acquire(store, other, "rerun", ttl=60) is None
    live = lease_key("live.gov.cn")
    store.put_bytes(live, json.dumps({"owner": "elsewhere", "host": "another-machine", "pid": 1,
                                      "expires": time.time() + 60}).encode())
    assert try_acquire(store, live, "rerun", ttl=60)["owner"] == "elsewhere"


def test_heartbeat_renews_a_long_crawl(store):
    with site_leases(store, ["http://slow.gov.cn/"], owner="long", ttl=0.6):
        first = json.loads(store.get_bytes(lease_key("slow.gov.cn")))["expires"]
        time.sleep(0.9)
        later = json.loads(store.get_bytes(lease_key("slow.gov.cn")))["expires"]
        assert later > first
        assert try_acquire(store, lease_key("slow.gov.cn"), "intruder", ttl=1)["owner"] == "long"
