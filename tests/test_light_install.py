"""The CLI, the demo's parts and the readers work without Airflow (issue 14, item 17):
Airflow is the `airflow` extra, imported only by the DAG wiring."""

import subprocess
import sys
import tomllib

from tests.conftest import ROOT

CODE = """
import sys
from pipeline.cli import main
from storage.readers import arrow_dataset, duckdb_connection
import crawlers.spiders, crawlers.settings, pipeline.crawl, pipeline.process, pipeline.discover, pipeline.health
codes = [main(["parse", sys.argv[1], "--json"]), main(["status", "--store", sys.argv[2]])]
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "airflow")
print("AIRFLOW", loaded[:3], codes)
"""


def test_no_airflow_outside_the_dags(demo_store, tmp_path):
    sample = sorted((ROOT / "tests" / "fixtures" / "corpus" / "texts").glob("*.txt"))[0]
    proc = subprocess.run([sys.executable, "-c", CODE, str(sample), str(demo_store[0])], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("AIRFLOW"))
    assert line.startswith("AIRFLOW [] [0,"), line


def test_airflow_is_an_extra_that_the_tests_include():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert not any(d.startswith("apache-airflow") for d in meta["dependencies"])
    extras = meta["optional-dependencies"]
    assert {d.split(">")[0] for d in extras["airflow"]} == {"apache-airflow", "apache-airflow-providers-amazon"}
    assert "govreports[airflow,celery]" in extras["test"]
    assert {d.split(">")[0] for d in extras["celery"]} == {"apache-airflow-providers-celery", "celery", "redis"}
