"""A publisher killed with its temp file on disk (issue 14, item 1): nothing a reader's glob
matches is left in the dataset tree, a rerun succeeds, and DuckDB, `query`, `show` and the
README's snippet keep working; leftovers of killed writers are swept."""

import os
import subprocess
import sys
import time

import duckdb

from storage import open_store
from storage.datasets import list_partitions
from tests.conftest import ROOT, run_cli
from tests.test_s3_storage import _copy_store


def _killed_with_temp_on_disk(store_dir, pattern: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOVREPORTS_CRASH_AFTER": pattern}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "process", "--store", str(store_dir), "--quiet"],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def test_a_kill_at_the_temp_file_leaves_readers_working(demo_store, tmp_path):
    store_dir = _copy_store(demo_store, tmp_path)
    proc = _killed_with_temp_on_disk(store_dir, "temp:datasets/indicators/report_year=2020/*")
    assert proc.returncode == 75, proc.stderr  # died between writing the temp file and its rename
    assert list((store_dir / ".tmp").glob("*.part")), "the temp file of the killed write is on disk"
    strays = [p for p in (store_dir / "datasets").rglob("*") if p.is_file() and not p.name.endswith(".parquet")]
    assert strays == []
    glob = f"{store_dir}/datasets/indicators/*/*.parquet"
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true)").fetchone()[0]
    assert n > 0  # every file the glob matches is a whole Parquet file

    proc = run_cli("process", "--store", str(store_dir), "--quiet")
    assert proc.returncode == 0, proc.stderr
    for args in (["query", "SELECT count(*) AS n FROM indicators", "--store", str(store_dir)],
                 ["show", "targets", "--store", str(store_dir)]):
        proc = run_cli(*args)
        assert proc.returncode == 0 and "does not exist" not in proc.stdout + proc.stderr, proc.stderr
    assert all(k.endswith("/part-0.parquet") for k in list_partitions(open_store(str(store_dir)), "indicators"))


def test_leftovers_of_killed_writers_are_swept(tmp_path):
    store = open_store(str(tmp_path / "store"))
    store.put_bytes("datasets/documents/report_year=2020/part-0.parquet", b"x")
    old_layout = tmp_path / "store" / "datasets" / "documents" / "report_year=2020" / ".tmp-abc.parquet"
    old_layout.write_bytes(b"")  # what versions before this one left beside the target
    stale = tmp_path / "store" / ".tmp" / "w-dead.part"
    stale.write_bytes(b"half")
    running = tmp_path / "store" / ".tmp" / "w-running.part"
    running.write_bytes(b"in progress")
    past = time.time() - 7200
    for path in (old_layout, stale):
        os.utime(path, (past, past))
    gone = store.sweep_temp()
    assert sorted(gone) == [".tmp/w-dead.part", "datasets/documents/report_year=2020/.tmp-abc.parquet"]
    assert running.exists()  # a writer that may still be running keeps its file
    assert store.list_keys("") == ["datasets/documents/report_year=2020/part-0.parquet"]
