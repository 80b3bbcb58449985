from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawlers.sample_portal import SamplePortal

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "crawlers" / "sample_portal" / "data"


@pytest.fixture(scope="session")
def portal():
    with SamplePortal() as p:
        yield p


def run_cli(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """The real `govreports` entry point in a fresh process (Scrapy's reactor runs once per process)."""
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
    """One real demo run (portal + crawl + process + publish) shared by the end-to-end tests."""
    store = tmp_path_factory.mktemp("demo") / "data"
    proc = run_cli("demo", "--store", str(store))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return store, proc.stdout
