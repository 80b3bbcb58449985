"""What the DAG files share: default task arguments and where the store comes from (the
run's `store` param, else the Airflow Variable `govreports_store`, else ./data)."""

from __future__ import annotations

from datetime import timedelta

DEFAULT_ARGS = {"retries": 2, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True}


def store_from_params(params) -> str:
    if params.get("store"):
        return params["store"]
    from airflow.sdk import Variable

    return Variable.get("govreports_store", default="./data")
