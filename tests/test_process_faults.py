"""Bad input in a batch: an image-only, an encrypted and a truncated PDF next to a good
page. Every document is published, the bad ones flagged with a message."""

import json

from crawlers.sample_portal.site import build_site
from pipeline.process import process
from storage import open_store
from storage.datasets import read_dataset
from storage.raw import put_raw
from tests.conftest import make_pdf


def item(store, n, page: bytes, attachment: bytes | None, region_name: str, code: str, year: int) -> dict:
    sha, key, _ = put_raw(store, page, "text/html; charset=utf-8", f"http://x/{n}.htm")
    atts = []
    if attachment is not None:
        asha, akey, _ = put_raw(store, attachment, "application/pdf", f"http://x/{n}.pdf")
        atts.append({"url": f"http://x/{n}.pdf", "sha256": asha, "key": akey, "content_type": "application/pdf"})
    return {"source_id": "test_src", "platform": "vsb", "url": f"http://x/{n}.htm", "title": f"{year}年{region_name}政府工作报告",
            "doc_type": "work_report", "publish_date": f"{year}-02-01", "meta": {}, "fragment": None,
            "page_sha256": sha, "page_key": key, "page_content_type": "text/html; charset=utf-8",
            "attachments": atts, "priority": 10, "fetched_at": "2026-01-01T00:00:00Z",
            "region": {"name": region_name, "code": code, "admin_level": "county", "province": "山东省", "parent": "x"}}


def test_bad_pdfs_do_not_stop_the_batch(tmp_path):
    store = open_store(str(tmp_path))
    stub_page = "<html><body><div class='v_news_content'><p>全文见附件。</p></div></body></html>".encode()
    good = build_site()["/linzi/gongkai/site_lzqzf/channel_8a5d8e7f6b1c4d3e9f0a1b2c/doc_5ff3a2b1c0d9e8f7a6b5c4d3.html"].body
    report = next(r.body for p, r in build_site().items() if p.startswith("/hedong/") and p.endswith(".pdf"))
    items = [
        item(store, 1, stub_page, make_pdf(lambda c: c.rect(72, 72, 300, 300, fill=1)), "冠县", "371525", 2021),
        item(store, 2, stub_page, make_pdf(lambda c: c.drawString(72, 700, "x"), encrypt="pw"), "金乡县", "370828", 2021),
        item(store, 3, stub_page, report[: len(report) // 2], "河东区", "371312", 2023),
        item(store, 4, good, None, "临淄区", "370305", 2021),
    ]
    store.put_bytes("crawl/items/test_src/run1.jsonl",
                    "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode())
    summary = process(str(tmp_path), progress=False)
    assert summary.documents == 4
    docs = {d["region_name"]: d for d in read_dataset(store, "documents").to_pylist()}
    assert "needs_ocr" in docs["冠县"]["quality_flags"]
    assert "encrypted" in docs["金乡县"]["quality_flags"] and docs["金乡县"]["quality_messages"]
    assert "truncated" in docs["河东区"]["quality_flags"]
    assert any("%%EOF" in m for m in docs["河东区"]["quality_messages"])
    assert docs["临淄区"]["quality_flags"] == [] and docs["临淄区"]["text_chars"] > 10000
    ind = read_dataset(store, "indicators").to_pylist()
    assert any(r["region_name"] == "临淄区" and r["indicator"] == "gdp" for r in ind)
