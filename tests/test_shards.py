"""Extraction shards (issue 15, item 3): N shards split the unindexed crawls between them
without a plan, the publish after them extracts and parses nothing, and the published bytes
are those of a publish without shards."""

import shutil

import pipeline.derived as derived
from pipeline import jobs
from pipeline.process import process
from pipeline.shards import shard_of, unindexed_manifests
from storage import open_store
from tests.conftest import run_cli


def _fresh_copy(demo_store, tmp_path, name):
    dst = tmp_path / name
    shutil.copytree(demo_store[0], dst)
    for sub in ("derived", "state/index", "datasets/documents", "datasets/indicators", "datasets/tasks"):
        shutil.rmtree(dst / sub, ignore_errors=True)
    return dst


def _published(store):
    return {p.relative_to(store).as_posix(): p.read_bytes() for p in sorted((store / "datasets").rglob("*.parquet"))
            if p.parts[-3] in ("documents", "indicators", "tasks")}


def test_three_shards_leave_the_publish_nothing_to_extract_or_parse(demo_store, tmp_path):
    sharded, plain = _fresh_copy(demo_store, tmp_path, "sharded"), _fresh_copy(demo_store, tmp_path, "plain")
    manifests = unindexed_manifests(open_store(str(sharded)))
    assert len(manifests) >= 6
    results = [jobs.extract_shard(str(sharded), i, 3) for i in range(3)]
    assert sum(r["manifests"] for r in results) == len(manifests)
    assert sorted(r["shard"] for r in results) == [0, 1, 2]
    assert sum(r["extracted"] for r in results) >= 14
    again = jobs.extract_shard(str(sharded), 1, 3)  # a retried shard: everything is cached already
    assert again["extracted"] == 0 and again["already_cached"] == again["items"]

    derived.STATS.clear()
    summary = process(str(sharded), progress=False)
    assert derived.STATS.get("miss", 0) == 0 and derived.STATS.get("hit", 0) == 0
    assert derived.STATS["parsed_hit"] >= summary.documents + summary.duplicates
    process(str(plain), progress=False)
    assert _published(sharded) == _published(plain)


def test_the_assignment_is_stable_and_covers_every_shard():
    keys = [f"crawl/items/source_{i}/20261201T020000Z-{i:06x}.jsonl" for i in range(400)]
    assert [shard_of(k, 8) for k in keys] == [shard_of(k, 8) for k in keys]
    assert set(shard_of(k, 8) for k in keys) == set(range(8))
    assert all(shard_of(k, 1) == 0 for k in keys)


def test_a_bad_shard_number_is_one_line_and_exit_2(tmp_path):
    proc = run_cli("extract", "--store", str(tmp_path / "s"), "--shard", "3", "--shards", "3")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "--shard must be 0..2" in proc.stderr
    ok = run_cli("extract", "--store", str(tmp_path / "s"))
    assert ok.returncode == 0 and "shard 0/1: 0 manifests, 0 items" in ok.stdout
