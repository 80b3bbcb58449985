"""A real Airflow: api-server, scheduler and dag-processor (LocalExecutor, SQLite metadata DB
in a temporary AIRFLOW_HOME), started and stopped by this test by process id. `airflow
backfill create` fills three report years of govreports_annual from the sample portal; a
second backfill of the same years (reprocessing the completed runs) changes no row."""

import datetime
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest

from tests.conftest import ROOT, free_port
from tests.test_dags import serve_portal

pytestmark = pytest.mark.slow

YEARS = [2019, 2020, 2021]
SERVICES = (["api-server", "--port", "{port}", "--host", "127.0.0.1"], ["scheduler"], ["dag-processor"])


def airflow(env, *args, timeout=300) -> str:
    # SQLite: a write racing the scheduler's can fail at once (busy snapshot); retry those that
    # are idempotent (a backfill is not: see backfill() below)
    for _ in range(1 if args[0] == "backfill" else 5):
        proc = subprocess.run(["airflow", *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        if proc.returncode == 0 or "database is locked" not in proc.stderr:
            break
        time.sleep(2)
    assert proc.returncode == 0, f"airflow {' '.join(args)}: {proc.stderr[-3000:]}"
    return proc.stdout


def stop(procs: dict) -> None:
    """SIGTERM each service's process group (scheduler and executor workers with it), then
    SIGKILL what is left after 30 s."""
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_until_up(env, port: int, logs: dict) -> None:
    """The api-server answers and the dag-processor has parsed the DAGs."""
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=2)
            if "govreports_annual" in airflow(env, "dags", "list", "--output", "json"):
                return
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError("Airflow did not come up: " + logs["api-server"].read_text()[-2000:])


def runs(env, started_after: str = "") -> dict[str, str]:
    """State of each backfill run by logical date; runs not (re)started since `started_after`
    (ISO time) count as pending. The scheduler's own latest run (the DAG is unpaused, which
    backfills need) is left out: it crawls the live portals, none reachable from a test."""
    out = airflow(env, "dags", "list-runs", "govreports_annual", "--output", "json")
    rows = next((json.loads(ln) for ln in out.splitlines() if ln.startswith("[")), [])  # after any log lines
    return {r["logical_date"][:10]: r["state"] if (r["start_date"] or "") > started_after else "pending"
            for r in rows if r["run_id"].startswith("backfill__")}


def wait_for_runs(env, procs, logs, n: int, timeout: float, started_after: str = "") -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dead = [name for name, p in procs.items() if p.poll() is not None]
        assert not dead, f"{dead} exited: " + "".join(logs[d].read_text()[-2000:] for d in dead)
        states = runs(env, started_after)
        if len(states) >= n and all(s in ("success", "failed") for s in states.values()):
            return states
        time.sleep(3)
    tails = "\n".join(f"--- {name}\n{path.read_text()[-3000:]}" for name, path in logs.items())
    raise AssertionError(f"runs not finished in {timeout}s: {runs(env)}\n{tails}")


def wait_for_backfills_closed(db_path, timeout: float = 120) -> None:
    """The scheduler closes a backfill (completed_at) a little after its last run; only one
    open backfill per DAG is allowed. The CLI has no `backfill list`, so read the metadata DB."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30) as db:
            if not db.execute("SELECT count(*) FROM backfill WHERE completed_at IS NULL").fetchone()[0]:
                return
        time.sleep(2)
    raise AssertionError("backfill not closed by the scheduler")


def airflow_env(home, port: int, executor: str, **extra: str) -> dict[str, str]:
    """The environment of every Airflow process of a test: its own home, SQLite DB and ports,
    and none of the caller's AIRFLOW* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({
        "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__EXECUTOR": executor, "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "4", "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16), "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5", "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__API__WORKERS": "1",
        # SQLite with several processes: wait for locks instead of failing at once (WAL set below)
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db?timeout=60",
    })
    env.update(extra)
    return env


def partitions(store) -> dict[str, bytes]:
    return {p.relative_to(store).as_posix(): p.read_bytes()
            for p in sorted((store / "datasets").glob("*/report_year=*/*.parquet"))}


def test_backfill_under_a_real_scheduler(tmp_path):
    home, store = tmp_path / "airflow", tmp_path / "store"
    port = free_port()
    env = airflow_env(home, port, "LocalExecutor")
    timings = {}
    t0 = time.monotonic()
    home.mkdir()
    airflow(env, "db", "migrate")
    with sqlite3.connect(home / "airflow.db") as db:  # readers no longer block the writer
        assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    airflow(env, "pools", "set", "govreports_crawl", "4", "crawls at once, all runs together")
    airflow(env, "variables", "set", "govreports_store", str(store))  # the store comes from a Variable
    timings["migrate"] = time.monotonic() - t0

    portal, portal_url = serve_portal()
    logs = {cmd[0]: tmp_path / f"{cmd[0]}.log" for cmd in SERVICES}
    procs = {}

    def start(*names):
        for cmd in SERVICES:
            if cmd[0] in names:
                args = [a.format(port=port) for a in cmd]
                procs[cmd[0]] = subprocess.Popen(["airflow", *args], env=env, cwd=ROOT, start_new_session=True,
                                                 stdout=open(logs[cmd[0]], "a"), stderr=subprocess.STDOUT)

    def backfill(*extra):
        """Created while only the api-server runs: on SQLite a write racing the scheduler's can
        fail half-way (`database is locked` after the backfill row is in), and a retry then
        meets its own half-made backfill. With PostgreSQL this is not needed."""
        stop({k: procs.pop(k) for k in ("scheduler", "dag-processor") if k in procs})
        airflow(env, "backfill", "create", "--dag-id", "govreports_annual", "--from-date", "2019-01-01",
                "--to-date", "2021-01-01", "--dag-run-conf", json.dumps({"portal_url": portal_url}), *extra)
        start("scheduler", "dag-processor")

    try:
        t0 = time.monotonic()
        start("api-server", "dag-processor")
        wait_until_up(env, port, logs)
        timings["services up"] = time.monotonic() - t0

        t0 = time.monotonic()
        backfill()
        states = wait_for_runs(env, procs, logs, len(YEARS), timeout=600)
        timings["first backfill"] = time.monotonic() - t0
        assert states == {f"{y}-01-01": "success" for y in YEARS}, states
        first = partitions(store)
        assert sorted({k.split("/")[2] for k in first}) == [f"report_year={y}" for y in YEARS]
        assert sorted({k.split("/")[1] for k in first}) == ["documents", "indicators", "tasks"]
        docs = pd.read_parquet(store / "datasets" / "documents")
        assert sorted(docs.report_year.astype(int).unique()) == YEARS and docs.doc_id.is_unique
        assert not list((store / "locks").rglob("*.json"))

        wait_for_backfills_closed(home / "airflow.db")
        t0 = time.monotonic()
        second_start = datetime.datetime.now(datetime.UTC).isoformat()
        backfill("--reprocess-behavior", "completed")
        states = wait_for_runs(env, procs, logs, len(YEARS), timeout=600, started_after=second_start)
        timings["second backfill"] = time.monotonic() - t0
        assert states == {f"{y}-01-01": "success" for y in YEARS}, states
        assert partitions(store) == first  # byte for byte: the rerun changed no row
    finally:
        t0 = time.monotonic()
        stop(procs)
        portal.kill()
        timings["stop"] = time.monotonic() - t0
        sys.stderr.write("airflow scheduler test timings: " + json.dumps({k: round(v, 1) for k, v in timings.items()}) + "\n")
    assert all(p.returncode is not None for p in procs.values())
