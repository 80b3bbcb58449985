"""Ordinary mistakes get one line naming the cause and the fix, and an exit code scripts can
trust; never a traceback (issue 14, item 14)."""

import json
import socket
import subprocess
import sys

from tests.conftest import ROOT, run_cli


def one_line(proc) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_a_sample_portal_source_without_portal_url(tmp_path):
    proc = run_cli("crawl", "--source", "luozhuang_zfgzbg", "--store", str(tmp_path))
    assert proc.returncode == 2 and "--portal-url" in one_line(proc) and "DNS" not in proc.stderr


def test_parse_of_a_missing_path_and_of_an_empty_folder(tmp_path):
    proc = run_cli("parse", str(tmp_path / "nope.pdf"))
    assert proc.returncode == 1 and "no such file" in one_line(proc)
    proc = run_cli("parse", str(tmp_path))
    assert proc.returncode == 1 and "holds no" in one_line(proc)


def test_query_on_an_empty_store(tmp_path):
    proc = run_cli("query", "SELECT count(*) FROM indicators", "--store", str(tmp_path))
    line = one_line(proc)
    assert proc.returncode == 2 and "govreports process" in line and "pg_description" not in line


def test_serve_portal_with_an_unknown_fault_or_a_port_in_use():
    proc = run_cli("serve-portal", "--faults", "slow,nonsense")
    assert proc.returncode == 2 and "known:" in one_line(proc)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = run_cli("serve-portal", "--port", str(port))
    assert proc.returncode == 2 and "--port" in one_line(proc)


def test_a_closed_pipe_ends_quietly_with_the_health_code(demo_store):
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "status", "--store", str(demo_store[0]), "--json"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # `status --json | head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 1) and "Traceback" not in err and "BrokenPipe" not in err


def test_parse_shows_flags_and_messages_and_empty_inputs_stay_apart(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"")
    b.write_bytes(b"")
    proc = run_cli("parse", str(a), str(b))
    assert "flags: empty" in proc.stdout and "note: zero bytes" in proc.stdout
    proc = run_cli("parse", str(a), str(b), "--json")
    docs = [json.loads(ln)["document"] for ln in proc.stdout.splitlines()]
    assert [d["quality_messages"] for d in docs] == [["zero bytes"], ["zero bytes"]]
    assert docs[0]["doc_id"] != docs[1]["doc_id"]
