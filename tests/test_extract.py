"""Text extraction on the generated PDFs and pages, and quality flags on broken input."""

import re
import unicodedata

from crawlers.sample_portal.pdfgen import render_pdf
from crawlers.sample_portal.site import SEED_000, build_site, seed_text
from parsers.extract import decode_html, extract_bytes, extract_html, extract_pdf
from parsers.normalize import normalize_text
from tests.conftest import make_pdf

SITE = build_site()


def report_pdf() -> bytes:
    return next(r.body for p, r in SITE.items() if p.startswith("/luozhuang/system") and r.content_type == "application/pdf")


def test_pdf_text_drops_headers_footers_and_page_numbers():
    ex = extract_pdf(report_pdf())
    assert ex.flags == [] and ex.pages > 5
    assert "罗庄区第十九届人民代表大会第六次会议文件" not in ex.text
    assert "— 3 —" not in ex.text and "\n3\n" not in ex.text
    assert "地区生产总值增长6.5%左右，一般公共预算收入增长6%以上" in ex.text


def test_pdf_sentences_broken_across_pages_are_joined():
    ex = extract_pdf(report_pdf())
    paragraphs = ex.text.split("\n")
    # every paragraph of the seed survives as one line: none is cut at a line or page end
    seed_paras = [p.strip().replace("**", "") for p in seed_text(SEED_000).split("\n") if len(p.strip()) > 60]
    def comparable(t):  # words only: STSong-Light draws no subscripts or '·', PDFs lose spaces
        return "".join(ch for ch in t if ch.isalnum() and unicodedata.category(ch) != "No")

    joined = comparable("".join(paragraphs))
    missing = [p for p in seed_paras if comparable(normalize_text(p)) not in joined]
    assert missing == []
    long_lines = [p for p in paragraphs if len(p) > 200]
    assert len(long_lines) >= 10  # real paragraphs, not 37-character layout lines




def test_pdf_without_text_layer_needs_ocr():
    data = make_pdf(lambda c: c.rect(72, 72, 400, 600, fill=1))
    ex = extract_bytes(data, "pdf")
    assert "needs_ocr" in ex.flags and ex.text == ""
    assert "no usable text layer" in ex.messages[0]


def test_encrypted_pdf_is_flagged_not_raised():
    data = make_pdf(lambda c: c.drawString(72, 700, "secret text"), encrypt="s3cret")
    ex = extract_bytes(data, "pdf")
    assert "encrypted" in ex.flags and ex.text == ""
    assert ex.messages


def test_truncated_pdf_is_flagged_and_keeps_what_it_can():
    data = report_pdf()
    ex = extract_bytes(data[: len(data) * 2 // 3], "pdf")
    assert "truncated" in ex.flags
    assert "%%EOF" in ex.messages[0]


def test_empty_and_legacy_doc_are_flagged():
    assert extract_bytes(b"", "pdf").flags == ["empty"]
    assert extract_bytes(b"\xd0\xcf\x11\xe0rest", "doc").flags == ["needs_conversion"]


def test_gbk_page_decodes_and_keeps_main_content_only():
    page = SITE["/hedong/info/1331/20230.htm"].body
    text = decode_html(page, "gbk")
    assert "2023年河东区政府工作报告" in text
    art = SITE["/luozhuang/info/1091/5102.htm"]
    ex = extract_html(art.body, art.content_type)
    assert ex.text.startswith("罗政办字〔2023〕25号")
    for debris in ("无障碍浏览", "分享到", "鲁ICP备", "您现在的位置", "关闭窗口", "下载Word"):
        assert debris not in ex.text
    assert ex.title.startswith("罗庄区人民政府办公室关于印发")


def test_gbk_declared_but_utf8_meta_falls_back_to_sniffing():
    body = "<html><head><meta charset='gbk'></head><body><p>地区生产总值增长6%</p></body></html>".encode("gbk")
    assert "地区生产总值增长6%" in decode_html(body, None)


def test_aggregator_fragment_is_one_report():
    page = SITE["/agg/info/1009/page/1"]
    first_id = re.search(r'class="news-item" id="(n\d+)"', page.body.decode()).group(1)
    ex = extract_html(page.body, page.content_type, fragment=first_id)
    assert ex.title == "【青岛招商】青岛市政府工作报告"
    assert ex.text.startswith("二○二一年一月十二日在青岛市第十六届人民代表大会第五次会议上")
    assert "2025-07-08" not in ex.text and "历城区" not in ex.text[:200]


def test_docx_attachment_text():
    docx = next(r.body for r in SITE.values() if r.content_type.endswith("wordprocessingml.document"))
    ex = extract_bytes(docx, "docx")
    assert ex.flags == [] and "培优筑强优势产业" in ex.text


def test_normalisation_of_numbers_entities_and_traditional_text():
    raw = "地區生產總值增長 ６.５ %左右&amp;nbsp;**一般公共预算收入**增长 6 . 5%，三次产业比为 5.1 ∶ 60.4 ∶ 34.5"
    out = normalize_text(raw)
    assert "地区生产总值增长6.5%左右" in out
    assert "**" not in out and "&nbsp;" not in out and "nbsp" not in out
    assert "增长6.5%" in out and "5.1∶60.4∶34.5" in out


def test_pdf_render_roundtrip_is_deterministic():
    assert render_pdf("测试文本", "页眉") == render_pdf("测试文本", "页眉")
