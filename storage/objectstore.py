"""One interface over a local folder and S3, so every job runs unchanged on either.

Keys are always '/'-separated and relative to the store root. Writes of a single
object are atomic for readers: a temp file renamed into place locally, a single PUT
on S3 (S3 never exposes a half-written object).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, parse_qsl, urlparse

from storage.crash import crash_point

DEFAULT_STORE = "./data"
# A local object's content type and metadata (S3 keeps them on the object): in an extended
# attribute of the file, as S3 keeps them with the bytes (a second file per fetched page doubled
# the raw zone's file creations, the crawl's main cost beyond Scrapy's own); in a sidecar file
# beside it where the filesystem has no user xattrs. Stores written before keep their sidecars.
META_XATTR = "user.govreports.meta"
META_SUFFIX = ".meta.json"
TMP_DIR = ".tmp"  # temp files of writes in progress, outside every dataset folder
TEMP_MAX_AGE = 3600.0  # seconds: a temp file older than this belongs to a writer that died


class ObjectStore(Protocol):
    root_uri: str

    def put_bytes(self, key: str, data: bytes, content_type: str | None = None,
                  metadata: dict[str, str] | None = None) -> None: ...
    def get_bytes(self, key: str) -> bytes: ...
    def get_metadata(self, key: str) -> dict: ...
    def exists(self, key: str) -> bool: ...
    def list_keys(self, prefix: str) -> list[str]: ...
    def put_if_absent(self, key: str, data: bytes) -> bool: ...
    def delete(self, key: str) -> None: ...
    def sweep_temp(self, older_than: float = ...) -> list[str]: ...
    def uri(self, key: str) -> str: ...


def _set_meta_xattr(fd: int, meta: bytes) -> bool:
    """False where the metadata cannot go in an extended attribute: no xattrs on this OS or
    filesystem (ENOTSUP, EPERM), or a value past its size limit (E2BIG, ENOSPC)."""
    if not hasattr(os, "setxattr"):
        return False
    try:
        os.setxattr(fd, META_XATTR, meta)
    except OSError:
        return False
    return True


@dataclass
class LocalStore:
    root: Path
    root_uri: str = ""
    _made: set = field(default_factory=set, repr=False, compare=False)  # folders this process has made

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.root_uri = self.root.as_uri()

    def _path(self, key: str) -> Path:
        # checked lexically (no symlink resolution): keys are ours, and this runs per fetched page
        parts = key.replace("\\", "/").split("/")
        if key.startswith("/") or ".." in parts:
            raise ValueError(f"key escapes the store root: {key!r}")
        return self.root / key

    def put_bytes(self, key, data, content_type=None, metadata=None) -> None:
        meta = None
        if metadata:  # raw objects: what S3 keeps as object metadata (never in datasets/)
            meta = json.dumps({"content_type": content_type, "metadata": metadata}, ensure_ascii=False).encode("utf-8")
        self._write(self._path(key), data, meta)

    def _write(self, path: Path, data: bytes, meta: bytes | None = None) -> None:
        """Write to a temp file outside the key's folder, then rename: a writer killed half-way
        leaves nothing that a reader's glob (datasets/x/*/*.parquet) could pick up. The
        metadata is on the temp file (or its sidecar written) before the rename, so an object
        never appears without it."""
        tmp_dir = self.root / TMP_DIR
        self._folder(tmp_dir)
        self._folder(path.parent)  # an mkdir per folder per process, not two per write (a crawl writes per page)
        try:
            fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="w-", suffix=".part")
        except FileNotFoundError:  # the temp folder was removed behind our back: make it again
            self._folder(tmp_dir, again=True)
            fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="w-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                if meta is not None and not _set_meta_xattr(fh.fileno(), meta):
                    self._write(path.with_name(path.name + META_SUFFIX), meta)
            crash_point(f"temp:{path.relative_to(self.root).as_posix()}")
            try:
                os.replace(tmp, path)
            except FileNotFoundError:  # the key's folder was removed since we made it
                self._folder(path.parent, again=True)
                os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _folder(self, folder: Path, again: bool = False) -> None:
        if again or folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)

    def sweep_temp(self, older_than: float = TEMP_MAX_AGE) -> list[str]:
        """Remove what killed writers left: temp files in the store's temp folder older than
        `older_than` seconds (a running writer's are younger), and the temp files that older
        versions wrote beside their targets (`.tmp-*`) in the datasets and state, which readers'
        globs could match."""
        now, gone = time.time(), []
        tmp_dir = self.root / TMP_DIR
        leftovers = list(tmp_dir.glob("w-*.part")) if tmp_dir.is_dir() else []
        for sub in ("datasets", "state"):  # where readers glob; not the raw zone, whose walk grows with the store
            if (self.root / sub).is_dir():
                leftovers += list((self.root / sub).rglob(".tmp-*"))
        for path in leftovers:
            try:
                if path.is_file() and now - path.stat().st_mtime > older_than:
                    path.unlink()
                    gone.append(path.relative_to(self.root).as_posix())
            except FileNotFoundError:
                pass
        return gone

    def get_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def get_metadata(self, key: str) -> dict:
        path = self._path(key)
        if hasattr(os, "getxattr"):
            try:
                return json.loads(os.getxattr(path, META_XATTR))
            except OSError:  # no such attribute (a sidecar, or none), no xattrs here, or no such file
                pass
        meta = path.with_name(path.name + META_SUFFIX)
        return json.loads(meta.read_bytes()) if meta.is_file() else {"content_type": None, "metadata": {}}

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list_keys(self, prefix: str) -> list[str]:
        base = self._path(prefix) if prefix else self.root
        if base.is_file():
            return [prefix]
        if not base.is_dir():
            return []
        keys = []
        for path in base.rglob("*"):
            if (path.is_file() and not path.name.startswith(".tmp-") and not path.name.endswith(META_SUFFIX)
                    and TMP_DIR not in path.relative_to(self.root).parts):
                keys.append(path.relative_to(self.root).as_posix())
        return sorted(keys)

    def put_if_absent(self, key: str, data: bytes) -> bool:
        """Create `key` only if nothing is there (O_EXCL): the building block of leases."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return True

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
        self._path(key + META_SUFFIX).unlink(missing_ok=True)

    def uri(self, key: str) -> str:
        return self._path(key).as_uri()

    def local_path(self, key: str = "") -> Path:
        return self._path(key) if key else self.root


@dataclass
class S3Store:
    """S3 or an S3-compatible store. Endpoint, region and credentials come from the usual
    AWS settings (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID ...) or from the URI
    query: s3://bucket/prefix?endpoint_url=http://127.0.0.1:9000&region=us-east-1."""

    bucket: str
    prefix: str
    endpoint_url: str | None = None
    region: str | None = None
    root_uri: str = ""
    _client: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.prefix = self.prefix.strip("/")
        self.endpoint_url = self.endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        self.region = self.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.root_uri = f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    @property
    def client(self):
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client(
                "s3",
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                config=Config(retries={"max_attempts": 8, "mode": "adaptive"},
                              s3={"addressing_style": "path" if self.endpoint_url else "auto"}),
            )
        return self._client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put_bytes(self, key, data, content_type=None, metadata=None) -> None:
        extra = {}
        if content_type:
            extra["ContentType"] = content_type
        if metadata:
            extra["Metadata"] = {k: v.encode("ascii", "backslashreplace").decode() for k, v in metadata.items()}
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **extra)

    def get_bytes(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()

    def get_metadata(self, key: str) -> dict:
        head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        return {"content_type": head.get("ContentType"), "metadata": head.get("Metadata", {})}

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def list_keys(self, prefix: str) -> list[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        full = self._key(prefix)
        cut = len(self.prefix) + 1 if self.prefix else 0
        keys = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=full):
            keys.extend(obj["Key"][cut:] for obj in page.get("Contents", []))
        return sorted(keys)

    def put_if_absent(self, key: str, data: bytes) -> bool:
        """Conditional write (If-None-Match: *), which S3 and moto honour atomically."""
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, IfNoneMatch="*")
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("PreconditionFailed", "ConditionalRequestConflict", "412", "409"):
                return False
            raise

    def sweep_temp(self, older_than: float = TEMP_MAX_AGE) -> list[str]:
        """An S3 PUT is atomic: a killed writer leaves no partial object behind."""
        return []

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"


