"""Object storage: local folder or S3, raw zone, Parquet datasets and their schemas."""

from storage.objectstore import ObjectStore, open_store

__all__ = ["ObjectStore", "open_store"]
