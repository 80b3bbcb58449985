"""Publishing cost as the store grows: full publish, `--year Y`, `--pending` after one new
document, peak memory, and `--workers 2` against 1, at several store sizes in one run.

    python benchmarks/scale.py [--sizes 1000,10000] [--years 20] [--runs 3] [--keep DIR]

Each store holds N documents made from the sample portal's own crawl (the demo's store: its
seven portal work reports, two of them PDF attachments, the others HTML pages), every copy with
its own raw objects (the bytes of the original plus a marker: no two documents share a cached
extraction or parse result), its own URL, a region of its own (GB/T 2260) and one of `--years`
report years, given as the crawl's metadata; ten documents per crawl manifest.

Per size, each a `govreports process` process timed from outside (wall seconds) with its peak
RSS (of the largest of its processes: with `--workers`, the main one or a worker):
- full publish from nothing, `--workers 1` and `--workers 2` (the store is reset in between:
  no text cache, no index, no datasets): extraction-bound, so the ratio is the pool's speed-up;
- full publish again (everything indexed);
- `--year Y`, median of `--runs`;
- `--pending` after one new document of year Y (a new manifest), median of `--runs`, each run
  with a new document (run r copies the r-th report at every size, so the sizes compare the
  same work); the files it modified are checked: only year Y's partitions (datasets
  and index) may change.
Ratios are against the smallest size of the same run. The last line is
`scale: pending_ratio=R year_ratio=R peak_mb=M workers_speedup=S` (largest size over the
smallest; peak_mb and workers_speedup at the largest size)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_MANIFEST = 10
FIRST_YEAR = 2006


def timed_process(store: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one `govreports process` run, measured by a wrapper so
    that each run's own peak is read (RUSAGE_CHILDREN would keep the largest so far)."""
    wrapper = ("import os,resource,subprocess,sys,time\n"
               "t=time.perf_counter(); p=subprocess.run(sys.argv[1:], capture_output=True)\n"
               "dt=time.perf_counter()-t\n"
               "sys.stderr.buffer.write(p.stderr[-800:]) if p.returncode else None\n"
               "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024); sys.exit(p.returncode)")
    proc = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "pipeline.cli", "process",
                           "--store", str(store), "--quiet", *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"scale: process {' '.join(args)} on {store} failed: {proc.stderr.strip()[-600:]}")
    seconds, mb = proc.stdout.split()
    return float(seconds), float(mb)


def base_store(tmp: Path) -> tuple[Path, list[dict]]:
    base = tmp / "base"
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "demo", "--store", str(base)], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"scale: the demo store could not be built: {proc.stderr[-600:]}")
    items = []
    for manifest in sorted((base / "crawl" / "items").rglob("*.jsonl")):
        for line in manifest.read_text("utf-8").splitlines():
            item = json.loads(line)
            if item.get("doc_type") == "work_report" and item.get("region") and not item.get("fragment"):
                items.append(item)
    if not items:
        raise SystemExit("scale: the demo store has no portal work report to replicate")
    return base, sorted(items, key=lambda i: i["url"])


