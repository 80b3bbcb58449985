"""Storage against a real S3 API over HTTP (moto's server) and locally: the demo on S3 equals
the local one row by row and DuckDB and pyarrow read it; a publisher killed between steps is
repaired by the next run; publishes for different years run at once; a reader polling while a
writer replaces a partition sees the old or the new rows, never a mix; 30 nightly publishes
leave one file per partition."""

import os
import shutil
import subprocess
import sys
import threading

import pyarrow.parquet as pq
import pytest

from pipeline.process import process
from storage import open_store
from storage.datasets import list_partitions, read_dataset, write_partition
from storage.readers import arrow_dataset, duckdb_connection, duckdb_source
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

DOC_COLS = ["doc_id", "title", "doc_type", "region_name", "region_code", "admin_level", "report_year", "text_chars",
            "extraction", "meeting_date", "speaker"]
IND_COLS = ["doc_id", "indicator", "kind", "measure", "period", "span", "value", "unit", "qualifier", "char_start"]


def rows(table, cols):
    frame = table.to_pandas()[cols]
    return sorted(tuple(str(v) for v in r) for r in frame.itertuples(index=False))


@pytest.fixture(scope="module")
def s3_demo(s3, demo_store):
    uri = f"s3://{s3['bucket']}/demo?endpoint_url={s3['endpoint']}"
    proc = run_cli("demo", "--store", uri)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return uri


def test_demo_on_s3_equals_local_row_by_row(s3_demo, demo_store, s3):
    local, _ = demo_store
    for name, cols in (("documents", DOC_COLS), ("indicators", IND_COLS)):
        assert rows(arrow_dataset(s3_demo, name).to_table(), cols) == rows(arrow_dataset(str(local), name).to_table(), cols)
    keys = [o["Key"] for p in s3["client"].get_paginator("list_objects_v2").paginate(Bucket="govreports", Prefix="demo/raw/")
            for o in p.get("Contents", [])]
    pdf = next(k for k in keys if k.endswith(".pdf"))
    head = s3["client"].head_object(Bucket="govreports", Key=pdf)
    assert head["ContentType"] == "application/pdf" and head["Metadata"]["source-url"].startswith("http://127.0.0.1")


def test_duckdb_reads_the_datasets_from_s3(s3_demo):
    con, root = duckdb_connection(s3_demo)
    assert root.startswith("s3://govreports/demo")
    n_docs = con.sql(f"SELECT count(*) FROM {duckdb_source(root, 'documents')}").fetchone()[0]
    gdp = con.sql(f"""SELECT value, qualifier FROM {duckdb_source(root, 'indicators')}
                      WHERE region_name = '罗庄区' AND indicator = 'gdp' AND kind = 'target' AND period = 2021""").fetchall()
    assert n_docs == 14 and gdp == [(6.5, "about")]
    proc = run_cli("show", "targets", "--store", s3_demo)
    assert proc.returncode == 0 and "罗庄区" in proc.stdout, proc.stderr


def _copy_store(demo_store, tmp_path):
    local, _ = demo_store
    dst = tmp_path / "store"
    shutil.copytree(local, dst)
    return dst


