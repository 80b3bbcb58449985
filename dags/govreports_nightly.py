"""Nightly crawl of every source, then publish. Wiring only: the logic is in pipeline.jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, get_current_context, task

from pipeline import jobs
from pipeline.dag_support import DEFAULT_ARGS, store_from_params


@dag(dag_id="govreports_nightly", schedule="0 2 * * *", start_date=datetime(2024, 1, 1), catchup=False,
     max_active_runs=1, default_args=DEFAULT_ARGS, tags=["govreports"],
     params={"store": Param("", type="string", description="store URI; empty = Variable govreports_store"),
             "portal_url": Param(None, type=["null", "string"], description="sample portal URL (demo/tests)"),
             "sources": Param([], type="array", description="source ids; empty = every reachable source")})
def govreports_nightly():
    @task
    def list_sources(params=None) -> list[str]:
        return jobs.sources_to_crawl(params["portal_url"], params["sources"] or None)

    @task(pool="govreports_crawl", map_index_template="{{ source_id }}", execution_timeout=timedelta(hours=3))
    def crawl(source_id: str, params=None) -> dict:
        get_current_context()["source_id"] = source_id
        return jobs.crawl_source(source_id, store_from_params(params), portal_url=params["portal_url"])

    @task(trigger_rule="all_done", execution_timeout=timedelta(hours=2))
    def publish(crawls: list, params=None) -> dict:
        return jobs.publish(store_from_params(params))

    publish(crawl.expand(source_id=list_sources()))


govreports_nightly()
