"""Publishing and reading throughput, local folder and S3 (moto's server on 127.0.0.1), and
files per partition after 30 nightly publishes.

    python benchmarks/publish.py [--rows 200000]

Rows are indicator rows shaped like the parser's output (drawn from the demo's), spread over
10 report years. Written with storage.datasets.write_partition (one atomic put per partition),
read back whole with pyarrow datasets and with DuckDB, best of 3. In the local folder, against
plain pyarrow on the same rows (`Table.from_pylist` with the schema + `pq.write_table`, zstd,
straight to the file: no schema check, no sort, no atomic rename), in paired rounds that
alternate which side goes first; the ratio is the median of the rounds' ratios."""

from __future__ import annotations

import argparse
import random
import socket
import tempfile
import time

from storage import open_store
from storage.datasets import list_partitions, write_partition
from storage.readers import arrow_dataset, duckdb_connection, duckdb_source


def sample_rows(n: int) -> dict[int, list[dict]]:
    rnd = random.Random(7)
    indicators = ["gdp", "general_budget_revenue", "fixed_asset_investment", "retail_sales", "urbanization_rate"]
    by_year: dict[int, list[dict]] = {}
    for i in range(n):
        year = 2015 + i % 10
        by_year.setdefault(year, []).append({
            "doc_id": f"d{i // 40:06d}", "region_code": "371311", "region_name": "罗庄区", "admin_level": "district",
            "report_year": year, "indicator": rnd.choice(indicators), "indicator_text": "地区生产总值",
            "period": year, "kind": rnd.choice(["target", "actual"]), "measure": "growth",
            "value": round(rnd.uniform(-3, 12), 1), "unit": "%", "value_base": None, "qualifier": "about",
            "estimate": False, "sentence": "地区生产总值增长6.5%左右", "char_start": i, "char_end": i + 6,
            "parser_version": "bench"})
    return by_year


def best(fn, n=3):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def plain_pyarrow(root: str, by_year: dict[int, list[dict]]) -> None:
    """The baseline: what a script with pyarrow alone would do with the same rows."""
    import os

    import pyarrow as pa
    import pyarrow.parquet as pq

    from storage.schemas import SCHEMAS

    schema = pa.schema([f for f in SCHEMAS["indicators"] if f.name != "report_year"])
    for year, rows in by_year.items():
        folder = os.path.join(root, f"report_year={year}")
        os.makedirs(folder, exist_ok=True)
        table = pa.Table.from_pylist([{k: v for k, v in r.items() if k != "report_year"} for r in rows], schema=schema)
        pq.write_table(table, os.path.join(folder, "part-0.parquet"), compression="zstd")


def paired(ours, base, rounds: int = 5) -> tuple[float, float, list[float]]:
    """(median seconds ours, median seconds baseline, sorted per-round ratios), alternating order."""
    import statistics

    t_ours, t_base = [], []
    for n in range(rounds):
        for side in ((ours, t_ours), (base, t_base))[:: 1 if n % 2 == 0 else -1]:
            t = time.perf_counter()
            side[0]()
            side[1].append(time.perf_counter() - t)
    ratios = sorted(o / b for o, b in zip(t_ours, t_base, strict=True))
    return statistics.median(t_ours), statistics.median(t_base), ratios


def measure(uri: str, by_year: dict[int, list[dict]], total: int, baseline: bool = False) -> None:
    import statistics

    store = open_store(uri)

    def publish():
        for year, rows in by_year.items():
            write_partition(store, "indicators", {"report_year": year}, rows)

    if baseline:
        base_root = tempfile.mkdtemp(prefix="govreports-publish-plain-")
        t_write, t_base, ratios = paired(publish, lambda: plain_pyarrow(base_root, by_year))
        print(f"  plain pyarrow (from_pylist + write_table) {total / t_base:10,.0f} rows/s ({t_base:.2f}s); "
              f"ours / plain: {statistics.median(ratios):.2f}x, median of {len(ratios)} paired rounds "
              f"(range {ratios[0]:.2f}-{ratios[-1]:.2f})")
    else:
        t_write = best(publish)
    t_arrow = best(lambda: arrow_dataset(uri, "indicators").to_table())
    con, root = duckdb_connection(uri)
    t_duck = best(lambda: con.sql(f"SELECT count(*), avg(value) FROM {duckdb_source(root, 'indicators')}").fetchall())
    for _ in range(30):  # 30 nightly publishes with no new input
        publish()
    parts = list_partitions(store, "indicators")
    per_partition = len(parts) / len(by_year)
    print(f"  write  {total / t_write:10,.0f} rows/s  ({t_write:.2f}s for {total:,} rows in {len(by_year)} partitions)")
    print(f"  read   {total / t_arrow:10,.0f} rows/s  pyarrow dataset ({t_arrow:.2f}s)")
    print(f"  scan   {total / t_duck:10,.0f} rows/s  DuckDB count/avg ({t_duck:.2f}s)")
    print(f"  after 30 more publishes: {per_partition:.0f} file(s) per partition")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    by_year = sample_rows(args.rows)
    print("Local folder:")
    measure(tempfile.mkdtemp(prefix="govreports-publish-"), by_year, args.rows, baseline=True)

    import os

    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="bench")
        print(f"S3 API (moto server on {endpoint}):")
        measure(f"s3://bench/run?endpoint_url={endpoint}", by_year, args.rows)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
