"""The storage layer through an Airflow AWS connection (as the DAGs use it): credentials,
region and endpoint come from the connection, not from AWS_* settings or the URI."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

CODE = """
from storage import open_store
from storage.datasets import read_dataset, write_partition
store = open_store("s3://govreports/via-airflow-conn")
write_partition(store, "documents", {"report_year": 2021}, [{"doc_id": "d1", "title": "t", "report_year": 2021}])
print(store.endpoint_url, read_dataset(store, "documents").column("doc_id").to_pylist())
"""


def test_store_from_an_airflow_aws_connection(s3, tmp_path):
    conn = {"conn_type": "aws", "login": "testing", "password": "testing",
            "extra": {"endpoint_url": s3["endpoint"], "region_name": "us-east-1"}}
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}  # nothing from AWS_* settings
    env.update({"AIRFLOW_HOME": str(tmp_path), "AIRFLOW_CONN_GOVREPORTS_S3": json.dumps(conn),
                "GOVREPORTS_AWS_CONN_ID": "govreports_s3"})
    proc = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == f"{s3['endpoint']} ['d1']"
    keys = [o["Key"] for o in s3["client"].list_objects_v2(Bucket="govreports", Prefix="via-airflow-conn/")["Contents"]]
    assert keys == ["via-airflow-conn/datasets/documents/report_year=2021/part-0.parquet"]
