"""Text that is not readable (issue 14, item 4): (cid:N) codes from a PDF font without a
Unicode map (also in an owner-password PDF), random bytes named .txt or .html, a report
decoded with the wrong encoding. Flagged `garbled`, with a message, and never read for facts;
real reports of every region and year are not flagged."""

import io
import os
import random
from pathlib import Path

import pytest

from parsers.document import parse_bytes
from parsers.extract import extract_bytes
from parsers.garble import garbled_reason
from tests.conftest import ROOT, run_cli

CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "texts"


def cid_pdf(lines: int = 30) -> bytes:
    """A PDF whose only font is Type0/Identity-H with no ToUnicode map and no font file: an
    extractor can give nothing but (cid:N) codes."""
    rnd = random.Random(7)
    ops = ["BT /F1 12 Tf 14 TL 50 800 Td"]
    ops += [f"<{''.join(f'{rnd.randint(300, 4000):04X}' for _ in range(30))}> Tj T*" for _ in range(lines)]
    stream = "\n".join([*ops, "ET"]).encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def owner_password_only(pdf: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def report_text() -> str:
    return sorted(CORPUS.glob("*.txt"))[0].read_text("utf-8")


@pytest.mark.parametrize("pdf", [cid_pdf(), owner_password_only(cid_pdf())], ids=["plain", "owner-password"])
def test_a_pdf_of_cid_codes_is_garbled_and_gives_no_facts(pdf):
    ex = extract_bytes(pdf, "pdf")
    assert "garbled" in ex.flags and any("(cid:N)" in m for m in ex.messages)
    (result,) = parse_bytes(pdf, "pdf")
    assert "garbled" in result["document"]["quality_flags"] and result["indicators"] == []


@pytest.mark.parametrize("kind", ["txt", "html"])
def test_random_bytes_are_garbled_not_parsed(kind):
    data = random.Random(kind).randbytes(30000)
    (result,) = parse_bytes(data, kind)
    assert "garbled" in result["document"]["quality_flags"]
    assert result["indicators"] == [] and result["tasks"] == []


def test_a_report_decoded_with_the_wrong_encoding_is_garbled():
    mojibake = report_text().encode("utf-8").decode("gb18030", errors="replace")
    assert "wrong encoding" in garbled_reason(mojibake) or "replacement" in garbled_reason(mojibake)


def test_parse_cli_shows_the_flag_of_random_bytes(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(os.urandom(20000))
    proc = run_cli("parse", str(path), "--json")
    assert proc.returncode in (0, 1)
    assert '"garbled"' in proc.stdout


@pytest.mark.parametrize("text", [
    report_text(),  # a real report
    "各位代表：现在我代表市人民政府向大会报告工作。" * 5 + "(cid:12)(cid:34)",  # a few stray codes
    "犇羴鱻骉猋掱㛃䶮龘" * 3 + "地区生产总值增长6%左右，一般公共预算收入增长5%以上，城镇调查失业率控制在5.5%以内。" * 4,  # rare names
    "\ufffd" * 3 + "全年粮食产量稳定在50万吨以上，" * 10,  # a few replacement characters
    "(cid:1)(cid:2)",  # too short to say
])
def test_readable_texts_are_not_garbled(text):
    assert garbled_reason(text) is None


def test_no_report_of_the_fixture_corpus_is_garbled():
    texts = sorted(Path(CORPUS).glob("*.txt"))
    assert len(texts) >= 40
    assert [p.name for p in texts if garbled_reason(p.read_text("utf-8"))] == []
