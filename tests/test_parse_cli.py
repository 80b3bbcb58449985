"""`govreports parse` over several paths, a folder and stdin, as JSON Lines; bad inputs are
named on stderr and the rest still parsed; a progress bar only on a terminal."""

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios

from tests.conftest import ROOT, SEEDS, make_pdf, run_cli

CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "texts"


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_folder_files_and_stdin_in_one_call(tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    for name in ("hailaerqu_2014", "sichuansheng_2026"):
        (folder / f"{name}.txt").write_bytes((CORPUS / f"{name}.txt").read_bytes())
    (folder / "sub" / "anshunshi_2024.txt").write_bytes((CORPUS / "anshunshi_2024.txt").read_bytes())
    (folder / "notes.csv").write_text("not a report", "utf-8")  # not a parseable suffix: ignored
    (folder / ".hidden.txt").write_text("各位代表", "utf-8")  # hidden: ignored
    stdin = (SEEDS / "000_f500e5b407999fc5.txt").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(folder),
                           str(SEEDS / "002_b4c204f295541e57.txt"), "-", "--json"],
                          input=stdin, capture_output=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    docs = jsonl(proc.stdout.decode())
    assert [set(d) for d in docs] == [{"document", "indicators", "tasks"}] * 5
    by_source = {d["document"]["source_path"].split("/")[-1]: d["document"] for d in docs}
    assert set(by_source) == {"hailaerqu_2014.txt", "sichuansheng_2026.txt", "anshunshi_2024.txt",
                              "002_b4c204f295541e57.txt", "-"}
    assert (by_source["anshunshi_2024.txt"]["region_code"], by_source["anshunshi_2024.txt"]["report_year"]) == ("520400", 2024)
    assert by_source["-"]["region_name"] == "罗庄区"
    assert "4 of 4 input(s) parsed" not in proc.stderr.decode()  # five inputs: the folder's three, a file, stdin
    assert "5 of 5 input(s) parsed" in proc.stderr.decode()


def test_missing_path_and_broken_pdf_do_not_stop_the_others(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(make_pdf(lambda c: c.drawString(72, 720, "x"))[:300])  # cut off mid-file
    good = CORPUS / "hebeisheng_2026.txt"
    proc = run_cli("parse", str(tmp_path / "missing.txt"), str(broken), str(good), "--json")
    assert proc.returncode == 1
    err = proc.stderr.strip().splitlines()
    assert err[0] == f"govreports parse: {tmp_path / 'missing.txt'}: no such file or folder (check the path)"
    assert "Traceback" not in proc.stderr
    docs = jsonl(proc.stdout)
    assert len(docs) == 2
    flags = {d["document"]["source_path"]: d["document"]["quality_flags"] for d in docs}
    assert flags[str(broken)]  # read what can be read, and say what is wrong with it
    assert docs[1]["document"]["report_year"] == 2026 and docs[1]["indicators"]


def test_empty_folder_is_an_error_naming_the_folder(tmp_path):
    proc = run_cli("parse", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"govreports parse: {tmp_path}: folder holds no .txt/.html/.pdf/.docx file to parse"


def test_progress_bar_only_on_a_terminal():
    piped = run_cli("parse", str(CORPUS), "--json")
    assert piped.returncode == 0 and "file/s" not in piped.stderr and "it/s" not in piped.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal of 24 x 100
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "parse", str(CORPUS), "--json"],
                            stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert "40/40" in text and "file" in text and "k chars/s" in text
