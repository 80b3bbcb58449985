"""The Airflow DAGs: they import cleanly, and dag.test() runs each of them for real (SQLite
metadata DB in a temporary AIRFLOW_HOME) against the sample portal, served by its own process,
writing to S3 (moto's server, its own process) through an Airflow AWS connection."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from parsers.document import PARSER_VERSION
from storage.readers import arrow_dataset
from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("airflow")
    env = {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags")}
    for cmd in (["airflow", "db", "migrate"], ["airflow", "pools", "set", "govreports_crawl", "4", "one crawl per slot"]):
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
    return env


def serve_portal(faults: str = ""):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "crawlers.sample_portal.server", "--port", str(port),
                             "--faults", faults], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("sample portal did not start")


def wait_for(url: str, proc: subprocess.Popen, what: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{what} did not start")


@pytest.fixture(scope="module")
def moto_s3():
    """moto's S3 server in its own process, a bucket, and an Airflow AWS connection to it
    (endpoint in the extras) for the DAG processes; they get no AWS_* settings."""
    import boto3

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    wait_for(endpoint, proc, "moto server")
    creds = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    client = boto3.client("s3", endpoint_url=endpoint, **creds)
    client.create_bucket(Bucket="govreports")
    conn = {"conn_type": "aws", "login": "testing", "password": "testing",
            "extra": {"endpoint_url": endpoint, "region_name": "us-east-1"}}
    yield {"endpoint": endpoint, "client": client, "conn": json.dumps(conn)}
    proc.kill()
    proc.wait()


def read_table(moto_s3, prefix: str, name: str):
    import pyarrow.dataset as ds
    from pyarrow import fs

    s3fs = fs.S3FileSystem(access_key="testing", secret_key="testing", region="us-east-1",
                           endpoint_override=moto_s3["endpoint"], scheme="http")
    return ds.dataset(f"govreports/{prefix}/datasets/{name}", filesystem=s3fs, format="parquet",
                      partitioning="hive").to_table().to_pandas()


@pytest.fixture(scope="module")
def portal_url():
    proc, url = serve_portal()
    yield url
    proc.kill()


def harness(env, *args, extra_env=None):
    env = {**env, **(extra_env or {})}
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "airflow_harness.py"), str(ROOT / "dags"), *args],
                          env=env, capture_output=True, text=True, timeout=900, cwd=ROOT)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("HARNESS ")), None)
    assert line, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = json.loads(line[len("HARNESS "):])
    out["log"] = proc.stdout + proc.stderr
    return out


SORT = ["doc_id", "char_start", "indicator", "kind", "measure", "value"]


def s3_env(airflow_home, moto_s3):
    env = {k: v for k, v in airflow_home.items() if not k.startswith("AWS_")}
    return {**env, "AIRFLOW_CONN_GOVREPORTS_S3": moto_s3["conn"]}


def test_dags_import_without_errors_or_warnings(airflow_home):
    out = harness(airflow_home)
    assert out["dags"] == ["govreports_annual", "govreports_discover", "govreports_nightly", "govreports_reparse"]
    assert out["import_errors"] == {} and out["warnings"] == []


def test_nightly_dag_crawls_the_portal_and_publishes_to_s3(airflow_home, moto_s3, portal_url):
    conf = {"store": "s3://govreports/nightly", "aws_conn_id": "govreports_s3", "portal_url": portal_url,
            "crawl_batch": 3}
    out = harness(s3_env(airflow_home, moto_s3), "govreports_nightly", json.dumps(conf))
    assert out["state"] == "success", {k: v for k, v in out.items() if k != "log"}
    # eight sources in groups of three: three crawl processes, named by their sources
    crawls = sorted(k for k in out["tasks"] if k.startswith("crawl["))
    assert crawls == ["crawl[cyyq_zfgzbg+guanxian_zfgzbg+hedong_zfgzbg]", "crawl[jinxiang_zfgzbg+linzi_zfgzbg+luozhuang_zfgw]",
                      "crawl[luozhuang_zfgzbg+qingdao_zfgzbg]"]
    docs = read_table(moto_s3, "nightly", "documents")
    assert len(docs) == 14 and docs.doc_id.is_unique
    assert set(read_table(moto_s3, "nightly", "indicators").parser_version) == {PARSER_VERSION}
    # the crawl's raw zone and manifests went to S3 too, none to a local ./data
    keys = [o["Key"] for p in moto_s3["client"].get_paginator("list_objects_v2").paginate(Bucket="govreports", Prefix="nightly/")
            for o in p.get("Contents", [])]
    assert any(k.startswith("nightly/raw/") for k in keys) and any(k.startswith("nightly/crawl/items/") for k in keys)
    assert not any(k.startswith("nightly/locks/") for k in keys)  # site leases released


def test_nightly_fails_the_silent_source_and_publishes_the_others(airflow_home, tmp_path):
    proc, url = serve_portal("silent")  # the 罗庄 report column comes back empty
    try:
        store = str(tmp_path / "store")
        out = harness(airflow_home, "govreports_nightly", json.dumps({"store": store, "portal_url": url}))
    finally:
        proc.kill()
    tasks = out["tasks"]
    assert out["state"] == "failed"
    # one crawl process for the eight sources (the default batch): it records the silent source
    # and returns the others, so the publish has them; the run fails at check_crawls
    assert [k for k in tasks if k.startswith("crawl[")] == ["crawl[cyyq_zfgzbg..qingdao_zfgzbg (8)]"]
    assert tasks["crawl[cyyq_zfgzbg..qingdao_zfgzbg (8)]"] == "success"
    assert tasks["publish[-1]"] == "success" and tasks["source_health[-1]"] == "success"
    assert tasks["check_crawls[-1]"] == "failed"
    assert "crawl of source luozhuang_zfgzbg failed: source luozhuang_zfgzbg: found no documents" in out["log"]
    assert "1 of 8 source(s) failed to crawl: luozhuang_zfgzbg" in out["log"]
    docs = arrow_dataset(store, "documents").to_table().to_pandas()
    health = arrow_dataset(store, "source_health").to_table().to_pandas().set_index("source_id")
    assert health.loc["luozhuang_zfgzbg", "status"] == "silent" and (health.drop("luozhuang_zfgzbg").status == "ok").all()
    assert len(docs) == 13 and not ((docs.region_name == "罗庄区") & (docs.report_year == 2021)
                                    & (docs.doc_type == "work_report")).any()


def test_a_year_backfill_against_a_dead_portal_fails(airflow_home, tmp_path):
    """`allow_empty` (an old year may have no report) must not let an unreachable portal pass:
    "no documents for this year" and "could not reach the listing" are different outcomes."""
    from tests.conftest import free_port

    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens: connections are refused
    out = harness(airflow_home, "govreports_annual", json.dumps({"store": str(tmp_path / "store"), "portal_url": dead}),
                  "2019-01-01T00:00:00+00:00")
    assert out["state"] == "failed"
    crawls = {k: v for k, v in out["tasks"].items() if k.startswith("crawl[")}
    assert crawls and all(v == "failed" for v in crawls.values()), crawls
    assert "no page of the portal could be fetched" in out["log"]


def test_annual_and_reparse_dags_on_s3(airflow_home, moto_s3, portal_url):
    env = s3_env(airflow_home, moto_s3)
    conf = {"store": "s3://govreports/annual", "aws_conn_id": "govreports_s3", "portal_url": portal_url}
    out = harness(env, "govreports_annual", json.dumps(conf), "2019-01-01T00:00:00+00:00")
    assert out["state"] == "success", {k: v for k, v in out.items() if k != "log"}
    docs = read_table(moto_s3, "annual", "documents")
    assert sorted(docs.report_year.unique()) == [2019] and len(docs) == 4
    before = read_table(moto_s3, "annual", "indicators").sort_values(SORT).reset_index(drop=True)

    out = harness(env, "govreports_reparse", json.dumps({"store": "s3://govreports/annual", "aws_conn_id": "govreports_s3",
                                                         "years": []}))
    assert out["state"] == "success", {k: v for k, v in out.items() if k != "log"}
    after = read_table(moto_s3, "annual", "indicators").sort_values(SORT).reset_index(drop=True)
    assert len(read_table(moto_s3, "annual", "documents")) == 4
    assert before.drop(columns=["report_year"]).equals(after.drop(columns=["report_year"]))


def test_discover_dag_records_entries_in_s3_that_the_nightly_set_then_includes(airflow_home, moto_s3, portal_url):
    conf = {"store": "s3://govreports/discover", "aws_conn_id": "govreports_s3", "portal_url": portal_url, "limit": 50}
    out = harness(s3_env(airflow_home, moto_s3), "govreports_discover", json.dumps(conf))
    assert out["state"] == "success", {k: v for k, v in out.items() if k != "log"}
    keys = [o["Key"] for o in moto_s3["client"].list_objects_v2(Bucket="govreports", Prefix="discover/registry/")["Contents"]]
    assert len(keys) == 8 and "discover/registry/discovered/371302.json" in keys
    from pipeline.jobs import sources_to_crawl

    store = f"s3://govreports/discover?endpoint_url={moto_s3['endpoint']}"
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        nightly = sources_to_crawl(portal_url, store_uri=store)
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    assert "gb371302" in nightly and "gb370828" not in nightly and "jinxiang_zfgzbg" in nightly
