"""What the DAG files share: default task arguments, params, and where the store and the
sources come from.

The store is the run's `store` param, else the Airflow Variable `govreports_store`, else
./data. For S3, the Airflow AWS connection is the run's `aws_conn_id` param, else the Variable
`govreports_aws_conn_id`, else GOVREPORTS_AWS_CONN_ID; it travels inside the store URI
(`?aws_conn_id=`) so the crawl subprocesses use the same connection. Sources are the run's
`sources` param, else the Variable `govreports_sources` (a JSON list), else every reachable
source of the registry."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlparse

from airflow.sdk import Param

DEFAULT_ARGS = {"retries": 2, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True,
                "max_retry_delay": timedelta(hours=1)}

STORE_PARAMS = {
    "store": Param("", type="string", description="store URI (path or s3://bucket/prefix); empty = Variable govreports_store"),
    "aws_conn_id": Param("", type="string", description="Airflow AWS connection for s3:// stores; empty = Variable govreports_aws_conn_id"),
}
CRAWL_PARAMS = {
    "portal_url": Param(None, type=["null", "string"], description="sample portal URL (demo and tests); empty = live portals"),
    "sources": Param([], type="array", description="source ids; empty = Variable govreports_sources, else every reachable source"),
    "crawl_batch": Param(25, type="integer", minimum=1,
                         description="sources per crawl process (one mapped crawl task each); politeness stays per site"),
}
EXTRACT_PARAMS = {
    "extract_shards": Param(4, type="integer", minimum=1, maximum=1024,
                            description="mapped extraction tasks before the publish (pipeline/shards.py): spread "
                                        "over the executor's workers"),
}


def group_label(source_ids: list[str]) -> str:
    """A crawl task's name in the UI: its sources, shortened when many."""
    if len(source_ids) <= 3:
        return "+".join(source_ids)
    return f"{source_ids[0]}..{source_ids[-1]} ({len(source_ids)})"


def store_from_params(params) -> str:
    from airflow.sdk import Variable

    uri = params.get("store") or Variable.get("govreports_store", default="./data")
    conn_id = params.get("aws_conn_id") or Variable.get("govreports_aws_conn_id", default="")
    return with_connection(uri, conn_id)


def sources_from_params(params) -> list[str] | None:
    from airflow.sdk import Variable

    return params.get("sources") or Variable.get("govreports_sources", default=None, deserialize_json=True) or None


def with_connection(uri: str, conn_id: str | None) -> str:
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not conn_id or "aws_conn_id" in parse_qs(parsed.query):
        return uri
    query = (parsed.query + "&" if parsed.query else "") + urlencode({"aws_conn_id": conn_id})
    return parsed._replace(query=query).geturl()
