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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3():
    """A real S3 API over HTTP on 127.0.0.1 (moto's server mode), with a bucket; boto3,
    pyarrow and DuckDB all talk to it over the network like to AWS."""
    import logging
    import os

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"})
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="govreports")
    yield {"endpoint": endpoint, "client": client, "bucket": "govreports"}
    server.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def make_pdf(draw, pages: int = 3, **kw) -> bytes:
    """A small PDF drawn with reportlab (no text layer unless `draw` writes some)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, **kw)
    for _ in range(pages):
        draw(c)
        c.showPage()
    c.save()
    return buf.getvalue()
