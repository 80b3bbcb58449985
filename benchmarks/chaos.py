"""The fault matrix end to end: portal faults, kill -9 at random moments of crawl and process,
concurrent publishes, then a clean rerun; per round, documents and rows against a clean
baseline measured in the same run. Nothing may be lost or duplicated.

    python benchmarks/chaos.py [--rounds 20] [--seed 1]

Each round, in a fresh store:
  1. discover the sample portal's regions, then crawl every source with a random set of the
     portal's fault switches on; with probability 1/2 the crawl is killed (SIGKILL) at a
     random moment;
  2. publish (`process`), killed at a random moment with probability 1/2;
  3. three publishes at once: two `process --year Y` and a full `process`;
  4. faults off: crawl again and publish (what a nightly rerun does).
Then the published documents and indicator rows are compared with the baseline: `lost` are
baseline documents (or rows) missing, `duplicated` are doc_ids published twice, `extra` are
documents that only a fault produced (changed_listing's new notice), reported, not an error.
Runs the CLI in subprocesses against the bundled sample portal on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawlers.sample_portal.server import FAULTS, SamplePortal  # noqa: E402
from storage import open_store  # noqa: E402
from storage.datasets import read_dataset  # noqa: E402

# `silent` empties a column on purpose (the crawl fails loudly; tests/test_crawl_incremental.py)
MATRIX = sorted(FAULTS - {"silent"})
ROW_KEY = ("doc_id", "indicator", "kind", "measure", "period", "value", "char_start")


def cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(*args: str, kill_after: float | None = None) -> str:
    """Run a CLI step; with kill_after, SIGKILL it after that many seconds if still running."""
    proc = cli(*args)
    if kill_after is None:
        proc.wait(timeout=900)
        return f"rc {proc.returncode}"
    try:
        proc.wait(timeout=kill_after)
        return f"rc {proc.returncode} (done before the kill)"
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return f"killed at {kill_after:.1f}s"


def published(store_dir: Path) -> tuple[list[str], Counter]:
    store = open_store(str(store_dir))
    docs = read_dataset(store, "documents").column("doc_id").to_pylist()
    rows = read_dataset(store, "indicators").select(list(ROW_KEY)).to_pylist()
    return docs, Counter(tuple(r[k] for k in ROW_KEY) for r in rows)


def crawl_and_publish(url: str, store: Path) -> None:
    run("discover", "--all", "--portal-url", url, "--store", str(store))
    run("crawl", "--all", "--portal-url", url, "--store", str(store), "--quiet")
    run("process", "--store", str(store), "--quiet")


def chaos_round(rnd: random.Random, portal: SamplePortal, store: Path) -> dict:
    faults = set(rnd.sample(MATRIX, rnd.randint(1, len(MATRIX))))
    portal.set_faults(faults)
    steps = [run("discover", "--all", "--portal-url", portal.url, "--store", str(store))]
    kill = rnd.uniform(0.5, 4.0) if rnd.random() < 0.5 else None
    steps.append("crawl " + run("crawl", "--all", "--portal-url", portal.url, "--store", str(store), "--quiet",
                                kill_after=kill))
    kill = rnd.uniform(0.3, 3.0) if rnd.random() < 0.5 else None
    steps.append("process " + run("process", "--store", str(store), "--quiet", kill_after=kill))
    years = rnd.sample([2019, 2020, 2021, 2023], 2)
    together = [cli("process", "--store", str(store), "--quiet", "--year", str(y)) for y in years]
    together.append(cli("process", "--store", str(store), "--quiet"))
    steps.append("concurrent " + ",".join(str(p.wait(timeout=900)) for p in together))
    portal.set_faults(set())
    steps.append("clean crawl " + run("crawl", "--all", "--portal-url", portal.url, "--store", str(store), "--quiet"))
    steps.append("clean process " + run("process", "--store", str(store), "--quiet"))
    return {"faults": sorted(faults), "steps": steps}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, SamplePortal() as portal:
        base_store = Path(tmp) / "baseline"
        crawl_and_publish(portal.url, base_store)
        base_docs, base_rows = published(base_store)
        print(f"baseline (clean portal, same run): {len(base_docs)} documents, {sum(base_rows.values())} indicator rows")
        print(f"{'round':>5} {'documents':>10} {'rows':>11} {'lost':>5} {'dup':>4} {'extra':>5}  faults / steps")
        total_lost = total_dup = 0
        for n in range(1, args.rounds + 1):
            store = Path(tmp) / f"round{n}"
            info = chaos_round(rnd, portal, store)
            docs, rows = published(store)
            lost_docs = set(base_docs) - set(docs)
            lost_rows = sum((base_rows - rows).values())
            dup = sum(c - 1 for c in Counter(docs).values() if c > 1)
            extra = len(set(docs) - set(base_docs))
            total_lost += len(lost_docs) + lost_rows
            total_dup += dup
            print(f"{n:>5} {len(docs):>4}/{len(base_docs):<5} {sum(rows.values()):>5}/{sum(base_rows.values()):<5} "
                  f"{len(lost_docs) + lost_rows:>5} {dup:>4} {extra:>5}  {','.join(info['faults'])}")
            print(f"{'':>36}{'; '.join(info['steps'])}")
            sys.stdout.flush()
    print(f"{args.rounds} rounds in {time.perf_counter() - started:.0f}s: {total_lost} lost, {total_dup} duplicated")
    return 1 if total_lost or total_dup else 0


if __name__ == "__main__":
    sys.exit(main())
