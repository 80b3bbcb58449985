"""Write and read the Hive-partitioned Parquet datasets.

A partition is one Parquet file (`part-0.parquet`) replaced in a single atomic put, so
a reader sees the old rows or the new rows, never a mix, and republishing the same
rows rewrites identical bytes. The crawl log is append-only: one file per run.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from storage.objectstore import ObjectStore
from storage.schemas import PARTITIONS, SCHEMA_VERSION, SCHEMAS, SORT_KEYS

PART_FILE = "part-0.parquet"


class SchemaError(ValueError):
    """A row does not fit the dataset's schema; nothing was written."""


def dataset_prefix(name: str) -> str:
    return f"datasets/{name}/"


def to_table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Build a table with the dataset's exact schema, rows in the dataset's sort order (so the
    same rows always make the same bytes); a bad value names its column."""
    schema = SCHEMAS[name]
    rows = rows if isinstance(rows, list) else list(rows)
    extra = set().union(*rows) - set(schema.names)
    if extra:
        raise SchemaError(f"{name}: unknown column(s) {sorted(extra)}")
    keys = [k for k in SORT_KEYS[name] if k in schema.names]
    if _flat(schema):  # the crawl log, in a crawl process: no pandas, no compute kernels
        return _table_from_json(name, [rows[i] for i in _sort_order(rows, keys)], schema)
    arrays = []
    for fld in schema:
        values = [row.get(fld.name) for row in rows]
        try:
            arrays.append(pa.array(values, type=fld.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
            raise SchemaError(f"{name}: column {fld.name!r} ({fld.type}): {exc}") from exc
    return sort_table(name, pa.Table.from_arrays(arrays, schema=schema))


def sort_table(name: str, table: pa.Table) -> pa.Table:
    """The rows in the dataset's sort order (stable: rows with equal keys keep their order)."""
    keys = [k for k in SORT_KEYS[name] if k in table.schema.names]
    if not keys or table.num_rows < 2:
        return table
    import pyarrow.compute as pc

    # Arrow's sort is stable, puts nulls first here and orders strings by code point: the
    # order _sort_order gives, in C++ (a third of a publish's time when done in Python)
    if int(pa.__version__.split(".")[0]) >= 25:  # null placement per key since pyarrow 25 (global one deprecated)
        order = pc.sort_indices(table, sort_keys=[(k, "ascending", "at_start") for k in keys])
    else:
        order = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys], null_placement="at_start")
    return table.take(order)


def _sort_order(rows: list[Mapping[str, Any]], keys: list[str]) -> list[int]:
    """Row indices by the sort keys, nulls first, ties in input order (a stable sort), for the
    flat tables a crawl process writes: in Python, as pyarrow compute costs 35 ms to load there.
    Key tuples are built column by column (a key function per row is twice as slow)."""
    columns = []
    for key in keys:
        col = [row.get(key) for row in rows]
        if None in col:  # (False, 0) before (True, value): nulls first, and no None < str
            col = [(False, 0) if v is None else (True, v) for v in col]
        columns.append(col)
    if not columns:
        return list(range(len(rows)))
    order_keys = list(zip(*columns, strict=True))
    return sorted(range(len(rows)), key=order_keys.__getitem__)


def _flat(schema: pa.Schema) -> bool:
    return all(pa.types.is_string(f.type) or pa.types.is_integer(f.type) or pa.types.is_boolean(f.type)
               for f in schema)