def regions(n: int) -> list[dict]:
    rows = []
    with open(ROOT / "parsers" / "data" / "gb2260.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["level"] in ("county", "prefecture") and not row["name"].endswith(("市辖区", "直辖县级行政区划")):
                rows.append({"name": row["name"], "code": row["code"], "admin_level": row["level"]})
    if len(rows) < n:
        raise SystemExit(f"scale: {n} regions needed, the code table has {len(rows)}")
    return rows[:n]


def _copy_raw(base: Path, store: Path, key: str, marker: int) -> tuple[str, str]:
    import hashlib

    data = (base / key).read_bytes()
    data += (b"\n%%scale-copy-%d\n" if key.endswith(".pdf") else b"\n<!-- scale copy %d -->\n") % marker
    sha = hashlib.sha256(data).hexdigest()
    new_key = f"raw/{sha[:2]}/{sha}.{key.rsplit('.', 1)[-1]}"
    (store / new_key).parent.mkdir(parents=True, exist_ok=True)
    (store / new_key).write_bytes(data)
    return new_key, sha


def make_item(base: Path, store: Path, template: dict, n: int, region: dict, year: int) -> dict:
    item = json.loads(json.dumps(template))
    item["page_key"], item["page_sha256"] = _copy_raw(base, store, template["page_key"], n)
    for att in item.get("attachments") or []:
        if att.get("key"):
            att["key"], att["sha256"] = _copy_raw(base, store, att["key"], n)
    url = f"http://scale.example/{n}/report.html"
    item.update(url=url, doc_key=url, source_id=f"scale_{n // PER_MANIFEST:05d}", region=region,
                meta={**(item.get("meta") or {}), "report_year": year}, title=f"{year}年{region['name']}政府工作报告",
                listing_title=f"{year}年{region['name']}政府工作报告")
    return item


def build(base: Path, templates: list[dict], store: Path, n: int, years: int) -> None:
    places = regions(n // years + 2)
    batch: list[dict] = []
    for i in range(n):
        batch.append(make_item(base, store, templates[i % len(templates)], i, places[i // years], FIRST_YEAR + i % years))
        if len(batch) == PER_MANIFEST or i == n - 1:
            write_manifest(store, batch, f"run-{i // PER_MANIFEST:05d}")
            batch = []


def write_manifest(store: Path, items: list[dict], run_id: str) -> None:
    sid = items[0]["source_id"]
    path = store / "crawl" / "items" / sid / f"{run_id}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False, sort_keys=True) + "\n" for i in items), "utf-8")


def reset(store: Path) -> None:
    for sub in ("derived", "state", "datasets", "locks"):
        shutil.rmtree(store / sub, ignore_errors=True)


def partition_mtimes(store: Path) -> dict[str, int]:
    out = {}
    for sub in ("datasets", "state/index"):
        for p in (store / sub).rglob("*"):
            if p.is_file() and "report_year=" in p.as_posix():
                out[p.relative_to(store).as_posix()] = p.stat().st_mtime_ns
    return out


def measure(base: Path, templates: list[dict], store: Path, n: int, years: int, runs: int) -> dict:
    t = time.perf_counter()
    build(base, templates, store, n, years)
    built = time.perf_counter() - t
    full1, rss1 = timed_process(store, "--workers", "1")
    reset(store)
    full2, _ = timed_process(store, "--workers", "2")
    warm, rss_warm = timed_process(store)
    year = FIRST_YEAR + years // 2
    year_runs = [timed_process(store, "--year", str(year))[0] for _ in range(runs)]
    pending_runs, touched_ok, touched = [], True, set()
    places = regions(n // years + runs + 3)
    for r in range(runs):
        before = partition_mtimes(store)
        k = n + r
        # the same kind of new document at every size (an HTML page or a PDF costs differently)
        item = make_item(base, store, templates[r % len(templates)], k, places[n // years + 1 + r], year)
        item["source_id"] = "scale_new"
        write_manifest(store, [item], f"new-{r}")
        pending_runs.append(timed_process(store, "--pending")[0])
        after = partition_mtimes(store)
        changed = {k for k in after if after.get(k) != before.get(k)}
        touched |= changed
        touched_ok &= bool(changed) and all(f"report_year={year}/" in k for k in changed)
    return {"n": n, "build": built, "full_w1": full1, "full_w2": full2, "speedup": full1 / full2,
            "full_warm": warm, "year": statistics.median(year_runs), "pending": statistics.median(pending_runs),
            "peak_mb": max(rss1, rss_warm), "touched_ok": touched_ok, "touched": len(touched)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="store sizes, comma-separated (default 1000,10000)")
    ap.add_argument("--years", type=int, default=20, help="report years the documents are spread over")
    ap.add_argument("--runs", type=int, default=3, help="runs of --year and --pending per size (median)")
    ap.add_argument("--keep", type=Path, help="build the stores here and keep them")
    args = ap.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not sizes or sizes[0] < args.years:
        raise SystemExit(f"scale: sizes must be at least --years ({args.years})")

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="govreports-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        base, templates = base_store(tmp)
        print(f"scale: {len(templates)} portal reports replicated ({sum(bool(t.get('attachments')) for t in templates)} "
              f"with attachments), {args.years} report years, {PER_MANIFEST} documents per manifest; "
              f"{os.cpu_count()} CPUs; stores under {tmp}", flush=True)
        rows = []
        for n in sizes:
            row = measure(base, templates, tmp / f"n{n}", n, args.years, args.runs)
            rows.append(row)
            print(f"  N={n}: built in {row['build']:.0f}s; full w1 {row['full_w1']:.1f}s, w2 {row['full_w2']:.1f}s, "
                  f"warm {row['full_warm']:.1f}s, --year {row['year']:.2f}s, --pending {row['pending']:.2f}s, "
                  f"peak {row['peak_mb']:.0f} MB, pending touched only its year: {row['touched_ok']}", flush=True)
            if not args.keep:
                shutil.rmtree(tmp / f"n{n}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    small = rows[0]
    print()
    print("| N | full publish, cold, 1 worker | cold, 2 workers | speed-up | full, indexed | --year Y | --pending | "
          "peak RSS | pending touched only year Y |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        def cell(key, fmt="{:.2f}s", r=r):
            return f"{fmt.format(r[key])} ({r[key] / small[key]:.2f}x)"
        print(f"| {r['n']:,} | {cell('full_w1', '{:.1f}s')} | {cell('full_w2', '{:.1f}s')} | {r['speedup']:.2f}x "
              f"| {cell('full_warm', '{:.1f}s')} | {cell('year')} | {cell('pending')} | {cell('peak_mb', '{:.0f} MB')} "
              f"| {'yes' if r['touched_ok'] else 'NO'} ({r['touched']} files) |")
    print(f"(ratios in brackets: against N={small['n']:,} in this run; wall seconds of whole `govreports process` "
          f"processes, start-up included; peak RSS of the largest process)")
    big = rows[-1]
    print(f"scale: pending_ratio={big['pending'] / small['pending']:.2f} year_ratio={big['year'] / small['year']:.2f} "
          f"peak_mb={big['peak_mb']:.0f} workers_speedup={big['speedup']:.2f}")
    return 0 if all(r["touched_ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
