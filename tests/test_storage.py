import errno
import json
import os

import pyarrow.parquet as pq
import pytest

from storage import open_store
from storage.datasets import SchemaError, list_partitions, read_dataset, write_partition
from storage.raw import put_raw, raw_key
from storage.schemas import SCHEMA_VERSION


def indicator_row(**kw):
    row = {"doc_id": "d1", "indicator": "gdp", "kind": "target", "measure": "growth", "value": 6.5,
           "qualifier": "about", "char_start": 10, "report_year": 2021}
    row.update(kw)
    return row


def test_partition_roundtrip_is_hive_and_typed(tmp_path):
    store = open_store(str(tmp_path))
    key = write_partition(store, "indicators", {"report_year": 2021}, [indicator_row()])
    assert key == "datasets/indicators/report_year=2021/part-0.parquet"
    table = read_dataset(store, "indicators")
    assert table.num_rows == 1 and table.column("report_year").to_pylist() == [2021]
    meta = pq.read_metadata(tmp_path / key).metadata
    assert meta[b"govreports.schema_version"] == SCHEMA_VERSION.encode() == b"3"


def test_schema_violation_names_the_column_and_writes_nothing(tmp_path):
    store = open_store(str(tmp_path))
    with pytest.raises(SchemaError, match="'value'"):
        write_partition(store, "indicators", {"report_year": 2021}, [indicator_row(value="six")])
    with pytest.raises(SchemaError, match="unknown column"):
        write_partition(store, "indicators", {"report_year": 2021}, [indicator_row(colour="red")])
    assert list_partitions(store, "indicators") == []


def test_republishing_the_same_rows_is_byte_identical(tmp_path):
    store = open_store(str(tmp_path))
    rows = [indicator_row(char_start=5), indicator_row(indicator="cpi", char_start=1)]
    key = write_partition(store, "indicators", {"report_year": 2021}, rows)
    first = (tmp_path / key).read_bytes()
    write_partition(store, "indicators", {"report_year": 2021}, list(reversed(rows)))
    assert (tmp_path / key).read_bytes() == first
    assert not list(tmp_path.rglob(".tmp-*"))


def test_raw_store_is_content_addressed_and_write_once(tmp_path):
    store = open_store(f"file://{tmp_path}")
    sha, key, new = put_raw(store, b"%PDF-1.4 hello", "application/pdf", "http://x/a.pdf")
    assert new and key == raw_key(sha, "pdf") and key.startswith(f"raw/{sha[:2]}/")
    assert put_raw(store, b"%PDF-1.4 hello", "application/pdf", "http://y/b.pdf") == (sha, key, False)
    meta = store.get_metadata(key)  # content type and source URL are kept with the object
    assert meta == {"content_type": "application/pdf", "metadata": {"source-url": "http://x/a.pdf"}}
    assert store.list_keys("raw/") == [key]


def _has_user_xattrs(folder) -> bool:
    probe = folder / "xattr-probe"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, "user.probe", b"1")
        return True
    except (OSError, AttributeError):
        return False
    finally:
        probe.unlink()


def test_local_metadata_is_one_file_where_xattrs_exist_else_a_sidecar(tmp_path, monkeypatch):
    """Each fetched page is one file create, not two, where the filesystem keeps user xattrs;
    elsewhere the sidecar; and stores written with sidecars read the same."""
    want = {"content_type": "text/html", "metadata": {"source-url": "http://x/政府工作报告.html"}}
    if _has_user_xattrs(tmp_path):
        store = open_store(str(tmp_path / "x"))
        _, key, _ = put_raw(store, b"<html>a</html>", "text/html", "http://x/政府工作报告.html")
        assert store.get_metadata(key) == want
        assert sorted(p.name for p in (tmp_path / "x" / key).parent.iterdir()) == [key.rsplit("/", 1)[1]]

    def no_xattrs(*args, **kwargs):
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setattr(os, "setxattr", no_xattrs)
    store = open_store(str(tmp_path / "s"))
    _, key, _ = put_raw(store, b"<html>b</html>", "text/html", "http://x/政府工作报告.html")
    sidecar = tmp_path / "s" / (key + ".meta.json")
    assert json.loads(sidecar.read_bytes()) == want
    assert store.get_metadata(key) == want
    assert store.list_keys("raw/") == [key]  # the sidecar is not an object
    store.delete(key)
    assert not sidecar.exists() and store.get_metadata(key) == {"content_type": None, "metadata": {}}
    assert not list((tmp_path / "s" / ".tmp").iterdir())  # no temp file left behind either way


def test_keys_cannot_escape_the_store(tmp_path):
    store = open_store(str(tmp_path))
    with pytest.raises(ValueError):
        store.put_bytes("../evil", b"x")


def test_unknown_scheme_is_rejected():
    with pytest.raises(ValueError, match="gs"):
        open_store("gs://bucket/x")