def _use_airflow_connection(store: S3Store, conn_id: str) -> None:
    try:
        from airflow.providers.amazon.aws.hooks.s3 import S3Hook
    except ImportError as exc:
        raise StoreURIError(f"an Airflow connection ({conn_id!r}) needs Airflow and its Amazon provider: "
                            "pip install 'govreports[airflow]', or give the store's credentials as AWS_* "
                            "settings instead") from exc
    from botocore.config import Config

    hook = S3Hook(aws_conn_id=conn_id)
    config = hook.conn_config
    store.endpoint_url = config.get_service_endpoint_url("s3") or store.endpoint_url
    store.region = config.region_name or store.region
    session = hook.get_session(region_name=store.region)
    store._client = session.client(
        "s3", endpoint_url=store.endpoint_url, region_name=store.region,
        config=Config(retries={"max_attempts": 8, "mode": "adaptive"},
                      s3={"addressing_style": "path" if store.endpoint_url else "auto"}))


class StoreURIError(ValueError):
    """A store URI that cannot be used; the message never holds a credential."""


S3_URI_PARAMETERS = ("aws_conn_id", "endpoint_url", "region")
_SECRET_PARAM = re.compile(r"(?i)(key|secret|token|password|passwd|credential|signature)")


def _userinfo_split(uri: str) -> tuple[str, str | None, str]:
    """(scheme://, the user:password part or None, the rest). A secret key may hold '/' and
    '+', so the credentials run to the last '@' before the query, not to the first '/'."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return "", None, uri
    head, q, query = rest.partition("?")
    if "@" not in head:
        return scheme + sep, None, rest
    creds, _, tail = head.rpartition("@")
    return scheme + sep, creds, tail + q + query


def redact_uri(uri: str) -> str:
    """The URI with any user:password@ and any secret-looking query value replaced by ***, for
    messages and logs."""
    prefix, creds, rest = _userinfo_split(uri)
    base, q, query = rest.partition("?")
    if q:
        query = "&".join(f"{k}=***" if _SECRET_PARAM.search(k) else f"{k}={v}"
                         for k, v in parse_qsl(query, keep_blank_values=True))
    return prefix + ("***@" if creds is not None else "") + base + (q + query if q else "")


def open_store(uri: str | None = None, aws_conn_id: str | None = None) -> LocalStore | S3Store:
    """Open a store from a URI: a path, file:///path, or s3://bucket/prefix[?endpoint_url=..].
    With `aws_conn_id` (or ?aws_conn_id= in the URI, or GOVREPORTS_AWS_CONN_ID), S3 credentials, region and endpoint come
    from that Airflow AWS connection (endpoint_url in its extras), as the DAGs use it."""
    uri = uri or os.environ.get("GOVREPORTS_STORE") or DEFAULT_STORE
    parsed = urlparse(uri)
    if parsed.scheme == "s3":
        if _userinfo_split(uri)[1] is not None:
            raise StoreURIError(
                f"credentials in the store URI ({redact_uri(uri)}) are not accepted: they would be printed in logs "
                "and task lists; set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or a profile), or pass an Airflow "
                "connection with ?aws_conn_id=")
        query = parse_qs(parsed.query, keep_blank_values=True)
        unknown = sorted(set(query) - set(S3_URI_PARAMETERS))
        if unknown:
            raise StoreURIError(f"unknown store URI parameter(s) {', '.join(unknown)} in {redact_uri(uri)}; "
                                f"known: {', '.join(S3_URI_PARAMETERS)}")
        if not parsed.netloc:
            raise StoreURIError(f"no bucket in the store URI {redact_uri(uri)}; use s3://bucket/prefix")
        store = S3Store(
            bucket=parsed.netloc,
            prefix=parsed.path,
            endpoint_url=(query.get("endpoint_url") or [None])[0],
            region=(query.get("region") or [None])[0],
        )
        conn_id = aws_conn_id or (query.get("aws_conn_id") or [None])[0] or os.environ.get("GOVREPORTS_AWS_CONN_ID")
        if conn_id:
            _use_airflow_connection(store, conn_id)
        return store
    if parsed.scheme == "file":
        return LocalStore(Path(parsed.path))
    if parsed.scheme in ("", None) or len(parsed.scheme) == 1:  # plain path (or a Windows drive)
        return LocalStore(Path(uri))
    raise StoreURIError(f"unsupported store URI scheme {parsed.scheme!r} in {redact_uri(uri)}; "
                        "use a path, file:// or s3://")
