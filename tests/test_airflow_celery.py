"""The CeleryExecutor for real: redis-server (Debian's, started here on 127.0.0.1) as the
broker, an `airflow celery worker` beside the api-server, scheduler and dag-processor (SQLite
metadata DB, Celery results in their own SQLite file), and a backfill of one report year of
govreports_annual from the sample portal: its mapped crawl groups and extraction shards are
run by the Celery worker, then the year is published once. PostgreSQL would be the metadata
DB of a deployment (docker/compose.yaml); none runs here."""

import json
import shutil
import socket
import sqlite3
import subprocess
import time

import pandas as pd
import pytest

from tests.conftest import ROOT, free_port
from tests.test_airflow_scheduler import airflow, airflow_env, stop, wait_for_runs, wait_until_up
from tests.test_dags import serve_portal

pytestmark = pytest.mark.slow


def start_redis(tmp_path) -> tuple[subprocess.Popen, int]:
    exe = shutil.which("redis-server")
    assert exe, "needs Debian's redis-server package (scripts/system-deps.sh installs it)"
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=open(tmp_path / "redis.log", "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("redis-server did not start: " + (tmp_path / "redis.log").read_text()[-2000:])


def test_a_mapped_annual_run_on_a_celery_worker(tmp_path):
    home, store = tmp_path / "airflow", tmp_path / "store"
    redis, redis_port = start_redis(tmp_path)
    port = free_port()
    env = airflow_env(home, port, "CeleryExecutor", **{
        # backfill runs only: a scheduled latest run (live portals) publishing first would index
        # the year's manifests before the shards run, and leave them nothing to extract
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+sqlite:///{home}/celery-results.db",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
    })
    home.mkdir()
    airflow(env, "db", "migrate")
    with sqlite3.connect(home / "airflow.db") as db:
        assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    airflow(env, "pools", "set", "govreports_crawl", "4", "crawls at once")
    airflow(env, "variables", "set", "govreports_store", str(store))
    portal, portal_url = serve_portal()
    services = {"api-server": ["api-server", "--port", str(port), "--host", "127.0.0.1"],
                "dag-processor": ["dag-processor"], "scheduler": ["scheduler"],
                "worker": ["celery", "worker", "--concurrency", "2", "--celery-hostname", "govreports-test-worker"]}
    logs = {name: tmp_path / f"{name}.log" for name in services}
    procs = {}

    def start(*names):
        for name in names:
            procs[name] = subprocess.Popen(["airflow", *services[name]], env=env, cwd=ROOT, start_new_session=True,
                                           stdout=open(logs[name], "a"), stderr=subprocess.STDOUT)

    try:
        start("api-server", "dag-processor", "worker")
        wait_until_up(env, port, logs)
        conf = {"portal_url": portal_url, "crawl_batch": 3, "extract_shards": 2}
        airflow(env, "backfill", "create", "--dag-id", "govreports_annual", "--from-date", "2019-01-01",
                "--to-date", "2019-01-01", "--dag-run-conf", json.dumps(conf))
        start("scheduler")
        states = wait_for_runs(env, procs, logs, 1, timeout=600)
        assert states == {"2019-01-01": "success"}, states
        with sqlite3.connect(f"file:{home}/airflow.db?mode=ro", uri=True, timeout=30) as db:
            rows = db.execute("SELECT task_id, map_index, state, queue FROM task_instance "
                              "WHERE run_id LIKE 'backfill__%'").fetchall()
        mapped = {t: sorted(m for tid, m, _, _ in rows if tid == t) for t in ("crawl", "extract")}
        assert mapped == {"crawl": [0, 1, 2], "extract": [0, 1]}, rows  # 8 sources in groups of 3; 2 shards
        assert all(state == "success" for _, _, state, _ in rows), rows
        worker_log = logs["worker"].read_text()
        assert "celery@govreports-test-worker ready" in worker_log, worker_log[-3000:]
        # the task instances went through the broker to the worker (the scheduler runs none itself)
        received = [ln for ln in worker_log.splitlines() if "execute_workload[" in ln and "received" in ln]
        assert len(received) >= len(rows), (len(received), rows, worker_log[-3000:])
        docs = pd.read_parquet(store / "datasets" / "documents")
        assert sorted(docs.report_year.astype(int).unique()) == [2019] and len(docs) == 4 and docs.doc_id.is_unique
        assert len(list((store / "derived" / "parsed").rglob("*.json*"))) >= 4  # the shards' parse results
        assert not list((store / "locks").rglob("*.json"))
    finally:
        stop(procs)
        portal.kill()
        redis.kill()
        redis.wait()
