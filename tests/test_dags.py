"""The Airflow DAGs: they import cleanly, and dag.test() runs each of them for real (SQLite
metadata DB in a temporary AIRFLOW_HOME) against the sample portal, served by its own process."""

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

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


@pytest.fixture(scope="module")
def portal_url():
    proc, url = serve_portal()
    yield url
    proc.kill()


def harness(env, *args):
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "airflow_harness.py"), str(ROOT / "dags"), *args],
                          env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("HARNESS ")), None)
    assert line, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(line[len("HARNESS "):])


def test_dags_import_without_errors_or_warnings(airflow_home):
    out = harness(airflow_home)
    assert out["dags"] == ["govreports_annual", "govreports_nightly", "govreports_reparse"]
    assert out["import_errors"] == {} and out["warnings"] == []


def test_nightly_dag_crawls_the_portal_and_publishes(airflow_home, portal_url, tmp_path):
    store = str(tmp_path / "store")
    out = harness(airflow_home, "govreports_nightly", json.dumps({"store": store, "portal_url": portal_url}))
    assert out["state"] == "success", out
    assert sum(1 for k in out["tasks"] if k.startswith("crawl[")) == 6
    assert arrow_dataset(store, "documents").to_table().num_rows == 14


def test_annual_and_reparse_dags(airflow_home, portal_url, tmp_path):
    store = str(tmp_path / "store")
    out = harness(airflow_home, "govreports_annual", json.dumps({"store": store, "portal_url": portal_url}),
                  "2019-01-01T00:00:00+00:00")
    assert out["state"] == "success", out
    docs = arrow_dataset(store, "documents").to_table().to_pandas()
    assert sorted(docs.report_year.unique()) == [2019] and len(docs) == 4
    out = harness(airflow_home, "govreports_reparse", json.dumps({"store": store, "years": []}))
    assert out["state"] == "success", out
    assert arrow_dataset(store, "documents").to_table().num_rows == 4
