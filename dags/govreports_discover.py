"""Nightly discovery, an hour before the crawl: the next regions due (undiscovered first, then
failing, then stale; at most `limit`, a few hundred hosts a night) get their home pages read
and their columns recorded as registry entries in the store, which the nightly crawl then
picks up. Run it by hand with a large `limit` on a new deployment. Wiring only: logic in
pipeline.jobs / pipeline.discover."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, task

from pipeline import jobs
from pipeline.dag_support import CRAWL_PARAMS, DEFAULT_ARGS, STORE_PARAMS, store_from_params


@dag(dag_id="govreports_discover", schedule="0 1 * * *", start_date=datetime(2024, 1, 1), catchup=False,
     max_active_runs=1, default_args=DEFAULT_ARGS, tags=["govreports"],
     params={**STORE_PARAMS, "portal_url": CRAWL_PARAMS["portal_url"],
             "limit": Param(300, type="integer", minimum=1, description="at most this many regions per run"),
             "delay": Param(2.0, type="number", minimum=0, description="seconds between two requests to one host")})
def govreports_discover():
    @task(execution_timeout=timedelta(hours=3))
    def discover(params=None) -> dict:
        return jobs.discover_regions(store_from_params(params), params["portal_url"], params["limit"], params["delay"])

    discover()


govreports_discover()
