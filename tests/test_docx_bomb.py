"""Caps on what a DOCX may inflate to, and on the text kept per document (issue 14, item 6):
a 1.3 MB DOCX inflating to 150 MB of XML took 14 minutes and 2 GB."""

import io
import subprocess
import sys
import zipfile

import docx

from parsers.extract import MAX_TEXT_CHARS, extract_bytes, zip_bomb_reason
from tests.conftest import ROOT


def a_docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def bomb(mb: int = 150) -> bytes:
    """A real DOCX whose document.xml is replaced by `mb` MB of paragraphs (deflates ~1000×)."""
    src = zipfile.ZipFile(io.BytesIO(a_docx(["x"])))
    para = b"<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>"
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head)
                    chunk = para * (2**20 // len(para))
                    for _ in range(mb):
                        fh.write(chunk)
                    fh.write(b"</w:body></w:document>")
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def test_a_docx_bomb_is_refused_in_seconds_and_little_memory(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb())
    assert path.stat().st_size < 2 * 2**20
    # the peak of this process's own memory (VmHWM: ru_maxrss would include the forking
    # parent's, which Linux carries over exec)
    code = ("import re; from parsers.extract import extract_bytes; "
            f"ex = extract_bytes(open({str(path)!r}, 'rb').read(), 'docx'); "
            "print(ex.flags, ex.messages); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    flags, peak_kib = proc.stdout.splitlines()
    assert "too_large" in flags and "cap" in flags
    assert int(peak_kib) < 300 * 1024  # under 300 MB, far from the 2 GB it took


def test_caps_do_not_touch_real_documents():
    data = a_docx(["各位代表：", "地区生产总值增长6%左右。"] * 2000)
    assert zip_bomb_reason(data) is None
    ex = extract_bytes(data, "docx")
    assert ex.flags == [] and "地区生产总值增长6%左右" in ex.text


def test_text_beyond_the_cap_is_cut_and_flagged():
    line = "全年粮食产量稳定在50万吨以上，城镇新增就业2万人。\n"
    text = (line * (MAX_TEXT_CHARS // len(line) + 100)).encode("utf-8")
    ex = extract_bytes(text, "txt")
    assert "text_capped" in ex.flags and len(ex.text) == MAX_TEXT_CHARS