@pytest.mark.parametrize("backend", ["local", "s3"])
def test_a_publisher_killed_between_steps_is_repaired(backend, demo_store, tmp_path, s3):
    local = _copy_store(demo_store, tmp_path)
    if backend == "local":
        uri = str(local)
    else:  # the same input on S3: raw zone and manifests uploaded with boto3
        uri = f"s3://{s3['bucket']}/crash-{os.getpid()}?endpoint_url={s3['endpoint']}"
        store = open_store(uri)
        for path in local.rglob("*"):
            rel = path.relative_to(local).as_posix()
            if path.is_file() and rel.startswith(("raw/", "crawl/")):
                store.put_bytes(rel, path.read_bytes())
    store = open_store(uri)
    if backend == "local":
        for key in list_partitions(store, "documents") + list_partitions(store, "indicators") + list_partitions(store, "tasks"):
            store.delete(key)
    env = {**os.environ, "GOVREPORTS_CRASH_AFTER": "indicators:2021"}
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "process", "--store", uri, "--quiet"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 75  # killed right after writing indicators for 2021
    for key in list_partitions(store, "documents") + list_partitions(store, "indicators"):
        assert "/.tmp-" not in key
        pq.read_table(__import__("io").BytesIO(store.get_bytes(key)))  # every visible file is whole
    assert not [k for k in list_partitions(store, "tasks") if "report_year=2023" in k]  # not reached yet
    proc = run_cli("process", "--store", uri, "--quiet")
    assert proc.returncode == 0, proc.stderr
    docs = read_dataset(store, "documents")
    assert docs.num_rows == 14 and len(set(docs.column("doc_id").to_pylist())) == 14
    assert read_dataset(store, "tasks").num_rows == 69
    ref = read_dataset(open_store(str(demo_store[0])), "indicators")
    assert rows(read_dataset(store, "indicators"), IND_COLS) == rows(ref, IND_COLS)


def test_publishes_for_different_years_at_once(demo_store, tmp_path):
    store_dir = _copy_store(demo_store, tmp_path)
    shutil.rmtree(store_dir / "datasets" / "documents")
    shutil.rmtree(store_dir / "datasets" / "indicators")
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "process", "--year", str(y), "--store", str(store_dir),
                               "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for y in (2019, 2021, 2023)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    store = open_store(str(store_dir))
    docs = read_dataset(store, "documents").to_pandas()
    assert sorted(docs.report_year.unique()) == [2019, 2021, 2023]
    assert docs.doc_id.is_unique and len(docs) == 13  # 2020's town report was not asked for
    assert all(k.endswith("part-0.parquet") for k in list_partitions(store, "documents"))


def _poll_while_replacing(uri):
    store = open_store(uri)
    base = {"indicator": "gdp", "kind": "target", "measure": "growth", "qualifier": "exact", "report_year": 2030}
    old = [{**base, "doc_id": f"old{i}", "value": float(i), "char_start": i} for i in range(3)]
    new = [{**base, "doc_id": f"new{i}", "value": float(i), "char_start": i} for i in range(5)]
    write_partition(store, "indicators", {"report_year": 2030}, old)
    seen, bad, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            ids = sorted(read_dataset(store, "indicators").column("doc_id").to_pylist())
            seen.append(len(ids))
            if ids not in (sorted(r["doc_id"] for r in old), sorted(r["doc_id"] for r in new)):
                bad.append(ids)

    thread = threading.Thread(target=reader)
    thread.start()
    for i in range(40):
        write_partition(store, "indicators", {"report_year": 2030}, new if i % 2 == 0 else old)
    stop.set()
    thread.join()
    return seen, bad


@pytest.mark.parametrize("backend", ["local", "s3"])
def test_a_reader_polling_during_replacement_sees_old_or_new(backend, tmp_path, s3):
    uri = str(tmp_path / "poll") if backend == "local" else f"s3://{s3['bucket']}/poll?endpoint_url={s3['endpoint']}"
    seen, bad = _poll_while_replacing(uri)
    assert bad == [] and len(seen) > 5 and set(seen) <= {3, 5}


def test_thirty_nightly_publishes_keep_one_file_and_the_same_rows(demo_store, tmp_path):
    store_dir = _copy_store(demo_store, tmp_path)
    store = open_store(str(store_dir))
    before = {k: store.get_bytes(k) for k in list_partitions(store, "indicators") + list_partitions(store, "documents")}
    for _ in range(30):
        process(str(store_dir), progress=False)
    after = {k: store.get_bytes(k) for k in list_partitions(store, "indicators") + list_partitions(store, "documents")}
    assert after == before  # same files, byte for byte: one part file per partition
    assert all(k.endswith("/part-0.parquet") for k in after)
