"""Tables from the published datasets: `govreports query SQL` (views documents, indicators,
tasks, crawl_log) and `govreports show targets` (this year's targets beside last year's
results, per region and year)."""

from __future__ import annotations

import duckdb

from storage.readers import DATASETS, duckdb_connection, duckdb_source


def connect(store_uri: str | None) -> duckdb.DuckDBPyConnection:
    """A connection with one view per published dataset (datasets not yet published are skipped)."""
    con, root = duckdb_connection(store_uri)
    for name in DATASETS:
        try:
            con.sql(f"CREATE VIEW {name} AS SELECT * FROM {duckdb_source(root, name)}")
            con.sql(f"SELECT 1 FROM {name} LIMIT 0")
        except duckdb.Error:
            con.sql(f"DROP VIEW IF EXISTS {name}")
    return con


def run_query(store_uri: str | None, sql: str):
    """The result as a pyarrow Table (the connection closes when this returns)."""
    con = connect(store_uri)  # keep a reference: a relation does not keep its connection open
    return con.sql(sql).fetch_arrow_table()


TARGETS_SQL = """
SELECT region_name AS region, admin_level AS level, report_year AS year,
       max(CASE WHEN kind = 'target' AND period = report_year THEN
             printf('%g%s%s', value, coalesce(unit, ''),
                    CASE qualifier WHEN 'about' THEN ' 左右' WHEN 'at_least' THEN ' 以上' WHEN 'at_most' THEN ' 以内'
                                   WHEN 'range' THEN printf('-%g', value_high) ELSE '' END) END) AS target,
       max(CASE WHEN kind = 'actual' AND period = report_year - 1 AND span IS NULL THEN
             printf('%g%s%s', value, coalesce(unit, ''), CASE WHEN estimate THEN ' (预计)' ELSE '' END) END)
           AS previous_year_result
FROM indicators
WHERE indicator = ? AND measure = ? AND span IS NULL
GROUP BY ALL
ORDER BY year, region
"""


def show_targets(store_uri: str | None, indicator: str = "gdp", measure: str = "growth"):
    con = connect(store_uri)
    return con.execute(TARGETS_SQL, [indicator, measure]).fetch_arrow_table()
