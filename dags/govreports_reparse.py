"""Re-parse everything stored (or given years) with the installed parser version and publish,
without any request to a portal. A full reparse first maps extraction over `extract_shards`
tasks (spread over the executor's workers), so the publish after them parses nothing; a
reparse of given years publishes them directly (it reads only those years' items). Wiring
only: logic in pipeline.jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, get_current_context, task

from pipeline import jobs
from pipeline.dag_support import EXTRACT_PARAMS, STORE_PARAMS, store_from_params


@dag(dag_id="govreports_reparse", schedule=None, start_date=datetime(2024, 1, 1), catchup=False,
     tags=["govreports"],
     params={**STORE_PARAMS, **EXTRACT_PARAMS,
             "years": Param([], type="array", description="report years; empty = all")})
def govreports_reparse():
    @task
    def shards(params=None) -> list[int]:
        return [] if params["years"] else list(range(params["extract_shards"]))

    @task(map_index_template="{{ shard_label }}", execution_timeout=timedelta(hours=4))
    def extract(shard: int, params=None) -> dict:
        get_current_context()["shard_label"] = f"{shard + 1}/{params['extract_shards']}"
        return jobs.extract_shard(store_from_params(params), shard, params["extract_shards"])

    @task(trigger_rule="all_done", execution_timeout=timedelta(hours=4))
    def reparse(extracted: list, params=None) -> dict:
        return jobs.publish(store_from_params(params), [int(y) for y in params["years"]] or None)

    reparse(extract.expand(shard=shards()))


govreports_reparse()
