import pytest

from crawlers.registry import RegistryError, get_source, load_sources

GOOD = """
- id: demo_county
  name: 某县人民政府
  platform: vsb
  listing_urls: ["https://www.example.gov.cn/zfxxgk/zfgzbg.htm"]
  allowed_domains: ["www.example.gov.cn"]
  doc_types: [work_report]
  region: {name: 冠县, code: "371525", admin_level: county, province: 山东省, parent: 聊城市}
"""


def test_bundled_registry_lists_every_platform():
    sources = load_sources("http://127.0.0.1:9")
    assert {s.platform for s in sources} == {"vsb", "sdjy", "trs", "hanweb", "jxjy", "aggregator"}
    lz = get_source("luozhuang_zfgzbg", "http://127.0.0.1:9")
    assert lz.listing_urls[0].startswith("http://127.0.0.1:9/luozhuang/")
    assert lz.allowed_domains == ("127.0.0.1",)
    assert lz.region.code == "371311"


def test_listing_api_is_validated():
    api = GOOD + """  listing_api:
    url: "https://www.example.gov.cn/api/list?pageNo={page}&size={size}"
    size: 20
    rows: data.list
    fields: {title: title, url: link, date: pubDate}
"""
    (src,) = load_sources(text=api)
    assert src.listing_api["rows"] == "data.list"
    with pytest.raises(RegistryError, match="needs {page} or {start}"):
        load_sources(text=api.replace("pageNo={page}", "pageNo=1"))
    with pytest.raises(RegistryError, match="is not in"):
        load_sources(text=api.replace("https://www.example.gov.cn/api", "https://elsewhere.example.com/api"))
    with pytest.raises(RegistryError, match="unknown keys"):
        load_sources(text=api.replace("size: 20", "size: 20\n    pagesize: 3"))


def test_new_county_is_a_data_only_change():
    (src,) = load_sources(text=GOOD)
    assert src.region.name == "冠县" and src.platform == "vsb"


@pytest.mark.parametrize("field,bad,needle", [
    ("platform: vsb", "platform: wordpress", "'platform'"),
    ('code: "371525"', 'code: "3715"', "'region.code'"),
    ("admin_level: county", "admin_level: village", "'region.admin_level'"),
    ('listing_urls: ["https://www.example.gov.cn/zfxxgk/zfgzbg.htm"]', 'listing_urls: ["ftp://x/y"]', "'listing_urls'"),
    ("doc_types: [work_report]", "doc_types: [news]", "'doc_types'"),
])
def test_bad_entry_is_rejected_naming_the_field(field, bad, needle):
    with pytest.raises(RegistryError) as err:
        load_sources(text=GOOD.replace(field, bad))
    assert needle in str(err.value) and "demo_county" in str(err.value)


def test_unknown_source_lists_known_ids():
    with pytest.raises(RegistryError, match="known: .*luozhuang_zfgzbg"):
        get_source("nope")
