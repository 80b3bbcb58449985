"""`govreports` command line: demo, sources, discover, crawl, process, parse (names fixed by DESIGN.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from storage.objectstore import DEFAULT_STORE


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", default=os.environ.get("GOVREPORTS_STORE", DEFAULT_STORE),
                   help="store URI: a folder (default ./data), file:///path or s3://bucket/prefix "
                        "(S3 endpoint/credentials from AWS_* settings or ?endpoint_url=)")


def cmd_sources(args) -> int:
    from collections import Counter

    from crawlers.registry import load_sources
    from pipeline.discover import STATES, region_states

    sources = load_sources(args.portal_url, store_uri=args.store)
    regions = region_states(args.store, args.portal_url)
    counts = Counter(r["state"] for r in regions)
    summary = (f"{len(regions):,} regions: " + ", ".join(f"{counts.get(s, 0):,} {s}" for s in STATES)
               + (" (the sample portal's regions)" if args.portal_url else ""))
    shown = [r for r in regions if not args.state or r["state"] in args.state]
    if args.json:
        for s in sources:
            print(json.dumps({"id": s.id, "name": s.name, "platform": s.platform, "listing_urls": s.listing_urls,
                              "allowed_domains": s.allowed_domains, "doc_types": s.doc_types,
                              "region": s.region.__dict__ if s.region else None, "local": s.local,
                              "origin": s.origin, "shadowed_by": s.shadowed_by}, ensure_ascii=False))
        if not args.sources_only:
            for r in shown:
                print(json.dumps({"region": r}, ensure_ascii=False))
        return 0
    print(f"{'id':<20} {'platform':<10} {'region':<8} {'code':<7} {'level':<10} {'types':<20} listing")
    for s in sources:
        reg = s.region
        print(f"{s.id:<20} {s.platform:<10} {(reg.name if reg else '(per doc)'):<8} {(reg.code or '') if reg else '':<7} "
              f"{(reg.admin_level if reg else ''):<10} {','.join(s.doc_types):<20} {s.listing_urls[0]}"
              + ("  [sample portal]" if s.local else "") + ("" if s.reachable else "  [unreachable here]")
              + ("  [discovered]" if s.origin == "discovered" else "")
              + (f"  [shadowed by {s.shadowed_by}]" if s.shadowed_by else ""))
    if not args.sources_only:
        print(f"\n{'code':<10} {'region':<12} {'level':<10} {'parent':<12} {'state':<13} {'source':<13} home page / reason")
        for r in shown:
            tail = r["reason"] if r["state"] == "failing" else (r["home_url"] or "(no home page in the list)")
            print(f"{r['code'] or r['key']:<10} {r['name']:<12} {r['admin_level']:<10} {(r['parent'] or ''):<12} "
                  f"{r['state']:<13} {(r['source_id'] or ''):<13} {tail}")
    print(f"\n{summary}" + ("" if counts.get("undiscovered", 0) == 0 else
                             "; `govreports discover --all` works through the undiscovered ones"))
    return 0


def cmd_discover(args) -> int:
    from pipeline.discover import DEFAULT_LIMIT, run_discovery, select_regions

    if not args.region and not args.all:
        print("name at least one --region CODE (e.g. 370828, gb370828 or 山东省/济宁市/金乡县) or --all",
              file=sys.stderr)
        return 2
    limit = None if args.limit == 0 else (args.limit or DEFAULT_LIMIT)
    regions, unknown = select_regions(args.region, args.all, args.store, args.portal_url, limit)
    if unknown:
        where = "the sample portal's regions" if args.portal_url else "crawlers/data/portals.csv"
        print(f"unknown region(s) {', '.join(unknown)}: not in {where}; give a GB/T 2260 code, a source id "
              "(gb370828) or a path (山东省/济宁市/金乡县); `govreports sources` lists them", file=sys.stderr)
        return 2
    no_home = [r for r in regions if not r.home_url]
    for r in no_home:
        print(f"{r.code or r.key} {r.name}: no home page in the portal list; add a hand-written entry instead",
              file=sys.stderr)
    regions = [r for r in regions if r.home_url]
    if not regions:
        print("nothing to discover: every region is discovered, failed recently or has no home page"
              if args.all else "nothing to discover", file=sys.stderr)
        return 0 if args.all else 1
    delay = 0.0 if args.portal_url else args.delay  # the sample portal is ours: no need to wait
    if not args.quiet:
        print(f"discovering {len(regions)} region(s), {delay:g}s between requests to a host", file=sys.stderr)
    summary = run_discovery(regions, args.store, args.portal_url, delay=delay, progress=not args.quiet)
    from crawlers.registry import load_sources

    shadow = {s.id: s.shadowed_by for s in load_sources(args.portal_url, store_uri=args.store) if s.shadowed_by}
    for res in summary.results:
        entry = res.get("entry") or {}
        if args.json:
            print(json.dumps(res, ensure_ascii=False))
        elif entry:
            won = f"  (hand-written {shadow[entry['id']]} wins)" if entry["id"] in shadow else ""
            print(f"{res['key']:<10} {res['region_path']:<22} discovered {entry['platform']:<7} {entry['id']:<10} "
                  f"{' '.join(entry['listing_urls'])}{won}")
        else:
            print(f"{res['key']:<10} {res['region_path']:<22} failing    {res['reason']}")
    missing = len(regions) - len(summary.results)
    print(f"{summary.discovered} discovered, {summary.failing} failing of {len(regions)} region(s), "
          f"{summary.requests} requests" + (f"; {missing} not finished (rerun to pick them up)" if missing else ""),
          file=sys.stderr)
    if args.all:
        return 1 if missing else 0
    return 1 if summary.failing or missing else 0


_TEARDOWN_FREE: list[bool] = []  # set by a command whose process may end without the interpreter's teardown


def cmd_crawl(args) -> int:
    import gc

    # A crawl process is mostly start-up when the sources are unchanged (one conditional GET
    # each): no cyclic collection while Scrapy, Twisted and pyarrow load (0.06 CPU-s); run_crawl
    # freezes what is loaded and turns the collector back on before the first request.
    gc.disable()
    _TEARDOWN_FREE.append(True)
    from crawlers.registry import load_sources
    from pipeline.crawl import run_crawl

    ids = args.source or []
    registry = load_sources(args.portal_url, store_uri=args.store)
    if args.all:  # hand-written and discovered sources; a discovered one a hand-written entry shadows is skipped
        ids = [s.id for s in registry if s.local == bool(args.portal_url) and s.reachable and not s.shadowed_by]
    if not ids:
        print("name at least one --source ID (see `govreports sources`) or --all", file=sys.stderr)
        return 2
    known = {s.id for s in registry}
    unknown = [i for i in ids if i not in known]
    if unknown:
        print(f"unknown source(s) {', '.join(unknown)}; `govreports sources --sources-only` lists the known ones "
              "(discovered sources live in the store: pass the same --store)", file=sys.stderr)
        return 2
    needs_portal = [s.id for s in registry if s.id in ids and s.local and not args.portal_url]
    if needs_portal:
        print(f"source(s) {', '.join(needs_portal)} are pages of the bundled sample portal: give its address with "
              "--portal-url URL (start one with `govreports serve-portal --port 8765`)", file=sys.stderr)
        return 2
    unreachable = [s.id for s in registry if s.id in ids and not s.reachable]
    if unreachable and not args.force:
        print(f"source(s) {', '.join(unreachable)} are marked reachable: false in the registry "
              "(this machine has no route to them); use --force to try anyway", file=sys.stderr)
        return 2
    from pipeline.site_lease import SiteBusy

    try:
        results = run_crawl(ids, args.store, portal_url=args.portal_url, year=args.year, progress=not args.quiet)
    except SiteBusy as exc:
        print(f"crawl of {', '.join(ids)} not started: {exc}", file=sys.stderr)
        return 3
    from pipeline.health import record_run
    from storage import open_store

    store = open_store(args.store)
    failed = 0
    problems = {}
    for r in results:
        problem = problems[r.source_id] = r.problem(args.allow_empty)
        record_run(store, dict(r.__dict__), problem, args.year, silent=r.came_back_empty)
        status = "ok" if problem is None else "FAILED"
        codes = " ".join(f"{k}:{v}" for k, v in sorted(r.status_counts.items()))
        print(f"{r.source_id:<20} {r.items:3d} new documents ({r.documents_seen} listed) {r.requests:4d} requests "
              f"[{codes}] failed {sum(r.failures.values())}  {status}")
        if problem:
            print(problem, file=sys.stderr)
            failed += 1
    if args.json_summary:
        Path(args.json_summary).write_text(json.dumps([{**r.__dict__, "problem": problems[r.source_id]} for r in results], ensure_ascii=False, indent=1))
    return 1 if failed else 0


def cmd_process(args) -> int:
    from pipeline.process import process
    from pipeline.site_lease import PublishBusy

    try:
        summary = process(args.store, [args.year] if args.year else None, progress=not args.quiet,
                          pending_only=args.pending, workers=args.workers)
    except PublishBusy as exc:
        print(f"govreports process: {exc}", file=sys.stderr)
        return 3
    print(f"{plural(summary.documents, 'document')} ({plural(summary.duplicates, 'duplicate copy', 'duplicate copies')} merged), "
          f"{summary.indicators} indicators, {summary.tasks} tasks in report years {summary.years}")
    for url, flags in summary.flagged:
        print(f"  flagged {','.join(flags)}: {url}")
    return 0


def cmd_extract(args) -> int:
    from pipeline.jobs import extract_shard

    if args.shards < 1 or not 0 <= args.shard < args.shards:
        print(f"govreports extract: --shard must be 0..{max(args.shards, 1) - 1} and --shards at least 1 "
              f"(got --shard {args.shard} --shards {args.shards})", file=sys.stderr)
        return 2
    r = extract_shard(args.store, args.shard, args.shards)
    print(f"shard {r['shard']}/{r['shards']}: {plural(r['manifests'], 'manifest')}, {plural(r['items'], 'item')} "
          f"({r['extracted']} extracted, {r['already_cached']} already parsed)")
    return 0


def cmd_status(args) -> int:
    from pipeline.health import OK, format_table, publish_health, source_health
    from storage import open_store

    store = open_store(args.store)
    rows = source_health(store, max_age_days=args.max_age_days)
    if args.source:
        rows = [r for r in rows if r["source_id"] in args.source]
    if args.publish:
        publish_health(store, rows)
    bad = [r["source_id"] for r in rows if r["status"] != OK]
    try:
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        elif rows:
            print(format_table(rows))
        else:
            print("no crawl has run against this store yet (run `govreports crawl`)")
        sys.stdout.flush()
    except BrokenPipeError:  # `status | head`: the exit code is still the health signal
        _quiet_stdout()
        return 1 if bad else 0
    if bad:
        print(f"{len(bad)} of {len(rows)} source(s) need attention: {', '.join(bad)}", file=sys.stderr)
    return 1 if bad else 0


def cmd_report(args) -> int:
    from pipeline.report import write_report

    try:
        summary = write_report(args.store, args.out)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {summary['regions']} regions, {summary['cells']} region-years, "
          f"{summary['charts']} charts ({summary['points']} region-years with a target or result)")
    return 0


def _print_document(res: dict, with_path: bool) -> None:
    d = res["document"]
    where = f"{d['source_path']}: " if with_path else ""
    print(f"{where}{d['title']} | {d['doc_type']} | {d['region_name']} ({d['region_code']}, {d['admin_level']}) | "
          f"year {d['report_year']} | meeting {d['meeting_date']} | {d['speaker_title'] or ''} {d['speaker'] or ''}")
    if d.get("quality_flags"):
        print(f"  flags: {', '.join(d['quality_flags'])}")
    for message in d.get("quality_messages") or []:
        print(f"  note: {message}")
    for f in res["indicators"]:
        span = f" [{f['span']}]" if f["span"] else ""
        high = f"-{f['value_high']:g}" if f["value_high"] is not None else ""
        tier = f" {f['target_tier']}" if f.get("target_tier") else ""
        print(f"  {f['kind']:<6} {f['period']}{span:<12} {f['indicator']:<38} {f['measure']:<9} "
              f"{f['value']:g}{high}{f['unit'] or ''} {f['qualifier']}{tier}{' (预计)' if f['estimate'] else ''}")
    for t in res["tasks"]:
        print(f"  task {t['number']:>3} [{t['section']}] lead: {'、'.join(t['lead_units'])} {t['targets']}")


def cmd_parse(args) -> int:
    import signal

    from tqdm import tqdm

    from pipeline.parse_files import expand, parse_all

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the output quietly
    inputs, problems = expand(args.paths)
    for problem in problems:
        print(f"govreports parse: {problem}", file=sys.stderr)
    if not inputs:
        return 1
    errors = list(problems)
    show = sys.stderr.isatty() and len(inputs) > 1 and not args.quiet
    import shutil

    width = shutil.get_terminal_size(fallback=(100, 24)).columns or 100  # a pty may report 0 columns
    bar = tqdm(total=len(inputs), unit="file", file=sys.stderr, disable=not show, ncols=min(width, 120))
    chars = 0
    started = time.perf_counter()

    def failed(message: str) -> None:
        errors.append(message)
        bar.write(f"govreports parse: {message}", file=sys.stderr)

    for _item, results in parse_all(inputs, failed):
        for res in results:
            chars += res["document"]["text_chars"]
            if args.json:
                print(json.dumps({"document": res["document"], "indicators": res["indicators"], "tasks": res["tasks"]},
                                 ensure_ascii=False))
            else:
                _print_document(res, len(inputs) > 1)
        bar.update(1)
        if show:
            bar.set_postfix_str(f"{chars / max(time.perf_counter() - started, 1e-9) / 1e3:.0f}k chars/s", refresh=False)
    bar.close()
    if len(inputs) > 1 and not args.quiet:
        seconds = time.perf_counter() - started
        print(f"govreports parse: {len(inputs) - len(errors) + len(problems)} of {len(inputs)} input(s) parsed, "
              f"{chars / 1e6:.1f}M characters in {seconds:.1f}s ({chars / max(seconds, 1e-9) / 1e3:.0f}k chars/s)"
              + (f"; {len(errors)} problem(s) above" if errors else ""), file=sys.stderr)
    return 1 if errors else 0


def cmd_query(args) -> int:
    import duckdb
    import pandas as pd

    from pipeline.query import run_query

    try:
        frame = run_query(args.store, args.sql).to_pandas()
    except duckdb.Error as exc:  # bad SQL, or a dataset not published yet: one line, no traceback
        first = str(exc).strip().splitlines()[0]
        hint = ("nothing of that name is published in this store yet (run `govreports process`)"
                if "does not exist" in first and "Table" in first else
                'the views are documents, indicators, tasks, crawl_log; `govreports query "DESCRIBE crawl_log"` '
                "shows a view's columns")
        print(f"govreports query: {first}; {hint}", file=sys.stderr)
        return 2
    if args.csv:
        print(frame.to_csv(index=False), end="")
    else:
        with pd.option_context("display.max_rows", args.max_rows, "display.width", 200,
                               "display.unicode.east_asian_width", True):
            print(frame.to_string(index=False, max_rows=args.max_rows, formatters=_cell_formatters(frame)))
    return 0


CELL_CHARS = 40  # a report's text in a cell would fill the screen; --csv gives whole values


def _cell_formatters(frame) -> dict:
    """Long values cut with '…', as DuckDB's own shell does."""
    def cut(value) -> str:
        text = str(value).replace("\n", " ")
        return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"

    import pandas as pd

    return {col: cut for col in frame.columns
            if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col])}


