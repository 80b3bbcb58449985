"""Re-parse everything stored (or given years) with the installed parser version and publish,
without any request to a portal. Wiring only: logic in pipeline.jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, task

from pipeline import jobs
from pipeline.dag_support import STORE_PARAMS, store_from_params


@dag(dag_id="govreports_reparse", schedule=None, start_date=datetime(2024, 1, 1), catchup=False,
     tags=["govreports"],
     params={**STORE_PARAMS, "years": Param([], type="array", description="report years; empty = all")})
def govreports_reparse():
    @task(execution_timeout=timedelta(hours=4))
    def reparse(params=None) -> dict:
        return jobs.publish(store_from_params(params), [int(y) for y in params["years"]] or None)

    reparse()


govreports_reparse()
