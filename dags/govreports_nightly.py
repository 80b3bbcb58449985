"""Nightly crawl of every source (in groups: one crawl process per group), then publish the
report years that new documents touch and the source_health snapshot, then fail the run if
any source failed. Wiring only: the logic is in pipeline.jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, get_current_context, task

from pipeline import jobs
from pipeline.dag_support import (
    CRAWL_PARAMS,
    DEFAULT_ARGS,
    STORE_PARAMS,
    group_label,
    sources_from_params,
    store_from_params,
)


@dag(dag_id="govreports_nightly", schedule="0 2 * * *", start_date=datetime(2024, 1, 1), catchup=False,
     max_active_runs=1, default_args=DEFAULT_ARGS, tags=["govreports"], params={**STORE_PARAMS, **CRAWL_PARAMS})
def govreports_nightly():
    @task
    def list_sources(params=None) -> list[list[str]]:
        store = store_from_params(params)
        ids = jobs.sources_to_crawl(params["portal_url"], sources_from_params(params), store)
        return jobs.crawl_groups(ids, params["crawl_batch"], params["portal_url"], store)

    @task(pool="govreports_crawl", map_index_template="{{ sources_label }}", execution_timeout=timedelta(hours=3))
    def crawl(source_ids: list[str], params=None) -> list[dict]:
        get_current_context()["sources_label"] = group_label(source_ids)
        return jobs.crawl_sources(source_ids, store_from_params(params), portal_url=params["portal_url"])

    @task(trigger_rule="all_done", execution_timeout=timedelta(hours=2))
    def publish(crawls: list, params=None) -> dict:
        return jobs.publish(store_from_params(params), pending_only=True)

    @task(trigger_rule="all_done")
    def source_health(params=None) -> dict:
        return jobs.publish_source_health(store_from_params(params))

    @task(trigger_rule="all_done")
    def check_crawls(groups: list[list[str]], crawls: list) -> dict:
        return jobs.check_crawls(groups, list(crawls))

    groups = list_sources()
    crawls = crawl.expand(source_ids=groups)
    publish(crawls) >> source_health() >> check_crawls(groups, crawls)


govreports_nightly()
