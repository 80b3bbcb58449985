"""`govreports status`: source health from real crawls of the sample portal, with and without
fault switches, and the source_health dataset."""

import datetime as dt
import json

import pandas as pd
import pytest

from crawlers.sample_portal.server import SamplePortal
from pipeline.health import format_table, source_health
from storage import open_store
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


def crawl_all(portal, store):
    return run_cli("crawl", "--all", "--portal-url", portal.url, "--store", str(store), "--quiet")


def status(store, *extra):
    proc = run_cli("status", "--store", str(store), *extra)
    return proc.returncode, proc.stdout, proc.stderr


def test_status_is_zero_when_all_sources_work_and_names_failing_and_silent_ones(tmp_path):
    store = tmp_path / "store"
    with SamplePortal() as portal:
        assert crawl_all(portal, store).returncode == 0
        assert run_cli("process", "--store", str(store), "--quiet").returncode == 0
        code, out, err = status(store, "--publish")
        assert code == 0, out + err
        rows = {ln.split()[0]: ln for ln in out.splitlines()[2:] if ln and not ln.startswith(" ")}
        assert len(rows) == 8 and all(" ok " in ln for ln in rows.values())
        assert "HTTP 404 ×1" in rows["luozhuang_zfgzbg"]  # the portal's dead link: reported, not failing
        assert "2019–2021 (3)" in rows["cyyq_zfgzbg"]  # report years of the documents published from it

        # a second store crawled while 罗庄's column is empty and 河东's report page errors
        store = tmp_path / "faulty"
        portal.set_faults({"silent", "http500"})
        crawl_all(portal, store)
        code, out, err = status(store, "--publish")
    assert code == 1
    table = {ln.split()[0]: ln for ln in out.splitlines()[2:] if ln and not ln.startswith(" ")}
    assert table["luozhuang_zfgzbg"].split()[1] == "SILENT"
    assert table["hedong_zfgzbg"].split()[1] == "FAILING" and "HTTP 500 ×1" in table["hedong_zfgzbg"]
    assert all(table[s].split()[1] == "ok" for s in ("linzi_zfgzbg", "qingdao_zfgzbg", "cyyq_zfgzbg", "luozhuang_zfgw"))
    assert "source luozhuang_zfgzbg: found no documents" in out
    assert "2 of 8 source(s) need attention: hedong_zfgzbg, luozhuang_zfgzbg" in err

    code, out, _ = status(store, "--json", "--source", "linzi_zfgzbg")
    assert code == 0 and [r["source_id"] for r in json.loads(out)] == ["linzi_zfgzbg"]
    # today's snapshot replaced, not appended: one row per source
    health = pd.read_parquet(store / "datasets" / "source_health")
    assert len(health) == 8 and set(health.status) == {"ok", "failing", "silent"}
    assert health.set_index("source_id").loc["hedong_zfgzbg", "failed_runs_in_a_row"] == 1


def test_a_source_without_success_for_days_is_stale(tmp_path):
    store = open_store(str(tmp_path / "store"))
    from pipeline.health import record_run

    record_run(store, {"source_id": "a", "run_id": "r1", "documents_seen": 3, "items": 0, "requests": 5}, None)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    (row,) = source_health(store, max_age_days=2, now=later)
    assert row["status"] == "stale" and row["failed_runs_in_a_row"] == 0
    (row,) = source_health(store, max_age_days=5, now=later)
    assert row["status"] == "ok"
    record_run(store, {"source_id": "a", "run_id": "r2", "documents_seen": 0, "items": 0, "requests": 1},
               "source a: found no documents", silent=True)
    (row,) = source_health(store)
    assert row["status"] == "silent" and row["failed_runs_in_a_row"] == 1 and row["last_success_at"]
    assert "SILENT" in format_table([row]) and "found no documents" in format_table([row])
