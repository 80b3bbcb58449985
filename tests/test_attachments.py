"""Attachments of every kind portals offer: found on the page, named, kept in the raw zone
under the right extension, listed on the document; text read from pdf, docx, doc and wps."""

import io
import json
import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scrapy.http import HtmlResponse, Response

from crawlers.sample_portal.site import aggregator_entries, build_site
from crawlers.spiders.common import ATTACHMENT_EXT, attachment_links, attachment_name
from parsers.extract import extract_bytes
from pipeline.process import process
from storage import open_store
from storage.datasets import read_dataset
from storage.raw import file_name, guess_ext, put_raw

FIXTURES = Path(__file__).parent / "fixtures"
LIBREOFFICE_DOC = (FIXTURES / "notice-libreoffice.doc").read_bytes()
GUANXIAN_DOC = next(r.body for p, r in build_site().items() if p.endswith(".doc"))


@pytest.mark.parametrize("href", [
    "/a/P020210125561230984712.pdf", "./P020210125.doc", "/x/y.DOCX", "/files/notice.wps", "/t/table.xls",
    "/t/table.xlsx", "/t/pack.zip", "/t/pack.rar", "/t/pack.7z", "/t/doc.ofd", "/x.pdf?v=2",
    "/module/download/downfile.jsp?classid=0&filename=2101251030.pdf",
    "/module/download/downfile.jsp?classid=0&filename=1f3e9a.xlsx&fileid=7",
    "/download.jsp?name=%E6%8A%A5%E5%91%8A.doc",
])
def test_attachment_urls_of_every_kind(href):
    assert ATTACHMENT_EXT.search(href)


@pytest.mark.parametrize("href", [
    "/art/2021/1/25/art_3321_2950012.html", "/col/col3321/index.html", "/pdf/index.shtml",
    "/search.jsp?name=张三", "/docs/list.htm", "/zip/code.html", "/module/download/downfile.jsp?classid=0",
])
def test_pages_are_not_attachments(href):
    assert not ATTACHMENT_EXT.search(href)


def test_links_found_by_their_words_or_file_names():
    page = ('<div><a href="/a/1.pdf">政府工作报告.pdf</a> <a href="/dl?id=9">下载附件</a> <a href="/d/2.xls">表</a>'
            '<a href="/art/2021/1/2/art_1_2.html">2021年政府工作报告</a> <a href="/d/3">下载原文</a></div>')
    response = HtmlResponse("http://gov.example.cn/art/1.html", body=page.encode(), encoding="utf-8")
    assert attachment_links(response) == ["/a/1.pdf", "/dl?id=9", "/d/2.xls", "/d/3"]


@pytest.mark.parametrize(("disposition", "url", "name"), [
    ('attachment; filename="2021zfgzbg.pdf"', "http://x/download.jsp?id=1", "2021zfgzbg.pdf"),
    ("attachment; filename=a.xlsx; filename*=UTF-8''%E6%8C%87%E6%A0%87.xlsx", "http://x/d", "指标.xlsx"),
    ('attachment; filename="政府工作报告.doc"'.encode("gbk"), "http://x/d", "政府工作报告.doc"),  # raw GBK header
    ('attachment; filename="政府工作报告.doc"'.encode(), "http://x/d", "政府工作报告.doc"),
    (None, "http://x/module/download/downfile.jsp?classid=0&filename=2101251031.zip", "2101251031.zip"),
    (None, "http://x/files/%E6%8A%A5%E5%91%8A.pdf", "报告.pdf"),
    (None, "http://x/files/", None),
])
def test_file_names(disposition, url, name):
    assert file_name(disposition, url) == name


def test_attachment_name_from_a_response():
    response = Response("http://x/downfile.jsp?filename=1.zip", body=b"PK\x03\x04",
                        headers={"Content-Disposition": "attachment; filename*=UTF-8''%E5%9B%BE%E8%A7%A3.zip"})
    assert attachment_name(response) == "图解.zip"


