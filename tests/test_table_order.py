"""Tables are built in the dataset's sort order (nulls first, ties in input order), whichever
way they are built: pyarrow compute for the parser's tables, Python for the crawl log, which a
crawl process writes without loading pandas or compute kernels."""

import random
import subprocess
import sys

import pyarrow as pa
import pytest

from storage.datasets import SchemaError, table_bytes, to_table
from storage.schemas import SCHEMAS, SORT_KEYS
from tests.conftest import ROOT


def reference(name: str, rows: list[dict]) -> pa.Table:
    """The rule, written plainly: Python's stable sort on (is not null, value) per sort key."""
    keys = SORT_KEYS[name]
    ordered = sorted(rows, key=lambda r: tuple((r.get(k) is not None, r.get(k) if r.get(k) is not None else 0)
                                               for k in keys))
    schema = SCHEMAS[name]
    return pa.Table.from_arrays([pa.array([r.get(f.name) for r in ordered], type=f.type) for f in schema], schema=schema)


def indicator_rows(n: int, seed: int) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append({"doc_id": rnd.choice(["d1", "d2", "甲", "Z"]), "char_start": rnd.choice([None, 0, 5, 17]),
                     "indicator": rnd.choice(["gdp", "cpi", "地区生产总值", None]), "kind": rnd.choice(["target", "actual"]),
                     "measure": "growth", "value": rnd.choice([None, -1.5, 0.0, 6.5, 6.5]), "report_year": 2020,
                     "sentence": f"s{i}"})  # distinct: ties must keep their input order
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_parser_tables_follow_the_rule(seed):
    rows = indicator_rows(500, seed)
    table = to_table("indicators", rows)
    assert table.equals(reference("indicators", rows))
    # the same rows, met in another order, make the same table when no two share every sort key
    distinct = list({tuple(r.get(k) for k in SORT_KEYS["indicators"]): r for r in rows}.values())
    assert table_bytes(to_table("indicators", distinct)) == table_bytes(to_table("indicators", distinct[::-1]))


def test_crawl_log_follows_the_rule_and_refuses_what_pa_array_refuses():
    rnd = random.Random(4)
    rows = [{"url": f"http://a/{rnd.randint(0, 9)}", "status": rnd.choice([200, 304, None]), "run_id": rnd.choice(["r1", "r2"]),
             "fetched_at": rnd.choice(["2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", None]), "bytes": 2 ** 40,
             "error": rnd.choice([None, "超时 \"quoted\"\nline"]), "crawl_date": "2026-01-01"} for _ in range(300)]
    table = to_table("crawl_log", rows)
    assert table.equals(reference("crawl_log", rows)) and table.schema == SCHEMAS["crawl_log"]
    assert to_table("crawl_log", []).num_rows == 0
    for bad in ({"url": 1}, {"status": "200"}, {"status": 2 ** 40}, {"nope": 1}):
        with pytest.raises(SchemaError):
            to_table("crawl_log", [bad])


def test_writing_a_crawl_log_loads_neither_pandas_nor_compute():
    code = ("import sys; from storage.datasets import table_bytes, to_table; "
            "table_bytes(to_table('crawl_log', [{'url': 'u', 'status': 200, 'run_id': 'r'}])); "
            "print('pandas' in sys.modules, 'pyarrow.compute' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.split() == ["False", "False"]
