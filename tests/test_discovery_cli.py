"""`govreports discover` and `govreports sources` over real HTTP: the sample portal's home pages
(one per platform) become registry entries whose crawls find each site's reports, with no
hand-written entry; the live registry lists all 3,215 regions; errors are one line."""

import json

from pipeline.jobs import sources_to_crawl
from tests.conftest import run_cli

# the sample portal's regions: (code, platform, the hand-written source whose reports the
# discovered entry must find; None where no entry exists and discovery is the only way in)
SITES = [("371311", "vsb", "luozhuang_zfgzbg"), ("371312", "vsb", "hedong_zfgzbg"), ("370305", "sdjy", "linzi_zfgzbg"),
         ("370200", "trs", "qingdao_zfgzbg"), ("370828", "hanweb", "jinxiang_zfgzbg"),
         ("371525", "trs", "guanxian_zfgzbg"), ("371302", "jxjy", None)]


def titles(store, source_id: str) -> list[str]:
    items = [json.loads(line) for m in (store / "crawl" / "items" / source_id).glob("*.jsonl")
             for line in m.read_text("utf-8").splitlines()]
    return sorted(i["title"] for i in items if i["doc_type"] == "work_report")


def test_discover_the_sample_portal_then_crawl_what_was_found(portal, tmp_path):
    store = tmp_path / "store"
    # a run cut short (--limit 3) keeps what it finished; the next run takes the rest
    first = run_cli("discover", "--all", "--limit", "3", "--portal-url", portal.url, "--store", str(store))
    assert first.returncode == 0, first.stderr
    assert len(list((store / "registry" / "discovered").glob("*.json"))) == 3
    rest = run_cli("discover", "--all", "--portal-url", portal.url, "--store", str(store), "--json")
    assert rest.returncode == 0, rest.stderr
    results = [json.loads(ln) for ln in rest.stdout.splitlines() if ln.startswith("{")]
    assert len(results) == 5 and len(list((store / "registry" / "discovered").glob("*.json"))) == 8
    again = run_cli("discover", "--all", "--portal-url", portal.url, "--store", str(store))
    assert again.returncode == 0 and "nothing to discover" in again.stderr  # all tried: no request, no duplicate

    stored = {p.stem: json.loads(p.read_text("utf-8")) for p in (store / "registry" / "discovered").glob("*.json")}
    for code, platform, _ in SITES:
        assert stored[code]["state"] == "discovered" and stored[code]["entry"]["platform"] == platform, stored[code]
    assert stored["371321"]["state"] == "failing" and "column" in stored["371321"]["reason"]
    assert stored["370828"]["columns"][0]["via"] == "article" and stored["370828"]["columns"][0]["confirmed"]

    # each discovered entry's crawl finds what the hand-written entry of the site finds (two
    # runs: in one, the second request for the same listing URL would be a duplicate)
    for ids in ([f"gb{code}" for code, _, _ in SITES], [hand for _, _, hand in SITES if hand]):
        crawl = run_cli("crawl", *[a for i in ids for a in ("--source", i)], "--portal-url", portal.url,
                        "--store", str(store), "--quiet")
        assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    for code, _, hand in SITES:
        found = titles(store, f"gb{code}")
        assert found and all("政府工作报告" in t for t in found), (code, found)
        if hand:
            assert found == titles(store, hand), code
    assert titles(store, "gb371302") == ["2021年兰山区政府工作报告"]

    # the nightly set: hand-written entries win; the site only discovery found is added
    nightly = sources_to_crawl(portal.url, store_uri=str(store))
    assert "gb371302" in nightly and "jinxiang_zfgzbg" in nightly and "gb370828" not in nightly

    listed = run_cli("sources", "--portal-url", portal.url, "--store", str(store))
    assert listed.returncode == 0, listed.stderr
    assert "8 regions: 6 hand-written, 1 discovered, 1 failing, 0 undiscovered" in listed.stdout
    assert "[shadowed by jinxiang_zfgzbg]" in listed.stdout and "gb371302" in listed.stdout


def test_a_region_that_fails_says_why_and_exits_1(portal, tmp_path):
    proc = run_cli("discover", "--region", "371321", "--portal-url", portal.url, "--store", str(tmp_path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "failing" in proc.stdout and "no 政府工作报告 / 政府文件 column" in proc.stdout


def test_unknown_region_and_missing_arguments_are_one_line(tmp_path):
    proc = run_cli("discover", "--region", "999999", "--store", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "unknown region(s) 999999" in proc.stderr
    proc = run_cli("discover", "--store", str(tmp_path))
    assert proc.returncode == 2 and "--region" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("crawl", "--source", "gb999999", "--store", str(tmp_path))
    assert proc.returncode == 2 and "unknown source(s) gb999999" in proc.stderr and "Traceback" not in proc.stderr


def test_sources_lists_every_region_of_the_country(tmp_path):
    proc = run_cli("sources", "--store", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("code "))
    regions = [ln for ln in lines[head + 1:] if ln.strip() and not ln.startswith("3,215 regions")]
    assert len(regions) == 3215
    assert any(ln.startswith("370828 ") and "undiscovered" in ln and "http://www.jinxiang.gov.cn/" in ln for ln in regions)
    summary = lines[-1]
    assert summary.startswith("3,215 regions: ") and "0 discovered, 0 failing" in summary and "undiscovered" in summary
    hand = int(summary.split(": ")[1].split(" hand-written")[0])
    assert hand >= 8  # the live hand-written entries cover their regions
    only = run_cli("sources", "--store", str(tmp_path), "--state", "hand-written", "--json")
    rows = [json.loads(ln)["region"] for ln in only.stdout.splitlines() if ln.startswith('{"region"')]
    assert len(rows) == hand and {r["code"] for r in rows} >= {"371311", "360000", "140000"}
