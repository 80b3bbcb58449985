"""`govreports report`: a self-contained HTML page, opened in headless Chromium (Debian's
package, installed by .ci/run) to check that the grid and the charts render; the screenshot
is kept in test-artifacts/report.png."""

import re
import shutil
import subprocess

from PIL import Image

from tests.conftest import ROOT, run_cli

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "headless tests need Debian's chromium package (.ci/run installs it)"
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


def test_report_is_self_contained_and_renders_in_chromium(demo_store, tmp_path):
    store, _ = demo_store
    out = tmp_path / "report.html"
    proc = run_cli("report", "--store", str(store), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"wrote .*: 13 regions, 13 region-years, [1-9]\d* charts", proc.stdout)
    page = out.read_text(encoding="utf-8")
    # offline: nothing is fetched from anywhere
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page) and "@import" not in page

    dom = chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", out.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    bars = int(re.search(r'data-bars="(\d+)"', html).group(1))  # set by the page's script after drawing
    assert bars >= 10 and html.count("<rect") == bars
    assert html.count("<svg") >= 1 and "地区生产总值增长" in html
    grid = re.search(r'<table id="coverage".*?</table>', html, re.S).group(0)
    assert grid.count("<tr>") == 14 and grid.count("class=\"have\"") == 13  # 13 regions, one report each
    assert "<th>2019</th>" in grid and "<th>2021</th>" in grid

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    proc = chromium(tmp_path, "--window-size=1400,1800", f"--screenshot={shot}", out.as_uri())
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20)
    assert img.size == (1400, 1800) and len(colours) > 50  # drawn, not a blank page
    assert any(abs(r - 0xE6) < 8 and abs(g - 0x55) < 8 and abs(b - 0x0D) < 8 for _, (r, g, b) in colours)  # result bars


def test_report_on_an_empty_store_says_so(tmp_path):
    proc = run_cli("report", "--store", str(tmp_path / "empty"), "--out", str(tmp_path / "r.html"))
    assert proc.returncode == 1 and "nothing published" in proc.stderr