def cmd_show(args) -> int:
    import pandas as pd

    from pipeline.query import show_targets

    table = show_targets(args.store, args.indicator, args.measure).to_pandas().fillna("-")
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.unicode.east_asian_width", True):
        print(f"{args.indicator} ({args.measure}): target for the report year, result for the year before")
        print(table.to_string(index=False) if len(table) else "(no rows)")
    return 0


def cmd_serve_portal(args) -> int:
    from crawlers.sample_portal.server import SamplePortal

    try:
        portal = SamplePortal(args.port, {f for f in args.faults.split(",") if f}, host=args.host).start()
    except ValueError as exc:  # an unknown fault switch
        print(f"govreports serve-portal: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"govreports serve-portal: cannot listen on {args.host}:{args.port} ({exc.strerror}); "
              "another program (or portal) uses that port: pick another with --port, or --port 0 for a free one",
              file=sys.stderr)
        return 2
    print(f"sample portal on {portal.url} (faults: {','.join(sorted(portal.faults)) or 'none'}; Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        portal.stop()
    return 0


def cmd_demo(args) -> int:
    from crawlers.registry import load_sources
    from crawlers.sample_portal.server import SamplePortal
    from pipeline.crawl import run_crawl
    from pipeline.discover import region_states
    from pipeline.jobs import discover_regions
    from pipeline.process import process
    from storage import open_store

    store = open_store(args.store)
    t0 = time.time()
    with SamplePortal() as portal:
        print(f"[1/4] sample portal on {portal.url}; discovering its regions from their home pages", flush=True)
        discover_regions(args.store, portal.url, limit=0, delay=0, echo=False)  # a subprocess: one reactor per process
        for r in region_states(args.store, portal.url):
            what = {"hand-written": f"hand-written entry wins ({r['source_id']})", "discovered": f"{r['source_id']}",
                    "failing": r["reason"], "undiscovered": "not tried"}[r["state"]]
            print(f"  {r['code']} {r['name']:<5} {r['state']:<13} {r['platform'] or '-':<7} {what}")
        registry = load_sources(portal.url, store_uri=args.store)
        ids = [s.id for s in registry if s.local and not s.shadowed_by]
        found = sum(1 for s in registry if s.id in ids and s.origin == "discovered")
        t1 = time.time()
        print(f"[2/4] crawling {len(ids)} sources ({len(ids) - found} hand-written, {found} discovered)", flush=True)
        results = run_crawl(ids, args.store, portal_url=portal.url, progress=True)
    from pipeline.health import record_run

    for r in results:
        record_run(store, dict(r.__dict__), r.problem(), silent=r.came_back_empty)
    t2 = time.time()
    print(f"[3/4] extracting, parsing and publishing to {store.root_uri}", flush=True)
    summary = process(args.store, progress=True)
    t3 = time.time()
    print(f"[4/4] done: discover {t1 - t0:.1f}s, crawl {t2 - t1:.1f}s, process {t3 - t2:.1f}s\n")
    print("Documents found per source (crawl):")
    for r in results:
        print(f"  {r.source_id:<20} {r.items:3d}  ({r.responses} responses, statuses {dict(sorted(r.status_counts.items()))})")
    copies = "copy" if summary.duplicates == 1 else "copies"
    print(f"\nPublished: {summary.documents} documents ({summary.duplicates} duplicate {copies} merged), "
          f"{summary.indicators} indicators, {summary.tasks} policy tasks, report years {summary.years}")
    print("\nIndicators per document:")
    for region, title, year, n in summary.per_document:
        print(f"  {year}  {region:<6} {n:4d}  {title}")
    root = store.root_uri
    base = store.local_path() if hasattr(store, "local_path") else None
    print(f"\nFiles: {root}/datasets/{{documents,indicators,tasks,crawl_log}}/ (Hive partitions report_year=YYYY), raw bytes in {root}/raw/")
    print("\nRead them:")
    if base:
        print(f"  python -c \"import pandas as pd; print(pd.read_parquet('{base}/datasets/indicators').head())\"")
        print(f"  python -c \"import duckdb; duckdb.sql(\\\"SELECT region_name, report_year, indicator, value, qualifier FROM read_parquet('{base}/datasets/indicators/*/*.parquet', hive_partitioning=true) WHERE kind='target' AND indicator='gdp' AND span IS NULL AND period=report_year\\\").show()\"")
    else:
        print(f"  python -c \"from storage.readers import arrow_dataset; print(arrow_dataset('{args.store}', 'indicators').to_table().to_pandas().head())\"")
    print(f"  govreports show targets --store '{args.store}'")
    return 0 if all(r.ok for r in results) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govreports", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="serve the bundled sample portal and run crawl -> process -> publish")
    _store_arg(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("sources", help="the source registry and every region's state (hand-written, discovered, "
                                       "failing, undiscovered)")
    p.add_argument("--portal-url", help="sample portal URL: fill it into local sources, show the sample portal's regions")
    p.add_argument("--state", action="append", choices=["hand-written", "discovered", "failing", "undiscovered"],
                   help="only regions in this state (repeatable)")
    p.add_argument("--sources-only", action="store_true", help="the sources, not the 3,215 regions")
    p.add_argument("--json", action="store_true", help="JSON Lines: one object per source, then {region: …} per region")
    _store_arg(p)
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("discover", help="find a region's platform and report/policy columns from its home page",
                       description="Fetch each region's home page (and the 政府信息公开 pages it links to), tell the "
                                   "platform from its fingerprints, find the 政府工作报告 / 政府文件 columns and record "
                                   "a registry entry in the store (hand-written entries win). Exit 1 when a named region "
                                   "failed; with --all, failures are recorded and the exit is 0 unless the run was cut short.")
    p.add_argument("--region", action="append", help="GB/T 2260 code, source id (gb370828) or path (repeatable)")
    p.add_argument("--all", action="store_true",
                   help="the regions due: undiscovered first, then failing ones, then stale ones (at most --limit)")
    p.add_argument("--limit", type=int, help="at most this many regions with --all (default 300; 0: no limit)")
    p.add_argument("--delay", type=float, default=2.0, help="seconds between two requests to one host (default 2)")
    p.add_argument("--portal-url", default=os.environ.get("GOVREPORTS_PORTAL_URL"),
                   help="URL of a running sample portal: discover its regions instead of the live portals")
    p.add_argument("--json", action="store_true", help="print each region's full result as JSON")
    p.add_argument("--quiet", action="store_true")
    _store_arg(p)
    p.set_defaults(func=cmd_discover)

    p = sub.add_parser("crawl", help="crawl sources into the raw zone and crawl manifests")
    p.add_argument("--source", action="append", help="source id (repeatable)")
    p.add_argument("--all", action="store_true", help="every source (with --portal-url: every sample-portal source)")
    p.add_argument("--year", type=int, help="only documents of this report year")
    p.add_argument("--portal-url", default=os.environ.get("GOVREPORTS_PORTAL_URL"),
                   help="URL of a running sample portal (for local sources)")
    p.add_argument("--allow-empty", action="store_true",
                   help="do not fail when a source's listings show no documents (a source that had some fails otherwise)")
    p.add_argument("--json-summary", help="write the crawl stats as JSON to this file")
    p.add_argument("--force", action="store_true", help="crawl sources marked reachable: false")
    p.add_argument("--quiet", action="store_true")
    _store_arg(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("process", help="extract + parse + publish what is in the raw zone")
    p.add_argument("--year", type=int, help="publish only this report year")
    p.add_argument("--pending", action="store_true",
                   help="publish only the years of documents from crawls not yet published (what the nightly DAG does)")
    p.add_argument("--workers", type=int, default=1,
                   help="extract and parse in N processes (default 1; PDF text extraction is CPU-bound)")
    p.add_argument("--quiet", action="store_true")
    _store_arg(p)
    p.set_defaults(func=cmd_process)

    p = sub.add_parser("extract", help="extract and parse shard I of N of the crawls not yet indexed, into the store's "
                                       "caches (what the annual and reparse DAGs map over workers; then `process`)")
    p.add_argument("--shard", type=int, default=0, help="this shard's number, 0..N-1 (default 0)")
    p.add_argument("--shards", type=int, default=1, help="how many shards the work is split into (default 1)")
    _store_arg(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("status", help="health of every crawled source; exit 1 if any is failing, silent or stale")
    p.add_argument("--max-age-days", type=float, default=2.0,
                   help="a source whose last successful crawl is older than this is stale (default 2)")
    p.add_argument("--source", action="append", help="only this source id (repeatable)")
    p.add_argument("--publish", action="store_true", help="also write today's snapshot to the source_health dataset")
    p.add_argument("--json", action="store_true")
    _store_arg(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("report", help="write a self-contained HTML page: coverage grid and targets-vs-results charts")
    p.add_argument("--out", required=True, help="the HTML file to write")
    _store_arg(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("parse", help="parse local files, folders or - (stdin): .txt/.html/.pdf/.docx",
                       description="Parse local files in one process. PATH is a file, a folder (walked for "
                                   ".txt/.html/.pdf/.docx/.doc) or - for stdin. Exit 1 when an input could not "
                                   "be read or parsed (the others are still printed).")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", "--jsonl", dest="json", action="store_true",
                   help="JSON Lines: one {document, indicators, tasks} object per document found")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line on stderr")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("query", help="run SQL over the published datasets (views documents, indicators, tasks, crawl_log)")
    p.add_argument("sql")
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    p.add_argument("--max-rows", type=int, default=40)
    _store_arg(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("show", help="print a ready-made table: `show targets` (targets beside results)")
    p.add_argument("what", choices=["targets"])
    p.add_argument("--indicator", default="gdp")
    p.add_argument("--measure", default="growth", choices=["growth", "level", "rate", "share", "change_pp"])
    _store_arg(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("serve-portal", help="serve the sample portal until Ctrl-C")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 in the compose stack)")
    p.add_argument("--faults", default="", help="comma-separated fault switches (slow, http500, rate_limit, "
                   "truncated_pdf, changed_listing, waf, redirect_loop, oversize, gbk, silent, offsite_redirect)")
    p.set_defaults(func=cmd_serve_portal)
    return parser


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _quiet_stdout() -> None:
    """After a broken pipe: send what is left to /dev/null, so Python's final flush of stdout
    does not print a second error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    from crawlers.registry import RegistryError
    from storage.objectstore import StoreURIError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `govreports … | head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except (RegistryError, StoreURIError) as exc:  # a bad registry entry, an unknown source, a bad store URI
        print(f"govreports {args.command}: {exc}", file=sys.stderr)
        return 2


def entry() -> None:
    """The `govreports` console script. After a crawl everything is written and closed, and
    tearing down the modules Scrapy and Twisted loaded would cost another 0.1-0.15 CPU-s per
    process (a nightly starts hundreds): so the process ends at once, streams flushed."""
    code = main()
    if _TEARDOWN_FREE:
        import logging

        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