@pytest.mark.parametrize(("ctype", "url", "name", "data", "ext"), [
    ("application/pdf", "http://x/dl", None, b"", "pdf"),
    ("application/octet-stream", "http://x/downfile.jsp?filename=a.xls", None, b"", "xls"),
    ("application/octet-stream", "http://x/dl?id=3", "报告.WPS", b"", "wps"),
    ("application/octet-stream", "http://x/dl?id=3", None, b"%PDF-1.7", "pdf"),
    (None, "http://x/dl?id=3", None, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
    (None, "http://x/dl?id=3", None, b"Rar!\x1a\x07", "rar"),
    ("application/x-zip-compressed", "http://x/a", None, b"", "zip"),
    ("text/html; charset=gbk", "http://x/a.doc", None, b"", "html"),  # an error page under a .doc URL
    (None, "http://x/index.shtml", None, b"", "html"),
    ("application/octet-stream", "http://x/dl?id=3", None, b"\x00\x01", "bin"),
])
def test_raw_extension(ctype, url, name, data, ext):
    assert guess_ext(ctype, url, name, data) == ext


def test_word97_doc_text():
    ex = extract_bytes(LIBREOFFICE_DOC, "doc")
    assert ex.method == "doc" and ex.flags == []
    lines = ex.text.split("\n")
    assert lines[0] == "某县人民政府关于印发2024年重点工作任务的通知" and lines[1] == "某政发〔2024〕3号"
    assert "地区生产总值增长6.5%左右" in ex.text and "Mixed ASCII text 123" in ex.text  # UTF-16 and 8-bit pieces
    assert "城镇新增就业" in ex.text and "\x07" not in ex.text  # table cells become text


def test_wps_in_the_word_binary_format():
    """WPS Office saves .wps in the Word 97 binary format; the same reader reads it."""
    ex = extract_bytes(LIBREOFFICE_DOC, "wps")
    assert ex.method == "wps" and "2024年重点工作任务" in ex.text


def test_the_sample_portal_doc_is_the_report_it_stands_for():
    """The shipped .doc (made once with LibreOffice) carries the aggregator's 冠县 report."""
    entry = next(e for e in aggregator_entries() if "冠县" in e["title"])
    text = extract_bytes(GUANXIAN_DOC, "doc").text
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert text.startswith("2021年冠县政府工作报告") and squash(entry["body"]) in squash(text)


@pytest.mark.parametrize(("data", "flag"), [
    ("{\\rtf1\\ansi 2021年政府工作报告}".encode("gbk"), "needs_conversion"),  # RTF saved as .doc
    (LIBREOFFICE_DOC[:4096], "needs_conversion"),  # cut off mid-file
])
def test_unreadable_doc_is_flagged_not_raised(data, flag):
    ex = extract_bytes(data, "doc")
    assert ex.flags == [flag] and ex.messages and "convert" in ex.messages[0] and ex.text == ""
    assert extract_bytes(b"", "doc").flags == ["empty"]


def test_encrypted_doc_is_flagged():
    # the FIB's fEncrypted bit (0x0100 of the flags word at offset 0x0A of WordDocument)
    import olefile

    buf = io.BytesIO(LIBREOFFICE_DOC)
    ole = olefile.OleFileIO(buf, write_mode=True)
    word = bytearray(ole.openstream("WordDocument").read())
    word[0x0B] |= 0x01
    ole.write_stream("WordDocument", bytes(word))
    ex = extract_bytes(buf.getvalue(), "doc")
    assert ex.flags == ["encrypted"] and "convert" in ex.messages[0]


def _item(store, page: bytes, files: list[tuple[bytes, str, str]]) -> dict:
    sha, key, _ = put_raw(store, page, "text/html; charset=utf-8", "http://x/1.htm")
    atts = []
    for data, ctype, url in files:
        asha, akey, _ = put_raw(store, data, ctype, url)
        atts.append({"url": url, "sha256": asha, "key": akey, "content_type": ctype, "name": file_name(None, url)})
    return {"source_id": "test_src", "platform": "trs", "url": "http://x/1.htm", "title": "2024年某县重点工作任务",
            "doc_type": "policy", "publish_date": "2024-02-01", "meta": {}, "fragment": None,
            "page_sha256": sha, "page_key": key, "page_content_type": "text/html; charset=utf-8",
            "attachments": atts, "priority": 10, "fetched_at": "2026-01-01T00:00:00Z",
            "region": {"name": "某县", "code": "370000", "admin_level": "county", "province": "山东省", "parent": "x"}}


def test_a_stub_page_reads_its_word_file_and_lists_the_rest(tmp_path):
    store = open_store(str(tmp_path))
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("a.txt", "x")
    stub = "<html><body><div class='TRS_Editor'><p>详见附件。</p></div></body></html>".encode()
    it = _item(store, stub, [(zipped.getvalue(), "application/octet-stream", "http://x/downfile.jsp?filename=t.zip"),
                             (b"\x00" * 64, "application/vnd.ms-excel", "http://x/t.xls"),
                             (LIBREOFFICE_DOC, "application/octet-stream", "http://x/downfile.jsp?filename=n.wps")])
    store.put_bytes("crawl/items/test_src/run1.jsonl", (json.dumps(it, ensure_ascii=False) + "\n").encode())
    assert process(str(tmp_path), progress=False).documents == 1
    doc = read_dataset(store, "documents").to_pylist()[0]
    assert doc["extraction"] == "wps" and "地区生产总值增长6.5%左右" in doc["text"]
    assert [(a["kind"], a["name"]) for a in doc["attachments"]] == [("zip", "t.zip"), ("xls", "t.xls"), ("wps", "n.wps")]
    assert all(store.exists(a["raw_key"]) for a in doc["attachments"])
    assert not doc["quality_flags"]  # the zip and the spreadsheet are not read, so they flag nothing


def test_partitions_from_before_the_attachments_column_still_read(tmp_path):
    store = open_store(str(tmp_path))
    from storage.schemas import DOCUMENTS

    old = DOCUMENTS.remove(DOCUMENTS.get_field_index("attachments"))
    old = old.remove(old.get_field_index("report_year"))
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist([{"doc_id": "a", "title": "t"}], schema=old), buf)
    store.put_bytes("datasets/documents/report_year=2020/part-0.parquet", buf.getvalue())
    docs = read_dataset(store, "documents").to_pylist()
    assert docs[0]["doc_id"] == "a" and docs[0]["attachments"] is None and docs[0]["report_year"] == 2020
