"""Reading the published datasets from a local folder or S3, with DuckDB and pyarrow.

The same helpers back `govreports query` and the README snippets (tests/test_readers.py
runs those against a local store and against an S3 API server)."""

from __future__ import annotations

import glob
import os
from functools import lru_cache
from urllib.parse import urlparse

import duckdb
import pyarrow.dataset as ds
import pyarrow.fs as pafs

from storage.objectstore import LocalStore, S3Store, open_store

DATASETS = ("documents", "indicators", "tasks", "crawl_log", "source_health")


@lru_cache(maxsize=1)
def _httpfs_extension() -> str | None:
    """httpfs ships as a pip package (duckdb-ext-httpfs), so DuckDB needs no download."""
    import importlib.util

    spec = importlib.util.find_spec("duckdb_ext")
    if not spec or not spec.submodule_search_locations:
        return None
    base = list(spec.submodule_search_locations)[0]
    found = glob.glob(os.path.join(base, "extensions", f"v{duckdb.__version__}", "*", "httpfs.duckdb_extension"))
    return found[0] if found else None


def duckdb_connection(store_uri: str | None = None) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A DuckDB connection that can read the store, and the store's root as DuckDB names it
    (a folder path, or s3://bucket/prefix with an S3 secret from the store's settings)."""
    store = open_store(store_uri)
    con = duckdb.connect()
    if isinstance(store, LocalStore):
        return con, str(store.local_path())
    ext = _httpfs_extension()
    con.sql(f"LOAD '{ext}'" if ext else "LOAD httpfs")
    options = {"TYPE": "s3", "REGION": store.region}
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if key and secret:
        options.update({"KEY_ID": key, "SECRET": secret})
        if os.environ.get("AWS_SESSION_TOKEN"):
            options["SESSION_TOKEN"] = os.environ["AWS_SESSION_TOKEN"]
    else:
        options["PROVIDER"] = "credential_chain"
    if store.endpoint_url:
        endpoint = urlparse(store.endpoint_url)
        options.update({"ENDPOINT": endpoint.netloc, "URL_STYLE": "path",
                        "USE_SSL": "true" if endpoint.scheme == "https" else "false"})
    body = ", ".join(f"{k} {v}" if k in ("TYPE", "PROVIDER") else f"{k} '{v}'" for k, v in options.items())
    con.sql(f"CREATE OR REPLACE SECRET govreports_store ({body})")
    return con, f"s3://{store.bucket}/{store.prefix}".rstrip("/")


def duckdb_source(root: str, name: str) -> str:
    """The read_parquet(...) expression of a dataset under a root from duckdb_connection."""
    return f"read_parquet('{root}/datasets/{name}/*/*.parquet', hive_partitioning=true, union_by_name=true)"


def arrow_dataset(store_uri: str | None, name: str) -> ds.Dataset:
    """A pyarrow dataset (Hive partitions) of one published dataset, local or on S3."""
    store = open_store(store_uri)
    if isinstance(store, LocalStore):
        return ds.dataset(str(store.local_path(f"datasets/{name}")), format="parquet", partitioning="hive")
    assert isinstance(store, S3Store)
    endpoint = urlparse(store.endpoint_url) if store.endpoint_url else None
    fs = pafs.S3FileSystem(region=store.region,
                           endpoint_override=endpoint.netloc if endpoint else None,
                           scheme=endpoint.scheme if endpoint else "https",
                           access_key=os.environ.get("AWS_ACCESS_KEY_ID"),
                           secret_key=os.environ.get("AWS_SECRET_ACCESS_KEY"))
    path = f"{store.bucket}/{store.prefix}/datasets/{name}".replace("//", "/")
    return ds.dataset(path, filesystem=fs, format="parquet", partitioning="hive")
