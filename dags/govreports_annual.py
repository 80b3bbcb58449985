"""One run per report year (from the run's logical date): crawl that year from every source
(in groups, one crawl process each), extract and parse what came in over `extract_shards`
mapped tasks (which the Celery or Kubernetes executor spreads over machines), then publish
that year once. `airflow backfill create --dag-id govreports_annual --from-date 2016-01-01
--to-date 2021-01-01` fills those years. Wiring only: logic in pipeline.jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, get_current_context, task

from pipeline import jobs
from pipeline.dag_support import (
    CRAWL_PARAMS,
    DEFAULT_ARGS,
    EXTRACT_PARAMS,
    STORE_PARAMS,
    group_label,
    sources_from_params,
    store_from_params,
)


@dag(dag_id="govreports_annual", schedule="@yearly", start_date=datetime(2000, 1, 1), catchup=False,
     max_active_runs=4, default_args=DEFAULT_ARGS, tags=["govreports"],
     params={**STORE_PARAMS, **CRAWL_PARAMS, **EXTRACT_PARAMS})
def govreports_annual():
    @task
    def report_year() -> int:
        return get_current_context()["logical_date"].year

    @task
    def list_sources(params=None) -> list[list[str]]:
        store = store_from_params(params)
        ids = jobs.sources_to_crawl(params["portal_url"], sources_from_params(params), store)
        return jobs.crawl_groups(ids, params["crawl_batch"], params["portal_url"], store)

    @task(pool="govreports_crawl", map_index_template="{{ sources_label }}", execution_timeout=timedelta(hours=3))
    def crawl(source_ids: list[str], year: int, params=None) -> list[dict]:
        get_current_context()["sources_label"] = group_label(source_ids)
        return jobs.crawl_sources(source_ids, store_from_params(params), year=year, portal_url=params["portal_url"],
                                  allow_empty=True)  # a source may have no report for an old year

    @task(trigger_rule="all_done")
    def shards(crawls: list, params=None) -> list[int]:
        return list(range(params["extract_shards"]))

    @task(map_index_template="{{ shard_label }}", execution_timeout=timedelta(hours=2))
    def extract(shard: int, params=None) -> dict:
        get_current_context()["shard_label"] = f"{shard + 1}/{params['extract_shards']}"
        return jobs.extract_shard(store_from_params(params), shard, params["extract_shards"])

    @task(trigger_rule="all_done", execution_timeout=timedelta(hours=2))
    def publish(year: int, extracted: list, params=None) -> dict:
        return jobs.publish(store_from_params(params), [year])

    @task(trigger_rule="all_done")
    def check_crawls(groups: list[list[str]], crawls: list) -> dict:
        return jobs.check_crawls(groups, list(crawls))

    year = report_year()
    groups = list_sources()
    crawls = crawl.partial(year=year).expand(source_ids=groups)
    extracted = extract.expand(shard=shards(crawls))
    publish(year, extracted) >> check_crawls(groups, crawls)


govreports_annual()
