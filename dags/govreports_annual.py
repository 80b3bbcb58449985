"""One run per report year (from the run's logical date): crawl that year from every source,
then publish that year. `airflow backfill create --dag-id govreports_annual --from-date
2016-01-01 --to-date 2021-01-01` fills those years. Wiring only: logic in pipeline.jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, get_current_context, task

from pipeline import jobs
from pipeline.dag_support import (
    CRAWL_PARAMS,
    DEFAULT_ARGS,
    STORE_PARAMS,
    sources_from_params,
    store_from_params,
)


@dag(dag_id="govreports_annual", schedule="@yearly", start_date=datetime(2000, 1, 1), catchup=False,
     max_active_runs=4, default_args=DEFAULT_ARGS, tags=["govreports"], params={**STORE_PARAMS, **CRAWL_PARAMS})
def govreports_annual():
    @task
    def report_year() -> int:
        return get_current_context()["logical_date"].year

    @task
    def list_sources(params=None) -> list[str]:
        return jobs.sources_to_crawl(params["portal_url"], sources_from_params(params), store_from_params(params))

    @task(pool="govreports_crawl", map_index_template="{{ source_id }}", execution_timeout=timedelta(hours=3))
    def crawl(source_id: str, year: int, params=None) -> dict:
        get_current_context()["source_id"] = source_id
        return jobs.crawl_source(source_id, store_from_params(params), year=year, portal_url=params["portal_url"],
                                 allow_empty=True)  # a source may have no report for an old year

    @task(trigger_rule="all_done", execution_timeout=timedelta(hours=2))
    def publish(year: int, crawls: list, params=None) -> dict:
        return jobs.publish(store_from_params(params), [year])

    @task(trigger_rule="all_done")
    def check_crawls(sources: list[str], crawls: list) -> dict:
        return jobs.check_crawls(sources, list(crawls))

    year = report_year()
    sources = list_sources()
    crawls = crawl.partial(year=year).expand(source_id=sources)
    publish(year, crawls) >> check_crawls(sources, crawls)


govreports_annual()
