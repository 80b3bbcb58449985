"""Health of every source: which worked last night, which fail, which went silent.

Each `govreports crawl` leaves one small run record per source (`crawl/runs/ID/RUN.json`:
its stats and, if the run was bad, the problem). Health is computed from those records, the
crawl log of each source's last run (failures by reason) and the published documents (report
years covered); the `source_health` dataset keeps one snapshot per day for trend readers."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict

from storage.datasets import (
    dataset_prefix,
    list_partitions,
    parquet_from_bytes,
    read_dataset,
    write_partition,
)
from storage.objectstore import ObjectStore

RUNS_PREFIX = "crawl/runs/"
OK, FAILING, SILENT, STALE = "ok", "failing", "silent", "stale"
HISTORY = 30  # runs per source looked at (last success, failures in a row)
DEAD_LINKS = {"HTTP 404", "HTTP 410"}  # the portal's own broken links: reported, not failing


def record_run(store: ObjectStore, result: dict, problem: str | None, year: int | None = None,
               silent: bool = False) -> str:
    """`silent`: the run's problem is that listings came back empty, not that requests failed."""
    key = f"{RUNS_PREFIX}{result['source_id']}/{result['run_id']}.json"
    body = {**result, "problem": problem, "silent": bool(problem) and silent, "year": year,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    store.put_bytes(key, json.dumps(body, ensure_ascii=False).encode("utf-8"), content_type="application/json")
    return key


def _runs_by_source(store: ObjectStore) -> dict[str, list[dict]]:
    """The last HISTORY run records of each source, oldest first. Run ids begin with their UTC
    start time, so the keys sort by time and older records are never read."""
    keys: dict[str, list[str]] = {}
    for key in store.list_keys(RUNS_PREFIX):
        if key.endswith(".json"):
            keys.setdefault(key[len(RUNS_PREFIX):].split("/")[0], []).append(key)
    runs = {}
    for sid, source_keys in keys.items():
        recs = [json.loads(store.get_bytes(k)) for k in sorted(source_keys)[-HISTORY:]]
        runs[sid] = sorted(recs, key=lambda r: (r["finished_at"], r["run_id"]))
    return runs


def _failure_reasons(store: ObjectStore, since: str) -> dict[tuple[str, str], Counter]:
    """(source, run) -> Counter of the reasons its requests finally failed: 'HTTP 500',
    'DownloadTimeoutError', ... Only the crawl_log partitions from `since` (YYYY-MM-DD) on are
    read: the log grows every night."""
    by_run: dict[tuple[str, str], list[dict]] = defaultdict(list)
    prefix = dataset_prefix("crawl_log")
    for key in list_partitions(store, "crawl_log"):
        day = key[len(prefix):].split("/")[0].partition("=")[2]
        if day < since:
            continue
        table = parquet_from_bytes(store.get_bytes(key), columns=["url", "source", "run_id", "status", "error",
                                                                  "fetched_at"])
        for row in table.to_pylist():
            by_run[(row["source"], row["run_id"])].append(row)
    return {run: found for run, rows in by_run.items() if (found := unrecovered_failures(rows))}


def failure_reason(row: dict) -> str | None:
    """What a crawl_log row says went wrong, or None for a fetch that worked."""
    if row.get("error"):
        return row["error"].split(":", 1)[0].strip() or "error"
    if row.get("status") and row["status"] >= 400:
        return f"HTTP {row['status']}"
    return None


def unrecovered_failures(rows: list[dict]) -> Counter:
    """Reasons of the URLs whose last attempt in the run failed, one count per URL. A request
    that failed and then succeeded (a 429 or 503 retried after its Retry-After) is not a
    failure; a listed document that could not be fetched is. The one rule that `crawl`,
    `status`, the DAGs and the report all apply."""
    last: dict[str, dict] = {}
    for row in sorted(rows, key=lambda r: r.get("fetched_at") or ""):  # stable: logged order within a second
        last[row["url"]] = row
    return Counter(reason for row in last.values() if (reason := failure_reason(row)))


def hard_failures(failures: Counter) -> dict[str, int]:
    """The failures that make a source failing: all but the portal's own dead links."""
    return {k: v for k, v in sorted(failures.items()) if k not in DEAD_LINKS}


def _years_by_source(store: ObjectStore) -> dict[str, list[int]]:
    try:
        docs = read_dataset(store, "documents").select(["source_id", "report_year"]).to_pylist()
    except (FileNotFoundError, ValueError):
        return {}
    years: dict[str, set[int]] = {}
    for d in docs:
        if d["report_year"]:
            years.setdefault(d["source_id"], set()).add(int(d["report_year"]))
    return {k: sorted(v) for k, v in years.items()}


def _run_problem(rec: dict, failures: Counter) -> str | None:
    """What went wrong in one run: the crawl's own verdict (did not finish, silent), else
    requests that failed for other reasons than dead links."""
    if rec["problem"]:
        return rec["problem"]
    return failures_problem(hard_failures(failures))


def failures_problem(hard: dict[str, int]) -> str | None:
    if not hard:
        return None
    n = sum(hard.values())
    return f"last crawl failed on {n} request{'s' if n != 1 else ''}: {', '.join(hard)}"


def source_health(store: ObjectStore, max_age_days: float = 2.0, now: dt.datetime | None = None) -> list[dict]:
    """One row per source that has been crawled into this store. Status: `failing` (the last
    run did not finish, or requests failed for other reasons than dead links: 5xx, 429,
    timeouts, truncated or oversize files, redirect loops), `silent` (its listings came back empty), `stale` (no
    successful run for `max_age_days`), else `ok`."""
    now = now or dt.datetime.now(dt.UTC)
    runs = _runs_by_source(store)
    first = min((r["finished_at"] for recs in runs.values() for r in recs), default="9999")
    since = first[:10] if first == "9999" else (dt.date.fromisoformat(first[:10]) - dt.timedelta(days=1)).isoformat()
    reasons = _failure_reasons(store, since)  # a run that began before midnight logged the day before
    years = _years_by_source(store)
    rows = []
    for sid, recs in sorted(runs.items()):
        problems = [_run_problem(r, reasons.get((sid, r["run_id"]), Counter())) for r in recs]
        last = recs[-1]
        last_ok = next((r["finished_at"] for r, p in zip(reversed(recs), reversed(problems), strict=True) if not p), None)
        failed_in_a_row = next((i for i, p in enumerate(reversed(problems)) if not p), len(problems))
        failures = reasons.get((sid, last["run_id"]), Counter())
        problem = problems[-1] or ""
        if problem and last.get("silent") and problem == last["problem"]:
            status = SILENT
        elif problem:
            status = FAILING
        elif last_ok is None or (now - dt.datetime.fromisoformat(last_ok)).total_seconds() > max_age_days * 86400:
            status = STALE
        else:
            status = OK
        rows.append({
            "source_id": sid, "status": status, "last_run_id": last["run_id"], "last_run_at": last["finished_at"],
            "last_success_at": last_ok, "failed_runs_in_a_row": failed_in_a_row,
            "documents_listed": last.get("documents_seen", 0), "new_documents": last.get("items", 0),
            "requests": last.get("requests", 0),
            "failures": ", ".join(f"{k} ×{v}" for k, v in sorted(failures.items())),
            "report_years": years.get(sid, []), "message": problem,
        })
    return rows


def publish_health(store: ObjectStore, rows: list[dict], now: dt.datetime | None = None) -> str:
    """Replace today's snapshot (a rerun the same day overwrites, never duplicates)."""
    day = (now or dt.datetime.now(dt.UTC)).date().isoformat()
    return write_partition(store, "source_health", {"checked_date": day}, rows)


def format_table(rows: list[dict]) -> str:
    head = f"{'source':<22} {'status':<8} {'last success':<20} {'listed':>6} {'new':>4}  {'years':<22} failures"
    lines = [head, "-" * len(head)]
    for r in rows:
        ys = r["report_years"]
        span = (f"{ys[0]}–{ys[-1]} ({len(ys)})" if len(ys) > 1 else str(ys[0])) if ys else "-"
        lines.append(f"{r['source_id']:<22} {r['status'].upper() if r['status'] != OK else OK:<8} "
                     f"{(r['last_success_at'] or 'never')[:19]:<20} {r['documents_listed']:>6} {r['new_documents']:>4}  "
                     f"{span:<22} {r['failures'] or '-'}")
        if r["message"]:
            lines.append(f"{'':<22} {r['message']}")
    return "\n".join(lines)