def _table_from_json(name: str, rows: list[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """A flat table (strings, integers, booleans: the crawl log, source health) through Arrow's
    JSON reader. The same table as pa.array would build, but pa.array imports pandas on its
    first call (to test for pandas objects), 0.25 CPU-s: most of what a crawl process of an
    unchanged source would spend after Scrapy itself."""
    import json

    import pyarrow.json as pajson

    for row in rows:  # the reader would coerce; pa.array would refuse: keep pa.array's rules
        for fld in schema:
            value = row.get(fld.name)
            if value is None:
                continue
            ok = (isinstance(value, str) if pa.types.is_string(fld.type)
                  else isinstance(value, bool) if pa.types.is_boolean(fld.type)
                  else isinstance(value, int) and not isinstance(value, bool))
            if not ok:
                raise SchemaError(f"{name}: column {fld.name!r} ({fld.type}): {type(value).__name__} value {value!r}")
    if not rows:
        return pa.Table.from_batches([], schema=schema)  # schema.empty_table() imports pandas too
    body = "\n".join(json.dumps({f.name: row.get(f.name) for f in schema}, ensure_ascii=False) for row in rows)
    try:
        table = pajson.read_json(io.BytesIO(body.encode("utf-8")), parse_options=pajson.ParseOptions(
            explicit_schema=schema, unexpected_field_behavior="error"))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise SchemaError(f"{name}: {exc}") from exc
    table = table.select(schema.names)
    if table.schema != schema:  # a cast loads pyarrow.compute (another 35 ms): only when needed
        table = table.cast(schema)
    return table.combine_chunks()


def table_bytes(table: pa.Table) -> bytes:
    meta = dict(table.schema.metadata or {})
    meta[b"govreports.schema_version"] = SCHEMA_VERSION.encode()
    table = table.replace_schema_metadata(meta)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=True)
    return buf.getvalue()


def parquet_from_bytes(data: bytes, columns: list[str] | None = None) -> pa.Table:
    """Read one Parquet object fetched from the store.

    Read from a Python object with its read-ahead on, Arrow leaves futures that hold the
    Python bytes on its IO threads; when one is released after interpreter shutdown has
    begun, that thread needs the GIL and the process aborts with "terminate called without
    an active exception" (exit 134, apache/arrow#34314) after its work is done. So the bytes
    are copied into Arrow's own memory, and read without read-ahead (they are in memory)."""
    buf = pa.allocate_buffer(len(data))
    memoryview(buf).cast("B")[:] = data
    # ParquetFile, not read_table: read_table imports pyarrow.dataset (0.3 s) to read one file
    return pq.ParquetFile(pa.BufferReader(buf), pre_buffer=False).read(columns=columns)


def partition_key(name: str, values: Mapping[str, Any], filename: str = PART_FILE) -> str:
    parts = "/".join(f"{k}={values[k]}" for k in PARTITIONS[name])
    return f"{dataset_prefix(name)}{parts}/{filename}"


def write_partition(store: ObjectStore, name: str, partition: Mapping[str, Any],
                    rows: Iterable[Mapping[str, Any]], filename: str = PART_FILE) -> str:
    """Replace one partition with exactly `rows` (schema-checked before anything is written).
    Partition columns are stored only in the path, as Hive readers expect."""
    return write_table(store, name, partition, partition_table(name, to_table(name, rows)), filename)[0]


def partition_table(name: str, table: pa.Table) -> pa.Table:
    """A dataset table as one partition file holds it: without the partition columns."""
    return table.drop_columns([k for k in PARTITIONS[name] if k in table.schema.names])


def partition_schema(name: str) -> pa.Schema:
    """The schema of partition_table's tables."""
    schema = SCHEMAS[name]
    for key in PARTITIONS[name]:
        if key in schema.names:
            schema = schema.remove(schema.get_field_index(key))
    return schema


def write_table(store: ObjectStore, name: str, partition: Mapping[str, Any], table: pa.Table,
                filename: str = PART_FILE) -> tuple[str, str]:
    """Put one partition's table (partition_table's shape); its key and the sha256 of its bytes."""
    key = partition_key(name, partition, filename)
    data = table_bytes(table)
    store.put_bytes(key, data, content_type="application/vnd.apache.parquet")
    return key, hashlib.sha256(data).hexdigest()


def list_partitions(store: ObjectStore, name: str) -> list[str]:
    return [k for k in store.list_keys(dataset_prefix(name)) if k.endswith(".parquet")]


def read_dataset(store: ObjectStore, name: str) -> pa.Table:
    """Read a whole dataset with partition columns restored (for tests and small reports;
    large readers should use pyarrow.dataset / DuckDB directly on the store)."""
    schema = SCHEMAS[name]
    tables = []
    for key in list_partitions(store, name):
        table = parquet_from_bytes(store.get_bytes(key))
        for part in key[len(dataset_prefix(name)):].split("/")[:-1]:
            col, _, value = part.partition("=")
            typ = schema.field(col).type
            table = table.append_column(col, pa.array([value] * table.num_rows).cast(typ))
        for fld in schema:  # a partition written under an older contract lacks the newer columns
            if fld.name not in table.schema.names:
                table = table.append_column(fld, pa.nulls(table.num_rows, fld.type))
        tables.append(table.select(schema.names).cast(schema))
    if not tables:
        return pa.Table.from_batches([], schema=schema)  # schema.empty_table() imports pandas too
    return pa.concat_tables(tables)
