"""What `process` and `query` print (issue 14, item 15): nothing pending reads nothing, a year's
duplicates are that year's, plurals agree, and wide cells are cut the way DuckDB's shell does."""

import re
import shutil

from tests.conftest import run_cli


def test_nothing_pending_reads_nothing_and_counts_agree(demo_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(demo_store[0], store)
    proc = run_cli("process", "--store", str(store), "--pending")
    assert proc.returncode == 0
    assert "process   1/" not in proc.stderr  # no document re-read
    assert proc.stdout.startswith("0 documents (0 duplicate copies merged)") and "report years []" in proc.stdout
    proc = run_cli("process", "--store", str(store), "--year", "1999", "--quiet")
    assert proc.stdout.startswith("0 documents (0 duplicate copies merged)")  # not other years' duplicates
    proc = run_cli("process", "--store", str(store), "--year", "2020", "--quiet")
    assert re.match(r"1 document \(0 duplicate copies merged\)", proc.stdout), proc.stdout


def test_query_cuts_wide_cells(demo_store):
    proc = run_cli("query", "SELECT title, text FROM documents ORDER BY title LIMIT 3", "--store", str(demo_store[0]))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 4 and all(len(ln) < 200 for ln in lines) and "…" in proc.stdout
    proc = run_cli("query", "SELECT text FROM documents LIMIT 1", "--store", str(demo_store[0]), "--csv")
    assert len(proc.stdout) > 1000  # --csv keeps whole values
