"""`govreports demo` end to end: sample portal over HTTP -> Scrapy -> raw -> parse -> Parquet,
read back with pandas and DuckDB."""

import duckdb
import pandas as pd
import pytest

pytestmark = pytest.mark.slow


def test_demo_publishes_the_expected_documents(demo_store):
    store, stdout = demo_store
    docs = pd.read_parquet(store / "datasets" / "documents")
    assert len(docs) == 14
    reports = docs[docs.doc_type == "work_report"]
    assert len(reports) == 13 and reports.doc_id.is_unique
    assert (docs.doc_type == "policy").sum() == 1
    assert docs[["region_name", "admin_level", "report_year"]].notna().all().all()
    qingdao = docs[docs.region_name == "青岛市"].iloc[0]
    assert qingdao.source_id == "qingdao_zfgzbg" and len(qingdao.also_at) == 1  # aggregator copy linked
    assert set(docs.extraction) == {"html", "pdf", "doc"}
    guanxian = docs[docs.region_name == "冠县"].iloc[0]  # a stub page; the report is its Word 97 file
    assert guanxian.extraction == "doc" and guanxian.text_chars > 10000 and "崔新乐" in guanxian.text
    assert [(a["kind"], a["name"]) for a in guanxian.attachments] == [("doc", "P020210125561230984712.doc")]
    jinxiang = docs[docs.region_name == "金乡县"].iloc[0]  # downfile.jsp files: listed, kept, not read
    listed = {a["kind"]: a for a in jinxiang.attachments}
    assert listed.keys() == {"xlsx", "zip"} and listed["zip"]["name"] == "2021年政府工作报告图解.zip"
    assert all(a["raw_key"].endswith("." + a["kind"]) and (store / a["raw_key"]).is_file() for a in listed.values())
    assert "Published: 14 documents" in stdout and "read_parquet" in stdout


def test_demo_headline_indicators(demo_store):
    store, _ = demo_store
    sql = f"""SELECT region_name, report_year, indicator, kind, measure, period, value, unit, qualifier
              FROM read_parquet('{store}/datasets/indicators/*/*.parquet', hive_partitioning=true)
              WHERE span IS NULL"""
    rows = set(duckdb.sql(sql).fetchall())
    assert ("罗庄区", 2021, "gdp", "target", "growth", 2021, 6.5, "%", "about") in rows
    assert ("河东区", 2023, "fixed_asset_investment", "target", "growth", 2023, 12.0, "%", "about") in rows
    assert ("青岛市", 2021, "general_budget_revenue", "target", "growth", 2021, 6.0, "%", "at_least") in rows
    assert ("罗庄区", 2021, "gdp", "actual", "level", 2020, 372.2, "亿元", "exact") in rows


def test_demo_crawl_log_and_tasks(demo_store):
    store, _ = demo_store
    log = pd.read_parquet(store / "datasets" / "crawl_log")
    assert (log.status == 404).sum() == 1 and (log.status == 200).sum() >= 20
    pages = log[(log.status == 200) & ~log.url.str.endswith("/robots.txt")]  # robots.txt is logged, not stored
    assert pages.sha256.notna().all()
    # robots.txt: fetched once for the host by the discovery step, then read from the store's cache
    assert (log.url.str.endswith("/robots.txt")).sum() == 0
    assert len(list((store / "state" / "robots").glob("127.0.0.1*.json"))) == 1
    tasks = pd.read_parquet(store / "datasets" / "tasks")
    assert len(tasks) == 69 and tasks.report_year.unique().tolist() == [2023]


def test_process_rerun_changes_nothing(demo_store):
    from tests.conftest import run_cli

    store, _ = demo_store
    parts = sorted((store / "datasets").rglob("report_year=*/part-0.parquet"))
    before = {p: p.read_bytes() for p in parts}
    proc = run_cli("process", "--store", str(store), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert {p: p.read_bytes() for p in parts} == before
