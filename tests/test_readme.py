"""The README's reading snippet, run as written against a local store and an S3 API server."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"

pytestmark = pytest.mark.slow


def readme_snippet() -> str:
    text = README.read_text("utf-8")
    section = text[text.index("## Reading the data"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def run_snippet(store: str, capsys) -> str:
    code = re.sub(r'^STORE = .*$', f"STORE = {store!r}", readme_snippet(), count=1, flags=re.M)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert len(scope["gdp_targets"]) >= 8
    return capsys.readouterr().out


def test_readme_snippet_local(demo_store, capsys):
    out = run_snippet(str(demo_store[0]), capsys)
    assert "('罗庄区', 2021, 6.5, 'about')" in out
    rows = re.findall(r"\('([^']+)', (\d{4}),", out)
    assert rows and len(rows) == len(set(rows))  # annual targets only: one per region and year


def test_readme_snippet_s3(s3, demo_store, capsys):

    from tests.conftest import run_cli

    uri = f"s3://{s3['bucket']}/readme?endpoint_url={s3['endpoint']}"
    proc = run_cli("demo", "--store", uri)
    assert proc.returncode == 0, proc.stderr
    out = run_snippet(uri, capsys)
    assert "('罗庄区', 2021, 6.5, 'about')" in out
