"""Explicit, versioned pyarrow schemas of the published datasets (the data contract).

Bump SCHEMA_VERSION when a column changes; the version is written into every Parquet
file's metadata so readers can tell which contract a file follows."""

from __future__ import annotations

import pyarrow as pa

# 2: documents.metadata_source (where doc_type, report_year and region came from)
# 3: documents.attachments (every file the page linked: url, name, kind, content type, raw key)
SCHEMA_VERSION = "3"

ATTACHMENT = pa.struct([("url", pa.string()), ("name", pa.string()), ("kind", pa.string()),
                        ("content_type", pa.string()), ("sha256", pa.string()), ("raw_key", pa.string())])

METADATA_SOURCE = pa.struct([("doc_type", pa.string()), ("report_year", pa.string()), ("region", pa.string())])

DOCUMENTS = pa.schema([
    ("doc_id", pa.string()),
    ("canonical_doc_id", pa.string()),
    ("source_id", pa.string()),
    ("url", pa.string()),
    ("also_at", pa.list_(pa.string())),
    ("title", pa.string()),
    ("doc_type", pa.string()),
    ("region_name", pa.string()),
    ("region_code", pa.string()),
    ("admin_level", pa.string()),
    ("province", pa.string()),
    ("parent_region", pa.string()),
    ("report_year", pa.int32()),
    ("meeting_date", pa.string()),
    ("speaker", pa.string()),
    ("speaker_title", pa.string()),
    ("publish_date", pa.string()),
    ("written_date", pa.string()),
    ("doc_number", pa.string()),
    ("index_no", pa.string()),
    ("publisher", pa.string()),
    ("metadata_source", METADATA_SOURCE),  # each: crawl | title | meeting_line | body, null when not found
    ("raw_sha256", pa.string()),
    ("text", pa.string()),
    ("text_chars", pa.int64()),
    ("extraction", pa.string()),
    ("quality_flags", pa.list_(pa.string())),
    ("quality_messages", pa.list_(pa.string())),
    ("fetched_at", pa.string()),
    ("parser_version", pa.string()),
    ("attachments", pa.list_(ATTACHMENT)),  # schema 3
])

INDICATORS = pa.schema([
    ("doc_id", pa.string()),
    ("region_code", pa.string()),
    ("region_name", pa.string()),
    ("admin_level", pa.string()),
    ("report_year", pa.int32()),
    ("indicator", pa.string()),
    ("indicator_text", pa.string()),
    ("period", pa.int32()),
    ("span", pa.string()),
    ("kind", pa.string()),
    ("measure", pa.string()),
    ("value", pa.float64()),
    ("value_high", pa.float64()),
    ("unit", pa.string()),
    ("value_base", pa.float64()),
    ("qualifier", pa.string()),
    ("estimate", pa.bool_()),
    ("target_tier", pa.string()),
    ("sentence", pa.string()),
    ("char_start", pa.int64()),
    ("char_end", pa.int64()),
    ("parser_version", pa.string()),
])

TASKS = pa.schema([
    ("doc_id", pa.string()),
    ("report_year", pa.int32()),
    ("number", pa.string()),
    ("section", pa.string()),
    ("text", pa.string()),
    ("lead_units", pa.list_(pa.string())),
    ("targets", pa.list_(pa.string())),
    ("parser_version", pa.string()),
])

CRAWL_LOG = pa.schema([
    ("url", pa.string()),
    ("status", pa.int32()),
    ("sha256", pa.string()),
    ("etag", pa.string()),
    ("last_modified", pa.string()),
    ("fetched_at", pa.string()),
    ("source", pa.string()),
    ("run_id", pa.string()),
    ("bytes", pa.int64()),
    ("content_type", pa.string()),
    ("error", pa.string()),
    ("crawl_date", pa.string()),
])

SOURCE_HEALTH = pa.schema([
    ("source_id", pa.string()),
    ("status", pa.string()),  # ok | failing | silent | stale
    ("last_run_id", pa.string()),
    ("last_run_at", pa.string()),
    ("last_success_at", pa.string()),
    ("failed_runs_in_a_row", pa.int32()),
    ("documents_listed", pa.int32()),
    ("new_documents", pa.int32()),
    ("requests", pa.int32()),
    ("failures", pa.string()),  # "HTTP 500 ×3, DownloadTimeoutError ×1" for the last run
    ("report_years", pa.list_(pa.int32())),
    ("message", pa.string()),
    ("checked_date", pa.string()),
])

SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "indicators": INDICATORS,
    "tasks": TASKS,
    "crawl_log": CRAWL_LOG,
    "source_health": SOURCE_HEALTH,
}

# Hive partition keys per dataset, outermost first.
PARTITIONS: dict[str, list[str]] = {
    "documents": ["report_year"],
    "indicators": ["report_year"],
    "tasks": ["report_year"],
    "crawl_log": ["crawl_date"],
    "source_health": ["checked_date"],
}

# Sort keys that make a partition's bytes deterministic (idempotent republishing).
SORT_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "indicators": ["doc_id", "char_start", "indicator", "kind", "measure", "value"],
    "tasks": ["doc_id", "number"],
    "crawl_log": ["run_id", "fetched_at", "url"],
    "source_health": ["source_id"],
}
