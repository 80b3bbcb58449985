"""Publishes to one store are safe against any interleaving (issue 14, item 3): they are
serialised by a store-level lease, and a full run drops a partition only when it knows, at
commit time, that the year has no document (a crawl that landed during the run may hold one)."""

import json
import os
import shutil
import subprocess
import sys

import pipeline.process as proc_mod
from pipeline.site_lease import PUBLISH_LEASE, publish_lease
from storage import open_store
from storage.datasets import list_partitions, read_dataset, write_partition
from tests.conftest import ROOT, run_cli


def _copy(demo_store, tmp_path):
    dst = tmp_path / "store"
    shutil.copytree(demo_store[0], dst)
    return dst


def test_a_full_run_keeps_a_year_a_crawl_added_while_it_ran(demo_store, tmp_path, monkeypatch):
    store_dir = _copy(demo_store, tmp_path)
    store = open_store(str(store_dir))
    original = proc_mod.item_index.update

    def crawl_lands_after_reading(st, *args, **kwargs):
        indexed = original(st, *args, **kwargs)
        # meanwhile: a crawl of 2030 lands and `process --year 2030` publishes it
        st.put_bytes("crawl/items/x/2030.jsonl", json.dumps({"url": "http://x/2030", "fetched_at": "z"}).encode())
        write_partition(st, "documents", {"report_year": 2030}, [{"doc_id": "d2030", "title": "2030年某县政府工作报告"}])
        return indexed

    monkeypatch.setattr(proc_mod.item_index, "update", crawl_lands_after_reading)
    proc_mod.process(str(store_dir), progress=False)
    assert any("report_year=2030" in k for k in list_partitions(store, "documents"))  # not dropped as stale
    assert "d2030" in read_dataset(store, "documents").column("doc_id").to_pylist()


def test_a_full_run_still_drops_what_is_stale(demo_store, tmp_path):
    store_dir = _copy(demo_store, tmp_path)
    store = open_store(str(store_dir))
    write_partition(store, "documents", {"report_year": 1999}, [{"doc_id": "old", "title": "t"}])
    proc_mod.process(str(store_dir), progress=False)
    assert not any("report_year=1999" in k for k in list_partitions(store, "documents"))


def test_publishes_to_one_store_are_serialised(demo_store, tmp_path):
    store_dir = _copy(demo_store, tmp_path)
    store = open_store(str(store_dir))
    with publish_lease(store, owner="the nightly publish (test)"):
        assert store.exists(PUBLISH_LEASE)
        env = {**os.environ, "GOVREPORTS_PUBLISH_WAIT": "1"}
        proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "process", "--store", str(store_dir),
                               "--year", "2021", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
        assert proc.returncode == 3 and "being published by the nightly publish (test)" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert not store.exists(PUBLISH_LEASE)
    assert run_cli("process", "--store", str(store_dir), "--year", "2021", "--quiet").returncode == 0
